//! The decoded text of one message: header values (unfolded, RFC 2047
//! decoded), the `Date:` header, and the text of every body part, built
//! once per message and kept by the engine's text cache.
//!
//! mail-parser 0.11 does the decoding. Header values are decoded from their
//! raw bytes as unstructured text (rather than taking mail-parser's
//! structured address values), so a search sees the field as written:
//! `FROM "O'Brien"` finds `"Dave O'Brien" <dave@example.com>`, quotes and all.

use imapkit_proto::datetime::NaiveDate;
use mail_parser::parsers::MessageStream;
use mail_parser::{Header, HeaderValue, Message, MessageParser, PartType};

/// How deep nested `message/rfc822` parts are followed for BODY and TEXT;
/// mail-parser itself stops parsing nested messages a few levels down.
const MAX_NESTING: usize = 16;

/// Unicode lowercase mapping, applied to both sides of every comparison.
pub(super) fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars().flat_map(char::to_lowercase).collect()
}

/// The decoded text of one message that SEARCH compares against: built
/// once from the raw bytes, then owned, so the engine can keep it across
/// searches (see [`super::cache`]).
#[derive(Debug, Default)]
pub(crate) struct SearchText {
    /// The top-level fields: name and folded decoded value.
    headers: Vec<(String, String)>,
    /// Every header of every part and nested message, folded `Name: value`.
    all_headers: Vec<String>,
    /// The folded text of every text part, nested messages included.
    bodies: Vec<String>,
    /// The day of the top-level `Date:` field, in its own zone.
    sent_date: Option<NaiveDate>,
}

impl SearchText {
    /// Parses `raw` once and decodes every text a search key can ask for.
    pub(crate) fn new(raw: &[u8]) -> Self {
        let Some(message) = MessageParser::new().parse(raw) else {
            // No header at all: the whole message is body text.
            return Self {
                bodies: vec![fold(&String::from_utf8_lossy(raw))],
                ..Self::default()
            };
        };
        let headers = message
            .parts
            .first()
            .map(|root| {
                root.headers
                    .iter()
                    .map(|h| (h.name.as_str().to_owned(), fold(&decode_value(raw, h))))
                    .collect()
            })
            .unwrap_or_default();
        let mut all_headers = Vec::new();
        collect_headers(&message, raw, 0, &mut all_headers);
        let mut bodies = Vec::new();
        collect_bodies(&message, 0, &mut bodies);
        let sent_date = message
            .date()
            .filter(|date| date.is_valid())
            .and_then(|date| NaiveDate::new(date.year, date.month, date.day).ok());
        Self {
            headers,
            all_headers,
            bodies,
            sent_date,
        }
    }

    /// About how many bytes of memory the text takes, for the cache's
    /// budget.
    pub(crate) fn weight(&self) -> usize {
        let strings = self.headers.iter().map(|(n, v)| n.len() + v.len() + 48);
        let lines = self
            .all_headers
            .iter()
            .chain(&self.bodies)
            .map(|l| l.len() + 24);
        std::mem::size_of::<Self>() + strings.sum::<usize>() + lines.sum::<usize>()
    }

    /// Whether a top-level field `name` (ASCII case-insensitive) has a
    /// value containing the folded `needle` (an empty needle: the field exists).
    pub(super) fn header_contains(&self, name: &str, needle: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(name) && v.contains(needle))
    }

    /// Whether any header line of the message, of its parts or of nested
    /// messages contains the folded `needle`.
    pub(super) fn any_header_contains(&self, needle: &str) -> bool {
        self.all_headers.iter().any(|l| l.contains(needle))
    }

    /// Whether the decoded text of any text part contains the folded `needle`.
    pub(super) fn body_contains(&self, needle: &str) -> bool {
        self.bodies.iter().any(|b| b.contains(needle))
    }

    /// The calendar day of the top-level `Date:` field, in the field's own
    /// zone; `None` when missing or unparsable.
    pub(super) fn sent_date(&self) -> Option<NaiveDate> {
        self.sent_date
    }
}

