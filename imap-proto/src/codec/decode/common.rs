//! Parsers of the types shared by many commands and responses: sequence
//! sets, flags, dates, mailbox names and LIST patterns.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take, take_while1};
use nom::character::complete::digit1;
use nom::combinator::{map, map_res, opt, value};
use nom::multi::{separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, tuple};

use super::core::{astring, atom, nz_number, sp, string};
use super::{IResult, ParseError, ParseErrorKind};
use crate::core::Vec1;
use crate::datetime::{DateTime, NaiveDate, MONTHS};
use crate::flag::{Flag, FlagFetch, FlagPerm};
use crate::mailbox::{is_list_char, ListMailbox, Mailbox};
use crate::sequence::{SeqOrUid, Sequence, SequenceSet};

/// `seq-number = nz-number / "*"`.
pub(crate) fn seq_number(input: &[u8]) -> IResult<'_, SeqOrUid> {
    alt((
        map(nz_number, SeqOrUid::Value),
        value(SeqOrUid::Asterisk, tag(b"*")),
    ))(input)
}

fn sequence(input: &[u8]) -> IResult<'_, Sequence> {
    let (rest, first) = seq_number(input)?;
    match opt(preceded(tag(b":"), seq_number))(rest)? {
        (rest, Some(last)) => Ok((rest, Sequence::Range(first, last))),
        (rest, None) => Ok((rest, Sequence::Single(first))),
    }
}

/// `sequence-set = (seq-number / seq-range) ["," sequence-set]`, or `$`
/// (RFC 5182 `seq-last-command`).
pub(crate) fn sequence_set(input: &[u8]) -> IResult<'_, SequenceSet> {
    alt((
        value(SequenceSet::Saved, tag(b"$")),
        map(separated_list1(tag(b","), sequence), |items| {
            SequenceSet::Set(Vec1::try_from(items).expect("separated_list1 is non-empty"))
        }),
    ))(input)
}

/// A UID set as UIDPLUS responses carry it (`uid-set`: no `*`, no `$`).
pub(crate) fn uid_set(input: &[u8]) -> IResult<'_, SequenceSet> {
    let (rest, set) = sequence_set(input)?;
    let has_star = match &set {
        SequenceSet::Saved => true,
        SequenceSet::Set(items) => items.iter().any(|s| match s {
            Sequence::Single(n) => *n == SeqOrUid::Asterisk,
            Sequence::Range(a, b) => *a == SeqOrUid::Asterisk || *b == SeqOrUid::Asterisk,
        }),
    };
    if has_star {
        return ParseError::fail(input, ParseErrorKind::Invalid("`*` or `$` in uid-set"));
    }
    Ok((rest, set))
}

/// `flag = "\Answered" / ... / flag-keyword / flag-extension`.
pub(crate) fn flag(input: &[u8]) -> IResult<'_, Flag> {
    alt((
        map(preceded(tag(b"\\"), atom), |name| {
            match name.as_str().to_ascii_lowercase().as_str() {
                "answered" => Flag::Answered,
                "flagged" => Flag::Flagged,
                "deleted" => Flag::Deleted,
                "seen" => Flag::Seen,
                "draft" => Flag::Draft,
                _ => Flag::Extension(name),
            }
        }),
        map(atom, Flag::Keyword),
    ))(input)
}

/// A flag that may be stored: `\Recent` is refused (RFC 9051 §6.4.6).
pub(crate) fn store_flag(input: &[u8]) -> IResult<'_, Flag> {
    let (rest, flag) = flag(input)?;
    if matches!(&flag, Flag::Extension(name) if name.as_str().eq_ignore_ascii_case("recent")) {
        return ParseError::fail(input, ParseErrorKind::Invalid("\\Recent cannot be stored"));
    }
    Ok((rest, flag))
}

/// `flag-list = "(" [flag *(SP flag)] ")"` (without `\Recent`).
pub(crate) fn flag_list(input: &[u8]) -> IResult<'_, Vec<Flag>> {
    delimited(tag(b"("), separated_list0(sp, store_flag), tag(b")"))(input)
}

/// `flag-fetch = flag / "\Recent"`.
pub(crate) fn flag_fetch(input: &[u8]) -> IResult<'_, FlagFetch> {
    alt((
        value(FlagFetch::Recent, tag_no_case(b"\\Recent")),
        map(flag, FlagFetch::Flag),
    ))(input)
}

/// `flag-perm = flag / "\*"`.
pub(crate) fn flag_perm(input: &[u8]) -> IResult<'_, FlagPerm> {
    alt((
        value(FlagPerm::Asterisk, tag(b"\\*")),
        map(flag, FlagPerm::Flag),
    ))(input)
}

fn digits_n(n: usize) -> impl Fn(&[u8]) -> IResult<'_, u16> {
    move |input| {
        let (rest, raw) = take(n)(input)?;
        if !raw.iter().all(u8::is_ascii_digit) {
            return ParseError::fail(input, ParseErrorKind::Nom(nom::error::ErrorKind::Digit));
        }
        let value = raw
            .iter()
            .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
        Ok((rest, value))
    }
}

fn date_month(input: &[u8]) -> IResult<'_, u8> {
    let (rest, raw) = take(3usize)(input)?;
    match MONTHS
        .iter()
        .position(|m| m.as_bytes().eq_ignore_ascii_case(raw))
    {
        Some(i) => Ok((rest, i as u8 + 1)),
        None => ParseError::fail(input, ParseErrorKind::Invalid("unknown month")),
    }
}

