//! The wire format: framing, decoding and encoding.
//!
//! - [`frame`] cuts a byte stream into complete commands (or responses),
//!   enforcing limits, before anything is parsed.
//! - `decode` holds the nom parsers, one per ABNF rule; they are
//!   crate-private and reached through the codecs below.
//! - [`encode`] writes values as lines and literals.

#[allow(dead_code)] // TEMPORARY: until the command and response codecs use every parser.
pub(crate) mod decode;
#[allow(dead_code)] // TEMPORARY: until the command and response codecs use every encoder.
pub mod encode;
pub mod frame;

pub use decode::{DecodeError, NESTING_LIMIT};
pub use encode::{Encode, Encoded, Fragment};
