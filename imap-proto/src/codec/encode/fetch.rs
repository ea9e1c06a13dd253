//! Encoders of FETCH arguments and FETCH responses.

use std::num::NonZeroU32;

use super::body::NonExtensible;
use super::{paren_list, EncodeContext, EncodeInto};
use crate::fetch::{
    BinaryData, ChangedSince, Fetch, FetchAttribute, FetchData, FetchItems, MessageDataItem,
    Partial, Section, SectionText, StreamedItem,
};

impl EncodeInto for Fetch {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.sequence_set.encode_into(ctx);
        ctx.put_u8(b' ');
        self.items.encode_into(ctx);
        if let Some(changed_since) = &self.changed_since {
            ctx.put_u8(b' ');
            changed_since.encode_into(ctx);
        }
    }
}

impl EncodeInto for ChangedSince {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"(CHANGEDSINCE ");
        ctx.put_num(self.modseq.get());
        if self.vanished {
            ctx.put(b" VANISHED");
        }
        ctx.put_u8(b')');
    }
}

impl EncodeInto for FetchItems {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::All => ctx.put(b"ALL"),
            Self::Fast => ctx.put(b"FAST"),
            Self::Full => ctx.put(b"FULL"),
            Self::Attributes(items) => paren_list(ctx, items),
        }
    }
}

/// `section-part`: numbers joined by `.`.
fn section_part(ctx: &mut EncodeContext, part: &[NonZeroU32]) {
    for (i, n) in part.iter().enumerate() {
        if i > 0 {
            ctx.put_u8(b'.');
        }
        ctx.put_num(n.get());
    }
}

/// `section-binary = "[" [section-part] "]"`.
fn section_binary(ctx: &mut EncodeContext, part: &[NonZeroU32]) {
    ctx.put_u8(b'[');
    section_part(ctx, part);
    ctx.put_u8(b']');
}

impl EncodeInto for Section {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'[');
        section_part(ctx, self.part());
        if let Some(text) = self.text() {
            if !self.part().is_empty() {
                ctx.put_u8(b'.');
            }
            text.encode_into(ctx);
        }
        ctx.put_u8(b']');
    }
}

impl EncodeInto for SectionText {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Header => ctx.put(b"HEADER"),
            Self::HeaderFields(names) => {
                ctx.put(b"HEADER.FIELDS ");
                paren_list(ctx, names);
            }
            Self::HeaderFieldsNot(names) => {
                ctx.put(b"HEADER.FIELDS.NOT ");
                paren_list(ctx, names);
            }
            Self::Text => ctx.put(b"TEXT"),
            Self::Mime => ctx.put(b"MIME"),
        }
    }
}

impl EncodeInto for Partial {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'<');
        ctx.put_num(self.start);
        ctx.put_u8(b'.');
        ctx.put_num(self.length.get());
        ctx.put_u8(b'>');
    }
}

impl EncodeInto for FetchAttribute {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Envelope => ctx.put(b"ENVELOPE"),
            Self::Flags => ctx.put(b"FLAGS"),
            Self::InternalDate => ctx.put(b"INTERNALDATE"),
            Self::Rfc822 => ctx.put(b"RFC822"),
            Self::Rfc822Header => ctx.put(b"RFC822.HEADER"),
            Self::Rfc822Size => ctx.put(b"RFC822.SIZE"),
            Self::Rfc822Text => ctx.put(b"RFC822.TEXT"),
            Self::Body => ctx.put(b"BODY"),
            Self::BodyStructure => ctx.put(b"BODYSTRUCTURE"),
            Self::Uid => ctx.put(b"UID"),
            Self::BodySection {
                section,
                partial,
                peek,
            } => {
                ctx.put(if *peek { b"BODY.PEEK" } else { b"BODY" });
                section.encode_into(ctx);
                if let Some(partial) = partial {
                    partial.encode_into(ctx);
                }
            }
            Self::Binary {
                section,
                partial,
                peek,
            } => {
                ctx.put(if *peek { b"BINARY.PEEK" } else { b"BINARY" });
                section_binary(ctx, section);
                if let Some(partial) = partial {
                    partial.encode_into(ctx);
                }
            }
            Self::BinarySize { section } => {
                ctx.put(b"BINARY.SIZE");
                section_binary(ctx, section);
            }
            Self::ModSeq => ctx.put(b"MODSEQ"),
        }
    }
}

