//! Parsers of FETCH arguments and FETCH responses (RFC 9051 §9, RFC 3516,
//! RFC 7162).

use std::num::{NonZeroU32, NonZeroU64};

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::combinator::{cut, map, opt, peek, value};
use nom::multi::{separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, separated_pair, terminated, tuple};

use super::body::{body, envelope, Extensible};
use super::common::{date_time, flag_fetch, sequence_set};
use super::core::{astring, literal8, nstring, number, number64, nz_number, nz_number64, sp};
use super::{IResult, ParseError, ParseErrorKind};
use crate::core::{AString, Vec1};
use crate::fetch::{
    BinaryData, ChangedSince, Fetch, FetchAttribute, FetchData, FetchItems, MessageDataItem,
    Partial, Section, SectionText,
};

/// The arguments of `fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" /
/// "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]`,
/// from the sequence set on.
pub(crate) fn fetch_args(input: &[u8]) -> IResult<'_, Fetch> {
    let (rest, (sequence_set, _, items, changed_since)) =
        tuple((sequence_set, sp, fetch_items, opt(fetch_modifiers)))(input)?;
    Ok((
        rest,
        Fetch {
            sequence_set,
            items,
            changed_since,
        },
    ))
}

/// `"ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")"`.
fn fetch_items(input: &[u8]) -> IResult<'_, FetchItems> {
    alt((
        value(FetchItems::All, tag_no_case(b"ALL")),
        value(FetchItems::Fast, tag_no_case(b"FAST")),
        value(FetchItems::Full, tag_no_case(b"FULL")),
        map(
            delimited(tag(b"("), separated_list1(sp, fetch_att), tag(b")")),
            |items| {
                FetchItems::Attributes(Vec1::try_from(items).expect("separated_list1 is non-empty"))
            },
        ),
        map(fetch_att, |item| FetchItems::Attributes(Vec1::one(item))),
    ))(input)
}

/// A keyword directly followed by `[`: the `[` is left for the section
/// parser, and everything after the keyword is committed (`cut`), so a bad
/// section reports its own error instead of trying other items.
fn keyword_then_bracket<'a>(
    keyword: &'static [u8],
) -> impl FnMut(&'a [u8]) -> IResult<'a, &'a [u8]> {
    terminated(tag_no_case(keyword), peek(tag(b"[")))
}

/// `fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" /
/// ".SIZE" / ".TEXT"] / "BODY" ["STRUCTURE"] / "UID" / "BODY" section
/// [partial] / "BODY.PEEK" section [partial] / "BINARY" [".PEEK"]
/// section-binary [partial] / "BINARY.SIZE" section-binary / "MODSEQ"`.
pub(crate) fn fetch_att(input: &[u8]) -> IResult<'_, FetchAttribute> {
    let body_section = |peek_: bool| {
        move |(section, partial)| FetchAttribute::BodySection {
            section,
            partial,
            peek: peek_,
        }
    };
    let binary = |peek_: bool| {
        move |(section, partial)| FetchAttribute::Binary {
            section,
            partial,
            peek: peek_,
        }
    };
    alt((
        value(FetchAttribute::Envelope, tag_no_case(b"ENVELOPE")),
        value(FetchAttribute::Flags, tag_no_case(b"FLAGS")),
        value(FetchAttribute::InternalDate, tag_no_case(b"INTERNALDATE")),
        value(FetchAttribute::Rfc822Header, tag_no_case(b"RFC822.HEADER")),
        value(FetchAttribute::Rfc822Size, tag_no_case(b"RFC822.SIZE")),
        value(FetchAttribute::Rfc822Text, tag_no_case(b"RFC822.TEXT")),
        value(FetchAttribute::Rfc822, tag_no_case(b"RFC822")),
        value(FetchAttribute::BodyStructure, tag_no_case(b"BODYSTRUCTURE")),
        map(
            preceded(
                keyword_then_bracket(b"BODY.PEEK"),
                cut(tuple((section, opt(partial)))),
            ),
            body_section(true),
        ),
        map(
            preceded(
                keyword_then_bracket(b"BODY"),
                cut(tuple((section, opt(partial)))),
            ),
            body_section(false),
        ),
        value(FetchAttribute::Body, tag_no_case(b"BODY")),
        value(FetchAttribute::Uid, tag_no_case(b"UID")),
        map(
            preceded(
                keyword_then_bracket(b"BINARY.PEEK"),
                cut(tuple((section_binary, opt(partial)))),
            ),
            binary(true),
        ),
        map(
            preceded(keyword_then_bracket(b"BINARY.SIZE"), cut(section_binary)),
            |section| FetchAttribute::BinarySize { section },
        ),
        map(
            preceded(
                keyword_then_bracket(b"BINARY"),
                cut(tuple((section_binary, opt(partial)))),
            ),
            binary(false),
        ),
        value(FetchAttribute::ModSeq, tag_no_case(b"MODSEQ")),
    ))(input)
}

