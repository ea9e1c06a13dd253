//! FETCH: what a client asks for (RFC 9051 §6.4.5) and what the server
//! answers (§7.5.2), with BINARY (RFC 3516) and CONDSTORE/QRESYNC
//! (RFC 7162) additions.
//!
//! ```abnf
//! fetch           = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" /
//!                   fetch-att / "(" fetch-att *(SP fetch-att) ")")
//!                   [fetch-modifiers]                       ; RFC 4466
//! fetch-att       = "ENVELOPE" / "FLAGS" / "INTERNALDATE" /
//!                   "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
//!                   "BODY" ["STRUCTURE"] / "UID" /
//!                   "BODY" section [partial] / "BODY.PEEK" section [partial] /
//!                   "BINARY" [".PEEK"] section-binary [partial] /
//!                   "BINARY.SIZE" section-binary / "MODSEQ"
//! message-data    = nz-number SP "FETCH" SP msg-att
//! ```
//!
//! Message bodies in responses are [`NString`]s (or [`Literal8`]s) over a
//! shared [`Bytes`]: the encoder writes each as a literal fragment of its
//! own, so a server sends a body it holds without copying it.

use std::num::{NonZeroU32, NonZeroU64};
use std::ops::Range;

use bytes::Bytes;

use crate::body::{BodyStructure, Envelope};
use crate::core::{AString, IString, Literal, Literal8, LiteralMode, NString, Vec1};
use crate::datetime::DateTime;
use crate::error::{ValidationError, ValidationReason};
use crate::flag::FlagFetch;
use crate::sequence::SequenceSet;

/// The arguments of FETCH (and UID FETCH): what follows `FETCH SP`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fetch {
    /// The messages (numbers, or UIDs for UID FETCH).
    pub sequence_set: SequenceSet,
    /// The data items asked for.
    pub items: FetchItems,
    /// The `CHANGEDSINCE` modifier (RFC 7162 §3.1.4.1), with `VANISHED`
    /// (§3.2.6) when asked.
    pub changed_since: Option<ChangedSince>,
}

/// The data items of a FETCH: a macro or a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FetchItems {
    /// `ALL`: `FLAGS INTERNALDATE RFC822.SIZE ENVELOPE`.
    All,
    /// `FAST`: `FLAGS INTERNALDATE RFC822.SIZE`.
    Fast,
    /// `FULL`: `FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY`.
    Full,
    /// A single item or a parenthesised list (always written as a list).
    Attributes(Vec1<FetchAttribute>),
}

impl FetchItems {
    /// The items this stands for, macros expanded (RFC 9051 §6.4.5).
    pub fn attributes(&self) -> Vec<FetchAttribute> {
        use FetchAttribute::{Body, Envelope, Flags, InternalDate, Rfc822Size};
        match self {
            Self::All => vec![Flags, InternalDate, Rfc822Size, Envelope],
            Self::Fast => vec![Flags, InternalDate, Rfc822Size],
            Self::Full => vec![Flags, InternalDate, Rfc822Size, Envelope, Body],
            Self::Attributes(items) => items.as_slice().to_vec(),
        }
    }
}

/// One data item a client asks for: `fetch-att`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FetchAttribute {
    /// `ENVELOPE`.
    Envelope,
    /// `FLAGS`.
    Flags,
    /// `INTERNALDATE`.
    InternalDate,
    /// `RFC822`: like `BODY[]`, answered as `RFC822` (sets `\Seen`).
    Rfc822,
    /// `RFC822.HEADER`: like `BODY.PEEK[HEADER]`, answered as `RFC822.HEADER`.
    Rfc822Header,
    /// `RFC822.SIZE`.
    Rfc822Size,
    /// `RFC822.TEXT`: like `BODY[TEXT]`, answered as `RFC822.TEXT`.
    Rfc822Text,
    /// `BODY`: the body structure without extension data.
    Body,
    /// `BODYSTRUCTURE`.
    BodyStructure,
    /// `UID`.
    Uid,
    /// `BODY[section]<partial>` or `BODY.PEEK[section]<partial>`.
    BodySection {
        /// Which part of the message.
        section: Section,
        /// Which octets of it.
        partial: Option<Partial>,
        /// `BODY.PEEK`: do not set `\Seen`.
        peek: bool,
    },
    /// `BINARY[part]<partial>` or `BINARY.PEEK[part]<partial>` (RFC 3516):
    /// the part with its transfer encoding removed.
    Binary {
        /// `section-binary`: part numbers; empty for the whole message.
        section: Vec<NonZeroU32>,
        /// Which octets of the decoded part.
        partial: Option<Partial>,
        /// `BINARY.PEEK`: do not set `\Seen`.
        peek: bool,
    },
    /// `BINARY.SIZE[part]` (RFC 3516): the decoded size of a part.
    BinarySize {
        /// `section-binary`: part numbers; empty for the whole message.
        section: Vec<NonZeroU32>,
    },
    /// `MODSEQ` (RFC 7162 §3.1.4.1).
    ModSeq,
}

