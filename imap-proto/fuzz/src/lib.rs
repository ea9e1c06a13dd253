//! Checks shared by the fuzz targets.

use std::fmt::Debug;

use imapkit_proto::codec::{DecodeError, Encode};

/// Decodes `data` with `decode` (which must not panic on any input); when it
/// parses, checks that the canonical encoding parses back to the same value.
///
/// # Panics
/// When the re-encoding does not parse, or parses to another value: a bug in
/// the encoder or the parser of that type.
pub fn round_trip<T>(data: &[u8], decode: fn(&[u8]) -> Result<T, DecodeError>)
where
    T: Encode + PartialEq + Debug,
{
    let Ok(value) = decode(data) else {
        return;
    };
    let encoded = value.encode().dump();
    match decode(&encoded) {
        Ok(again) => assert_eq!(
            value,
            again,
            "{} re-encoded as {} parses to another value",
            data.escape_ascii(),
            encoded.escape_ascii()
        ),
        Err(error) => panic!(
            "{} re-encoded as {} does not parse: {error:?}",
            data.escape_ascii(),
            encoded.escape_ascii()
        ),
    }
}
