//! Parsers of SEARCH: search keys, the command's arguments, and the
//! `SEARCH` and `ESEARCH` responses (RFC 9051 §6.4.4, §7.3.4; RFC 4731,
//! 5032, 5182, 5267, 7162, 9394).

use std::num::{NonZeroU32, NonZeroU64};

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while1};
use nom::combinator::{map, opt, value};
use nom::multi::{many0, separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, separated_pair, terminated, tuple};

use super::common::{date, sequence_set};
use super::core::{
    astring, atom, charset, nil, number, number64, nz_number, nz_number64, quoted, sp, string,
};
use super::{check_depth, IResult, ParseError, ParseErrorKind};
use crate::core::{Charset, Tag, Vec1};
use crate::flag::Flag;
use crate::search::{
    ContextUpdate, ESearchData, EntryType, ModSeqEntry, PartialRange, Search, SearchData,
    SearchKey, SearchReturnData, SearchReturnOption,
};
use crate::sequence::SequenceSet;

/// A keyword of the grammar (`ALL`, `SENTBEFORE`, `MIN`, ...), upper-cased.
///
/// Keywords are letters only, so reading all letters and matching the
/// word keeps `OLD` from matching the start of `OLDER`, and `ON` of `OLD`.
pub(crate) fn keyword(input: &[u8]) -> IResult<'_, Vec<u8>> {
    map(
        take_while1(|b: u8| b.is_ascii_alphabetic()),
        |word: &[u8]| word.to_ascii_uppercase(),
    )(input)
}

/// `search-key` (RFC 9051 §9, RFC 3501 §9, with WITHIN and CONDSTORE).
///
/// ```abnf
/// search-key = "ALL" / "ANSWERED" / "BCC" SP astring / "BEFORE" SP date /
///              "BODY" SP astring / "CC" SP astring / "DELETED" / "FLAGGED" /
///              "FROM" SP astring / "KEYWORD" SP flag-keyword / "NEW" / "OLD" /
///              "ON" SP date / "RECENT" / "SEEN" / "SINCE" SP date /
///              "SUBJECT" SP astring / "TEXT" SP astring / "TO" SP astring /
///              "UNANSWERED" / "UNDELETED" / "UNFLAGGED" / "UNKEYWORD" SP flag-keyword /
///              "UNSEEN" / "DRAFT" / "HEADER" SP header-fld-name SP astring /
///              "LARGER" SP number / "NOT" SP search-key /
///              "OR" SP search-key SP search-key / "SENTBEFORE" SP date /
///              "SENTON" SP date / "SENTSINCE" SP date / "SMALLER" SP number /
///              "UID" SP sequence-set / "UNDRAFT" / sequence-set /
///              "(" search-key *(SP search-key) ")"
/// search-key =/ ("OLDER" / "YOUNGER") SP nz-number        ; RFC 5032
/// search-key =/ "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer  ; RFC 7162
/// ```
/// `depth` counts the enclosing `NOT`, `OR` and parentheses; past
/// [`NESTING_LIMIT`](super::NESTING_LIMIT) the parse fails with `TooDeep`.
pub(crate) fn search_key(input: &[u8], depth: usize) -> IResult<'_, SearchKey> {
    check_depth(input, depth)?;
    match input.first() {
        Some(b'(') => {
            let (rest, keys) = delimited(
                tag(b"("),
                separated_list1(sp, |i| search_key(i, depth + 1)),
                tag(b")"),
            )(input)?;
            let keys = Vec1::try_from(keys).expect("separated_list1 is non-empty");
            return Ok((rest, SearchKey::And(keys)));
        }
        Some(b'0'..=b'9' | b'*' | b'$') => {
            return map(sequence_set, SearchKey::SequenceSet)(input);
        }
        _ => {}
    }
    let (rest, word) = keyword(input)?;
    let string_arg = |make: fn(_) -> SearchKey| map(preceded(sp, astring), make);
    let date_arg = |make: fn(_) -> SearchKey| map(preceded(sp, date), make);
    match word.as_slice() {
        b"ALL" => Ok((rest, SearchKey::All)),
        b"ANSWERED" => Ok((rest, SearchKey::Answered)),
        b"DELETED" => Ok((rest, SearchKey::Deleted)),
        b"DRAFT" => Ok((rest, SearchKey::Draft)),
        b"FLAGGED" => Ok((rest, SearchKey::Flagged)),
        b"SEEN" => Ok((rest, SearchKey::Seen)),
        b"UNANSWERED" => Ok((rest, SearchKey::Unanswered)),
        b"UNDELETED" => Ok((rest, SearchKey::Undeleted)),
        b"UNDRAFT" => Ok((rest, SearchKey::Undraft)),
        b"UNFLAGGED" => Ok((rest, SearchKey::Unflagged)),
        b"UNSEEN" => Ok((rest, SearchKey::Unseen)),
        b"NEW" => Ok((rest, SearchKey::New)),
        b"OLD" => Ok((rest, SearchKey::Old)),
        b"RECENT" => Ok((rest, SearchKey::Recent)),
        b"KEYWORD" => map(preceded(sp, atom), SearchKey::Keyword)(rest),
        b"UNKEYWORD" => map(preceded(sp, atom), SearchKey::Unkeyword)(rest),
        b"BCC" => string_arg(SearchKey::Bcc)(rest),
        b"CC" => string_arg(SearchKey::Cc)(rest),
        b"FROM" => string_arg(SearchKey::From)(rest),
        b"TO" => string_arg(SearchKey::To)(rest),
        b"SUBJECT" => string_arg(SearchKey::Subject)(rest),
        b"BODY" => string_arg(SearchKey::Body)(rest),
        b"TEXT" => string_arg(SearchKey::Text)(rest),
        b"HEADER" => map(
            tuple((preceded(sp, astring), preceded(sp, astring))),
            |(name, value)| SearchKey::Header(name, value),
        )(rest),
        b"BEFORE" => date_arg(SearchKey::Before)(rest),
        b"ON" => date_arg(SearchKey::On)(rest),
        b"SINCE" => date_arg(SearchKey::Since)(rest),
        b"SENTBEFORE" => date_arg(SearchKey::SentBefore)(rest),
        b"SENTON" => date_arg(SearchKey::SentOn)(rest),
        b"SENTSINCE" => date_arg(SearchKey::SentSince)(rest),
        b"LARGER" => map(preceded(sp, number), SearchKey::Larger)(rest),
        b"SMALLER" => map(preceded(sp, number), SearchKey::Smaller)(rest),
        b"UID" => map(preceded(sp, sequence_set), SearchKey::Uid)(rest),
        b"OLDER" => map(preceded(sp, nz_number), SearchKey::Older)(rest),
        b"YOUNGER" => map(preceded(sp, nz_number), SearchKey::Younger)(rest),
        b"NOT" => map(preceded(sp, |i| search_key(i, depth + 1)), |key| {
            SearchKey::Not(Box::new(key))
        })(rest),
        b"OR" => map(
            tuple((
                preceded(sp, |i| search_key(i, depth + 1)),
                preceded(sp, |i| search_key(i, depth + 1)),
            )),
            |(a, b)| SearchKey::Or(Box::new(a), Box::new(b)),
        )(rest),
        b"MODSEQ" => search_modsequence(rest),
        _ => ParseError::fail(input, ParseErrorKind::Invalid("unknown search key")),
    }
}

