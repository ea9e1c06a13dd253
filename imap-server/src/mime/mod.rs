//! MIME metadata: a message's part tree with exact byte offsets, its
//! ENVELOPE and its BODYSTRUCTURE, computed once and cached.
//!
//! # Layout
//! - `scan`: our own part scanner (header end, boundaries, nested
//!   messages) and the MIME header fields of each part. Our own because
//!   mail-parser 0.11 cuts a part short when a boundary string appears
//!   mid-line; the tests check the scanner against mail-parser.
//! - `envelope`: ENVELOPE from a header, addresses included.
//! - `structure`: BODYSTRUCTURE and BODY from the part tree.
//! - `cache`: a compact, version-tagged serialisation, so a backend can
//!   store the result (`Mailbox::store_metadata`).
//!
//! # What it does not do
//! It decodes nothing: ENVELOPE and BODYSTRUCTURE strings are the header
//! text as sent, unfolded, RFC 2047 words and all, as Dovecot sends them.
//! Cutting `HEADER.FIELDS`, partials and decoding content for `BINARY` and
//! SEARCH belong to the callers.
//!
//! # Where we differ from Dovecot 2.3 (checked against it)
//! - A boundary line must be exactly `--boundary` plus optional whitespace
//!   (RFC 2046 §5.1.1); Dovecot also takes a line that merely starts with
//!   `--boundary` (`--boundaryX`).
//! - Sizes are of the bytes as stored, so `octets` always equals the length
//!   of what `BODY[n]` sends; Dovecot counts a bare LF as two octets.
//! - `message/global` is an encapsulated message, with envelope and nested
//!   structure (RFC 9051 §7.5.2, RFC 6532 §3.7); Dovecot 2.3 treats it as
//!   an opaque basic part.
//! - `"TEXT"`, `"MESSAGE"` and `"RFC822"` are written upper case (the
//!   encoder's choice); every other string keeps the case it was sent in.

mod cache;
mod envelope;
mod scan;
mod structure;
#[cfg(test)]
mod tests;

use std::ops::Range;

use imapkit_proto::body::{BodyStructure, Envelope};

use self::scan::{Content, Part};

/// Deepest nesting of multiparts and encapsulated messages that is parsed
/// (the message itself is level 0). A part at this depth is one opaque
/// part whatever its type, like Dovecot's limit of 100 levels: it bounds
/// the recursion and the boundary checks per line.
pub(crate) const MAX_DEPTH: usize = 100;

/// Most parts (leaves, multiparts and messages) parsed in one message.
/// Once reached, the rest of the enclosing multipart is one opaque last
/// part, so a hostile message cannot make the tree, and every FETCH of
/// BODYSTRUCTURE, arbitrarily large.
pub(crate) const MAX_PARTS: usize = 10_000;

/// The MIME metadata of one message: parsed once, cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MessageInfo {
    /// The length of the message the metadata was computed from.
    len: usize,
    /// The message as the root of the part tree.
    root: Part,
    /// The message's envelope.
    envelope: Envelope,
    /// The first `References:` field, unfolded, as sent: what THREAD needs
    /// besides the envelope (RFC 5256 §2.2), so it reads no message.
    references: Option<Vec<u8>>,
}

/// The byte ranges of one section (RFC 9051 §6.4.5) within the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartRanges {
    /// The header: for a numbered part its MIME header (`[n.MIME]`), for
    /// `[]` the message header (`[HEADER]`). It ends with its empty line,
    /// when it has one, and `header.end == body.start`.
    pub(crate) header: Range<usize>,
    /// The body: for a numbered part `[n]` (an encapsulated message whole,
    /// header and all), for `[]` the message text (`[TEXT]`).
    pub(crate) body: Range<usize>,
    /// For `[]` the message itself, for a `message/rfc822` or
    /// `message/global` part the message inside it: what `[n.HEADER]`,
    /// `[n.HEADER.FIELDS ...]` and `[n.TEXT]` cut from. `None` for other
    /// parts, which have no such sections.
    pub(crate) message: Option<MessageRanges>,
    /// The part's `Content-Transfer-Encoding`, as sent; `None` when absent
    /// (7bit, RFC 2045 §6.1).
    pub(crate) encoding: Option<Vec<u8>>,
    /// Whether the body is data (not a multipart or an encapsulated
    /// message): only such a body is decoded by BINARY (RFC 2045 §6.4
    /// allows no other encoding than 7bit, 8bit or binary for the others).
    pub(crate) leaf: bool,
}

