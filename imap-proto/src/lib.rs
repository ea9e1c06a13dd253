//! # imapkit-proto
//!
//! IMAP protocol types, framer, parser and encoder, with no I/O.
//!
//! # Layout
//! - Types, by topic: [`core`] (the string kinds), [`mailbox`], [`sequence`],
//!   [`flag`], [`datetime`], [`secret`]; per command family [`fetch`] and
//!   [`body`] (envelope, body structure), [`status`], [`list`],
//!   [`namespace`], [`id`], [`quota`], [`acl`], [`search`], [`sort`] (SORT
//!   and THREAD); commands and responses
//!   build on them.
//! - [`codec`]: the wire format. [`codec::frame`] cuts a byte stream into
//!   frames; the codecs decode frames into values; [`codec::Encode`] writes
//!   values as lines and literals.
//!
//! The nom parsers are private: users reach them only through the codecs, so
//! the grammar can change without breaking anyone.

#![forbid(unsafe_code)]

pub mod acl;
pub mod body;
pub mod capability;
pub mod codec;
pub mod command;
pub mod core;
pub mod datetime;
pub mod error;
pub mod fetch;
pub mod flag;
pub mod id;
pub mod list;
pub mod mailbox;
pub mod namespace;
pub mod quota;
pub mod response;
pub mod search;
pub mod secret;
pub mod sequence;
pub mod sort;
pub mod status;
pub mod utf7;

pub use error::ValidationError;
pub use secret::Secret;

#[cfg(test)]
mod testing;
