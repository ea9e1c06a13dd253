//! Envelopes, addresses and MIME body structures, as FETCH returns them
//! (RFC 9051 §7.5.2, §9; RFC 3501 §7.4.2).
//!
//! ```abnf
//! envelope        = "(" env-date SP env-subject SP env-from SP
//!                   env-sender SP env-reply-to SP env-to SP env-cc SP
//!                   env-bcc SP env-in-reply-to SP env-message-id ")"
//! address         = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
//! body            = "(" (body-type-1part / body-type-mpart) ")"
//! body-type-1part = (body-type-basic / body-type-msg / body-type-text)
//!                   [SP body-ext-1part]
//! body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
//! ```
//!
//! # Shape
//! A [`BodyStructure`] is a single part ([`SinglePartKind`]: basic, text or
//! an encapsulated message, each with [`BodyFields`]) or a multipart of
//! nested structures. Extension data, which only `BODYSTRUCTURE` carries,
//! is flat ([`SinglePartExtension`], [`MultiPartExtension`]): the wire
//! form nests its trailing fields as optional (`md5 [SP dsp [SP lang ...]]`),
//! but a missing field means the same as `NIL`, so this crate parses
//! missing fields as `NIL` and always writes all four. A server fills in
//! what it knows and never counts brackets.

use crate::core::{IString, NString, Vec1};

/// A parameter list: `body-fld-param = "(" string SP string *(SP string SP string) ")" / nil`.
///
/// Attribute and value pairs in order; empty stands for `NIL`.
pub type BodyParams = Vec<(IString, IString)>;

/// One address of an envelope: `address = "(" addr-name SP addr-adl SP
/// addr-mailbox SP addr-host ")"`.
///
/// RFC 5322 group syntax is spread over several addresses (RFC 3501
/// §7.4.2): a group starts with an address whose `host` is `NIL` and whose
/// `mailbox` holds the group name, and ends with one whose `mailbox` and
/// `host` are both `NIL`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    /// `addr-name`: the display name (phrase), unquoted.
    pub name: NString,
    /// `addr-adl`: the source route (obsolete; normally `NIL`).
    pub adl: NString,
    /// `addr-mailbox`: the local part, a group name, or `NIL` at a group's end.
    pub mailbox: NString,
    /// `addr-host`: the domain, or `NIL` in group syntax.
    pub host: NString,
}

/// The envelope of a message, parsed from its header by the server.
///
/// Address lists are `"(" 1*address ")" / nil`: an empty list stands for
/// `NIL` (the wire form has no empty list).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Envelope {
    /// `env-date`: the `Date:` header field, as sent.
    pub date: NString,
    /// `env-subject`: the `Subject:` header field, as sent.
    pub subject: NString,
    /// `env-from`.
    pub from: Vec<Address>,
    /// `env-sender`: defaults to `from` (RFC 9051 §7.5.2).
    pub sender: Vec<Address>,
    /// `env-reply-to`: defaults to `from`.
    pub reply_to: Vec<Address>,
    /// `env-to`.
    pub to: Vec<Address>,
    /// `env-cc`.
    pub cc: Vec<Address>,
    /// `env-bcc`.
    pub bcc: Vec<Address>,
    /// `env-in-reply-to`: the `In-Reply-To:` header field.
    pub in_reply_to: NString,
    /// `env-message-id`: the `Message-ID:` header field.
    pub message_id: NString,
}

/// The fields every single part has:
/// `body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP
/// body-fld-enc SP body-fld-octets`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyFields {
    /// `body-fld-param`: the `Content-Type` parameters (empty for `NIL`).
    pub params: BodyParams,
    /// `body-fld-id`: `Content-ID`.
    pub id: NString,
    /// `body-fld-desc`: `Content-Description`.
    pub description: NString,
    /// `body-fld-enc`: `Content-Transfer-Encoding` (`"7BIT"`, `"BASE64"`, ...).
    pub encoding: IString,
    /// `body-fld-octets`: the size of the body in its transfer encoding.
    pub octets: u32,
}

