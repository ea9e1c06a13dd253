//! Parsers of SORT and THREAD: the commands' arguments and the `SORT` and
//! `THREAD` responses (RFC 5256, RFC 5267, RFC 5957, RFC 7162).

use nom::bytes::complete::{tag, tag_no_case};
use nom::combinator::{map, opt};
use nom::multi::{many1, separated_list1};
use nom::sequence::{delimited, preceded, terminated, tuple};

use super::core::{atom, charset, nz_number, sp};
use super::search::{keyword, numbers_response, search_keys, search_return_opts};
use super::{check_depth, IResult, ParseError, ParseErrorKind};
use crate::core::Vec1;
use crate::sort::{
    Sort, SortCriterion, SortData, SortKey, Thread, ThreadAlgorithm, ThreadData, ThreadNode,
};

/// `sort-key = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" / "SUBJECT" / "TO"`,
/// `sort-key =/ "DISPLAYFROM" / "DISPLAYTO"` (RFC 5957).
fn sort_key(input: &[u8]) -> IResult<'_, SortKey> {
    let (rest, word) = keyword(input)?;
    let key = match word.as_slice() {
        b"ARRIVAL" => SortKey::Arrival,
        b"CC" => SortKey::Cc,
        b"DATE" => SortKey::Date,
        b"FROM" => SortKey::From,
        b"SIZE" => SortKey::Size,
        b"SUBJECT" => SortKey::Subject,
        b"TO" => SortKey::To,
        b"DISPLAYFROM" => SortKey::DisplayFrom,
        b"DISPLAYTO" => SortKey::DisplayTo,
        _ => return ParseError::fail(input, ParseErrorKind::Invalid("unknown sort key")),
    };
    Ok((rest, key))
}

/// `sort-criterion = ["REVERSE" SP] sort-key`.
fn sort_criterion(input: &[u8]) -> IResult<'_, SortCriterion> {
    map(
        tuple((opt(terminated(tag_no_case(b"REVERSE"), sp)), sort_key)),
        |(reverse, key)| SortCriterion {
            reverse: reverse.is_some(),
            key,
        },
    )(input)
}

/// `sort-criteria = "(" sort-criterion *(SP sort-criterion) ")"`.
fn sort_criteria(input: &[u8]) -> IResult<'_, Vec1<SortCriterion>> {
    map(
        delimited(tag(b"("), separated_list1(sp, sort_criterion), tag(b")")),
        |order| Vec1::try_from(order).expect("separated_list1 is non-empty"),
    )(input)
}

/// The arguments of SORT, after `SORT SP` (RFC 5256, ESORT RFC 5267 §3):
/// `[search-return-opts SP] sort-criteria SP charset 1*(SP search-key)`.
pub(crate) fn sort_args(input: &[u8]) -> IResult<'_, Sort> {
    map(
        tuple((
            opt(terminated(search_return_opts, sp)),
            terminated(sort_criteria, sp),
            terminated(charset, sp),
            search_keys,
        )),
        |(return_options, order, charset, criteria)| Sort {
            return_options,
            order,
            charset,
            criteria,
        },
    )(input)
}

/// `thread-alg = "ORDEREDSUBJECT" / "REFERENCES" / thread-alg-ext`,
/// `thread-alg-ext = atom`.
fn thread_alg(input: &[u8]) -> IResult<'_, ThreadAlgorithm> {
    map(atom, ThreadAlgorithm::from_atom)(input)
}

/// The arguments of THREAD, after `THREAD SP` (RFC 5256):
/// `thread-alg SP charset 1*(SP search-key)`.
pub(crate) fn thread_args(input: &[u8]) -> IResult<'_, Thread> {
    map(
        tuple((
            terminated(thread_alg, sp),
            terminated(charset, sp),
            search_keys,
        )),
        |(algorithm, charset, criteria)| Thread {
            algorithm,
            charset,
            criteria,
        },
    )(input)
}

/// The `SORT` response:
/// `"SORT" *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]`
/// (RFC 5256, RFC 7162 §3.1.5).
pub(crate) fn sort_data(input: &[u8]) -> IResult<'_, SortData> {
    numbers_response(b"SORT", input)
}

