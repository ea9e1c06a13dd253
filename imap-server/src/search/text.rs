//! The decoded text of one message, built lazily and at most once per
//! evaluation: header values (unfolded, RFC 2047 decoded), the `Date:`
//! header, and the text of every body part.
//!
//! mail-parser 0.11 does the decoding. Header values are decoded from their
//! raw bytes as unstructured text (rather than taking mail-parser's
//! structured address values), so a search sees the field as written:
//! `FROM "O'Brien"` finds `"Dave O'Brien" <dave@example.com>`, quotes and all.

use std::cell::OnceCell;

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

/// One message's parsed form and the texts decoded from it so far.
pub(super) struct MessageText<'a> {
    /// The raw message.
    raw: &'a [u8],
    /// Whether body parts are parsed (`BODY`/`TEXT` in the tree), or only
    /// the header.
    with_parts: bool,
    /// The parsed message; `None` inside when mail-parser found no header.
    parsed: OnceCell<Option<Message<'a>>>,
    /// The top-level fields: name and folded decoded value.
    headers: OnceCell<Vec<(String, String)>>,
    /// Every header of every part and nested message, folded `Name: value`.
    all_headers: OnceCell<Vec<String>>,
    /// The folded text of every text part, nested messages included.
    bodies: OnceCell<Vec<String>>,
}

impl std::fmt::Debug for MessageText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageText")
            .field("len", &self.raw.len())
            .field("with_parts", &self.with_parts)
            .finish_non_exhaustive()
    }
}

impl<'a> MessageText<'a> {
    /// A message to parse when first asked; `with_parts` parses the body
    /// parts too.
    pub(super) fn new(raw: &'a [u8], with_parts: bool) -> Self {
        Self {
            raw,
            with_parts,
            parsed: OnceCell::new(),
            headers: OnceCell::new(),
            all_headers: OnceCell::new(),
            bodies: OnceCell::new(),
        }
    }

    /// The message, parsed on first use (headers only unless `with_parts`).
    fn parsed(&self) -> Option<&Message<'a>> {
        self.parsed
            .get_or_init(|| {
                let parser = MessageParser::new();
                if self.with_parts {
                    parser.parse(self.raw)
                } else {
                    parser.parse_headers(self.raw)
                }
            })
            .as_ref()
    }

    /// Whether a top-level field `name` (ASCII case-insensitive) has a
    /// value containing the folded `needle` (an empty needle: the field exists).
    pub(super) fn header_contains(&self, name: &str, needle: &str) -> bool {
        let headers = self.headers.get_or_init(|| {
            self.parsed()
                .and_then(|m| m.parts.first())
                .map(|root| {
                    root.headers
                        .iter()
                        .map(|h| (h.name.as_str().to_owned(), fold(&decode_value(self.raw, h))))
                        .collect()
                })
                .unwrap_or_default()
        });
        headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(name) && v.contains(needle))
    }

    /// Whether any header line of the message, of its parts or of nested
    /// messages contains the folded `needle`.
    pub(super) fn any_header_contains(&self, needle: &str) -> bool {
        let lines = self.all_headers.get_or_init(|| {
            let mut lines = Vec::new();
            if let Some(message) = self.parsed() {
                collect_headers(message, self.raw, 0, &mut lines);
            }
            lines
        });
        lines.iter().any(|l| l.contains(needle))
    }

    /// Whether the decoded text of any text part contains the folded `needle`.
    pub(super) fn body_contains(&self, needle: &str) -> bool {
        let bodies = self.bodies.get_or_init(|| {
            let mut bodies = Vec::new();
            match self.parsed() {
                Some(message) => collect_bodies(message, 0, &mut bodies),
                // No header at all: the whole message is body text.
                None => bodies.push(fold(&String::from_utf8_lossy(self.raw))),
            }
            bodies
        });
        bodies.iter().any(|b| b.contains(needle))
    }

    /// The calendar day of the top-level `Date:` field, in the field's own
    /// zone; `None` when missing or unparsable.
    pub(super) fn sent_date(&self) -> Option<NaiveDate> {
        let date = self.parsed()?.date()?;
        if !date.is_valid() {
            return None;
        }
        NaiveDate::new(date.year, date.month, date.day).ok()
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
