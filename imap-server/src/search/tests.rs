//! Every key against the five harness fixtures (imap-server/testdata/, copied from
//! ../shared/clients/messages with their flags and dates from
//! fixtures.json), the imaplib `search` and `esearch` checks with the same
//! expectations, and corner cases.

use std::collections::BTreeSet;
use std::num::NonZeroU32;

use imapkit_proto::codec::CommandCodec;
use imapkit_proto::command::CommandBody;
use imapkit_proto::datetime::NaiveDate;
use imapkit_proto::search::{PartialRange, Search, SearchReturnData, SearchReturnOption};
use imapkit_proto::sequence::SequenceSet;

use super::*;
use crate::backend::Flag;

/// The fixture messages in APPEND order.
const RAW: [&[u8]; 5] = [
    include_bytes!("../../testdata/m01_plain.eml"),
    include_bytes!("../../testdata/m02_alternative.eml"),
    include_bytes!("../../testdata/m03_mixed.eml"),
    include_bytes!("../../testdata/m04_intl.eml"),
    include_bytes!("../../testdata/m05_large.eml"),
];

/// UIDs with gaps, so that UID and sequence results differ.
const UIDS: [u32; 5] = [3, 7, 8, 20, 21];

/// Now for WITHIN: 2021-07-01 13:00:00 UTC, one hour after message 5.
const NOW: i64 = 1_625_144_400;

/// One test message: metadata plus its bytes.
#[derive(Debug)]
struct Msg {
    uid: u32,
    flags: Flags,
    recent: bool,
    date: InternalDate,
    modseq: u64,
    raw: Vec<u8>,
    /// The decoded text of `raw`.
    text: SearchText,
}

/// A flag set of `list`.
fn flags(list: &[Flag]) -> Flags {
    list.iter().cloned().collect()
}

/// A keyword flag.
fn keyword(k: &str) -> Flag {
    Flag::Keyword(k.to_owned())
}

/// Unix time of `y-m-d hh:mm` in UTC.
fn unix(y: u16, m: u8, d: u8, hh: i64, mm: i64) -> i64 {
    NaiveDate::new(y, m, d).unwrap().days_since_epoch() * 86_400 + hh * 3600 + mm * 60
}

/// The fixture folder as the harness builds it: messages 4 and 5 are
/// appended after another session claimed \Recent for 1 to 3.
fn fixture() -> Vec<Msg> {
    let flag_sets = [
        flags(&[Flag::Seen, Flag::Answered]),
        flags(&[Flag::Flagged, keyword("$label1")]),
        flags(&[Flag::Draft]),
        flags(&[Flag::Seen, keyword("NonJunk"), keyword("$label1")]),
        flags(&[Flag::Deleted]),
    ];
    let dates = [(3, 10), (4, 20), (5, 30), (6, 15), (7, 1)];
    flag_sets
        .into_iter()
        .enumerate()
        .map(|(i, flags)| Msg {
            uid: UIDS[i],
            flags,
            recent: i >= 3,
            date: InternalDate::new(unix(2021, dates[i].0, dates[i].1, 12, 0), 0).unwrap(),
            modseq: 10 + i as u64,
            raw: RAW[i].to_vec(),
            text: SearchText::new(RAW[i]),
        })
        .collect()
}

/// The candidates for `msgs`, with or without their bytes.
fn candidates(msgs: &[Msg], with_raw: bool) -> Vec<Candidate<'_>> {
    msgs.iter()
        .enumerate()
        .map(|(i, m)| Candidate {
            seq: i as u32 + 1,
            uid: m.uid,
            flags: &m.flags,
            recent: m.recent,
            size: m.raw.len() as u64,
            internal_date: m.date,
            modseq: m.modseq,
            text: with_raw.then_some(&m.text),
        })
        .collect()
}

/// Parses `args` as our decoder does a `SEARCH` command's arguments.
fn parse(args: &[u8]) -> Search {
    let mut frame = b"a SEARCH ".to_vec();
    frame.extend_from_slice(args);
    frame.extend_from_slice(b"\r\n");
    match CommandCodec::decode(&frame).expect("valid SEARCH").body {
        CommandBody::Search { search, .. } => search,
        other => panic!("not a SEARCH: {other:?}"),
    }
}

