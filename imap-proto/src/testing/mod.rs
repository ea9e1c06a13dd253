//! Test helpers: proptest strategies for every type, and round-trip checks.
//!
//! Each topic module of the crate has a module here with strategies for its
//! types (`arb_*`), used by the round-trip property tests.

pub(crate) mod acl;
pub(crate) mod body;
pub(crate) mod capability;
pub(crate) mod command;
pub(crate) mod core;
pub(crate) mod fetch;
pub(crate) mod id;
pub(crate) mod list;
pub(crate) mod namespace;
pub(crate) mod quota;
pub(crate) mod response;
pub(crate) mod search;
pub(crate) mod sort;
pub(crate) mod status;