/// `section-spec` inside `[...]`: which part of a message, which text of it.
///
/// ```abnf
/// section-spec    = section-msgtext / (section-part ["." section-text])
/// section-part    = nz-number *("." nz-number)
/// section-text    = section-msgtext / "MIME"
/// section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
/// ```
/// The default value is `[]`, the whole message. `MIME` needs a part
/// number, which [`Section::new`] checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Section {
    part: Vec<NonZeroU32>,
    text: Option<SectionText>,
}

impl Section {
    /// A section of part `part` (empty: the message itself), restricted to
    /// `text` when given.
    ///
    /// # Errors
    /// Returns [`ValidationError`] for `MIME` without a part number.
    pub fn new(part: Vec<NonZeroU32>, text: Option<SectionText>) -> Result<Self, ValidationError> {
        if part.is_empty() && text == Some(SectionText::Mime) {
            return Err(ValidationError::new("section", ValidationReason::Malformed));
        }
        Ok(Self { part, text })
    }

    /// The part numbers, outermost first; empty for the message itself.
    pub fn part(&self) -> &[NonZeroU32] {
        &self.part
    }

    /// Which text of the part, or `None` for all of it.
    pub fn text(&self) -> Option<&SectionText> {
        self.text.as_ref()
    }
}

/// Which text of a part a [`Section`] names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SectionText {
    /// `HEADER`: the RFC 5322 header of the message or encapsulated message.
    Header,
    /// `HEADER.FIELDS (names)`: only the named header fields.
    HeaderFields(Vec1<AString>),
    /// `HEADER.FIELDS.NOT (names)`: all but the named header fields.
    HeaderFieldsNot(Vec1<AString>),
    /// `TEXT`: the body without the header.
    Text,
    /// `MIME`: the MIME header of a part (only after a part number).
    Mime,
}

/// `partial = "<" number "." nz-number ">"`: a range of octets.
///
/// Both numbers are 32-bit, as in RFC 3501 and as the response's
/// `"<" number ">"` origin is in RFC 9051.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Partial {
    /// The first octet, 0-based.
    pub start: u32,
    /// How many octets at most.
    pub length: NonZeroU32,
}

impl Partial {
    /// The octets this selects of a text of `size` octets: empty when
    /// `start` is past the end, cut short at the end (RFC 9051 §6.4.5).
    pub fn range(self, size: u64) -> Range<u64> {
        let start = u64::from(self.start).min(size);
        let end = (u64::from(self.start) + u64::from(self.length.get())).min(size);
        start..end
    }
}

/// The `CHANGEDSINCE` FETCH modifier: only messages whose mod-sequence is
/// greater (RFC 7162 §3.1.4.1).
///
/// ```abnf
/// fetch-modifiers    = SP "(" fetch-modifier *(SP fetch-modifier) ")"  ; RFC 4466
/// chgsince-fetch-mod = "CHANGEDSINCE" SP mod-sequence-value             ; RFC 7162
/// fetch-modifier     =/ chgsince-fetch-mod / "VANISHED"
/// ```
/// `VANISHED` only goes with `CHANGEDSINCE` (RFC 7162 §3.2.6), so it is a
/// flag here; the modifiers may come in any order, and are written as
/// `(CHANGEDSINCE n)` or `(CHANGEDSINCE n VANISHED)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChangedSince {
    /// The mod-sequence (at most 2^63 - 1, `mod-sequence-value`).
    pub modseq: NonZeroU64,
    /// `VANISHED`: report expunged UIDs as `VANISHED (EARLIER)` (UID FETCH
    /// only; the command layer checks that).
    pub vanished: bool,
}

/// One message's data: `message-data = nz-number SP "FETCH" SP msg-att`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FetchData {
    /// The message sequence number.
    pub seq: NonZeroU32,
    /// `msg-att`: the data items.
    pub items: Vec1<MessageDataItem>,
}

/// The value of `BINARY[...]`: `nstring / literal8`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BinaryData {
    /// A string or `NIL` (data without NUL).
    NString(NString),
    /// A binary literal `~{n}` (data that may hold NUL).
    Literal8(Literal8),
}

impl BinaryData {
    /// The data as a literal that is never copied: `{n}` when it has no NUL,
    /// else `~{n}`.
    pub fn from_bytes(data: Bytes) -> Self {
        if data.contains(&0) {
            Self::Literal8(Literal8 {
                data,
                mode: LiteralMode::Sync,
            })
        } else {
            Self::NString(NString(Some(IString::Literal(Literal::unvalidated(
                data,
                LiteralMode::Sync,
            )))))
        }
    }

    /// The bytes, or `None` for `NIL`.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Self::NString(nstring) => nstring.as_bytes(),
            Self::Literal8(literal) => Some(&literal.data),
        }
    }
}