/// What follows `MODSEQ` (RFC 7162 §3.1.5):
///
/// ```abnf
/// search-modsequence  = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer
/// search-modseq-ext   = SP entry-name SP entry-type-req
/// mod-sequence-valzer = "0" / mod-sequence-value
/// ```
fn search_modsequence(input: &[u8]) -> IResult<'_, SearchKey> {
    let (rest, entry) = opt(preceded(
        sp,
        map(
            separated_pair(entry_name, sp, entry_type_req),
            |(flag, kind)| ModSeqEntry { flag, kind },
        ),
    ))(input)?;
    let (rest, modseq) = preceded(sp, number64)(rest)?;
    Ok((rest, SearchKey::ModSeq { entry, modseq }))
}

/// `entry-name = DQUOTE "/flags/" attr-flag DQUOTE` (RFC 7162; the flag's
/// backslash is escaped inside the quotes: `"/flags/\\Seen"`).
fn entry_name(input: &[u8]) -> IResult<'_, Flag> {
    let (rest, name) = quoted(input)?;
    let flag = name
        .as_str()
        .get(..7)
        .filter(|prefix| prefix.eq_ignore_ascii_case("/flags/"))
        .and_then(|_| Flag::from_text(&name.as_str()[7..]));
    match flag {
        Some(flag) => Ok((rest, flag)),
        None => ParseError::fail(
            input,
            ParseErrorKind::Invalid("entry name is not /flags/<flag>"),
        ),
    }
}

/// `entry-type-req = entry-type-resp / "all"`, `entry-type-resp = "priv" / "shared"`.
fn entry_type_req(input: &[u8]) -> IResult<'_, EntryType> {
    let (rest, word) = keyword(input)?;
    match word.as_slice() {
        b"PRIV" => Ok((rest, EntryType::Private)),
        b"SHARED" => Ok((rest, EntryType::Shared)),
        b"ALL" => Ok((rest, EntryType::All)),
        _ => ParseError::fail(input, ParseErrorKind::Invalid("unknown entry type")),
    }
}