/// A field's value from its raw bytes in `raw`: unfolded, RFC 2047 words
/// decoded, invalid UTF-8 replaced.
fn decode_value(raw: &[u8], header: &Header<'_>) -> String {
    let bytes = raw
        .get(header.offset_start as usize..header.offset_end as usize)
        .unwrap_or_default();
    decode_unstructured(bytes)
}

/// An unstructured field value (RFC 5322 §3.2.5) from its raw bytes:
/// unfolded, RFC 2047 words decoded, invalid UTF-8 replaced.
pub(super) fn decode_unstructured(bytes: &[u8]) -> String {
    // The unstructured parser only yields a value at a line end.
    let mut line;
    let bytes = if bytes.ends_with(b"\n") {
        bytes
    } else {
        line = bytes.to_vec();
        line.push(b'\n');
        &line
    };
    match MessageStream::new(bytes).parse_unstructured() {
        HeaderValue::Text(text) => text.into_owned(),
        _ => String::new(),
    }
}

/// Pushes `Name: value` (folded) for every header of every part of
/// `message`, nested messages included. `raw` holds the bytes the header
/// offsets count in.
fn collect_headers(message: &Message<'_>, raw: &[u8], depth: usize, out: &mut Vec<String>) {
    for part in &message.parts {
        for header in &part.headers {
            let line = format!("{}: {}", header.name.as_str(), decode_value(raw, header));
            out.push(fold(&line));
        }
        if let PartType::Message(inner) = &part.body {
            if depth < MAX_NESTING {
                collect_headers(inner, offset_base(raw, inner.raw_message()), depth + 1, out);
            }
        }
    }
}

/// The bytes a nested message's header offsets count in: mail-parser
/// counts them in the outer message when the nested one is a slice of it
/// (the usual, unencoded case), else in the nested message's own bytes.
fn offset_base<'r>(outer: &'r [u8], inner: &'r [u8]) -> &'r [u8] {
    let (outer_range, inner_range) = (outer.as_ptr_range(), inner.as_ptr_range());
    if outer_range.start <= inner_range.start && inner_range.end <= outer_range.end {
        outer
    } else {
        inner
    }
}

/// Pushes the folded text of every text part of `message`, nested messages
/// included; binary parts are skipped.
fn collect_bodies(message: &Message<'_>, depth: usize, out: &mut Vec<String>) {
    for part in &message.parts {
        match &part.body {
            PartType::Text(text) | PartType::Html(text) => out.push(fold(text)),
            PartType::Message(inner) if depth < MAX_NESTING => {
                collect_bodies(inner, depth + 1, out);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Japanese, Korean and Chinese mail in the charsets it is still sent
    /// in (mail-parser's `full_encoding`): ISO-2022-JP in an RFC 2047
    /// subject, EUC-KR and GB2312 bodies.
    #[test]
    fn east_asian_charsets_are_decoded() {
        let japanese = b"Subject: =?ISO-2022-JP?B?GyRCRnxLXDhsJE4lRiU5JUgbKEI=?=\r\n\
            Content-Type: text/plain; charset=EUC-KR\r\n\
            Content-Transfer-Encoding: base64\r\n\r\n\
            x9Gxub7uILq7ua4=\r\n";
        let text = SearchText::new(japanese);
        assert!(text.header_contains("Subject", &fold("日本語のテスト")));
        assert!(text.body_contains(&fold("한국어 본문")));
        let mut chinese = b"Subject: x\r\nContent-Type: text/plain; charset=GB2312\r\n\
            Content-Transfer-Encoding: 8bit\r\n\r\n"
            .to_vec();
        chinese.extend_from_slice(b"\xd6\xd0\xce\xc4\xd5\xfd\xce\xc4\r\n");
        assert!(SearchText::new(&chinese).body_contains("中文正文"));
    }
}