/// One data item of a FETCH response: `msg-att-dynamic / msg-att-static`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MessageDataItem {
    /// `FLAGS (flag-fetch ...)`, `\Recent` included.
    Flags(Vec<FlagFetch>),
    /// `INTERNALDATE date-time`.
    InternalDate(DateTime),
    /// `RFC822.SIZE number64`.
    Rfc822Size(u64),
    /// `ENVELOPE envelope`.
    Envelope(Envelope),
    /// `BODY body`: the structure without extension data (the encoder
    /// leaves out any extension data the value holds).
    Body(BodyStructure),
    /// `BODYSTRUCTURE body`.
    BodyStructure(BodyStructure),
    /// `BODY[section]<origin> nstring`.
    BodySection {
        /// The section, as asked (`BODY.PEEK` is answered as `BODY`).
        section: Section,
        /// The first octet, for a partial fetch.
        origin: Option<u32>,
        /// The text.
        data: NString,
    },
    /// `RFC822 nstring`.
    Rfc822(NString),
    /// `RFC822.HEADER nstring`.
    Rfc822Header(NString),
    /// `RFC822.TEXT nstring`.
    Rfc822Text(NString),
    /// `UID uniqueid`.
    Uid(NonZeroU32),
    /// `BINARY[part]<origin> (nstring / literal8)` (RFC 3516; the origin
    /// follows §4.3's prose, which its ABNF leaves out).
    Binary {
        /// `section-binary`: part numbers.
        section: Vec<NonZeroU32>,
        /// The first octet, for a partial fetch.
        origin: Option<u32>,
        /// The decoded part.
        data: BinaryData,
    },
    /// `BINARY.SIZE[part] number` (RFC 3516).
    BinarySize {
        /// `section-binary`: part numbers.
        section: Vec<NonZeroU32>,
        /// The decoded size.
        size: u32,
    },
    /// `MODSEQ (mod-sequence-value)` (RFC 7162 §3.1.4.1).
    ModSeq(NonZeroU64),
    /// A body item sent as a literal of `len` octets whose data the server
    /// writes itself, in chunks, after the line that announces it (a
    /// [`Fragment::Streamed`](crate::codec::Fragment::Streamed) in the
    /// encoding): a large message body is never whole in memory.
    /// Encode-only: a parser reads the item it stands for.
    Streamed {
        /// Which item.
        item: StreamedItem,
        /// The number of octets the literal announces.
        len: u64,
    },
}

/// The body items a server can stream ([`MessageDataItem::Streamed`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StreamedItem {
    /// `BODY[section]<origin>`.
    BodySection {
        /// The section, as asked (`BODY.PEEK` is answered as `BODY`).
        section: Section,
        /// The first octet, for a partial fetch.
        origin: Option<u32>,
    },
    /// `RFC822`.
    Rfc822,
    /// `RFC822.HEADER`.
    Rfc822Header,
    /// `RFC822.TEXT`.
    Rfc822Text,
}

impl MessageDataItem {
    /// `BODY[section]<origin>` holding `data` as a literal, without copying
    /// it.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `data` holds NUL (answer with
    /// `BINARY`, or refuse, RFC 9051 §6.4.5).
    pub fn body_section(
        section: Section,
        origin: Option<u32>,
        data: Bytes,
    ) -> Result<Self, ValidationError> {
        let literal = Literal::new(data, LiteralMode::Sync)?;
        Ok(Self::BodySection {
            section,
            origin,
            data: NString(Some(IString::Literal(literal))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    #[test]
    fn mime_needs_a_part() {
        assert!(Section::new(vec![], Some(SectionText::Mime)).is_err());
        assert!(Section::new(vec![nz(1)], Some(SectionText::Mime)).is_ok());
        assert!(Section::new(vec![], Some(SectionText::Text)).is_ok());
        assert_eq!(Section::default().part(), &[]);
    }

    #[test]
    fn partial_range_clips() {
        let p = Partial {
            start: 10,
            length: nz(100),
        };
        assert_eq!(p.range(1000), 10..110);
        assert_eq!(p.range(50), 10..50);
        assert_eq!(p.range(5), 5..5);
        let max = Partial {
            start: u32::MAX,
            length: nz(u32::MAX),
        };
        assert_eq!(max.range(u64::MAX), 4_294_967_295..8_589_934_590);
    }

    #[test]
    fn macros_expand() {
        assert_eq!(FetchItems::Fast.attributes().len(), 3);
        assert_eq!(FetchItems::All.attributes().len(), 4);
        assert_eq!(
            FetchItems::Full.attributes().last(),
            Some(&FetchAttribute::Body)
        );
    }

    #[test]
    fn body_section_shares_bytes() {
        let data = Bytes::from_static(b"Subject: hi\r\n\r\nbody");
        let item = MessageDataItem::body_section(Section::default(), None, data.clone()).unwrap();
        let MessageDataItem::BodySection {
            data: NString(Some(IString::Literal(literal))),
            ..
        } = item
        else {
            panic!("not a literal");
        };
        assert_eq!(literal.data().as_ptr(), data.as_ptr());
        assert!(
            MessageDataItem::body_section(Section::default(), None, Bytes::from_static(b"\0"))
                .is_err()
        );
        assert!(matches!(
            BinaryData::from_bytes(Bytes::from_static(b"a\0b")),
            BinaryData::Literal8(_)
        ));
    }
}
