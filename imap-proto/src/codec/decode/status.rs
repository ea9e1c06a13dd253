//! Parsers of STATUS arguments and responses (RFC 9051 §6.3.11, RFC 7162,
//! RFC 8438, RFC 7889).

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::combinator::{cut, map, value};
use nom::multi::{separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, separated_pair};

use super::common::mailbox;
use super::core::{atom, nil, number, number64, nz_number, sp};
use super::{IResult, ParseError, ParseErrorKind};
use crate::core::Vec1;
use crate::status::{Status, StatusData, StatusItem, StatusItemName};

/// `status-att = "MESSAGES" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN" /
/// "DELETED" / "SIZE" / "RECENT" / "HIGHESTMODSEQ" / "APPENDLIMIT"`
/// (case-insensitive).
pub(crate) fn status_att(input: &[u8]) -> IResult<'_, StatusItemName> {
    let (rest, name) = atom(input)?;
    match StatusItemName::from_name(name.as_str()) {
        Some(item) => Ok((rest, item)),
        None => ParseError::fail(input, ParseErrorKind::Invalid("unknown STATUS item")),
    }
}

/// `"(" status-att *(SP status-att) ")"`, as STATUS and LIST-STATUS take it.
pub(crate) fn status_att_list_names(input: &[u8]) -> IResult<'_, Vec1<StatusItemName>> {
    map(
        delimited(tag(b"("), separated_list1(sp, status_att), tag(b")")),
        |items| Vec1::try_from(items).expect("separated_list1 is non-empty"),
    )(input)
}

/// `status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"`,
/// from the mailbox on.
pub(crate) fn status_args(input: &[u8]) -> IResult<'_, Status> {
    map(
        separated_pair(mailbox, sp, status_att_list_names),
        |(mailbox, items)| Status { mailbox, items },
    )(input)
}

/// `status-att-val = ("MESSAGES" SP number) / ("UIDNEXT" SP nz-number) /
/// ("UIDVALIDITY" SP nz-number) / ("UNSEEN" SP number) / ("DELETED" SP number) /
/// ("SIZE" SP number64) / ("RECENT" SP number) /
/// ("HIGHESTMODSEQ" SP mod-sequence-valzer) / ("APPENDLIMIT" SP (number / nil))`.
pub(crate) fn status_att_val(input: &[u8]) -> IResult<'_, StatusItem> {
    let (rest, name) = status_att(input)?;
    let (rest, ()) = sp(rest)?;
    // Past the name, no alternative is left: keep the value's own error
    // (an overflow stays an overflow).
    cut(move |rest| status_value(name, rest))(rest)
}

fn status_value(name: StatusItemName, rest: &[u8]) -> IResult<'_, StatusItem> {
    match name {
        StatusItemName::Messages => map(number, StatusItem::Messages)(rest),
        StatusItemName::Recent => map(number, StatusItem::Recent)(rest),
        StatusItemName::UidNext => map(nz_number, StatusItem::UidNext)(rest),
        StatusItemName::UidValidity => map(nz_number, StatusItem::UidValidity)(rest),
        StatusItemName::Unseen => map(number, StatusItem::Unseen)(rest),
        StatusItemName::Deleted => map(number, StatusItem::Deleted)(rest),
        StatusItemName::Size => map(number64, StatusItem::Size)(rest),
        // mod-sequence-valzer = "0" / mod-sequence-value: a 63-bit number.
        StatusItemName::HighestModSeq => map(number64, StatusItem::HighestModSeq)(rest),
        StatusItemName::AppendLimit => map(
            alt((map(number, Some), value(None, nil))),
            StatusItem::AppendLimit,
        )(rest),
    }
}

