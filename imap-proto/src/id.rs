//! ID: client and server name themselves (RFC 2971).
//!
//! ```abnf
//! id             = "ID" SP id-params-list
//! id-response    = "ID" SP id-params-list
//! id-params-list = "(" [string SP nstring *(SP string SP nstring)] ")" / nil
//! ```
//! RFC 2971 §4 writes the list as `#(string SPACE nstring)`, which allows
//! `()`; it means the same as `NIL` and is read as it.
//!
//! RFC 2971 §3.3 bounds the parameters: at most [`IdParams::MAX_PAIRS`]
//! pairs, fields of at most [`IdParams::MAX_FIELD_LEN`] octets, values of
//! at most [`IdParams::MAX_VALUE_LEN`] octets. [`IdParams`] enforces them,
//! so an `ID` cannot carry more than about 32 KiB however it is sent.

use crate::core::{IString, NString};
use crate::error::{ValidationError, ValidationReason};

/// The parameters of ID, bounded as RFC 2971 §3.3 says.
///
/// Empty is written `NIL`. Fields are case-insensitive (RFC 2971 §3.3);
/// they are kept as sent, and [`IdParams::get`] ignores case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct IdParams(Vec<(IString, NString)>);

impl IdParams {
    /// Most field-value pairs one side may send (RFC 2971 §3.3).
    pub const MAX_PAIRS: usize = 30;
    /// Longest field, in octets (RFC 2971 §3.3).
    pub const MAX_FIELD_LEN: usize = 30;
    /// Longest value, in octets (RFC 2971 §3.3).
    pub const MAX_VALUE_LEN: usize = 1024;

    /// Checks the RFC 2971 §3.3 limits.
    ///
    /// # Errors
    /// Returns [`ValidationError`] for more than 30 pairs, a field over 30
    /// octets or a value over 1024 octets.
    pub fn validate(pairs: &[(IString, NString)]) -> Result<(), ValidationError> {
        let too_long = pairs.iter().any(|(field, value)| {
            field.as_bytes().len() > Self::MAX_FIELD_LEN
                || value.as_bytes().map_or(0, <[u8]>::len) > Self::MAX_VALUE_LEN
        });
        if pairs.len() > Self::MAX_PAIRS || too_long {
            return Err(ValidationError::new(
                "ID parameters",
                ValidationReason::OutOfRange,
            ));
        }
        Ok(())
    }

    /// Builds the parameters.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when a limit of [`IdParams::validate`] is exceeded.
    pub fn new(pairs: Vec<(IString, NString)>) -> Result<Self, ValidationError> {
        Self::validate(&pairs)?;
        Ok(Self(pairs))
    }

    /// The value of `field` (case-insensitive): `Some(NString::NIL)` for a
    /// field sent as `NIL`, `None` for a field not sent.
    pub fn get(&self, field: &str) -> Option<&NString> {
        self.0
            .iter()
            .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(field.as_bytes()))
            .map(|(_, value)| value)
    }

    /// Whether there are no parameters (`NIL`).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The field-value pairs, in the order sent.
    pub fn as_slice(&self) -> &[(IString, NString)] {
        &self.0
    }

    /// The field-value pairs, unwrapped.
    pub fn into_inner(self) -> Vec<(IString, NString)> {
        self.0
    }
}

impl TryFrom<Vec<(IString, NString)>> for IdParams {
    type Error = ValidationError;

    fn try_from(pairs: Vec<(IString, NString)>) -> Result<Self, ValidationError> {
        Self::new(pairs)
    }
}

/// The arguments of ID: `("name" "sodr" "version" "19.34")` or `NIL`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Id {
    /// What the client tells about itself.
    pub params: IdParams,
}

/// The ID response: `ID ("name" "Cyrus" "version" "1.5")` or `ID NIL`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct IdData {
    /// What the server tells about itself.
    pub params: IdParams,
}