/// The keys of a search program, `search-key *(SP search-key)`, as one key:
/// a single key as it is, several as their [`SearchKey::And`].
pub(crate) fn search_keys(input: &[u8]) -> IResult<'_, SearchKey> {
    let (rest, mut keys) = separated_list1(sp, |i| search_key(i, 0))(input)?;
    if keys.len() == 1 {
        return Ok((rest, keys.pop().expect("one key")));
    }
    let keys = Vec1::try_from(keys).expect("separated_list1 is non-empty");
    Ok((rest, SearchKey::And(keys)))
}

/// `partial-range = partial-range-first / partial-range-last` (RFC 9394 §4).
///
/// ```abnf
/// partial-range-first = nz-number ":" nz-number
/// partial-range-last  = "-" nz-number ":" "-" nz-number
/// ```
pub(crate) fn partial_range(input: &[u8]) -> IResult<'_, PartialRange> {
    alt((
        map(separated_pair(nz_number, tag(b":"), nz_number), |(a, b)| {
            PartialRange::First(a, b)
        }),
        map(
            separated_pair(
                preceded(tag(b"-"), nz_number),
                tag(b":"),
                preceded(tag(b"-"), nz_number),
            ),
            |(a, b)| PartialRange::Last(a, b),
        ),
    ))(input)
}

/// `search-return-opt` (RFC 4731, RFC 5182, RFC 5267).
///
/// ```abnf
/// search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE" /
///                     "CONTEXT" / "UPDATE" / "PARTIAL" SP partial-range
/// ```
/// Other `search-ret-opt-ext`s are refused: a server must not accept an
/// option it does not implement.
fn search_return_opt(input: &[u8]) -> IResult<'_, SearchReturnOption> {
    let (rest, word) = keyword(input)?;
    let option = match word.as_slice() {
        b"MIN" => SearchReturnOption::Min,
        b"MAX" => SearchReturnOption::Max,
        b"ALL" => SearchReturnOption::All,
        b"COUNT" => SearchReturnOption::Count,
        b"SAVE" => SearchReturnOption::Save,
        b"CONTEXT" => SearchReturnOption::Context,
        b"UPDATE" => SearchReturnOption::Update,
        b"PARTIAL" => return map(preceded(sp, partial_range), SearchReturnOption::Partial)(rest),
        _ => return ParseError::fail(input, ParseErrorKind::Invalid("unknown RETURN option")),
    };
    Ok((rest, option))
}

/// `search-return-opts` without its leading SP:
/// `"RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"`.
pub(crate) fn search_return_opts(input: &[u8]) -> IResult<'_, Vec<SearchReturnOption>> {
    preceded(
        tuple((tag_no_case(b"RETURN"), sp)),
        delimited(tag(b"("), separated_list0(sp, search_return_opt), tag(b")")),
    )(input)
}

/// `search-program = ["CHARSET" SP charset SP] search-key *(SP search-key)`.
fn search_program(input: &[u8]) -> IResult<'_, (Option<Charset>, SearchKey)> {
    tuple((
        opt(delimited(tuple((tag_no_case(b"CHARSET"), sp)), charset, sp)),
        search_keys,
    ))(input)
}

/// The arguments of SEARCH, after `SEARCH SP`:
/// `[search-return-opts SP] search-program` (RFC 9051 `search`).
pub(crate) fn search_args(input: &[u8]) -> IResult<'_, Search> {
    map(
        tuple((opt(terminated(search_return_opts, sp)), search_program)),
        |(return_options, (charset, criteria))| Search {
            return_options,
            charset,
            criteria,
        },
    )(input)
}

/// `mod-sequence-value = 1*DIGIT`: a positive 63-bit number (RFC 7162).
pub(crate) fn mod_sequence_value(input: &[u8]) -> IResult<'_, NonZeroU64> {
    map(nz_number64, |n| {
        NonZeroU64::new(n).expect("nz_number64 is non-zero")
    })(input)
}

/// The numbers of a `SEARCH` or `SORT` response and their optional
/// mod-sequence (RFC 7162 §7):
/// `*(SP nz-number) [SP search-sort-mod-seq]`, where
/// `search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value ")"` may only
/// follow at least one number.
pub(crate) fn numbers_and_modseq(
    input: &[u8],
) -> IResult<'_, (Vec<NonZeroU32>, Option<NonZeroU64>)> {
    let (rest, ids) = many0(preceded(sp, nz_number))(input)?;
    let (rest, modseq) = opt(preceded(
        sp,
        delimited(
            tuple((tag(b"("), tag_no_case(b"MODSEQ"), sp)),
            mod_sequence_value,
            tag(b")"),
        ),
    ))(rest)?;
    if modseq.is_some() && ids.is_empty() {
        return ParseError::fail(input, ParseErrorKind::Invalid("MODSEQ without results"));
    }
    Ok((rest, (ids, modseq)))
}

/// The `SEARCH` response:
/// `"SEARCH" *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]`.
pub(crate) fn search_data(input: &[u8]) -> IResult<'_, SearchData> {
    numbers_response(b"SEARCH", input)
}