/// `thread-nested = 2*thread-list`, each list one level deeper than `depth`.
fn thread_nested(input: &[u8], depth: usize) -> IResult<'_, Vec<ThreadNode>> {
    let (rest, lists) = many1(|i| thread_list(i, depth + 1))(input)?;
    if lists.len() < 2 {
        return ParseError::fail(
            input,
            ParseErrorKind::Invalid("thread-nested needs two thread lists"),
        );
    }
    Ok((rest, lists))
}

/// `thread-list = "(" (thread-members / thread-nested) ")"`, where
/// `thread-members = nz-number *(SP nz-number) [SP thread-nested]`.
///
/// `depth` counts the enclosing lists; past
/// [`NESTING_LIMIT`](super::NESTING_LIMIT) the parse fails with `TooDeep`.
fn thread_list(input: &[u8], depth: usize) -> IResult<'_, ThreadNode> {
    check_depth(input, depth)?;
    let (rest, _) = tag(b"(")(input)?;
    let (rest, node) = if rest.first() == Some(&b'(') {
        let (rest, children) = thread_nested(rest, depth)?;
        (rest, ThreadNode::from_parts(Vec::new(), children))
    } else {
        let (rest, messages) = separated_list1(sp, nz_number)(rest)?;
        let (rest, children) = opt(preceded(sp, |i| thread_nested(i, depth)))(rest)?;
        (
            rest,
            ThreadNode::from_parts(messages, children.unwrap_or_default()),
        )
    };
    let (rest, _) = tag(b")")(rest)?;
    Ok((rest, node))
}

/// The `THREAD` response: `"THREAD" [SP 1*thread-list]` (RFC 5256 §4).
pub(crate) fn thread_data(input: &[u8]) -> IResult<'_, ThreadData> {
    map(
        preceded(
            tag_no_case(b"THREAD"),
            opt(preceded(sp, many1(|i| thread_list(i, 0)))),
        ),
        |threads| ThreadData {
            threads: threads.unwrap_or_default(),
        },
    )(input)
}

#[cfg(test)]
mod tests {
    use std::num::{NonZeroU32, NonZeroU64};

    use super::*;
    use crate::codec::decode::{parse_frame, NESTING_LIMIT};
    use crate::core::{AString, Atom, Charset, IString, Quoted};
    use crate::datetime::NaiveDate;
    use crate::search::{PartialRange, SearchKey, SearchReturnOption};

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    fn crit(reverse: bool, key: SortKey) -> SortCriterion {
        SortCriterion { reverse, key }
    }

    fn sort(raw: &[u8]) -> Sort {
        parse_frame(raw, None, sort_args).unwrap()
    }

    fn thread(raw: &[u8]) -> Thread {
        parse_frame(raw, None, thread_args).unwrap()
    }

    fn threads(raw: &[u8]) -> Vec<ThreadNode> {
        parse_frame(raw, None, thread_data).unwrap().threads
    }

    fn chain(ids: &[u32]) -> ThreadNode {
        ThreadNode::chain(Vec1::try_from(ids.iter().map(|&n| nz(n)).collect::<Vec<_>>()).unwrap())
    }

    fn node(ids: &[u32], children: Vec<ThreadNode>) -> ThreadNode {
        ThreadNode::new(ids.iter().map(|&n| nz(n)).collect(), children).unwrap()
    }

    #[test]
    fn rfc5256_sort_examples() {
        let args = sort(b"(DATE) UTF-8 SUBJECT {10}\r\nIMAP4 SORT");
        assert_eq!(args.order.as_slice(), &[crit(false, SortKey::Date)]);
        assert_eq!(args.charset.as_str(), "UTF-8");
        assert!(matches!(
            args.criteria,
            SearchKey::Subject(AString::String(IString::Literal(_)))
        ));
        let args = sort(b"(SUBJECT) UTF-8 SINCE 1-Feb-1994");
        assert_eq!(
            args.criteria,
            SearchKey::Since(NaiveDate::new(1994, 2, 1).unwrap())
        );
        let args = sort(b"(SUBJECT REVERSE DATE) UTF-8 ALL");
        assert_eq!(
            args.order.as_slice(),
            &[crit(false, SortKey::Subject), crit(true, SortKey::Date)]
        );
        let args = sort(b"(SUBJECT) US-ASCII TEXT \"not in mailbox\"");
        assert_eq!(args.return_options, None);
        assert!(matches!(args.criteria, SearchKey::Text(_)));
    }