/// `partial = "<" number "." nz-number ">"`.
///
/// 32-bit, as in RFC 3501 (RFC 9051 widens it to `number64 "." nz-number64`,
/// but its response origin stays `number`).
pub(crate) fn partial(input: &[u8]) -> IResult<'_, Partial> {
    let (rest, _) = tag(b"<")(input)?;
    let (rest, (start, length)) = cut(terminated(
        separated_pair(number, tag(b"."), nz_number),
        tag(b">"),
    ))(rest)?;
    Ok((rest, Partial { start, length }))
}

/// `section = "[" [section-spec] "]"`.
pub(crate) fn section(input: &[u8]) -> IResult<'_, Section> {
    delimited(
        tag(b"["),
        map(opt(section_spec), Option::unwrap_or_default),
        tag(b"]"),
    )(input)
}

/// `section-spec = section-msgtext / (section-part ["." section-text])`.
fn section_spec(input: &[u8]) -> IResult<'_, Section> {
    let (rest, (part, text)) = if input.first().is_some_and(u8::is_ascii_digit) {
        let (rest, part) = cut(section_part)(input)?;
        let (rest, text) = opt(preceded(tag(b"."), section_text))(rest)?;
        (rest, (part, text))
    } else {
        let (rest, text) = section_msgtext(input)?;
        (rest, (Vec::new(), Some(text)))
    };
    match Section::new(part, text) {
        Ok(section) => Ok((rest, section)),
        Err(_) => ParseError::fail(input, ParseErrorKind::Invalid("MIME without a part number")),
    }
}

/// `section-part = nz-number *("." nz-number)`.
///
/// A dot followed by a digit commits to another number, so `1.0` and an
/// overflowing number are errors, not a shorter part list.
pub(crate) fn section_part(input: &[u8]) -> IResult<'_, Vec<NonZeroU32>> {
    let (mut rest, first) = nz_number(input)?;
    let mut part = vec![first];
    while rest.len() > 1 && rest[0] == b'.' && rest[1].is_ascii_digit() {
        let (next, n) = cut(nz_number)(&rest[1..])?;
        part.push(n);
        rest = next;
    }
    Ok((rest, part))
}

/// `section-text = section-msgtext / "MIME"`.
fn section_text(input: &[u8]) -> IResult<'_, SectionText> {
    alt((
        section_msgtext,
        value(SectionText::Mime, tag_no_case(b"MIME")),
    ))(input)
}

/// `section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"`.
fn section_msgtext(input: &[u8]) -> IResult<'_, SectionText> {
    alt((
        map(
            preceded(tag_no_case(b"HEADER.FIELDS.NOT"), preceded(sp, header_list)),
            SectionText::HeaderFieldsNot,
        ),
        map(
            preceded(tag_no_case(b"HEADER.FIELDS"), preceded(sp, header_list)),
            SectionText::HeaderFields,
        ),
        value(SectionText::Header, tag_no_case(b"HEADER")),
        value(SectionText::Text, tag_no_case(b"TEXT")),
    ))(input)
}

/// `header-list = "(" header-fld-name *(SP header-fld-name) ")"`, with
/// `header-fld-name = astring`.
///
/// Strict: one SP between names, as RFC 9051 §9 says; no client is known
/// to need more.
pub(crate) fn header_list(input: &[u8]) -> IResult<'_, Vec1<AString>> {
    map(
        delimited(tag(b"("), separated_list1(sp, astring), tag(b")")),
        |names| Vec1::try_from(names).expect("separated_list1 is non-empty"),
    )(input)
}

