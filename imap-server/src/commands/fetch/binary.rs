//! `BINARY[part]`, `BINARY.PEEK[part]` and `BINARY.SIZE[part]` (RFC 3516,
//! RFC 9051 §6.4.5): a part with its Content-Transfer-Encoding removed.
//!
//! A leaf part's body is decoded by its own encoding: base64 and
//! quoted-printable are decoded, 7bit, 8bit and binary (or none) are sent
//! as they are, anything else is `NO [UNKNOWN-CTE]` (RFC 3516 §4.3). A
//! multipart or an encapsulated message is sent as stored: RFC 2045 §6.4
//! allows them no encoding but 7bit, 8bit and binary, which need no
//! decoding. `BINARY[]` is the whole message: its header as is, then its
//! body decoded when the message is a single leaf part.
//!
//! # Where we differ from Dovecot 2.3 (checked against it)
//! - Dovecot also decodes the parts inside an encapsulated message or a
//!   multipart, rewriting their `Content-Transfer-Encoding:` to `binary`;
//!   it likewise rewrites that field in the header `BINARY[]` sends.
//! - Dovecot fails every BINARY item of a message when any part of it has
//!   an unknown encoding or undecodable data; we fail only the items whose
//!   part has.

use bytes::Bytes;
use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;

use crate::mime::PartRanges;

/// Why a part cannot be sent decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DecodeError {
    /// The part's Content-Transfer-Encoding is not one we know
    /// (`NO [UNKNOWN-CTE]`, RFC 3516 §4.3).
    UnknownEncoding,
    /// The part's data is not valid in its encoding (`NO [PARSE]`, as
    /// Dovecot answers).
    InvalidData,
}

/// A Content-Transfer-Encoding (RFC 2045 §6.1).
enum Encoding {
    /// 7bit, 8bit, binary, or absent: the data is as stored.
    Identity,
    /// `base64` (RFC 2045 §6.8).
    Base64,
    /// `quoted-printable` (RFC 2045 §6.7).
    QuotedPrintable,
}

impl Encoding {
    /// The encoding a field value names, case-insensitively (RFC 2045
    /// §6.1), or `None` for one we do not know.
    fn from_field(value: Option<&[u8]>) -> Option<Self> {
        let Some(value) = value.map(<[u8]>::trim_ascii) else {
            return Some(Self::Identity);
        };
        let is = |name: &str| value.eq_ignore_ascii_case(name.as_bytes());
        if is("7bit") || is("8bit") || is("binary") {
            Some(Self::Identity)
        } else if is("base64") {
            Some(Self::Base64)
        } else if is("quoted-printable") {
            Some(Self::QuotedPrintable)
        } else {
            None
        }
    }

    /// `data` decoded.
    fn decode(&self, data: Bytes) -> Result<Bytes, DecodeError> {
        let decoded = match self {
            Self::Identity => return Ok(data),
            Self::Base64 => base64_decode(&data),
            Self::QuotedPrintable => quoted_printable_decode(&data),
        };
        decoded.map(Bytes::from).ok_or(DecodeError::InvalidData)
    }
}

/// The decoded content of `part` (RFC 3516 §4.2) from the octets of its
/// body; `header` is the message header `BINARY[]` sends first, as is.
pub(super) fn decode(
    part: &PartRanges,
    header: Option<Bytes>,
    body: Bytes,
) -> Result<Bytes, DecodeError> {
    let encoding = if part.leaf {
        Encoding::from_field(part.encoding.as_deref()).ok_or(DecodeError::UnknownEncoding)?
    } else {
        Encoding::Identity
    };
    let body = encoding.decode(body)?;
    let Some(header) = header else {
        return Ok(body);
    };
    let mut whole = Vec::with_capacity(header.len() + body.len());
    whole.extend_from_slice(&header);
    whole.extend_from_slice(&body);
    Ok(Bytes::from(whole))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MULTI: &[u8] = b"Subject: t\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n\
        --XX\r\nContent-Transfer-Encoding: Quoted-Printable\r\n\r\nh=C3=A9llo=\r\n wor=3Dld\r\n\
        --XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nYQBi\r\nYw==\r\n\
        --XX\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin\r\n\
        --XX\r\nContent-Type: message/rfc822\r\n\r\nSubject: in\r\nContent-Transfer-Encoding: base64\r\n\r\naGk=\r\n\
        --XX\r\nContent-Transfer-Encoding: base64\r\n\r\nYQ*Bi\r\n\
        --XX\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\xe9t\xe9\r\n\
        --XX--\r\n";

    use super::super::section::{cut, wide};
    use crate::mime::MessageInfo;

    /// `BINARY[path]` of `raw`, as FETCH puts it together.
    fn binary(raw: &'static [u8], path: &[u32]) -> Result<Bytes, DecodeError> {
        let raw = Bytes::from_static(raw);
        let Some(part) = MessageInfo::parse(&raw).part(path) else {
            return Ok(Bytes::new());
        };
        let header = path.is_empty().then(|| cut(&raw, wide(&part.header)));
        decode(&part, header, cut(&raw, wide(&part.body)))
    }

    #[test]
    fn leaves_are_decoded_by_their_own_encoding() {
        // The answers Dovecot gives for parts 1, 2 and 4.1.
        assert_eq!(binary(MULTI, &[1]).unwrap(), "h\u{e9}llo wor=ld".as_bytes());
        assert_eq!(binary(MULTI, &[2]).unwrap(), &b"a\0bc"[..]);
        assert_eq!(binary(MULTI, &[4, 1]).unwrap(), &b"hi"[..]);
        assert_eq!(binary(MULTI, &[6]).unwrap(), &b"\xe9t\xe9"[..]);
    }

    #[test]
    fn unknown_encodings_and_bad_data_are_refused() {
        assert_eq!(binary(MULTI, &[3]), Err(DecodeError::UnknownEncoding));
        assert_eq!(binary(MULTI, &[5]), Err(DecodeError::InvalidData));
    }

    #[test]
    fn multiparts_and_messages_are_sent_as_stored() {
        let raw = Bytes::from_static(MULTI);
        let info = MessageInfo::parse(&raw);
        let part = info.part(&[4]).unwrap();
        assert_eq!(binary(MULTI, &[4]).unwrap(), cut(&raw, wide(&part.body)));
        assert_eq!(binary(MULTI, &[]).unwrap(), raw);
    }

    #[test]
    fn a_single_part_message_is_its_header_then_its_decoded_body() {
        let raw = b"Subject: s\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n";
        assert_eq!(
            binary(raw, &[]).unwrap(),
            &b"Subject: s\r\nContent-Transfer-Encoding: base64\r\n\r\nhello"[..]
        );
        assert_eq!(binary(raw, &[1]).unwrap(), &b"hello"[..]);
    }

    #[test]
    fn a_missing_part_is_empty() {
        assert_eq!(binary(MULTI, &[9]).unwrap(), Bytes::new());
        assert_eq!(binary(MULTI, &[1, 1]).unwrap(), Bytes::new());
    }
}