    #[test]
    fn every_sort_key() {
        let args = sort(
            b"(ARRIVAL cc Date FROM SIZE SUBJECT TO reverse DISPLAYFROM DISPLAYTO) \"UTF-8\" ALL UNSEEN",
        );
        assert_eq!(
            args.order.as_slice(),
            &[
                crit(false, SortKey::Arrival),
                crit(false, SortKey::Cc),
                crit(false, SortKey::Date),
                crit(false, SortKey::From),
                crit(false, SortKey::Size),
                crit(false, SortKey::Subject),
                crit(false, SortKey::To),
                crit(true, SortKey::DisplayFrom),
                crit(false, SortKey::DisplayTo),
            ]
        );
        assert_eq!(args.charset, Charset::Quoted(Quoted::unvalidated("UTF-8")));
        assert_eq!(
            args.criteria,
            SearchKey::And(Vec1::try_from(vec![SearchKey::All, SearchKey::Unseen]).unwrap())
        );
    }

    #[test]
    fn esort_return_options() {
        // RFC 5267 §3.3 and §4.4.
        let args = sort(b"RETURN (MIN MAX) (DATE) UTF-8 UNDELETED UNKEYWORD $Junk");
        assert_eq!(
            args.return_options,
            Some(vec![SearchReturnOption::Min, SearchReturnOption::Max])
        );
        let args = sort(b"RETURN (PARTIAL 23500:24000) (REVERSE DATE) UTF-8 UNDELETED");
        assert_eq!(
            args.return_options,
            Some(vec![SearchReturnOption::Partial(PartialRange::First(
                nz(23500),
                nz(24000)
            ))])
        );
        assert_eq!(
            sort(b"RETURN () (SIZE) UTF-8 ALL").return_options,
            Some(vec![])
        );
    }