/// The header and text of a message, top-level or encapsulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MessageRanges {
    /// `HEADER`: the header with its empty line.
    pub(crate) header: Range<usize>,
    /// `TEXT`: the body.
    pub(crate) text: Range<usize>,
}

impl MessageInfo {
    /// Parses `raw`. Never panics; the work is linear in `raw.len()` times
    /// at most [`MAX_DEPTH`] boundary checks per line, and the tree holds
    /// at most about [`MAX_PARTS`] parts.
    pub(crate) fn parse(raw: &[u8]) -> MessageInfo {
        let root = scan::parse(raw);
        let header = &raw[root.header.clone()];
        let envelope = envelope::envelope(header);
        let references = scan::header_fields(header)
            .into_iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(b"References"))
            .map(|(_, value)| value);
        MessageInfo {
            len: raw.len(),
            root,
            envelope,
            references,
        }
    }

    /// The length in bytes of the message this was parsed from: the
    /// caller's check that cached metadata belongs to the bytes at hand.
    pub(crate) fn message_len(&self) -> usize {
        self.len
    }

    /// `ENVELOPE` (RFC 9051 §7.5.2).
    pub(crate) fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// The first `References:` field, unfolded, as sent.
    pub(crate) fn references(&self) -> Option<&[u8]> {
        self.references.as_deref()
    }

    /// `BODYSTRUCTURE` when `extensible` (with extension data: MD5,
    /// disposition, language, location), else `BODY`.
    pub(crate) fn body_structure(&self, extensible: bool) -> BodyStructure {
        structure::body_structure(&self.root, extensible)
    }

    /// The byte ranges of the part that part numbers `path` name (RFC 9051
    /// §6.4.5), or `None` when there is no such part. `[]` is the whole
    /// message; a message that is not multipart has only part 1, its body;
    /// below the top, a number picks a multipart's part or steps into an
    /// encapsulated message (`[2.1]` of a `message/rfc822` part 2 is the
    /// first part of its multipart body, or its whole body when that is
    /// not multipart), as [`BodyStructure::part`] does.
    pub(crate) fn part(&self, path: &[u32]) -> Option<PartRanges> {
        if path.is_empty() {
            let root = &self.root;
            return Some(PartRanges {
                header: root.header.clone(),
                body: root.body.clone(),
                message: Some(MessageRanges {
                    header: root.header.clone(),
                    text: root.body.clone(),
                }),
                encoding: root.mime.encoding.clone(),
                leaf: matches!(root.content, Content::Leaf),
            });
        }
        let mut node = &self.root;
        for (depth, &number) in path.iter().enumerate() {
            let index = usize::try_from(number.checked_sub(1)?).ok()?;
            node = match &node.content {
                Content::Multi(parts) => parts.get(index)?,
                _ if depth == 0 => (index == 0).then_some(node)?,
                Content::Message { root, .. } => match &root.content {
                    Content::Multi(parts) => parts.get(index)?,
                    _ => (index == 0).then_some(&**root)?,
                },
                Content::Leaf => return None,
            };
        }
        Some(PartRanges {
            header: node.header.clone(),
            body: node.body.clone(),
            message: match &node.content {
                Content::Message { root, .. } => Some(MessageRanges {
                    header: root.header.clone(),
                    text: root.body.clone(),
                }),
                _ => None,
            },
            encoding: node.mime.encoding.clone(),
            leaf: matches!(node.content, Content::Leaf),
        })
    }

    /// The cache form: compact, version-tagged, read by [`Self::from_bytes`].
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        cache::to_bytes(self)
    }

    /// Reads [`Self::to_bytes`]'s form; `None` when `bytes` is not one
    /// (another version, truncated, corrupt), and the caller re-parses.
    /// Never panics on any input.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        cache::from_bytes(bytes)
    }
}