impl EncodeInto for FetchData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_num(self.seq.get());
        ctx.put(b" FETCH ");
        paren_list(ctx, &self.items);
    }
}

/// `"<" number ">"` when there is an origin.
fn origin(ctx: &mut EncodeContext, origin: Option<u32>) {
    if let Some(origin) = origin {
        ctx.put_u8(b'<');
        ctx.put_num(origin);
        ctx.put_u8(b'>');
    }
}

impl EncodeInto for BinaryData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::NString(nstring) => nstring.encode_into(ctx),
            Self::Literal8(literal) => literal.encode_into(ctx),
        }
    }
}

impl EncodeInto for MessageDataItem {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Flags(flags) => {
                ctx.put(b"FLAGS ");
                paren_list(ctx, flags);
            }
            Self::InternalDate(date) => {
                ctx.put(b"INTERNALDATE ");
                date.encode_into(ctx);
            }
            Self::Rfc822Size(size) => {
                ctx.put(b"RFC822.SIZE ");
                ctx.put_num(*size);
            }
            Self::Envelope(envelope) => {
                ctx.put(b"ENVELOPE ");
                envelope.encode_into(ctx);
            }
            Self::Body(body) => {
                ctx.put(b"BODY ");
                NonExtensible(body).encode_into(ctx);
            }
            Self::BodyStructure(body) => {
                ctx.put(b"BODYSTRUCTURE ");
                body.encode_into(ctx);
            }
            Self::BodySection {
                section,
                origin: start,
                data,
            } => {
                ctx.put(b"BODY");
                section.encode_into(ctx);
                origin(ctx, *start);
                ctx.put_u8(b' ');
                data.encode_into(ctx);
            }
            Self::Rfc822(data) => {
                ctx.put(b"RFC822 ");
                data.encode_into(ctx);
            }
            Self::Rfc822Header(data) => {
                ctx.put(b"RFC822.HEADER ");
                data.encode_into(ctx);
            }
            Self::Rfc822Text(data) => {
                ctx.put(b"RFC822.TEXT ");
                data.encode_into(ctx);
            }
            Self::Uid(uid) => {
                ctx.put(b"UID ");
                ctx.put_num(uid.get());
            }
            Self::Binary {
                section,
                origin: start,
                data,
            } => {
                ctx.put(b"BINARY");
                section_binary(ctx, section);
                origin(ctx, *start);
                ctx.put_u8(b' ');
                data.encode_into(ctx);
            }
            Self::BinarySize { section, size } => {
                ctx.put(b"BINARY.SIZE");
                section_binary(ctx, section);
                ctx.put_u8(b' ');
                ctx.put_num(*size);
            }
            Self::ModSeq(modseq) => {
                ctx.put(b"MODSEQ (");
                ctx.put_num(modseq.get());
                ctx.put_u8(b')');
            }
            Self::Streamed { item, len } => {
                match item {
                    StreamedItem::BodySection {
                        section,
                        origin: start,
                    } => {
                        ctx.put(b"BODY");
                        section.encode_into(ctx);
                        origin(ctx, *start);
                        ctx.put_u8(b' ');
                    }
                    StreamedItem::Rfc822 => ctx.put(b"RFC822 "),
                    StreamedItem::Rfc822Header => ctx.put(b"RFC822.HEADER "),
                    StreamedItem::Rfc822Text => ctx.put(b"RFC822.TEXT "),
                }
                ctx.put_streamed_literal(*len);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU64;

    use super::*;
    use crate::codec::encode::{encode_client, encode_server};
    use crate::core::{AString, AtomExt, Vec1};
    use crate::sequence::SequenceSet;

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    fn client(value: &impl EncodeInto) -> String {
        String::from_utf8(encode_client(value).dump()).unwrap()
    }

    #[test]
    fn sections() {
        let names = Vec1::try_from(vec![
            AString::Atom(AtomExt::unvalidated("From")),
            AString::from_content("a b").unwrap(),
        ])
        .unwrap();
        for (section, expected) in [
            (Section::default(), "[]"),
            (Section::new(vec![nz(1), nz(2)], None).unwrap(), "[1.2]"),
            (
                Section::new(vec![], Some(SectionText::Header)).unwrap(),
                "[HEADER]",
            ),
            (
                Section::new(vec![nz(3)], Some(SectionText::Text)).unwrap(),
                "[3.TEXT]",
            ),
            (
                Section::new(vec![nz(4), nz(1)], Some(SectionText::Mime)).unwrap(),
                "[4.1.MIME]",
            ),
            (
                Section::new(vec![], Some(SectionText::HeaderFields(names.clone()))).unwrap(),
                "[HEADER.FIELDS (From \"a b\")]",
            ),
            (
                Section::new(vec![nz(2)], Some(SectionText::HeaderFieldsNot(names))).unwrap(),
                "[2.HEADER.FIELDS.NOT (From \"a b\")]",
            ),
        ] {
            assert_eq!(client(&section), expected);
        }
    }

    #[test]
    fn fetch_args() {
        let fetch = Fetch {
            sequence_set: SequenceSet::single(nz(5)),
            items: FetchItems::Attributes(Vec1::one(FetchAttribute::Binary {
                section: vec![],
                partial: Some(Partial {
                    start: 0,
                    length: nz(u32::MAX),
                }),
                peek: true,
            })),
            changed_since: Some(ChangedSince {
                modseq: NonZeroU64::new(7).unwrap(),
                vanished: false,
            }),
        };
        assert_eq!(
            client(&fetch),
            "5 (BINARY.PEEK[]<0.4294967295>) (CHANGEDSINCE 7)"
        );
        let all = Fetch {
            items: FetchItems::All,
            changed_since: None,
            ..fetch
        };
        assert_eq!(client(&all), "5 ALL");
    }

    #[test]
    fn response_items() {
        let items = [
            (
                MessageDataItem::Rfc822Size(u64::from(u32::MAX) + 1),
                "RFC822.SIZE 4294967296",
            ),
            (
                MessageDataItem::BinarySize {
                    section: vec![nz(1), nz(2)],
                    size: 10,
                },
                "BINARY.SIZE[1.2] 10",
            ),
            (
                MessageDataItem::ModSeq(NonZeroU64::new(624140003).unwrap()),
                "MODSEQ (624140003)",
            ),
            (
                MessageDataItem::BodySection {
                    section: Section::new(vec![nz(1)], None).unwrap(),
                    origin: Some(100),
                    data: crate::core::NString::NIL,
                },
                "BODY[1]<100> NIL",
            ),
        ];
        for (item, expected) in items {
            assert_eq!(
                String::from_utf8(encode_server(&item).dump()).unwrap(),
                expected
            );
        }
    }

    #[test]
    fn streamed_items_announce_their_length_and_leave_the_data_out() {
        use crate::codec::encode::Fragment;
        use crate::core::Vec1;

        let fetch = FetchData {
            seq: nz(3),
            items: Vec1::try_from(vec![
                MessageDataItem::Uid(nz(7)),
                MessageDataItem::Streamed {
                    item: StreamedItem::BodySection {
                        section: Section::new(vec![nz(1), nz(2)], Some(SectionText::Mime)).unwrap(),
                        origin: Some(5),
                    },
                    len: 5_000_000_000,
                },
                MessageDataItem::Streamed {
                    item: StreamedItem::Rfc822,
                    len: 0,
                },
                MessageDataItem::Streamed {
                    item: StreamedItem::Rfc822Header,
                    len: 2,
                },
                MessageDataItem::Streamed {
                    item: StreamedItem::Rfc822Text,
                    len: 1,
                },
            ])
            .unwrap(),
        };
        let line = |s: &str| Fragment::Line {
            data: bytes::Bytes::copy_from_slice(s.as_bytes()),
        };
        let streamed = |len| Fragment::Streamed { len };
        assert_eq!(
            encode_server(&fetch).fragments(),
            [
                line("3 FETCH (UID 7 BODY[1.2.MIME]<5> {5000000000}\r\n"),
                streamed(5_000_000_000),
                line(" RFC822 {0}\r\n"),
                streamed(0),
                line(" RFC822.HEADER {2}\r\n"),
                streamed(2),
                line(" RFC822.TEXT {1}\r\n"),
                streamed(1),
                line(")"),
            ]
        );
    }
}