/// `"STATUS" SP mailbox SP "(" [status-att-list] ")"`.
pub(crate) fn status_data(input: &[u8]) -> IResult<'_, StatusData> {
    map(
        preceded(
            tag_no_case(b"STATUS "),
            separated_pair(
                mailbox,
                sp,
                delimited(tag(b"("), separated_list0(sp, status_att_val), tag(b")")),
            ),
        ),
        |(mailbox, items)| StatusData { mailbox, items },
    )(input)
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::*;
    use crate::mailbox::Mailbox;

    #[test]
    fn status_att_names() {
        assert_eq!(
            status_att(b"uidNext)").unwrap(),
            (&b")"[..], StatusItemName::UidNext)
        );
        assert_eq!(
            status_att(b"HIGHESTMODSEQ").unwrap().1,
            StatusItemName::HighestModSeq
        );
        assert!(status_att(b"MESSAGESX").is_err());
        assert!(status_att(b"FOO").is_err());
        assert!(status_att(b"(").is_err());
    }

    #[test]
    fn rfc9051_status_args() {
        let (rest, status) = status_args(b"blurdybloop (UIDNEXT MESSAGES)").unwrap();
        assert!(rest.is_empty());
        assert_eq!(status.mailbox.as_bytes(), b"blurdybloop");
        assert_eq!(
            status.items.as_slice(),
            &[StatusItemName::UidNext, StatusItemName::Messages]
        );
        let (_, status) = status_args(b"inbox (size deleted appendlimit)").unwrap();
        assert_eq!(status.mailbox, Mailbox::Inbox);
        assert_eq!(status.items.as_slice().len(), 3);
    }

    #[test]
    fn status_args_refuses_malformed() {
        for bad in [
            &b"INBOX ()"[..],
            b"INBOX",
            b"INBOX MESSAGES",
            b"INBOX (MESSAGES",
            b"INBOX (MESSAGES  UNSEEN)",
            b"INBOX (MESSAGES 1)",
            b"INBOX (BOGUS)",
            b"(MESSAGES)",
        ] {
            let parsed = status_args(bad);
            assert!(
                parsed.is_err() || !parsed.unwrap().0.is_empty(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn rfc9051_status_data() {
        let (rest, data) = status_data(b"STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)").unwrap();
        assert!(rest.is_empty());
        assert_eq!(
            data.items,
            vec![
                StatusItem::Messages(231),
                StatusItem::UidNext(NonZeroU32::new(44292).unwrap())
            ]
        );
        let (_, data) = status_data(b"status INBOX ()").unwrap();
        assert_eq!(data.items, vec![]);
    }

    #[test]
    fn status_data_values() {
        let (_, data) = status_data(
            b"STATUS INBOX (SIZE 9223372036854775807 HIGHESTMODSEQ 0 APPENDLIMIT NIL \
              APPENDLIMIT 257890 RECENT 1 UNSEEN 0 DELETED 4 UIDVALIDITY 4294967295)",
        )
        .unwrap();
        assert_eq!(
            data.items,
            vec![
                StatusItem::Size(i64::MAX as u64),
                StatusItem::HighestModSeq(0),
                StatusItem::AppendLimit(None),
                StatusItem::AppendLimit(Some(257_890)),
                StatusItem::Recent(1),
                StatusItem::Unseen(0),
                StatusItem::Deleted(4),
                StatusItem::UidValidity(NonZeroU32::MAX),
            ]
        );
    }

    #[test]
    fn status_data_refuses_bad_values() {
        for bad in [
            &b"STATUS INBOX (MESSAGES 4294967296)"[..],
            b"STATUS INBOX (UIDNEXT 0)",
            b"STATUS INBOX (UIDVALIDITY 0)",
            b"STATUS INBOX (SIZE 9223372036854775808)",
            b"STATUS INBOX (HIGHESTMODSEQ 9223372036854775808)",
            b"STATUS INBOX (MESSAGES NIL)",
            b"STATUS INBOX (MESSAGES)",
            b"STATUS INBOX (MESSAGES 1 )",
            b"STATUS INBOX MESSAGES 1",
            b"STATUS INBOX (X-UNKNOWN 1)",
        ] {
            assert!(
                status_data(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(matches!(
            status_data(b"STATUS INBOX (MESSAGES 4294967296)"),
            Err(nom::Err::Failure(ParseError {
                kind: ParseErrorKind::NumberOverflow,
                ..
            }))
        ));
    }
}