    #[test]
    fn malformed_sort_args() {
        for bad in [
            &b"(DATE) ALL"[..],
            b"(DATE) UTF-8",
            b"(DATE) UTF-8 ",
            b"() UTF-8 ALL",
            b"DATE UTF-8 ALL",
            b"(REVERSE) UTF-8 ALL",
            b"(REVERSEDATE) UTF-8 ALL",
            b"(REVERSE  DATE) UTF-8 ALL",
            b"(DATE SENDER) UTF-8 ALL",
            b"(DATE)  UTF-8 ALL",
            b"(DATE) UTF-8 ALL ",
            b"(DATE) UTF-8 ALL)",
            b"RETURN (MIN)(DATE) UTF-8 ALL",
        ] {
            assert!(
                parse_frame(bad, None, sort_args).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let deep = format!("(DATE) UTF-8 {}ALL", "NOT ".repeat(10_000));
        assert!(parse_frame(deep.as_bytes(), None, sort_args)
            .unwrap_err()
            .is_too_deep());
    }

    #[test]
    fn thread_args_forms() {
        // RFC 5256 §4.
        let args = thread(b"ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000");
        assert_eq!(args.algorithm, ThreadAlgorithm::OrderedSubject);
        assert_eq!(
            args.criteria,
            SearchKey::Since(NaiveDate::new(2000, 3, 5).unwrap())
        );
        assert_eq!(
            thread(b"references US-ASCII TEXT \"gewp\"").algorithm,
            ThreadAlgorithm::References
        );
        assert_eq!(
            thread(b"REFS UTF-8 ALL").algorithm,
            ThreadAlgorithm::Other(Atom::unvalidated("REFS"))
        );
        for bad in [
            &b"REFERENCES ALL"[..],
            b"REFERENCES UTF-8",
            b"(REFERENCES) UTF-8 ALL",
            b"\"REFERENCES\" UTF-8 ALL",
            b"REFERENCES UTF-8 BOGUS",
        ] {
            assert!(
                parse_frame(bad, None, thread_args).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let deep = format!(
            "REFERENCES UTF-8 {}ALL{}",
            "(".repeat(10_000),
            ")".repeat(10_000)
        );
        assert!(parse_frame(deep.as_bytes(), None, thread_args)
            .unwrap_err()
            .is_too_deep());
    }

    #[test]
    fn sort_responses() {
        let data = parse_frame(b"SORT 2 3 1", None, sort_data).unwrap();
        assert_eq!(data.ids(), &[nz(2), nz(3), nz(1)]);
        assert_eq!(data.modseq(), None);
        assert!(parse_frame(b"SORT", None, sort_data)
            .unwrap()
            .ids()
            .is_empty());
        let data = parse_frame(b"SORT 5 3 4 1 2 (MODSEQ 1236)", None, sort_data).unwrap();
        assert_eq!(data.ids().len(), 5);
        assert_eq!(data.modseq(), NonZeroU64::new(1236));
        for bad in [
            &b"SORT (MODSEQ 1)"[..],
            b"SORT 0",
            b"SORT 1 ",
            b"SORT 1 (MODSEQ 0)",
            b"SORT 1,2",
        ] {
            assert!(
                parse_frame(bad, None, sort_data).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn thread_responses() {
        // The example of RFC 5256 §4.
        assert_eq!(
            threads(b"THREAD (2)(3 6 (4 23)(44 7 96))"),
            vec![
                chain(&[2]),
                node(&[3, 6], vec![chain(&[4, 23]), chain(&[44, 7, 96])]),
            ]
        );
        assert_eq!(
            threads(b"THREAD ((3)(5))"),
            vec![node(&[], vec![chain(&[3]), chain(&[5])])]
        );
        assert!(threads(b"THREAD").is_empty());
        // The transcripts of RFC 5256 §4.
        let ordered = threads(b"THREAD (166)(167)(168)(169)(172)(170)(171)(173)(174 (175)(176)(178)(181)(180))(179)(177 (183)(182)(188)(184)(185)(186)(187)(189))(190)(191)(192)(193)(194 195)(196 (197)(198))(199)(200 202)(201)(203)(204)(205)(206 207)(208)");
        assert_eq!(ordered.len(), 25);
        assert_eq!(
            ordered[8],
            node(
                &[174],
                vec![
                    chain(&[175]),
                    chain(&[176]),
                    chain(&[178]),
                    chain(&[181]),
                    chain(&[180])
                ]
            )
        );
        let references = threads(b"THREAD (166)(167)(168)(169)(172)((170)(179))(171)(173)((174)(175)(176)(178)(181)(180))((177)(183)(182)(188 (184)(189))(185 186)(187))(190)(191)(192)(193)((194)(195 196))(197 198)(199)(200 202)(201)(203)(204)(205 206 207)(208)");
        assert_eq!(references.len(), 23);
        assert_eq!(
            references[9],
            node(
                &[],
                vec![
                    chain(&[177]),
                    chain(&[183]),
                    chain(&[182]),
                    node(&[188], vec![chain(&[184]), chain(&[189])]),
                    chain(&[185, 186]),
                    chain(&[187]),
                ]
            )
        );
    }

    #[test]
    fn malformed_thread_responses() {
        for bad in [
            &b"THREAD "[..],
            b"THREAD ()",
            b"THREAD (0)",
            b"THREAD (1 (2))",
            b"THREAD ((1))",
            b"THREAD (1)(",
            b"THREAD (1) (2)",
            b"THREAD (1 2",
            b"THREAD (1  2)",
            b"THREAD (1(2)(3))",
            b"THREAD (1 (2)(3) 4)",
            b"THREAD 1",
        ] {
            assert!(
                parse_frame(bad, None, thread_data).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn thread_nesting_limit() {
        // `(1 (2)(1 (2)(9)))`: each level one list deeper.
        let nested = |n: usize| format!("THREAD {}(9){}", "(1 (2)".repeat(n), ")".repeat(n));
        let ok = nested(NESTING_LIMIT - 1);
        assert!(
            parse_frame(ok.as_bytes(), None, thread_data).is_ok(),
            "{ok}"
        );
        for raw in [
            nested(NESTING_LIMIT),
            nested(10_000),
            format!("THREAD {}", "(".repeat(100_000)),
            format!("THREAD {}(1)(2){}", "(".repeat(10_000), ")".repeat(10_000)),
        ] {
            let error = parse_frame(raw.as_bytes(), None, thread_data).unwrap_err();
            assert!(error.is_too_deep(), "{error}");
        }
    }
}