/// A `SEARCH`-shaped response introduced by `keyword` (`SEARCH`, or `SORT`
/// of RFC 5256 with RFC 7162 §3.1.5's mod-sequence).
pub(crate) fn numbers_response<'a>(name: &[u8], input: &'a [u8]) -> IResult<'a, SearchData> {
    let (rest, (ids, modseq)) = preceded(tag_no_case(name), numbers_and_modseq)(input)?;
    let data = match (Vec1::try_from(ids), modseq) {
        (Ok(ids), Some(modseq)) => SearchData::with_modseq(ids, modseq),
        (Ok(ids), None) => SearchData::new(ids.into_inner()),
        (Err(_), _) => SearchData::new(Vec::new()),
    };
    Ok((rest, data))
}

/// A sequence set in return data, where `$` makes no sense.
fn result_set(input: &[u8]) -> IResult<'_, SequenceSet> {
    let (rest, set) = sequence_set(input)?;
    if set == SequenceSet::Saved {
        return ParseError::fail(input, ParseErrorKind::Invalid("`$` in search results"));
    }
    Ok((rest, set))
}

/// `"(" context-position SP sequence-set *(SP context-position SP sequence-set) ")"`
/// (RFC 5267 `ret-data-addto`, `ret-data-removefrom`; `context-position = number`).
fn context_updates(input: &[u8]) -> IResult<'_, Vec1<ContextUpdate>> {
    let (rest, updates) = delimited(
        tag(b"("),
        separated_list1(
            sp,
            map(separated_pair(number, sp, result_set), |(position, set)| {
                ContextUpdate { position, set }
            }),
        ),
        tag(b")"),
    )(input)?;
    Ok((
        rest,
        Vec1::try_from(updates).expect("separated_list1 is non-empty"),
    ))
}

/// `search-return-data` (RFC 4731, RFC 5267, RFC 7162, RFC 9394).
///
/// ```abnf
/// search-return-data = "MIN" SP nz-number / "MAX" SP nz-number /
///                      "ALL" SP sequence-set / "COUNT" SP number /
///                      "MODSEQ" SP mod-sequence-value /
///                      ret-data-addto / ret-data-removefrom / ret-data-partial
/// ret-data-partial   = "PARTIAL" SP "(" partial-range SP partial-results ")"
/// partial-results    = sequence-set / "NIL"
/// ```
fn search_return_data(input: &[u8]) -> IResult<'_, SearchReturnData> {
    let (rest, word) = keyword(input)?;
    match word.as_slice() {
        b"MIN" => map(preceded(sp, nz_number), SearchReturnData::Min)(rest),
        b"MAX" => map(preceded(sp, nz_number), SearchReturnData::Max)(rest),
        b"ALL" => map(preceded(sp, result_set), SearchReturnData::All)(rest),
        b"COUNT" => map(preceded(sp, number), SearchReturnData::Count)(rest),
        b"MODSEQ" => map(preceded(sp, mod_sequence_value), SearchReturnData::ModSeq)(rest),
        b"ADDTO" => map(preceded(sp, context_updates), SearchReturnData::AddTo)(rest),
        b"REMOVEFROM" => map(preceded(sp, context_updates), SearchReturnData::RemoveFrom)(rest),
        b"PARTIAL" => map(
            preceded(
                sp,
                delimited(
                    tag(b"("),
                    separated_pair(
                        partial_range,
                        sp,
                        alt((map(result_set, Some), value(None, nil))),
                    ),
                    tag(b")"),
                ),
            ),
            |(range, results)| SearchReturnData::Partial { range, results },
        )(rest),
        _ => ParseError::fail(input, ParseErrorKind::Invalid("unknown ESEARCH data")),
    }
}

/// `search-correlator` without its leading SP: `"(" "TAG" SP tag-string ")"`.
fn search_correlator(input: &[u8]) -> IResult<'_, Tag> {
    let (rest, raw) = delimited(
        tuple((tag(b"("), tag_no_case(b"TAG"), sp)),
        string,
        tag(b")"),
    )(input)?;
    match Tag::try_from(raw.as_bytes()) {
        Ok(tag) => Ok((rest, tag)),
        Err(_) => ParseError::fail(input, ParseErrorKind::Invalid("tag-string is not a tag")),
    }
}