/// The subtype of an encapsulated message: `media-message = DQUOTE "MESSAGE"
/// DQUOTE SP DQUOTE ("RFC822" / "GLOBAL") DQUOTE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageSubtype {
    /// `message/rfc822`.
    Rfc822,
    /// `message/global` (RFC 6532; RFC 9051 gives it the envelope form).
    Global,
}

/// What kind of single part this is, with the fields that kind adds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SinglePartKind {
    /// `body-type-basic = media-basic SP body-fields`: any type but text
    /// and encapsulated messages.
    ///
    /// `media_type` must not be `TEXT`, nor `MESSAGE` with subtype `RFC822`
    /// (any case): those have their own variants, and a parser reads them
    /// as such.
    Basic {
        /// The media type, e.g. `"APPLICATION"`.
        media_type: IString,
        /// The media subtype, e.g. `"OCTET-STREAM"`.
        subtype: IString,
    },
    /// `body-type-text = media-text SP body-fields SP body-fld-lines`.
    Text {
        /// The subtype, e.g. `"PLAIN"`.
        subtype: IString,
        /// `body-fld-lines`: the size of the body in lines.
        lines: u64,
    },
    /// `body-type-msg = media-message SP body-fields SP envelope SP body
    /// SP body-fld-lines`.
    Message {
        /// `RFC822` or `GLOBAL`.
        subtype: MessageSubtype,
        /// The encapsulated message's envelope.
        envelope: Box<Envelope>,
        /// The encapsulated message's body structure.
        body: Box<BodyStructure>,
        /// `body-fld-lines`: the size of the encapsulated message in lines.
        lines: u64,
    },
}

/// `body-fld-dsp = "(" string SP body-fld-param ")" / nil` when not `NIL`:
/// the `Content-Disposition`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Disposition {
    /// The disposition type, e.g. `"attachment"`.
    pub kind: IString,
    /// Its parameters, e.g. `filename`.
    pub params: BodyParams,
}

/// `body-extension = nstring / number64 / "(" body-extension *(SP body-extension) ")"`:
/// extension data a future standard may define.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BodyExtension {
    /// A string or `NIL`.
    NString(NString),
    /// A number.
    Number(u64),
    /// A parenthesised list.
    List(Vec1<BodyExtension>),
}

/// `body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
/// [SP body-fld-loc *(SP body-extension)]]]`: the extension data of a
/// single part (`BODYSTRUCTURE` only).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SinglePartExtension {
    /// `body-fld-md5`: `Content-MD5`.
    pub md5: NString,
    /// `body-fld-dsp`: `Content-Disposition`, `None` for `NIL`.
    pub disposition: Option<Disposition>,
    /// `body-fld-lang = nstring / "(" string *(SP string) ")"`:
    /// `Content-Language` tags; empty for `NIL`, one is written as a string,
    /// more as a list.
    pub language: Vec<IString>,
    /// `body-fld-loc`: `Content-Location`.
    pub location: NString,
    /// Further `body-extension` items.
    pub extensions: Vec<BodyExtension>,
}

/// `body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang
/// [SP body-fld-loc *(SP body-extension)]]]`: the extension data of a
/// multipart (`BODYSTRUCTURE` only).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MultiPartExtension {
    /// `body-fld-param`: the `Content-Type` parameters, e.g. `BOUNDARY`.
    pub params: BodyParams,
    /// `body-fld-dsp`: `Content-Disposition`, `None` for `NIL`.
    pub disposition: Option<Disposition>,
    /// `body-fld-lang`, as in [`SinglePartExtension::language`].
    pub language: Vec<IString>,
    /// `body-fld-loc`: `Content-Location`.
    pub location: NString,
    /// Further `body-extension` items.
    pub extensions: Vec<BodyExtension>,
}

/// The MIME structure of a message: `body`.
///
/// The same type serves `BODYSTRUCTURE` (with extension data) and the
/// non-extensible `BODY` (whose encoder leaves the extension data out).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BodyStructure {
    /// `body-type-1part`.
    Single {
        /// Basic, text or message, with what that kind adds.
        kind: SinglePartKind,
        /// The fields all single parts have.
        fields: BodyFields,
        /// `body-ext-1part`, when sent.
        extension: Option<SinglePartExtension>,
    },
    /// `body-type-mpart`.
    Multi {
        /// The parts, in order (part numbers 1, 2, ...).
        bodies: Vec1<BodyStructure>,
        /// `media-subtype`, e.g. `"MIXED"`.
        subtype: IString,
        /// `body-ext-mpart`, when sent.
        extension: Option<MultiPartExtension>,
    },
}