/// The context for `msgs`, with `saved` as the `$` result.
fn context(msgs: &[Msg], saved: &[u32]) -> Context<'static> {
    let saved: &'static [u32] = Box::leak(saved.to_vec().into_boxed_slice());
    Context {
        largest_seq: msgs.len() as u32,
        largest_uid: msgs.last().map_or(0, |m| m.uid),
        saved_uids: saved,
        now: NOW,
        charset: SearchCharset::default(),
    }
}

/// Runs `args` over `msgs`; the raw messages are passed only when
/// [`needs_body`] asks for them, as the SEARCH command will.
fn run_on(msgs: &[Msg], args: &[u8], saved: &[u32]) -> Result<SearchOutcome, SearchError> {
    let search = parse(args);
    let with_raw = needs_body(&search.criteria);
    run(&search, candidates(msgs, with_raw), &context(msgs, saved))
}

/// Sequence numbers and UIDs matched by `args` over the fixtures.
fn search(args: &str) -> (BTreeSet<u32>, BTreeSet<u32>) {
    let outcome = run_on(&fixture(), args.as_bytes(), &[]).expect(args);
    let set = |uid| outcome.ids(uid).iter().map(|n| n.get()).collect();
    (set(false), set(true))
}

/// A set of numbers.
fn set(items: &[u32]) -> BTreeSet<u32> {
    items.iter().copied().collect()
}

