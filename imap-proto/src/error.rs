//! Errors of building validated values.

use thiserror::Error;

/// A value does not satisfy the grammar of the type it was meant to become.
///
/// Returned by every `TryFrom` of the validated newtypes in this crate, e.g.
/// an atom with a space in it, or a quoted string with a CR.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid {kind}: {reason}")]
pub struct ValidationError {
    kind: &'static str,
    reason: ValidationReason,
}

/// Why a value was refused (kept private: the wording is not part of the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub(crate) enum ValidationReason {
    #[error("it is empty")]
    Empty,
    #[error("byte 0x{0:02x} is not allowed here")]
    ByteNotAllowed(u8),
    #[error("it is not valid UTF-8")]
    NotUtf8,
    #[error("it is not valid modified UTF-7")]
    BadModifiedUtf7,
    #[error("the number is out of range")]
    OutOfRange,
    #[error("it is malformed")]
    Malformed,
}

impl ValidationError {
    pub(crate) fn new(kind: &'static str, reason: ValidationReason) -> Self {
        Self { kind, reason }
    }

    /// The name of the type whose grammar was violated (e.g. `"atom"`).
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}