/// `section-binary = "[" [section-part] "]"` (RFC 3516).
pub(crate) fn section_binary(input: &[u8]) -> IResult<'_, Vec<NonZeroU32>> {
    let (rest, _) = tag(b"[")(input)?;
    let (rest, part) = if rest.first().is_some_and(u8::is_ascii_digit) {
        cut(section_part)(rest)?
    } else {
        (rest, Vec::new())
    };
    let (rest, _) = tag(b"]")(rest)?;
    Ok((rest, part))
}

/// One modifier: `"CHANGEDSINCE" SP mod-sequence-value / "VANISHED"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FetchModifier {
    ChangedSince(NonZeroU64),
    Vanished,
}

/// `mod-sequence-value = 1*DIGIT` (1 to 2^63 - 1, RFC 7162 §7).
pub(crate) fn mod_sequence_value(input: &[u8]) -> IResult<'_, NonZeroU64> {
    map(nz_number64, |n| {
        NonZeroU64::new(n).expect("nz_number64 is non-zero")
    })(input)
}

/// `fetch-modifiers = SP "(" fetch-modifier *(SP fetch-modifier) ")"`
/// (RFC 4466) with the modifiers of RFC 7162: `CHANGEDSINCE` and
/// `VANISHED`, each at most once, in any order, `VANISHED` only with
/// `CHANGEDSINCE`.
fn fetch_modifiers(input: &[u8]) -> IResult<'_, ChangedSince> {
    let modifier = alt((
        map(
            preceded(tag_no_case(b"CHANGEDSINCE "), cut(mod_sequence_value)),
            FetchModifier::ChangedSince,
        ),
        value(FetchModifier::Vanished, tag_no_case(b"VANISHED")),
    ));
    // After ` (` only modifiers can follow: commit, so their errors show.
    let (rest, modifiers) = preceded(
        tuple((sp, tag(b"("))),
        cut(terminated(separated_list1(sp, modifier), tag(b")"))),
    )(input)?;
    let mut modseq = None;
    let mut vanished = false;
    for modifier in modifiers {
        match modifier {
            FetchModifier::ChangedSince(n) if modseq.is_none() => modseq = Some(n),
            FetchModifier::Vanished if !vanished => vanished = true,
            _ => {
                return ParseError::fail(input, ParseErrorKind::Invalid("repeated fetch modifier"))
            }
        }
    }
    match modseq {
        Some(modseq) => Ok((rest, ChangedSince { modseq, vanished })),
        None => ParseError::fail(
            input,
            ParseErrorKind::Invalid("VANISHED without CHANGEDSINCE"),
        ),
    }
}

/// `message-data = nz-number SP "FETCH" SP msg-att` (the FETCH form).
pub(crate) fn fetch_data(input: &[u8]) -> IResult<'_, FetchData> {
    let (rest, (seq, _, _, _, items)) =
        tuple((nz_number, sp, tag_no_case(b"FETCH"), sp, msg_att))(input)?;
    Ok((rest, FetchData { seq, items }))
}

/// `msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic
/// / msg-att-static)) ")"`.
pub(crate) fn msg_att(input: &[u8]) -> IResult<'_, Vec1<MessageDataItem>> {
    map(
        delimited(tag(b"("), separated_list1(sp, msg_att_item), tag(b")")),
        |items| Vec1::try_from(items).expect("separated_list1 is non-empty"),
    )(input)
}

/// `"<" number ">"`: the origin of a partial answer.
fn origin(input: &[u8]) -> IResult<'_, u32> {
    delimited(tag(b"<"), number, tag(b">"))(input)
}

/// `nstring / literal8`, the value of `BINARY[...]`.
fn binary_data(input: &[u8]) -> IResult<'_, BinaryData> {
    alt((
        map(literal8, BinaryData::Literal8),
        map(nstring, BinaryData::NString),
    ))(input)
}