/// The imaplib harness's `build_searches`, with its expected sets.
#[test]
fn imaplib_search_table() {
    let all = set(&[1, 2, 3, 4, 5]);
    let minus = |a: &BTreeSet<u32>, b: &[u32]| a - &set(b);
    let t = RAW[3].len();
    let larger: BTreeSet<u32> = (1..=5).filter(|&i| RAW[i as usize - 1].len() > t).collect();
    let smaller: BTreeSet<u32> = (1..=5).filter(|&i| RAW[i as usize - 1].len() < t).collect();
    assert_eq!((&larger, &smaller), (&set(&[3, 5]), &set(&[1, 2])));
    let table: Vec<(&str, String, BTreeSet<u32>)> = vec![
        ("ALL", "ALL".into(), all.clone()),
        ("ANSWERED", "ANSWERED".into(), set(&[1])),
        ("UNANSWERED", "UNANSWERED".into(), minus(&all, &[1])),
        ("DELETED", "DELETED".into(), set(&[5])),
        ("UNDELETED", "UNDELETED".into(), minus(&all, &[5])),
        ("DRAFT", "DRAFT".into(), set(&[3])),
        ("UNDRAFT", "UNDRAFT".into(), minus(&all, &[3])),
        ("FLAGGED", "FLAGGED".into(), set(&[2])),
        ("UNFLAGGED", "UNFLAGGED".into(), minus(&all, &[2])),
        ("SEEN", "SEEN".into(), set(&[1, 4])),
        ("UNSEEN", "UNSEEN".into(), set(&[2, 3, 5])),
        ("KEYWORD", "KEYWORD $label1".into(), set(&[2, 4])),
        ("UNKEYWORD", "UNKEYWORD $label1".into(), set(&[1, 3, 5])),
        ("KEYWORD_NonJunk", "KEYWORD NonJunk".into(), set(&[4])),
        ("RECENT", "RECENT".into(), set(&[4, 5])),
        ("NEW", "NEW".into(), set(&[5])),
        ("OLD", "OLD".into(), set(&[1, 2, 3])),
        ("FROM", "FROM alice".into(), set(&[1, 5])),
        ("FROM_name", "FROM \"Dave\"".into(), set(&[2])),
        ("TO", "TO bob@example.org".into(), set(&[1, 2])),
        ("TO_folded", "TO recipient07".into(), set(&[4])),
        ("CC", "CC carol".into(), set(&[1])),
        ("BCC", "BCC eve@example.org".into(), set(&[2])),
        ("SUBJECT", "SUBJECT lunch".into(), set(&[2])),
        ("SUBJECT_case", "SUBJECT LUNCH".into(), set(&[2])),
        (
            "SUBJECT_not_nested",
            "SUBJECT \"Forwarded original\"".into(),
            set(&[]),
        ),
        ("BODY", "BODY zebracorn".into(), set(&[1])),
        (
            "BODY_nested_message",
            "BODY platypusfjord".into(),
            set(&[3]),
        ),
        ("BODY_not_header", "BODY \"Plain hello\"".into(), set(&[])),
        ("TEXT_body", "TEXT zebracorn".into(), set(&[1])),
        ("TEXT_header", "TEXT \"Plain hello\"".into(), set(&[1])),
        ("HEADER", "HEADER X-Harness-Tag gamma".into(), set(&[3])),
        (
            "HEADER_empty_string",
            "HEADER X-Harness-Tag \"\"".into(),
            all.clone(),
        ),
        (
            "HEADER_message_id",
            "HEADER Message-ID alt-0002".into(),
            set(&[2]),
        ),
        (
            "HEADER_not_nested",
            "HEADER Message-ID inner-0003".into(),
            set(&[]),
        ),
        ("LARGER", format!("LARGER {t}"), larger.clone()),
        ("SMALLER", format!("SMALLER {t}"), smaller),
        ("BEFORE", "BEFORE 20-Apr-2021".into(), set(&[1])),
        ("ON", "ON 20-Apr-2021".into(), set(&[2])),
        ("SINCE", "SINCE 20-Apr-2021".into(), set(&[2, 3, 4, 5])),
        ("SENTBEFORE", "SENTBEFORE 20-Feb-2020".into(), set(&[1])),
        ("SENTON", "SENTON 20-Feb-2020".into(), set(&[2])),
        (
            "SENTSINCE",
            "SENTSINCE 20-Feb-2020".into(),
            set(&[2, 3, 4, 5]),
        ),
        (
            "UID",
            format!("UID {}:{}", UIDS[1], UIDS[3]),
            set(&[2, 3, 4]),
        ),
        ("UID_star", format!("UID {}:*", UIDS[4] + 1000), set(&[5])),
        ("seqset_range", "2:4".into(), set(&[2, 3, 4])),
        ("seqset_reversed", "4:2".into(), set(&[2, 3, 4])),
        ("seqset_list", "1,3,5".into(), set(&[1, 3, 5])),
        ("seqset_star", "*".into(), set(&[5])),
        ("seqset_to_star", "3:*".into(), set(&[3, 4, 5])),
        ("NOT", "NOT SEEN".into(), set(&[2, 3, 5])),
        ("NOT_NOT", "NOT NOT SEEN".into(), set(&[1, 4])),
        ("OR", "OR FLAGGED DRAFT".into(), set(&[2, 3])),
        (
            "OR_OR",
            "OR OR FLAGGED DRAFT DELETED".into(),
            set(&[2, 3, 5]),
        ),
        (
            "OR_parens",
            "OR (SEEN ANSWERED) (FLAGGED KEYWORD $label1)".into(),
            set(&[1, 2]),
        ),
        ("NOT_OR", "NOT (OR DELETED DRAFT)".into(), set(&[1, 2, 4])),
        (
            "OR_NOT_nested",
            "OR (NOT SEEN) (OR DELETED ANSWERED)".into(),
            set(&[1, 2, 3, 5]),
        ),
        ("AND_implicit", "UNSEEN UNDELETED".into(), set(&[2, 3])),
        ("AND_seqset", "1:3 SEEN".into(), set(&[1])),
        ("AND_mixed", format!("FROM alice LARGER {t}"), set(&[5])),
        (
            "nested_parens",
            "((SEEN) (OR ANSWERED (KEYWORD NonJunk)))".into(),
            set(&[1, 4]),
        ),
    ];
    let mut failures = Vec::new();
    for (name, args, want) in &table {
        let (seqs, uids) = search(args);
        let want_uids: BTreeSet<u32> = want.iter().map(|&s| UIDS[s as usize - 1]).collect();
        if &seqs != want || uids != want_uids {
            failures.push(format!("{name}: SEARCH {args} -> {seqs:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn charset_utf8_subject_and_body() {
    let (subject, _) = search("CHARSET UTF-8 SUBJECT {8}\r\nMünchen");
    assert_eq!(subject, set(&[4]));
    let (body, _) = search("CHARSET UTF-8 BODY {12}\r\nkängurutanz");
    assert_eq!(body, set(&[4]));
    // Case folding beyond ASCII, both ways.
    assert_eq!(
        search("CHARSET utf-8 BODY {12}\r\nKÄNGURUTANZ").0,
        set(&[4])
    );
    assert_eq!(search("CHARSET UTF-8 FROM {7}\r\nJÜRGEN").0, set(&[4]));
    // A decoded RFC 2047 word across the fold of a long Subject.
    assert_eq!(
        search("CHARSET UTF-8 SUBJECT {16}\r\nUmlauten äöü,").0,
        set(&[4])
    );
    assert_eq!(search("CHARSET US-ASCII SUBJECT betreff").0, set(&[4]));
}

#[test]
fn bad_charset_is_refused_before_looking_at_messages() {
    let search = parse(b"CHARSET X-NO-SUCH-CHARSET SUBJECT x");
    let msgs = fixture();
    assert_eq!(
        run(&search, candidates(&msgs, false), &context(&msgs, &[])),
        Err(SearchError::BadCharset)
    );
    assert_eq!(SUPPORTED_CHARSETS, ["US-ASCII", "UTF-8"]);
}

#[test]
fn invalid_utf8_string_is_an_error() {
    let msgs = fixture();
    assert_eq!(
        run_on(&msgs, b"CHARSET UTF-8 BODY {2}\r\n\xff\xfe", &[]),
        Err(SearchError::BadString)
    );
}

#[test]
fn missing_body_is_reported() {
    let msgs = fixture();
    let search = parse(b"BODY zebracorn");
    assert_eq!(
        run(&search, candidates(&msgs, false), &context(&msgs, &[])),
        Err(SearchError::MissingBody)
    );
}

#[test]
fn needs_body_only_for_text_and_sent_keys() {
    for args in [
        "ALL",
        "OR SEEN 1:3",
        "NOT UID 5",
        "LARGER 3 SINCE 1-Jan-2020",
        "YOUNGER 5",
    ] {
        assert!(!needs_body(&parse(args.as_bytes()).criteria), "{args}");
    }
    for args in [
        "NOT SUBJECT x",
        "OR SEEN BODY x",
        "SENTON 1-Jan-2020",
        "HEADER X y",
        "TEXT z",
    ] {
        assert!(needs_body(&parse(args.as_bytes()).criteria), "{args}");
    }
}

#[test]
fn text_searches_nested_headers_body_does_not() {
    // The attached message's From is text of the outer message, not body.
    assert_eq!(search("TEXT \"Frank Inner\"").0, set(&[3]));
    assert_eq!(search("BODY \"Frank Inner\"").0, set(&[]));
    assert_eq!(search("FROM \"Frank Inner\"").0, set(&[]));
    // A MIME part header counts for TEXT, not for HEADER.
    assert_eq!(search("TEXT report.pdf").0, set(&[3]));
    assert_eq!(search("HEADER Content-Disposition attachment").0, set(&[]));
    // Base64 attachments are not searched as text.
    assert_eq!(search("BODY 8RKEOhgs0vOwLb5Ur1Ovjq5l9g8").0, set(&[]));
    // HTML alternatives are: both parts of message 2.
    assert_eq!(search("BODY \"<b>quokkaburger</b>\"").0, set(&[2]));
}

#[test]
fn header_keys_decode_and_match_as_written() {
    assert_eq!(search("FROM \"O'Brien\"").0, set(&[2]));
    assert_eq!(search("HEADER sender secretary").0, set(&[2]));
    assert_eq!(
        search("HEADER X-Long-Header \"word09 word10\"").0,
        set(&[4])
    );
    assert_eq!(search("HEADER X-No-Such \"\"").0, set(&[]));
    assert_eq!(search("CC \"\"").0, set(&[1]));
    assert_eq!(search("NOT HEADER Reply-To \"\"").0, set(&[1, 3, 4, 5]));
}

#[test]
fn within_older_younger() {
    // Message 5 is 3600 s old at NOW; messages 1-4 are months older.
    assert_eq!(search("YOUNGER 3600").0, set(&[5]));
    assert_eq!(search("OLDER 3600").0, set(&[1, 2, 3, 4]));
    assert_eq!(search("YOUNGER 3599").0, set(&[]));
    assert_eq!(search("OLDER 3599").0, set(&[1, 2, 3, 4, 5]));
}

#[test]
fn modseq_and_its_report() {
    let msgs = fixture();
    let outcome = run_on(&msgs, b"MODSEQ 12", &[]).unwrap();
    assert_eq!(outcome.ids(false), nz(&[3, 4, 5]));
    assert_eq!(outcome.highest_modseq().map(|m| m.get()), Some(14));
    assert_eq!(
        outcome.search_data(false).modseq().map(|m| m.get()),
        Some(14)
    );
    let entry = run_on(&msgs, b"MODSEQ \"/flags/\\\\draft\" all 14", &[]).unwrap();
    assert_eq!(entry.ids(true), nz(&[21]));
    // Without a MODSEQ key, no mod-sequence is reported.
    assert_eq!(
        run_on(&msgs, b"ALL", &[])
            .unwrap()
            .search_data(false)
            .modseq(),
        None
    );
}

#[test]
fn saved_result_dollar() {
    let msgs = fixture();
    let saved = [UIDS[1], UIDS[4]];
    let dollar = run_on(&msgs, b"$", &saved).unwrap();
    assert_eq!(dollar.ids(false), nz(&[2, 5]));
    let uid_dollar = run_on(&msgs, b"UID $ SEEN", &saved).unwrap();
    assert_eq!(uid_dollar.ids(false), nz(&[]));
    assert_eq!(run_on(&msgs, b"OR $ 1", &[]).unwrap().ids(false), nz(&[1]));
}

/// Numbers as `NonZeroU32`.
fn nz(ids: &[u32]) -> Vec<NonZeroU32> {
    ids.iter().map(|&n| NonZeroU32::new(n).unwrap()).collect()
}

/// `ALL` of `ids`.
fn all_of(ids: &[u32]) -> SearchReturnData {
    SearchReturnData::All(SequenceSet::from_numbers(nz(ids)).unwrap())
}

/// The imaplib `esearch` group.
#[test]
fn esearch_min_max_count_all() {
    let msgs = fixture();
    let opts = [
        SearchReturnOption::Min,
        SearchReturnOption::Max,
        SearchReturnOption::Count,
        SearchReturnOption::All,
    ];
    let unseen = run_on(&msgs, b"UNSEEN", &[]).unwrap();
    assert_eq!(
        unseen.return_data(&opts, false),
        vec![
            SearchReturnData::Min(nz(&[2])[0]),
            SearchReturnData::Max(nz(&[5])[0]),
            all_of(&[2, 3, 5]),
            SearchReturnData::Count(3),
        ]
    );
    assert_eq!(
        unseen.return_data(&opts, true),
        vec![
            SearchReturnData::Min(nz(&[7])[0]),
            SearchReturnData::Max(nz(&[21])[0]),
            all_of(&[7, 8, 21]),
            SearchReturnData::Count(3),
        ]
    );
    let none = run_on(&msgs, b"SUBJECT xyzzy-no-match", &[]).unwrap();
    assert_eq!(
        none.return_data(&opts, false),
        vec![SearchReturnData::Count(0)]
    );
    let flagged = run_on(&msgs, b"FLAGGED", &[]).unwrap();
    assert_eq!(flagged.return_data(&[], false), vec![all_of(&[2])]);
    // ALL is compact: 1:5, not 1,2,3,4,5.
    let every = run_on(&msgs, b"ALL", &[]).unwrap();
    let data = every.return_data(&[SearchReturnOption::All], false);
    let [SearchReturnData::All(SequenceSet::Set(items))] = data.as_slice() else {
        panic!("not one ALL: {data:?}")
    };
    assert_eq!(items.as_slice().len(), 1);
}

#[test]
fn esearch_partial_and_save() {
    let msgs = fixture();
    let every = run_on(&msgs, b"ALL", &[]).unwrap();
    let n = |v| NonZeroU32::new(v).unwrap();
    let partial = |range| every.return_data(&[SearchReturnOption::Partial(range)], true);
    assert_eq!(
        partial(PartialRange::First(n(2), n(3))),
        vec![SearchReturnData::Partial {
            range: PartialRange::First(n(2), n(3)),
            results: SequenceSet::from_numbers(nz(&[7, 8])),
        }]
    );
    assert_eq!(
        partial(PartialRange::Last(n(1), n(2))),
        vec![SearchReturnData::Partial {
            range: PartialRange::Last(n(1), n(2)),
            results: SequenceSet::from_numbers(nz(&[20, 21])),
        }]
    );
    assert_eq!(
        partial(PartialRange::First(n(9), n(6))),
        vec![SearchReturnData::Partial {
            range: PartialRange::First(n(9), n(6)),
            results: None,
        }]
    );
    assert_eq!(every.saved_uids(&[SearchReturnOption::Save]), UIDS.to_vec());
    let min_max = [
        SearchReturnOption::Save,
        SearchReturnOption::Min,
        SearchReturnOption::Max,
    ];
    assert_eq!(every.saved_uids(&min_max), vec![3, 21]);
    let min_count = [
        SearchReturnOption::Save,
        SearchReturnOption::Min,
        SearchReturnOption::Count,
    ];
    assert_eq!(every.saved_uids(&min_count), UIDS.to_vec());
}

/// One message of `header` lines and `body`, CRLF ends, with metadata.
fn message(raw: &str, date: InternalDate) -> Msg {
    let raw = raw.replace('\n', "\r\n").into_bytes();
    Msg {
        uid: 1,
        flags: Flags::new(),
        recent: false,
        date,
        modseq: 1,
        text: SearchText::new(&raw),
        raw,
    }
}

/// Whether the single `msg` matches `args`.
fn matches_one(msg: &Msg, args: &str) -> bool {
    let msgs = std::slice::from_ref(msg);
    !run_on(msgs, args.as_bytes(), &[])
        .expect(args)
        .hits
        .is_empty()
}

#[test]
fn dates_use_their_own_zone() {
    // 1-Mar-2021 23:30 -0500 is 2-Mar in UTC; the day is 1-Mar.
    let late = InternalDate::new(unix(2021, 3, 2, 4, 30), -300).unwrap();
    let msg = message(
        "Date: Mon, 1 Mar 2021 23:30:00 -0500\nSubject: x\n\nbody\n",
        late,
    );
    assert!(matches_one(&msg, "ON 1-Mar-2021"));
    assert!(!matches_one(&msg, "ON 2-Mar-2021"));
    assert!(matches_one(&msg, "BEFORE 2-Mar-2021"));
    assert!(matches_one(&msg, "SINCE 1-Mar-2021"));
    assert!(!matches_one(&msg, "SINCE 2-Mar-2021"));
    assert!(matches_one(&msg, "SENTON 1-Mar-2021"));
    assert!(matches_one(&msg, "SENTBEFORE 2-Mar-2021"));
    assert!(!matches_one(&msg, "SENTSINCE 2-Mar-2021"));
    // East of UTC: 1-Mar 00:30 +0200 is still 28-Feb in UTC.
    let early = InternalDate::new(unix(2021, 2, 28, 22, 30), 120).unwrap();
    let msg = message("Subject: x\n\nbody\n", early);
    assert!(matches_one(&msg, "ON 1-Mar-2021"));
}

#[test]
fn unparsable_or_missing_date_never_matches() {
    let date = InternalDate::new(unix(2021, 3, 1, 12, 0), 0).unwrap();
    for raw in [
        "Date: not a date at all\nSubject: x\n\nb\n",
        "Subject: x\n\nb\n",
    ] {
        let msg = message(raw, date);
        for key in [
            "SENTBEFORE 1-Jan-3000",
            "SENTSINCE 1-Jan-1900",
            "SENTON 1-Mar-2021",
        ] {
            assert!(!matches_one(&msg, key), "{raw:?} {key}");
        }
        // NOT of a non-match matches.
        assert!(matches_one(&msg, "NOT SENTSINCE 1-Jan-1900"));
    }
}

#[test]
fn body_is_decoded_before_matching() {
    let date = InternalDate::new(0, 0).unwrap();
    let qp = message(
        "Subject: x\nContent-Type: text/plain; charset=iso-8859-1\n\
         Content-Transfer-Encoding: quoted-printable\n\nGr=FC=DFe aus K=F6ln, soft=\nbreak\n",
        date,
    );
    assert!(matches_one(&qp, "CHARSET UTF-8 BODY {7}\r\ngrüße"));
    assert!(matches_one(&qp, "CHARSET UTF-8 BODY {5}\r\nköln"));
    assert!(matches_one(&qp, "BODY softbreak"));
    assert!(!matches_one(&qp, "BODY =FC"));
    let b64 = message(
        "Subject: =?ISO-8859-1?Q?Caf=E9?= time\nContent-Transfer-Encoding: base64\n\n\
         aGlkZGVuIG1hbmdvc3RlZW4K\n",
        date,
    );
    assert!(matches_one(&b64, "BODY mangosteen"));
    assert!(matches_one(&b64, "CHARSET UTF-8 SUBJECT {10}\r\ncafé time"));
    assert!(!matches_one(&b64, "SUBJECT ISO-8859-1"));
}

#[test]
fn repeated_fields_match_any_occurrence() {
    let date = InternalDate::new(0, 0).unwrap();
    let msg = message(
        "Received: from a\nReceived: from b\nSubject: s\n\nx\n",
        date,
    );
    assert!(matches_one(&msg, "HEADER Received \"from b\""));
    assert!(matches_one(&msg, "HEADER received \"FROM A\""));
}

#[test]
fn charset_names() {
    use imapkit_proto::core::{Atom, Charset};
    let charset = |s: &str| Charset::Atom(Atom::try_from(s).unwrap());
    assert_eq!(SearchCharset::from_wire(None), Ok(SearchCharset::UsAscii));
    assert_eq!(
        SearchCharset::from_wire(Some(&charset("us-ascii"))),
        Ok(SearchCharset::UsAscii)
    );
    assert_eq!(
        SearchCharset::from_wire(Some(&charset("Utf-8"))),
        Ok(SearchCharset::Utf8)
    );
    assert_eq!(
        SearchCharset::from_wire(Some(&charset("ISO-8859-1"))),
        Err(SearchError::BadCharset)
    );
}

#[test]
fn encoded_nested_message_is_searched() {
    // A base64 message/rfc822 part (RFC 2046 forbids it; some senders do it):
    // mail-parser decodes it into its own buffer.
    let date = InternalDate::new(0, 0).unwrap();
    let msg = message(
        "Subject: outer\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\
         Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n\
         RnJvbTogSGlkZGVuIFNlbmRlciA8aEBleGFtcGxlLm5ldD4NClN1YmplY3Q6IGlubmVyDQoNCnNlY3JldCBkdXJpYW4gdGV4dA0K\n--b--\n",
        date,
    );
    assert!(matches_one(&msg, "BODY durian"));
    assert!(matches_one(&msg, "TEXT \"Hidden Sender\""));
    assert!(!matches_one(&msg, "BODY \"Hidden Sender\""));
    assert!(!matches_one(&msg, "FROM Hidden"));
}