fn date_day(input: &[u8]) -> IResult<'_, u8> {
    let (rest, raw) = digit1(input)?;
    if raw.len() > 2 {
        return ParseError::fail(input, ParseErrorKind::Invalid("day of more than 2 digits"));
    }
    Ok((rest, raw.iter().fold(0u8, |acc, d| acc * 10 + (d - b'0'))))
}

fn checked<'a, T, E>(input: &'a [u8], value: Result<T, E>) -> Result<T, nom::Err<ParseError<'a>>> {
    value.map_err(|_| {
        nom::Err::Error(ParseError::new(
            input,
            ParseErrorKind::Invalid("no such date"),
        ))
    })
}

/// `date-text = date-day "-" date-month "-" date-year`.
fn date_text(input: &[u8]) -> IResult<'_, NaiveDate> {
    let (rest, (day, _, month, _, year)) =
        tuple((date_day, tag(b"-"), date_month, tag(b"-"), digits_n(4)))(input)?;
    Ok((rest, checked(input, NaiveDate::new(year, month, day))?))
}

/// `date = date-text / DQUOTE date-text DQUOTE`.
pub(crate) fn date(input: &[u8]) -> IResult<'_, NaiveDate> {
    alt((date_text, delimited(tag(b"\""), date_text, tag(b"\""))))(input)
}

/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`.
pub(crate) fn date_time(input: &[u8]) -> IResult<'_, DateTime> {
    let day_fixed = alt((preceded(tag(b" "), digits_n(1)), digits_n(2)));
    let time = tuple((digits_n(2), tag(b":"), digits_n(2), tag(b":"), digits_n(2)));
    let zone = tuple((alt((tag(b"+"), tag(b"-"))), digits_n(2), digits_n(2)));
    let (rest, (_, day, _, month, _, year, _, (h, _, m, _, s), _, (sign, zh, zm), _)) =
        tuple((
            tag(b"\""),
            day_fixed,
            tag(b"-"),
            date_month,
            tag(b"-"),
            digits_n(4),
            sp,
            time,
            sp,
            zone,
            tag(b"\""),
        ))(input)?;
    let date = checked(input, NaiveDate::new(year, month, day as u8))?;
    if zm > 59 {
        return ParseError::fail(input, ParseErrorKind::Invalid("zone minutes past 59"));
    }
    let zone = (zh * 60 + zm) as i16 * if sign == b"-" { -1 } else { 1 };
    let dt = checked(
        input,
        DateTime::new(date, (h as u8, m as u8, s as u8), zone),
    )?;
    Ok((rest, dt))
}

/// `mailbox = "INBOX" / astring`.
pub(crate) fn mailbox(input: &[u8]) -> IResult<'_, Mailbox> {
    map(astring, Mailbox::from_astring)(input)
}

/// `list-mailbox = 1*list-char / string`.
pub(crate) fn list_mailbox(input: &[u8]) -> IResult<'_, ListMailbox> {
    alt((
        map_res(take_while1(is_list_char), |raw: &[u8]| {
            std::str::from_utf8(raw).map(|s| ListMailbox::Token(s.to_owned()))
        }),
        map(string, ListMailbox::String),
    ))(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_sets() {
        let (rest, set) = sequence_set(b"1,3:*,5:2 x").unwrap();
        assert_eq!(rest, b" x");
        assert_eq!(set.resolve(9).unwrap(), vec![1..=9]);
        assert_eq!(sequence_set(b"$").unwrap().1, SequenceSet::Saved);
        assert!(sequence_set(b"0").is_err());
        assert!(sequence_set(b"4294967296").is_err());
        assert!(uid_set(b"1:*").is_err());
        assert!(uid_set(b"1:5,7").is_ok());
    }

    #[test]
    fn flags() {
        assert_eq!(flag(b"\\sEEn").unwrap().1, Flag::Seen);
        assert_eq!(flag(b"$Forwarded").unwrap().1.to_string(), "$Forwarded");
        assert!(store_flag(b"\\Recent").is_err());
        assert_eq!(flag_fetch(b"\\Recent").unwrap().1, FlagFetch::Recent);
        assert_eq!(flag_perm(b"\\*").unwrap().1, FlagPerm::Asterisk);
        assert_eq!(
            flag_list(b"(\\Seen $x)").unwrap().1,
            vec![Flag::Seen, Flag::from_text("$x").unwrap()]
        );
        assert_eq!(flag_list(b"()").unwrap().1, vec![]);
    }

    #[test]
    fn dates() {
        let (_, d) = date(b"1-Feb-1994").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (1994, 2, 1));
        assert_eq!(
            date(b"\"13-may-2019\"").unwrap().1,
            NaiveDate::new(2019, 5, 13).unwrap()
        );
        assert!(date(b"30-Feb-2019").is_err());
        assert!(date(b"123-Feb-2019").is_err());
        let (_, dt) = date_time(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
        assert_eq!(dt.unix_timestamp(), 837_596_665);
        assert!(date_time(b"\" 7-Jul-1996 02:44:25 +0000\"").is_ok());
        assert!(date_time(b"\"17-Jul-1996 24:44:25 -0700\"").is_err());
        assert!(date_time(b"\"17-Jul-1996 02:44:25 -0760\"").is_err());
    }

    #[test]
    fn mailboxes() {
        assert_eq!(mailbox(b"inbox").unwrap().1, Mailbox::Inbox);
        assert!(matches!(mailbox(b"\"a b\"").unwrap().1, Mailbox::Other(_)));
        assert!(matches!(list_mailbox(b"%/*").unwrap().1, ListMailbox::Token(t) if t == "%/*"));
        assert!(matches!(
            list_mailbox(b"\"\"").unwrap().1,
            ListMailbox::String(_)
        ));
    }
}