/// The `ESEARCH` response:
/// `"ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)`.
pub(crate) fn esearch_data(input: &[u8]) -> IResult<'_, ESearchData> {
    map(
        preceded(
            tag_no_case(b"ESEARCH"),
            tuple((
                opt(preceded(sp, search_correlator)),
                opt(preceded(sp, tag_no_case(b"UID"))),
                many0(preceded(sp, search_return_data)),
            )),
        ),
        |(tag, uid, data)| ESearchData {
            tag,
            uid: uid.is_some(),
            data,
        },
    )(input)
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::codec::decode::{parse_frame, NESTING_LIMIT};
    use crate::core::{AString, Atom, IString, Literal, LiteralMode, Quoted};
    use crate::datetime::NaiveDate;
    use crate::sequence::{SeqOrUid, Sequence};

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    fn s(text: &str) -> AString {
        AString::from_content(Bytes::copy_from_slice(text.as_bytes())).unwrap()
    }

    fn q(text: &str) -> AString {
        AString::String(IString::Quoted(Quoted::unvalidated(text)))
    }

    fn key(raw: &[u8]) -> SearchKey {
        parse_frame(raw, None, |i| search_key(i, 0)).unwrap()
    }

    fn args(raw: &[u8]) -> Search {
        parse_frame(raw, None, search_args).unwrap()
    }

    fn and(keys: Vec<SearchKey>) -> SearchKey {
        SearchKey::And(Vec1::try_from(keys).unwrap())
    }

    fn or(a: SearchKey, b: SearchKey) -> SearchKey {
        SearchKey::Or(Box::new(a), Box::new(b))
    }

    fn not(a: SearchKey) -> SearchKey {
        SearchKey::Not(Box::new(a))
    }

    fn date(y: u16, m: u8, d: u8) -> NaiveDate {
        NaiveDate::new(y, m, d).unwrap()
    }

    fn set(raw: &[u8]) -> SequenceSet {
        sequence_set(raw).unwrap().1
    }

    #[test]
    fn every_flag_key() {
        for (raw, expected) in [
            (&b"ALL"[..], SearchKey::All),
            (b"answered", SearchKey::Answered),
            (b"DELETED", SearchKey::Deleted),
            (b"Draft", SearchKey::Draft),
            (b"FLAGGED", SearchKey::Flagged),
            (b"SEEN", SearchKey::Seen),
            (b"UNANSWERED", SearchKey::Unanswered),
            (b"UNDELETED", SearchKey::Undeleted),
            (b"UNDRAFT", SearchKey::Undraft),
            (b"UNFLAGGED", SearchKey::Unflagged),
            (b"UNSEEN", SearchKey::Unseen),
            (b"NEW", SearchKey::New),
            (b"OLD", SearchKey::Old),
            (b"RECENT", SearchKey::Recent),
        ] {
            assert_eq!(key(raw), expected, "{}", String::from_utf8_lossy(raw));
        }
    }

    #[test]
    fn every_argument_key() {
        let junk = Atom::unvalidated("$Junk");
        for (raw, expected) in [
            (&b"KEYWORD $Junk"[..], SearchKey::Keyword(junk.clone())),
            (b"UNKEYWORD $Junk", SearchKey::Unkeyword(junk)),
            (b"BCC a", SearchKey::Bcc(s("a"))),
            (b"CC \"b c\"", SearchKey::Cc(s("b c"))),
            (b"FROM Smith", SearchKey::From(s("Smith"))),
            (b"TO x@y", SearchKey::To(s("x@y"))),
            (b"SUBJECT \"\"", SearchKey::Subject(s(""))),
            (b"BODY a]b", SearchKey::Body(s("a]b"))),
            (b"TEXT \"uniqueterm\"", SearchKey::Text(q("uniqueterm"))),
            (
                b"HEADER Message-ID <x@y>",
                SearchKey::Header(s("Message-ID"), s("<x@y>")),
            ),
            (b"BEFORE 13-May-2019", SearchKey::Before(date(2019, 5, 13))),
            (b"ON \"1-Feb-1994\"", SearchKey::On(date(1994, 2, 1))),
            (b"SINCE 1-Feb-1994", SearchKey::Since(date(1994, 2, 1))),
            (
                b"SENTBEFORE 1-Jan-2000",
                SearchKey::SentBefore(date(2000, 1, 1)),
            ),
            (b"SENTON 29-Feb-2024", SearchKey::SentOn(date(2024, 2, 29))),
            (
                b"SENTSINCE 31-Dec-1999",
                SearchKey::SentSince(date(1999, 12, 31)),
            ),
            (b"LARGER 0", SearchKey::Larger(0)),
            (b"SMALLER 4294967295", SearchKey::Smaller(u32::MAX)),
            (b"UID 1:*", SearchKey::Uid(SequenceSet::all())),
            (b"UID $", SearchKey::Uid(SequenceSet::Saved)),
            (b"2,4:7", SearchKey::SequenceSet(set(b"2,4:7"))),
            (b"*", SearchKey::SequenceSet(set(b"*"))),
            (b"$", SearchKey::SequenceSet(SequenceSet::Saved)),
            (b"OLDER 3600", SearchKey::Older(nz(3600))),
            (b"YOUNGER 60", SearchKey::Younger(nz(60))),
            (
                b"MODSEQ 0",
                SearchKey::ModSeq {
                    entry: None,
                    modseq: 0,
                },
            ),
        ] {
            assert_eq!(key(raw), expected, "{}", String::from_utf8_lossy(raw));
        }
    }

    #[test]
    fn modseq_with_entry() {
        // RFC 7162 §3.1.5 example.
        assert_eq!(
            key(b"MODSEQ \"/flags/\\\\draft\" all 620162338"),
            SearchKey::ModSeq {
                entry: Some(ModSeqEntry {
                    flag: Flag::Draft,
                    kind: EntryType::All
                }),
                modseq: 620_162_338,
            }
        );
        assert_eq!(
            key(b"MODSEQ \"/flags/$Junk\" PRIV 9223372036854775807"),
            SearchKey::ModSeq {
                entry: Some(ModSeqEntry {
                    flag: Flag::from_text("$Junk").unwrap(),
                    kind: EntryType::Private
                }),
                modseq: i64::MAX as u64,
            }
        );
        let shared = key(b"MODSEQ \"/flags/\\\\Seen\" shared 5");
        assert!(matches!(
            shared,
            SearchKey::ModSeq {
                entry: Some(ModSeqEntry {
                    kind: EntryType::Shared,
                    ..
                }),
                ..
            }
        ));
        for bad in [
            &b"MODSEQ 9223372036854775808"[..],
            b"MODSEQ \"/annotate/x\" all 5",
            b"MODSEQ \"/flags/\\\\Seen\" 5",
            b"MODSEQ \"/flags/\\\\Seen\" other 5",
            b"MODSEQ",
        ] {
            assert!(
                parse_frame(bad, None, |i| search_key(i, 0)).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn seed_cases() {
        let from = |x: &str| SearchKey::From(s(x));
        assert_eq!(
            args(b"OR OR FROM a FROM b FROM c").criteria,
            or(or(from("a"), from("b")), from("c"))
        );
        assert_eq!(
            args(b"NOT (OR (FROM a) (BEFORE 13-May-2019))").criteria,
            not(and(vec![or(
                and(vec![from("a")]),
                and(vec![SearchKey::Before(date(2019, 5, 13))])
            )]))
        );
        let search = args(b"RETURN (MIN COUNT) UNSEEN");
        assert_eq!(
            search.return_options,
            Some(vec![SearchReturnOption::Min, SearchReturnOption::Count])
        );
        assert_eq!(search.criteria, SearchKey::Unseen);
        assert_eq!(
            args(b"OR (UID 1:*) (UNSEEN)").criteria,
            or(
                and(vec![SearchKey::Uid(SequenceSet::all())]),
                and(vec![SearchKey::Unseen])
            )
        );
        let search = args("CHARSET UTF-8 SUBJECT {5}\r\ncafé".as_bytes());
        assert_eq!(search.charset.unwrap().as_str(), "UTF-8");
        assert_eq!(
            search.criteria,
            SearchKey::Subject(AString::String(IString::Literal(Literal::unvalidated(
                Bytes::from("café"),
                LiteralMode::Sync
            ))))
        );
    }

    #[test]
    fn rfc_examples() {
        // RFC 9051 §6.4.4.
        assert_eq!(
            args(b"FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"").criteria,
            and(vec![
                SearchKey::Flagged,
                SearchKey::Since(date(1994, 2, 1)),
                not(SearchKey::From(q("Smith"))),
            ])
        );
        let search =
            args(b"CHARSET UTF-8 TEXT {12+}\r\n\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7");
        assert!(matches!(
            search.criteria,
            SearchKey::Text(AString::String(IString::Literal(ref l))) if l.mode() == LiteralMode::NonSync
        ));
        // RFC 4731 §3.1.
        let search = args(b"RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"");
        assert_eq!(search.return_options, Some(vec![]));
        assert_eq!(
            args(b"RETURN (MIN MAX) 1:5000").return_options,
            Some(vec![SearchReturnOption::Min, SearchReturnOption::Max])
        );
        // RFC 5182 §2.4.
        let search = args(b"RETURN (SAVE MIN) UNDELETED UID $");
        assert_eq!(
            search.criteria,
            and(vec![
                SearchKey::Undeleted,
                SearchKey::Uid(SequenceSet::Saved)
            ])
        );
        // RFC 5267 §4.3, RFC 9394 §3.1.
        assert_eq!(
            args(b"RETURN (COUNT UPDATE CONTEXT) DELETED KEYWORD $Junk").return_options,
            Some(vec![
                SearchReturnOption::Count,
                SearchReturnOption::Update,
                SearchReturnOption::Context
            ])
        );
        assert_eq!(
            args(b"RETURN (PARTIAL -1:-100) UNDELETED UNKEYWORD $Junk").return_options,
            Some(vec![SearchReturnOption::Partial(PartialRange::Last(
                nz(1),
                nz(100)
            ))])
        );
        assert_eq!(
            args(b"RETURN (PARTIAL 23500:24000) UNDELETED").return_options,
            Some(vec![SearchReturnOption::Partial(PartialRange::First(
                nz(23500),
                nz(24000)
            ))])
        );
        // RFC 5032 §3.
        assert_eq!(
            args(b"UNSEEN YOUNGER 259200").criteria,
            and(vec![SearchKey::Unseen, SearchKey::Younger(nz(259_200))])
        );
    }

    #[test]
    fn charset_forms() {
        let search = args(b"CHARSET \"ISO-8859-1\" TEXT x");
        assert_eq!(
            search.charset,
            Some(Charset::Quoted(Quoted::unvalidated("ISO-8859-1")))
        );
        let search = args(b"return (all) charset us-ascii all");
        assert_eq!(search.return_options, Some(vec![SearchReturnOption::All]));
        assert_eq!(search.criteria, SearchKey::All);
    }

    #[test]
    fn keywords_are_whole_words() {
        assert_eq!(key(b"OLDER 5"), SearchKey::Older(nz(5)));
        assert_eq!(key(b"ON 1-Jan-2000"), SearchKey::On(date(2000, 1, 1)));
        for bad in [
            &b"OLDE 5"[..],
            b"SEENX",
            b"UNSEEN2",
            b"SENT 1-Jan-2000",
            b"XYZZY",
            b"",
        ] {
            assert!(
                parse_frame(bad, None, |i| search_key(i, 0)).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn malformed_arguments() {
        for bad in [
            &b""[..],
            b"FROM",
            b"FROM ",
            b"FROM a b",
            b"BEFORE 30-Feb-2019",
            b"BEFORE 2019-05-13",
            b"LARGER -1",
            b"LARGER 4294967296",
            b"UID",
            b"UID 0",
            b"YOUNGER 0",
            b"KEYWORD \\Seen",
            b"HEADER Subject",
            b"NOT",
            b"OR FROM a",
            b"()",
            b"(UNSEEN",
            b"UNSEEN)",
            b"(UNSEEN  SEEN)",
            b"UNSEEN ",
            b" UNSEEN",
            b"RETURN (MIN) ",
            b"RETURN (BOGUS) ALL",
            b"RETURN (PARTIAL) ALL",
            b"RETURN (PARTIAL 0:5) ALL",
            b"RETURN (PARTIAL 1:*) ALL",
            b"RETURN (PARTIAL -1:5) ALL",
            b"RETURN MIN ALL",
            b"CHARSET UTF-8",
            b"CHARSET ALL",
            b"SUBJECT {5}\r\ncaf",
            b"SUBJECT {3}\r\na\0b",
        ] {
            assert!(
                parse_frame(bad, None, search_args).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn nesting_limit() {
        let nested = |open: &str, close: &str, n: usize| {
            let mut raw = open.repeat(n);
            raw.push_str("ALL");
            raw.push_str(&close.repeat(n));
            raw
        };
        // The deepest accepted: every level below the limit.
        assert!(parse_frame(
            nested("NOT ", "", NESTING_LIMIT - 1).as_bytes(),
            None,
            search_args
        )
        .is_ok());
        assert!(parse_frame(
            nested("(", ")", NESTING_LIMIT - 1).as_bytes(),
            None,
            search_args
        )
        .is_ok());
        for raw in [
            nested("NOT ", "", NESTING_LIMIT),
            nested("NOT ", "", 10_000),
            nested("(", ")", 10_000),
            nested("OR ALL ", "", 10_000),
            nested("OR ", " ALL", 10_000),
            nested("NOT (", ")", 5_000),
            // Unbalanced: must still stop at the limit, not run out of stack.
            "(".repeat(100_000),
        ] {
            let error = parse_frame(raw.as_bytes(), None, search_args).unwrap_err();
            assert!(error.is_too_deep(), "{error}");
        }
    }

    #[test]
    fn search_responses() {
        let data = parse_frame(b"SEARCH 2 84 882", None, search_data).unwrap();
        assert_eq!(data.ids(), &[nz(2), nz(84), nz(882)]);
        assert_eq!(data.modseq(), None);
        let data = parse_frame(b"SEARCH", None, search_data).unwrap();
        assert!(data.ids().is_empty());
        // RFC 7162 §3.1.5.
        let data = parse_frame(
            b"SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)",
            None,
            search_data,
        )
        .unwrap();
        assert_eq!(data.ids().len(), 10);
        assert_eq!(data.modseq(), NonZeroU64::new(917_162_500));
        for bad in [
            &b"SEARCH (MODSEQ 5)"[..],
            b"SEARCH 1 (MODSEQ 0)",
            b"SEARCH 1 (MODSEQ 9223372036854775808)",
            b"SEARCH 0",
            b"SEARCH 4294967296",
            b"SEARCH 1 2 ",
            b"SEARCH  1",
            b"SEARCH 1:2",
            b"SEARCHES",
        ] {
            assert!(
                parse_frame(bad, None, search_data).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn esearch_responses() {
        let data = parse_frame(
            b"ESEARCH (TAG \"a567\") UID MIN 1 MAX 5 COUNT 3 ALL 1:3,5 MODSEQ 123",
            None,
            esearch_data,
        )
        .unwrap();
        assert_eq!(data.tag.unwrap().as_str(), "a567");
        assert!(data.uid);
        assert_eq!(
            data.data,
            vec![
                SearchReturnData::Min(nz(1)),
                SearchReturnData::Max(nz(5)),
                SearchReturnData::Count(3),
                SearchReturnData::All(set(b"1:3,5")),
                SearchReturnData::ModSeq(NonZeroU64::new(123).unwrap()),
            ]
        );
        // RFC 4731 §3.1.
        let data =
            parse_frame(b"ESEARCH (TAG \"A282\") MIN 2 COUNT 3", None, esearch_data).unwrap();
        assert!(!data.uid);
        assert_eq!(data.data.len(), 2);
        let data = parse_frame(b"ESEARCH (TAG \"A284\")", None, esearch_data).unwrap();
        assert!(data.data.is_empty());
        let data = parse_frame(b"ESEARCH", None, esearch_data).unwrap();
        assert_eq!(data.tag, None);
        let data = parse_frame(b"ESEARCH UID COUNT 0", None, esearch_data).unwrap();
        assert!(data.uid);
        assert_eq!(data.data, vec![SearchReturnData::Count(0)]);
        // RFC 5267 §4.3.
        let data = parse_frame(
            b"ESEARCH (TAG \"B01\") UID ADDTO (0 32768:32769)",
            None,
            esearch_data,
        )
        .unwrap();
        assert_eq!(
            data.data,
            vec![SearchReturnData::AddTo(Vec1::one(ContextUpdate {
                position: 0,
                set: set(b"32768:32769")
            }))]
        );
        let data = parse_frame(
            b"ESEARCH (TAG \"C01\") UID REMOVEFROM (0 32768 4 7:9)",
            None,
            esearch_data,
        )
        .unwrap();
        assert_eq!(
            data.data,
            vec![SearchReturnData::RemoveFrom(
                Vec1::try_from(vec![
                    ContextUpdate {
                        position: 0,
                        set: set(b"32768")
                    },
                    ContextUpdate {
                        position: 4,
                        set: set(b"7:9")
                    }
                ])
                .unwrap()
            )]
        );
        // RFC 9394 §3.1.
        let data = parse_frame(
            b"ESEARCH (TAG \"A01\") UID PARTIAL (-1:-100 200:250,252:300)",
            None,
            esearch_data,
        )
        .unwrap();
        assert_eq!(
            data.data,
            vec![SearchReturnData::Partial {
                range: PartialRange::Last(nz(1), nz(100)),
                results: Some(set(b"200:250,252:300")),
            }]
        );
        let data = parse_frame(b"ESEARCH PARTIAL (1:5 NIL)", None, esearch_data).unwrap();
        assert_eq!(
            data.data,
            vec![SearchReturnData::Partial {
                range: PartialRange::First(nz(1), nz(5)),
                results: None,
            }]
        );
        // The tag may come as a literal.
        let data = parse_frame(b"ESEARCH (TAG {2}\r\nA1) COUNT 1", None, esearch_data).unwrap();
        assert_eq!(data.tag.unwrap().as_str(), "A1");
    }

    #[test]
    fn malformed_esearch() {
        for bad in [
            &b"ESEARCH (TAG a567) COUNT 1"[..],
            b"ESEARCH (TAG \"a b\") COUNT 1",
            b"ESEARCH (TAG \"a+\")",
            b"ESEARCH (TAG \"\")",
            b"ESEARCH UID UID",
            b"ESEARCH MIN 0",
            b"ESEARCH COUNT 4294967296",
            b"ESEARCH ALL $",
            b"ESEARCH MODSEQ 0",
            b"ESEARCH ADDTO ()",
            b"ESEARCH ADDTO (1)",
            b"ESEARCH ADDTO 1 2",
            b"ESEARCH PARTIAL (1:5)",
            b"ESEARCH PARTIAL (1:5 $)",
            b"ESEARCH BOGUS 1",
            b"ESEARCH COUNT 1 ",
        ] {
            assert!(
                parse_frame(bad, None, esearch_data).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn sequence_set_key_keeps_ranges() {
        assert_eq!(
            key(b"5:2"),
            SearchKey::SequenceSet(SequenceSet::Set(Vec1::one(Sequence::Range(
                SeqOrUid::Value(nz(5)),
                SeqOrUid::Value(nz(2))
            ))))
        );
    }
}