/// One of `msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"
/// / fetch-mod-resp` or `msg-att-static = "ENVELOPE" SP envelope /
/// "INTERNALDATE" SP date-time / "RFC822" [".HEADER" / ".TEXT"] SP nstring /
/// "RFC822.SIZE" SP number64 / "BODY" ["STRUCTURE"] SP body / "BODY" section
/// ["<" number ">"] SP nstring / "BINARY" section-binary ["<" number ">"] SP
/// (nstring / literal8) / "BINARY.SIZE" section-binary SP number / "UID" SP
/// uniqueid`, with `fetch-mod-resp = "MODSEQ" SP "(" permsg-modsequence ")"`.
fn msg_att_item(input: &[u8]) -> IResult<'_, MessageDataItem> {
    alt((
        map(
            preceded(
                tag_no_case(b"FLAGS "),
                delimited(tag(b"("), separated_list0(sp, flag_fetch), tag(b")")),
            ),
            MessageDataItem::Flags,
        ),
        map(
            preceded(tag_no_case(b"ENVELOPE "), envelope),
            MessageDataItem::Envelope,
        ),
        map(
            preceded(tag_no_case(b"INTERNALDATE "), date_time),
            MessageDataItem::InternalDate,
        ),
        map(
            preceded(tag_no_case(b"RFC822.SIZE "), number64),
            MessageDataItem::Rfc822Size,
        ),
        map(
            preceded(tag_no_case(b"RFC822.HEADER "), nstring),
            MessageDataItem::Rfc822Header,
        ),
        map(
            preceded(tag_no_case(b"RFC822.TEXT "), nstring),
            MessageDataItem::Rfc822Text,
        ),
        map(
            preceded(tag_no_case(b"RFC822 "), nstring),
            MessageDataItem::Rfc822,
        ),
        map(
            preceded(tag_no_case(b"BODYSTRUCTURE "), |i| {
                body(i, 0, Extensible::Yes)
            }),
            MessageDataItem::BodyStructure,
        ),
        map(
            preceded(tag_no_case(b"BODY "), |i| body(i, 0, Extensible::No)),
            MessageDataItem::Body,
        ),
        map(
            preceded(
                keyword_then_bracket(b"BODY"),
                cut(tuple((section, opt(origin), sp, nstring))),
            ),
            |(section, origin, _, data)| MessageDataItem::BodySection {
                section,
                origin,
                data,
            },
        ),
        map(
            preceded(
                keyword_then_bracket(b"BINARY.SIZE"),
                cut(separated_pair(section_binary, sp, number)),
            ),
            |(section, size)| MessageDataItem::BinarySize { section, size },
        ),
        map(
            preceded(
                keyword_then_bracket(b"BINARY"),
                cut(tuple((section_binary, opt(origin), sp, binary_data))),
            ),
            |(section, origin, _, data)| MessageDataItem::Binary {
                section,
                origin,
                data,
            },
        ),
        map(
            preceded(tag_no_case(b"UID "), nz_number),
            MessageDataItem::Uid,
        ),
        map(
            preceded(
                tag_no_case(b"MODSEQ "),
                delimited(tag(b"("), mod_sequence_value, tag(b")")),
            ),
            MessageDataItem::ModSeq,
        ),
    ))(input)
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use proptest::prelude::*;

    use super::*;
    use crate::body::{BodyStructure, SinglePartKind};
    use crate::codec::decode::{parse_frame, DecodeError};
    use crate::codec::encode::{encode_client, encode_server, Fragment};
    use crate::core::{IString, Literal8, LiteralMode, NString};
    use crate::flag::{Flag, FlagFetch};
    use crate::sequence::SequenceSet;
    use crate::testing::fetch::{arb_fetch, arb_fetch_data};

    fn args(input: &[u8]) -> Result<Fetch, DecodeError> {
        parse_frame(input, None, fetch_args)
    }

    fn data(input: &[u8]) -> Result<FetchData, DecodeError> {
        parse_frame(input, None, fetch_data)
    }

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    fn items(fetch: &Fetch) -> Vec<FetchAttribute> {
        fetch.items.attributes()
    }

    /// Parses `input`, checks that encoding gives `canonical` back.
    fn args_canonical(input: &[u8], canonical: &[u8]) -> Fetch {
        let fetch =
            args(input).unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(input)));
        assert_eq!(
            String::from_utf8_lossy(&encode_client(&fetch).dump()),
            String::from_utf8_lossy(canonical)
        );
        fetch
    }

    fn data_canonical(input: &[u8]) -> FetchData {
        let value =
            data(input).unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(input)));
        assert_eq!(
            String::from_utf8_lossy(&encode_server(&value).dump()),
            String::from_utf8_lossy(input)
        );
        value
    }

    #[test]
    fn seeds() {
        let f = args_canonical(
            b"1 (BODYSTRUCTURE BODY.PEEK[]<0.200>)",
            b"1 (BODYSTRUCTURE BODY.PEEK[]<0.200>)",
        );
        assert_eq!(
            items(&f),
            vec![
                FetchAttribute::BodyStructure,
                FetchAttribute::BodySection {
                    section: Section::default(),
                    partial: Some(Partial {
                        start: 0,
                        length: nz(200)
                    }),
                    peek: true
                }
            ]
        );
        let f = args_canonical(
            b"1 BODY.PEEK[HEADER.FIELDS.NOT (Date From)]",
            b"1 (BODY.PEEK[HEADER.FIELDS.NOT (Date From)])",
        );
        let FetchAttribute::BodySection { section, .. } = &items(&f)[0] else {
            panic!("not a section");
        };
        assert!(section.part().is_empty());
        assert!(
            matches!(section.text(), Some(SectionText::HeaderFieldsNot(names))
            if names.iter().map(AString::as_bytes).collect::<Vec<_>>() == [&b"Date"[..], b"From"])
        );
        let f = args_canonical(
            b"1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)",
            b"1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)",
        );
        assert_eq!(f.sequence_set, SequenceSet::all());
        assert_eq!(items(&f).len(), 6);
        let f = args_canonical(
            b"2:4 (FLAGS) (CHANGEDSINCE 12345 VANISHED)",
            b"2:4 (FLAGS) (CHANGEDSINCE 12345 VANISHED)",
        );
        assert_eq!(
            f.changed_since,
            Some(ChangedSince {
                modseq: NonZeroU64::new(12345).unwrap(),
                vanished: true
            })
        );
        let f = args_canonical(
            b"1 (BODY[2.1.MIME] BINARY.PEEK[1]<0.100> BINARY.SIZE[1])",
            b"1 (BODY[2.1.MIME] BINARY.PEEK[1]<0.100> BINARY.SIZE[1])",
        );
        assert_eq!(
            items(&f),
            vec![
                FetchAttribute::BodySection {
                    section: Section::new(vec![nz(2), nz(1)], Some(SectionText::Mime)).unwrap(),
                    partial: None,
                    peek: false
                },
                FetchAttribute::Binary {
                    section: vec![nz(1)],
                    partial: Some(Partial {
                        start: 0,
                        length: nz(100)
                    }),
                    peek: true
                },
                FetchAttribute::BinarySize {
                    section: vec![nz(1)]
                },
            ]
        );
        let f = args_canonical(b"1 FAST", b"1 FAST");
        assert_eq!(f.items, FetchItems::Fast);
        assert_eq!(f.changed_since, None);
    }

    #[test]
    fn every_attribute_and_macro() {
        for (raw, canonical) in [
            (&b"1 ALL"[..], &b"1 ALL"[..]),
            (b"1 full", b"1 FULL"),
            (b"1 fast", b"1 FAST"),
            (b"1 ENVELOPE", b"1 (ENVELOPE)"),
            (
                b"1 (envelope flags internaldate rfc822 rfc822.header rfc822.size rfc822.text body bodystructure uid modseq)",
                b"1 (ENVELOPE FLAGS INTERNALDATE RFC822 RFC822.HEADER RFC822.SIZE RFC822.TEXT BODY BODYSTRUCTURE UID MODSEQ)",
            ),
            (b"$ (body[] binary[] binary.size[])", b"$ (BODY[] BINARY[] BINARY.SIZE[])"),
            (
                b"1,3:5 (BODY[HEADER] BODY[TEXT] BODY[1] BODY[1.2.3.TEXT] BODY[4.HEADER.FIELDS (X-Mailer)])",
                b"1,3:5 (BODY[HEADER] BODY[TEXT] BODY[1] BODY[1.2.3.TEXT] BODY[4.HEADER.FIELDS (X-Mailer)])",
            ),
            (
                b"1 BODY[HEADER.FIELDS (\"Message-ID\" {2+}\r\nTo)]",
                b"1 (BODY[HEADER.FIELDS (\"Message-ID\" {2+}\r\nTo)])",
            ),
            (
                b"1 (body.peek[header]<4294967295.4294967295> binary[1.2]<7.8>)",
                b"1 (BODY.PEEK[HEADER]<4294967295.4294967295> BINARY[1.2]<7.8>)",
            ),
            (b"1 UID (VANISHED CHANGEDSINCE 1)", b"1 (UID) (CHANGEDSINCE 1 VANISHED)"),
            (
                b"1 MODSEQ (changedsince 9223372036854775807)",
                b"1 (MODSEQ) (CHANGEDSINCE 9223372036854775807)",
            ),
        ] {
            args_canonical(raw, canonical);
        }
    }

    #[test]
    fn rfc_command_examples() {
        // RFC 9051 §6.4.5.
        let f = args_canonical(
            b"2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
            b"2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
        );
        assert_eq!(items(&f).len(), 2);
        // RFC 9051 §8: `a004 fetch 12 full`, `a005 fetch 12 body[header]`.
        assert_eq!(args(b"12 full").unwrap().items, FetchItems::Full);
        args_canonical(b"12 body[header]", b"12 (BODY[HEADER])");
        // RFC 7162 §3.1.4.1 and §3.2.6.
        args_canonical(
            b"1:* (FLAGS) (CHANGEDSINCE 12345)",
            b"1:* (FLAGS) (CHANGEDSINCE 12345)",
        );
        args_canonical(
            b"300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)",
            b"300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)",
        );
        // RFC 3516 §4.2.
        args_canonical(b"1 (BINARY.SIZE[2])", b"1 (BINARY.SIZE[2])");
    }

    #[test]
    fn partial_bounds() {
        assert!(args(b"1 BODY[]<4294967295.4294967295>").is_ok());
        assert!(args(b"1 BODY[]<4294967296.1>")
            .unwrap_err()
            .is_number_overflow());
        assert!(args(b"1 BODY[]<0.4294967296>")
            .unwrap_err()
            .is_number_overflow());
        for bad in [
            &b"1 BODY[]<0.0>"[..],
            b"1 BODY[]<0>",
            b"1 BODY[]<0.>",
            b"1 BODY[]<.5>",
            b"1 BODY[]<-1.5>",
            b"1 BODY[]<0.5",
            b"1 BODY[]< 0.5>",
            b"1 BINARY.SIZE[1]<0.5>",
            b"1 BODY<0.5>",
        ] {
            assert!(args(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn malformed_sections() {
        assert!(args(b"1 BODY[4294967296]")
            .unwrap_err()
            .is_number_overflow());
        assert!(args(b"1 BODY[1.4294967296.TEXT]")
            .unwrap_err()
            .is_number_overflow());
        assert!(args(b"1 BINARY[1.4294967296]")
            .unwrap_err()
            .is_number_overflow());
        assert!(args(b"1 BODY[4294967295.1]").is_ok());
        for bad in [
            &b"1 BODY[MIME]"[..],
            b"1 BODY[HEADER.MIME]",
            b"1 BODY[TEXT.MIME]",
            b"1 BODY[0]",
            b"1 BODY[1.0]",
            b"1 BODY[1.]",
            b"1 BODY[.1]",
            b"1 BODY[1..2]",
            b"1 BODY[1.HEADERX]",
            b"1 BODY[HEADER.FIELDS]",
            b"1 BODY[HEADER.FIELDS ()]",
            b"1 BODY[HEADER.FIELDS(From)]",
            b"1 BODY[HEADER.FIELDS (From  To)]",
            b"1 BODY[HEADER.FIELDS ( From)]",
            b"1 BODY[HEADER.FIELDS (From )]",
            b"1 BODY[HEADER.FIELDS.NOT]",
            b"1 BODY[ HEADER]",
            b"1 BODY[",
            b"1 BODY[]]",
            b"1 BINARY[HEADER]",
            b"1 BINARY[1.MIME]",
            b"1 BINARY.PEEK",
            b"1 BINARY",
            b"1 BODY.PEEK",
            b"1 BODY.PEEK[TEXT",
        ] {
            assert!(args(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        // `nz-number = digit-nz *DIGIT`: a part number cannot start with 0.
        assert!(args(b"1 BODY[01]").is_err());
    }

    #[test]
    fn malformed_fetch_args() {
        for bad in [
            &b"1"[..],
            b"1 ",
            b"1 ()",
            b"1 (FLAGS",
            b"1 (FLAGS )",
            b"1 ( FLAGS)",
            b"1 (FLAGS  UID)",
            b"1  FLAGS",
            b"1 FLAGSX",
            b"1 BODYX",
            b"1 (ALL)",
            b"1 ALL FAST",
            b"0 FLAGS",
            b"1 FLAGS ()",
            b"1 FLAGS (VANISHED)",
            b"1 FLAGS (CHANGEDSINCE 0)",
            b"1 FLAGS (CHANGEDSINCE)",
            b"1 FLAGS (CHANGEDSINCE 1 CHANGEDSINCE 2)",
            b"1 FLAGS (CHANGEDSINCE 1 VANISHED VANISHED)",
            b"1 FLAGS (CHANGEDSINCE 1 PARTIAL 1:5)",
            b"1 FLAGS(CHANGEDSINCE 1)",
            b"1 FLAGS (CHANGEDSINCE 1) ",
            b"1 PREVIEW",
        ] {
            assert!(args(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        assert!(args(b"1 FLAGS (CHANGEDSINCE 9223372036854775808)")
            .unwrap_err()
            .is_number_overflow());
    }

    /// RFC 9051 §8 (sample session), in reply to `a004 fetch 12 full`.
    const RFC9051_FULL: &[u8] =
        b"12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev2 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) \
NIL NIL \"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))";

    #[test]
    fn rfc_response_examples() {
        let full = data_canonical(RFC9051_FULL);
        assert_eq!(full.seq, nz(12));
        let items = full.items.as_slice();
        assert_eq!(
            items[0],
            MessageDataItem::Flags(vec![FlagFetch::Flag(Flag::Seen)])
        );
        assert_eq!(items[2], MessageDataItem::Rfc822Size(4286));
        assert!(matches!(
            &items[4],
            MessageDataItem::Body(BodyStructure::Single {
                kind: SinglePartKind::Text { lines: 92, .. },
                ..
            })
        ));
        // RFC 9051 §7.5.2.
        data_canonical(b"23 FETCH (FLAGS (\\Seen) RFC822.SIZE 44827)");
        // RFC 9051 §8, `a005 fetch 12 body[header]`.
        let header = data_canonical(b"12 FETCH (BODY[HEADER] {21}\r\nSubject: x\r\nTo: y\r\n\r\n)");
        assert!(
            matches!(&header.items.as_slice()[0], MessageDataItem::BodySection { data, .. }
            if data.as_bytes() == Some(&b"Subject: x\r\nTo: y\r\n\r\n"[..]))
        );
        // RFC 7162 §3.1.4.1.
        let modseq = data_canonical(b"1 FETCH (UID 4 MODSEQ (65402) FLAGS (\\Seen))");
        assert_eq!(
            modseq.items.as_slice()[1],
            MessageDataItem::ModSeq(NonZeroU64::new(65402).unwrap())
        );
        // RFC 3516 §4.2 and §4.3.
        data_canonical(b"1 FETCH (BINARY.SIZE[2] 2442)");
        let binary = data_canonical(b"1 FETCH (UID 5 BINARY[3.1]<0> ~{4}\r\na\0\r\n)");
        assert_eq!(
            binary.items.as_slice()[1],
            MessageDataItem::Binary {
                section: vec![nz(3), nz(1)],
                origin: Some(0),
                data: BinaryData::Literal8(Literal8 {
                    data: Bytes::from_static(b"a\0\r\n"),
                    mode: LiteralMode::Sync
                })
            }
        );
    }

    #[test]
    fn every_response_item() {
        for raw in [
            &b"1 FETCH (FLAGS ())"[..],
            b"1 FETCH (FLAGS (\\Recent \\Seen $Forwarded \\Draft))",
            b"4294967295 FETCH (UID 4294967295)",
            b"1 FETCH (RFC822.SIZE 9223372036854775807)",
            b"1 FETCH (RFC822 NIL RFC822.HEADER \"\" RFC822.TEXT {1}\r\nx)",
            b"1 FETCH (BODY[]<4294967295> NIL)",
            b"1 FETCH (BODY[1.2.HEADER.FIELDS.NOT (Date \"To\")] \"x\")",
            b"1 FETCH (BINARY[] \"hello\" BINARY[1] NIL BINARY.SIZE[] 0)",
            b"1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 0 0 NIL NIL NIL NIL))",
            b"1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))",
            b"1 FETCH (MODSEQ (9223372036854775807))",
        ] {
            data_canonical(raw);
        }
        assert!(matches!(
            &data(b"1 FETCH (flags (\\recent) uid 7 body[text] NIL)").unwrap().items.as_slice()[0],
            MessageDataItem::Flags(flags) if flags == &[FlagFetch::Recent]
        ));
    }

    #[test]
    fn malformed_responses() {
        for bad in [
            &b"1 FETCH ()"[..],
            b"0 FETCH (UID 1)",
            b"1 FETCH (UID 0)",
            b"1 FETCH UID 1",
            b"1 FETCH (UID 1 )",
            b"1 FETCH (UID  1)",
            b"1 FETCH (FLAGS (\\Seen )",
            b"1 FETCH (BODY[] )",
            b"1 FETCH (BODY[]<0.5> NIL)",
            b"1 FETCH (BODY[MIME] NIL)",
            b"1 FETCH (MODSEQ 5)",
            b"1 FETCH (MODSEQ (0))",
            b"1 FETCH (BINARY.SIZE[1] NIL)",
            b"1 FETCH (RFC822.SIZE -1)",
            b"1 FETCH (BODY (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 0 0 NIL))",
            b"1 FETCH (BODY[] {3}\r\na\0b)",
            b"1 FETCH (INTERNALDATE \"17-Jul-1996\")",
        ] {
            assert!(data(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        assert!(data(b"1 FETCH (UID 4294967296)")
            .unwrap_err()
            .is_number_overflow());
        assert!(data(b"1 FETCH (BINARY.SIZE[1] 4294967296)")
            .unwrap_err()
            .is_number_overflow());
    }

    #[test]
    fn body_literal_is_its_own_fragment() {
        let body = Bytes::from(b"From: a\r\n\r\nhello".to_vec());
        let value = FetchData {
            seq: nz(7),
            items: Vec1::try_from(vec![
                MessageDataItem::Uid(nz(42)),
                MessageDataItem::body_section(Section::default(), None, body.clone()).unwrap(),
            ])
            .unwrap(),
        };
        let encoded = encode_server(&value);
        let fragments = encoded.fragments();
        assert_eq!(
            fragments[0],
            Fragment::Line {
                data: Bytes::from_static(b"7 FETCH (UID 42 BODY[] {16}\r\n")
            }
        );
        let Fragment::Literal { data, mode } = &fragments[1] else {
            panic!("not a literal: {:?}", fragments[1]);
        };
        assert_eq!(data.as_ptr(), body.as_ptr(), "the body was copied");
        assert_eq!(*mode, LiteralMode::NonSync, "servers never wait");
        assert_eq!(
            fragments[2],
            Fragment::Line {
                data: Bytes::from_static(b")")
            }
        );
        assert_eq!(fragments.len(), 3);
        let binary = MessageDataItem::Binary {
            section: vec![nz(1)],
            origin: None,
            data: BinaryData::from_bytes(Bytes::from_static(b"\0\x01")),
        };
        assert_eq!(encode_server(&binary).dump(), b"BINARY[1] ~{2}\r\n\0\x01");
        let nstring = NString(Some(IString::Literal(crate::core::Literal::unvalidated(
            Bytes::from_static(b"ab"),
            LiteralMode::Sync,
        ))));
        assert_eq!(
            encode_server(&MessageDataItem::Rfc822(nstring)).dump(),
            b"RFC822 {2}\r\nab"
        );
    }

    proptest! {
        #[test]
        fn fetch_args_round_trip(value in arb_fetch()) {
            let raw = encode_client(&value).dump();
            prop_assert_eq!(args(&raw).unwrap(), value);
        }

        #[test]
        fn fetch_data_round_trips(value in arb_fetch_data()) {
            let raw = encode_server(&value).dump();
            prop_assert_eq!(data(&raw).unwrap(), value);
        }
    }
}
