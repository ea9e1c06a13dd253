//! Cutting a section out of a message (RFC 9051 §6.4.5): `HEADER`,
//! `TEXT`, `MIME`, part numbers, `HEADER.FIELDS[.NOT]` and `<start.len>`
//! partials, all byte-range reads over the cached MIME metadata.

use std::ops::Range;

use bytes::Bytes;
use imapkit_proto::core::AString;
use imapkit_proto::fetch::{Partial, Section, SectionText};

use crate::mime::MessageInfo;

/// `raw[range]`, clamped to `raw`: cached offsets never panic on bytes
/// that changed under them.
pub(super) fn cut(raw: &Bytes, range: Range<u64>) -> Bytes {
    let len = raw.len() as u64;
    let end = range.end.min(len);
    // Both are at most `raw.len()`.
    raw.slice(range.start.min(end) as usize..end as usize)
}

/// A range of the MIME metadata as offsets into the message.
pub(super) fn wide(range: &Range<usize>) -> Range<u64> {
    range.start as u64..range.end as u64
}

/// The octets `partial` names of `data`, and the origin to report with
/// them (RFC 9051 §6.4.5 `<start.length>`).
pub(super) fn apply_partial(data: Bytes, partial: Option<Partial>) -> (Bytes, Option<u32>) {
    match partial {
        None => (data, None),
        Some(partial) => (
            cut(&data, partial.range(data.len() as u64)),
            Some(partial.start),
        ),
    }
}

/// The part `partial` names of the octets `range` of a message, and the
/// origin to report: [`apply_partial`] without reading them.
pub(super) fn partial_range(
    range: Range<u64>,
    partial: Option<Partial>,
) -> (Range<u64>, Option<u32>) {
    match partial {
        None => (range, None),
        Some(partial) => {
            let len = range.end.saturating_sub(range.start);
            let within = partial.range(len);
            (
                range.start + within.start..range.start + within.end,
                Some(partial.start),
            )
        }
    }
}

/// The header fields of `header` whose names are (or, with `not`, are not)
/// in `names`, then the blank line (RFC 9051 §6.4.5 HEADER.FIELDS).
pub(super) fn header_fields(header: &[u8], names: &[AString], not: bool) -> Bytes {
    let mut out = Vec::new();
    let mut keep = false;
    for line in header.split_inclusive(|&b| b == b'\n') {
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        if !matches!(line.first(), Some(b' ' | b'\t')) {
            let name = line.split(|&b| b == b':').next().unwrap_or_default();
            let name = name.trim_ascii_end();
            keep = names
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
                != not;
        }
        if keep {
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(b"\r\n");
    Bytes::from(out)
}

/// Where the octets of a section are in the message.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Located<'a> {
    /// The octets of this range, as they are.
    Range(Range<u64>),
    /// Some fields of the header in this range (`HEADER.FIELDS` with
    /// `not: false`, `HEADER.FIELDS.NOT` with `not: true`).
    Fields {
        /// The header to pick from.
        header: Range<u64>,
        /// The field names.
        names: &'a [AString],
        /// Whether the names are the ones to leave out.
        not: bool,
    },
}

/// Where `section` of a message is (RFC 9051 §6.4.5), from its metadata;
/// a part that does not exist is an empty range (an empty string, as
/// Dovecot sends).
pub(super) fn locate<'a>(info: &MessageInfo, section: &'a Section) -> Located<'a> {
    let path: Vec<u32> = section.part().iter().map(|n| n.get()).collect();
    let part = info.part(&path);
    let message = part.as_ref().and_then(|p| p.message.clone());
    let range = match section.text() {
        None if path.is_empty() => Some(0..info.message_len()),
        None => part.map(|p| p.body),
        Some(SectionText::Mime) => part.map(|p| p.header),
        Some(SectionText::Header) => message.map(|m| m.header),
        Some(SectionText::Text) => message.map(|m| m.text),
        Some(SectionText::HeaderFields(names)) => {
            return fields(message.map(|m| m.header), names.as_slice(), false);
        }
        Some(SectionText::HeaderFieldsNot(names)) => {
            return fields(message.map(|m| m.header), names.as_slice(), true);
        }
    };
    Located::Range(range.as_ref().map_or(0..0, wide))
}

/// [`Located::Fields`] of `header`, or an empty range when the part has
/// no header to pick from.
fn fields(header: Option<Range<usize>>, names: &[AString], not: bool) -> Located<'_> {
    match header {
        Some(header) => Located::Fields {
            header: wide(&header),
            names,
            not,
        },
        None => Located::Range(0..0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_keeps_folded_lines_and_ends_with_the_blank_line() {
        let header = b"Subject: a\r\n b\r\nFrom: x\r\nTo: y\r\n\r\n";
        let name = |n: &'static str| AString::from_content(n).unwrap();
        assert_eq!(
            header_fields(header, &[name("subject"), name("TO")], false),
            &b"Subject: a\r\n b\r\nTo: y\r\n\r\n"[..]
        );
        assert_eq!(
            header_fields(header, &[name("subject")], true),
            &b"From: x\r\nTo: y\r\n\r\n"[..]
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
    fn partial_ranges_agree_with_partials_of_the_data() {
        let message = Bytes::from_static(b"Subject: s\r\n\r\n0123456789");
        let text = 14..24;
        let nz = |n| std::num::NonZeroU32::new(n).unwrap();
        for partial in [
            None,
            Some(Partial {
                start: 0,
                length: nz(1),
            }),
            Some(Partial {
                start: 2,
                length: nz(3),
            }),
            Some(Partial {
                start: 8,
                length: nz(5),
            }),
            Some(Partial {
                start: 10,
                length: nz(1),
            }),
            Some(Partial {
                start: 20,
                length: nz(5),
            }),
        ] {
            let (range, origin) = partial_range(text.clone(), partial);
            let expected = apply_partial(cut(&message, text.clone()), partial);
            assert_eq!((cut(&message, range), origin), expected, "{partial:?}");
        }
    }

    #[test]
    fn cut_never_panics_on_stale_offsets() {
        let raw = Bytes::from_static(b"abc");
        assert_eq!(cut(&raw, 1..10), Bytes::from_static(b"bc"));
        assert_eq!(cut(&raw, 7..10), Bytes::new());
    }
}
