//! Modified UTF-7, the mailbox name encoding of RFC 3501 §5.1.3.
//!
//! Printable US-ASCII stands for itself, except `&`, written `&-`; any other
//! run of characters is UTF-16, in base64 with `,` for `/`, between `&` and
//! `-`. Decoding is strict: a name is accepted only in its one canonical
//! form (no base64 for printable ASCII, no empty or adjacent shifts, no
//! padding bits, no lone surrogates). Two wire forms for one name would let a
//! client alias mailboxes around checks done on names.

use base64::alphabet::IMAP_MUTF7;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use crate::error::{ValidationError, ValidationReason};

const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &IMAP_MUTF7,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

fn is_direct(c: char) -> bool {
    matches!(c, '\x20'..='\x7e') && c != '&'
}

/// Encodes a UTF-8 name as modified UTF-7.
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    let flush = |out: &mut String, pending: &mut Vec<u16>| {
        if !pending.is_empty() {
            let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
            out.push('&');
            out.push_str(&ENGINE.encode(bytes));
            out.push('-');
            pending.clear();
        }
    };
    for c in name.chars() {
        if is_direct(c) {
            flush(&mut out, &mut pending);
            out.push(c);
        } else if c == '&' {
            flush(&mut out, &mut pending);
            out.push_str("&-");
        } else {
            let mut units = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush(&mut out, &mut pending);
    out
}

/// Decodes a modified UTF-7 name into UTF-8.
///
/// # Errors
/// Returns [`ValidationError`] for 8-bit or control bytes, bad base64, a lone
/// surrogate, or any non-canonical form.
pub fn decode(wire: &[u8]) -> Result<String, ValidationError> {
    let bad = || ValidationError::new("modified UTF-7", ValidationReason::BadModifiedUtf7);
    let mut out = String::with_capacity(wire.len());
    let mut rest = wire;
    while let Some((&b, tail)) = rest.split_first() {
        match b {
            b'&' => {
                let end = tail.iter().position(|&b| b == b'-').ok_or_else(bad)?;
                let (encoded, after) = (&tail[..end], &tail[end + 1..]);
                if encoded.is_empty() {
                    out.push('&');
                } else {
                    let bytes = ENGINE.decode(encoded).map_err(|_| bad())?;
                    if bytes.len() % 2 != 0 {
                        return Err(bad());
                    }
                    let units = bytes.chunks(2).map(|p| u16::from_be_bytes([p[0], p[1]]));
                    for c in char::decode_utf16(units) {
                        let c = c.map_err(|_| bad())?;
                        if is_direct(c) || c == '&' {
                            return Err(bad());
                        }
                        out.push(c);
                    }
                    if after.first() == Some(&b'&') && after.get(1) != Some(&b'-') {
                        return Err(bad());
                    }
                }
                rest = after;
            }
            0x20..=0x7e => {
                out.push(char::from(b));
                rest = tail;
            }
            _ => return Err(bad()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3501_example() {
        let name = "~peter/mail/\u{53f0}\u{5317}/\u{65e5}\u{672c}\u{8a9e}";
        assert_eq!(encode(name), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assert_eq!(decode(b"~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(), name);
    }

    #[test]
    fn ampersand_and_astral_round_trip() {
        for name in [
            "a&b",
            "&",
            "Entw\u{fc}rfe",
            "\u{1f600} mail",
            "",
            "caf\u{e9}&co",
        ] {
            assert_eq!(decode(encode(name).as_bytes()).unwrap(), name, "{name}");
        }
        assert_eq!(encode("a&b"), "a&-b");
    }

    #[test]
    fn refuses_malformed_and_non_canonical() {
        for bad in [
            &b"&"[..],             // unterminated
            b"&U,BTFw",            // unterminated
            b"&AGE-",              // 'a' in base64: printable ASCII must be direct
            b"&ACY-",              // '&' in base64
            b"&2D0-",              // lone high surrogate
            b"&U,BTFw-&ZeVnLIqe-", // adjacent shifts
            b"&U,BTFx-",           // padding bits set
            b"caf\xc3\xa9",        // raw 8-bit
            b"a\tb",               // control
            b"&U/BTFw-",           // '/' is not modified base64
        ] {
            assert!(decode(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
