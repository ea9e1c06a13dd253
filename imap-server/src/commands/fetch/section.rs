//! Cutting a section out of a message (RFC 9051 §6.4.5): `HEADER`,
//! `TEXT`, `MIME`, part numbers, `HEADER.FIELDS[.NOT]` and `<start.len>`
//! partials, all byte-range reads over the cached MIME metadata.

use bytes::Bytes;
use imapkit_proto::core::AString;
use imapkit_proto::fetch::{Partial, Section, SectionText};

use crate::mime::MessageInfo;

/// `raw[range]`, clamped to `raw`: cached offsets never panic on bytes
/// that changed under them.
pub(super) fn cut(raw: &Bytes, range: std::ops::Range<usize>) -> Bytes {
    let end = range.end.min(raw.len());
    raw.slice(range.start.min(end)..end)
}

/// The octets `partial` names of `data`, and the origin to report with
/// them (RFC 9051 §6.4.5 `<start.length>`).
pub(super) fn apply_partial(data: Bytes, partial: Option<Partial>) -> (Bytes, Option<u32>) {
    match partial {
        None => (data, None),
        Some(partial) => {
            let range = partial.range(data.len() as u64);
            (
                cut(&data, range.start as usize..range.end as usize),
                Some(partial.start),
            )
        }
    }
}

/// The header fields of `header` whose names are (or, with `not`, are not)
/// in `names`, then the blank line (RFC 9051 §6.4.5 HEADER.FIELDS).
fn header_fields(header: &[u8], names: &[&[u8]], not: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut keep = false;
    for line in header.split_inclusive(|&b| b == b'\n') {
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        if !matches!(line.first(), Some(b' ' | b'\t')) {
            let name = line.split(|&b| b == b':').next().unwrap_or_default();
            let name = name.trim_ascii_end();
            keep = names.iter().any(|n| n.eq_ignore_ascii_case(name)) != not;
        }
        if keep {
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The bytes of `section` of a message (RFC 9051 §6.4.5); a part that
/// does not exist gives an empty string, as Dovecot sends.
pub(super) fn section_bytes(info: &MessageInfo, raw: &Bytes, section: &Section) -> Bytes {
    let path: Vec<u32> = section.part().iter().map(|n| n.get()).collect();
    let message = || info.part(&path).and_then(|p| p.message);
    let header_fields_of = |names: &[AString], not: bool| -> Option<Bytes> {
        let message = message()?;
        let names: Vec<&[u8]> = names.iter().map(AString::as_bytes).collect();
        Some(Bytes::from(header_fields(
            &cut(raw, message.header),
            &names,
            not,
        )))
    };
    let bytes = match section.text() {
        None if path.is_empty() => Some(raw.clone()),
        None => info.part(&path).map(|p| cut(raw, p.body)),
        Some(SectionText::Mime) => info.part(&path).map(|p| cut(raw, p.header)),
        Some(SectionText::Header) => message().map(|m| cut(raw, m.header)),
        Some(SectionText::Text) => message().map(|m| cut(raw, m.text)),
        Some(SectionText::HeaderFields(names)) => header_fields_of(names.as_slice(), false),
        Some(SectionText::HeaderFieldsNot(names)) => header_fields_of(names.as_slice(), true),
    };
    bytes.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_keeps_folded_lines_and_ends_with_the_blank_line() {
        let header = b"Subject: a\r\n b\r\nFrom: x\r\nTo: y\r\n\r\n";
        assert_eq!(
            header_fields(header, &[b"subject", b"TO"], false),
            b"Subject: a\r\n b\r\nTo: y\r\n\r\n"
        );
        assert_eq!(
            header_fields(header, &[b"subject"], true),
            b"From: x\r\nTo: y\r\n\r\n"
        );
    }

    #[test]
    fn partials_clamp_to_the_data() {
        let data = Bytes::from_static(b"0123456789");
        let partial = |start, length| Some(Partial { start, length });
        let nz = |n| std::num::NonZeroU32::new(n).unwrap();
        assert_eq!(
            apply_partial(data.clone(), partial(2, nz(3))),
            (Bytes::from_static(b"234"), Some(2))
        );
        assert_eq!(
            apply_partial(data.clone(), partial(8, nz(5))),
            (Bytes::from_static(b"89"), Some(8))
        );
        assert_eq!(
            apply_partial(data.clone(), partial(20, nz(5))),
            (Bytes::new(), Some(20))
        );
        assert_eq!(apply_partial(data.clone(), None), (data, None));
    }

    #[test]
    fn cut_never_panics_on_stale_offsets() {
        let raw = Bytes::from_static(b"abc");
        assert_eq!(cut(&raw, 1..10), Bytes::from_static(b"bc"));
        assert_eq!(cut(&raw, 7..10), Bytes::new());
    }
}
