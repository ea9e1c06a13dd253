//! Checks shared by the fuzz targets.

use std::fmt::Debug;

use imapkit_proto::codec::{DecodeError, Encode};

/// Decodes `data` with `decode` (which must not panic on any input); when it
/// parses, checks that the canonical encoding parses back to a value with
/// the same canonical encoding (encoding is a fixed point).
///
/// The encodings are compared rather than the values because some parsed
/// details have no canonical wire form on one side: a server never sends a
/// non-synchronising literal (RFC 7888 §4), so a response literal parsed
/// from a lenient `{n+}` is encoded as `{n}` and parses back as
/// synchronising (the case the long fuzz run of 2026-12-02 found).
///
/// # Panics
/// When the re-encoding does not parse, or parses to a value that encodes
/// differently: a bug in the encoder or the parser of that type.
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
            encoded,
            again.encode().dump(),
            "{} re-encoded as {} parses to {again:?}, which encodes differently",
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
