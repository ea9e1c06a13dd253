//! The wire format: framing, decoding and encoding.
//!
//! - [`frame`] cuts a byte stream into complete commands (or responses),
//!   enforcing limits, before anything is parsed.
//! - [`CommandCodec`], [`AuthenticateDataCodec`] and [`IdleDoneCodec`]
//!   decode what a client sends; [`ResponseCodec`] what a server sends.
//! - `decode` holds the nom parsers, one per ABNF rule; they are
//!   crate-private and reached through the codecs above.
//! - [`encode`] writes values as lines and literals.

mod command;
pub(crate) mod decode;
pub mod encode;
pub mod frame;
mod response;

pub use command::{AuthenticateDataCodec, CommandCodec, IdleDoneCodec, Leniencies};
pub use decode::{DecodeError, NESTING_LIMIT};
pub use encode::{Encode, Encoded, Fragment};
pub use response::ResponseCodec;
