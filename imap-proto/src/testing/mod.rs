//! Test helpers: proptest strategies for every type, and round-trip checks.
//!
//! Each topic module of the crate has a module here with strategies for its
//! types (`arb_*`), used by the round-trip property tests.

pub(crate) mod core;