impl BodyStructure {
    /// The part that part numbers `path` name (RFC 9051 §6.4.5), if any.
    ///
    /// `self` is a message's structure. The empty path is the structure
    /// itself; a message that is not multipart has only part 1, itself.
    /// Below the top, a number picks a multipart's part, or steps into an
    /// encapsulated message (`3.1` of a `MESSAGE/RFC822` part 3 is its body,
    /// or the first part of that body when it is multipart).
    pub fn part(&self, path: &[std::num::NonZeroU32]) -> Option<&BodyStructure> {
        let mut node = self;
        for (depth, number) in path.iter().enumerate() {
            let index = usize::try_from(number.get() - 1).ok()?;
            node = match node {
                Self::Multi { bodies, .. } => bodies.as_slice().get(index)?,
                Self::Single { .. } if depth == 0 => (index == 0).then_some(node)?,
                Self::Single {
                    kind: SinglePartKind::Message { body, .. },
                    ..
                } => match body.as_ref() {
                    Self::Multi { bodies, .. } => bodies.as_slice().get(index)?,
                    single => (index == 0).then_some(single)?,
                },
                Self::Single { .. } => return None,
            };
        }
        Some(node)
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::*;
    use crate::core::Quoted;

    fn s(text: &str) -> IString {
        IString::Quoted(Quoted::unvalidated(text))
    }

    fn text_part(subtype: &str) -> BodyStructure {
        BodyStructure::Single {
            kind: SinglePartKind::Text {
                subtype: s(subtype),
                lines: 1,
            },
            fields: BodyFields {
                params: vec![],
                id: NString::NIL,
                description: NString::NIL,
                encoding: s("7BIT"),
                octets: 1,
            },
            extension: None,
        }
    }

    fn nz(path: &[u32]) -> Vec<NonZeroU32> {
        path.iter().map(|&n| NonZeroU32::new(n).unwrap()).collect()
    }

    #[test]
    fn part_walks_multiparts_and_messages() {
        let inner = BodyStructure::Multi {
            bodies: Vec1::try_from(vec![text_part("A"), text_part("B")]).unwrap(),
            subtype: s("ALTERNATIVE"),
            extension: None,
        };
        let message = BodyStructure::Single {
            kind: SinglePartKind::Message {
                subtype: MessageSubtype::Rfc822,
                envelope: Box::new(Envelope {
                    date: NString::NIL,
                    subject: NString::NIL,
                    from: vec![],
                    sender: vec![],
                    reply_to: vec![],
                    to: vec![],
                    cc: vec![],
                    bcc: vec![],
                    in_reply_to: NString::NIL,
                    message_id: NString::NIL,
                }),
                body: Box::new(inner),
                lines: 3,
            },
            fields: BodyFields {
                params: vec![],
                id: NString::NIL,
                description: NString::NIL,
                encoding: s("7BIT"),
                octets: 10,
            },
            extension: None,
        };
        let top = BodyStructure::Multi {
            bodies: Vec1::try_from(vec![text_part("PLAIN"), message]).unwrap(),
            subtype: s("MIXED"),
            extension: None,
        };
        assert_eq!(top.part(&[]), Some(&top));
        assert_eq!(top.part(&nz(&[1])), Some(&text_part("PLAIN")));
        assert_eq!(top.part(&nz(&[2, 2])), Some(&text_part("B")));
        assert_eq!(top.part(&nz(&[3])), None);
        assert_eq!(top.part(&nz(&[1, 1])), None);
        assert_eq!(top.part(&nz(&[2, 3])), None);
        assert_eq!(text_part("X").part(&nz(&[1])), Some(&text_part("X")));
        assert_eq!(text_part("X").part(&nz(&[2])), None);
    }
}
