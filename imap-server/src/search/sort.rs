//! SORT order (RFC 5256 §3, DISPLAYFROM/DISPLAYTO of RFC 5957 §3): the
//! keys of one message and their comparison.
//!
//! Like the search evaluator this is pure: the SORT command builds one
//! [`SortKeys`] per matching message from its view (ARRIVAL, SIZE) and the
//! cached ENVELOPE (the rest), and [`sort`] orders them.
//!
//! # Semantics
//! - Strings compare by `i;ascii-casemap` (RFC 4790 §9.2), the default
//!   collation of RFC 5256 §3: octets after ASCII upper-casing.
//! - DATE is the sent date of RFC 5256 §2.2: the `Date:` header in UTC, or
//!   the internal date when it is missing or cannot be parsed. The field is
//!   read with the obsolete syntax of RFC 5322 §4.3 too (named zones, no
//!   seconds, two-digit years), as Dovecot reads it; mail-parser 0.11
//!   refuses some of those forms.
//! - FROM, TO and CC are the first address's `addr-mailbox` (a group's
//!   name for a group, as Dovecot does), the empty string when there is none.
//! - DISPLAYFROM and DISPLAYTO are the first address's display name,
//!   RFC 2047 decoded, or its `mailbox@host` when it has none (RFC 5957 §3).
//! - Messages equal on every criterion keep sequence order, whatever
//!   `REVERSE` says (RFC 5256 §3: REVERSE reverses that criterion only).

use std::cmp::Ordering;

use imapkit_proto::body::{Address, Envelope};
use imapkit_proto::sort::{SortCriterion, SortKey};

use super::subject::BaseSubject;
use super::text::decode_unstructured;
use crate::backend::InternalDate;

/// Whether a sort order needs the messages' envelopes (every key but
/// ARRIVAL and SIZE does).
pub(crate) fn needs_envelope(order: &[SortCriterion]) -> bool {
    order
        .iter()
        .any(|c| !matches!(c.key, SortKey::Arrival | SortKey::Size))
}

/// What one message is sorted by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SortKeys {
    /// Its sequence number: the last tie-break, and how the command finds
    /// the message again.
    pub seq: u32,
    /// ARRIVAL: the internal date, Unix seconds.
    pub arrival: i64,
    /// SIZE: RFC822.SIZE.
    pub size: u64,
    /// DATE: the sent date, Unix seconds.
    pub sent: i64,
    /// SUBJECT: the base subject, casemapped.
    pub subject: String,
    /// FROM, casemapped.
    pub from: String,
    /// TO, casemapped.
    pub to: String,
    /// CC, casemapped.
    pub cc: String,
    /// DISPLAYFROM, casemapped.
    pub display_from: String,
    /// DISPLAYTO, casemapped.
    pub display_to: String,
}

impl SortKeys {
    /// The keys of a message without its envelope: only ARRIVAL and SIZE
    /// mean anything (what [`needs_envelope`] says suffices), the strings
    /// are empty and DATE is the internal date.
    pub(crate) fn without_envelope(seq: u32, internal: InternalDate, size: u64) -> Self {
        Self {
            seq,
            arrival: internal.unix_seconds(),
            size,
            sent: internal.unix_seconds(),
            subject: String::new(),
            from: String::new(),
            to: String::new(),
            cc: String::new(),
            display_from: String::new(),
            display_to: String::new(),
        }
    }

    /// The keys of a message with its envelope.
    pub(crate) fn new(seq: u32, internal: InternalDate, size: u64, envelope: &Envelope) -> Self {
        Self {
            sent: sent_date(envelope, internal),
            subject: BaseSubject::of(envelope.subject.as_bytes()).key,
            from: mailbox(&envelope.from),
            to: mailbox(&envelope.to),
            cc: mailbox(&envelope.cc),
            display_from: display(&envelope.from),
            display_to: display(&envelope.to),
            ..Self::without_envelope(seq, internal, size)
        }
    }

    /// The order of `self` and `other` under one key, ascending.
    fn compare(&self, other: &Self, key: SortKey) -> Ordering {
        match key {
            SortKey::Arrival => self.arrival.cmp(&other.arrival),
            SortKey::Size => self.size.cmp(&other.size),
            SortKey::Date => self.sent.cmp(&other.sent),
            SortKey::Subject => self.subject.cmp(&other.subject),
            SortKey::From => self.from.cmp(&other.from),
            SortKey::To => self.to.cmp(&other.to),
            SortKey::Cc => self.cc.cmp(&other.cc),
            SortKey::DisplayFrom => self.display_from.cmp(&other.display_from),
            SortKey::DisplayTo => self.display_to.cmp(&other.display_to),
        }
    }
}

/// Sorts `messages` by `order`, the first criterion first; ties keep
/// sequence order (RFC 5256 §3).
pub(crate) fn sort(messages: &mut [SortKeys], order: &[SortCriterion]) {
    messages.sort_by(|a, b| {
        order
            .iter()
            .map(|c| {
                let ordering = a.compare(b, c.key);
                if c.reverse {
                    ordering.reverse()
                } else {
                    ordering
                }
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.seq.cmp(&b.seq))
    });
}

/// The sent date (RFC 5256 §2.2): the `Date:` field in Unix seconds, or
/// the internal date when the field is missing or invalid.
pub(crate) fn sent_date(envelope: &Envelope, internal: InternalDate) -> i64 {
    envelope
        .date
        .as_bytes()
        .and_then(parse_date)
        .unwrap_or_else(|| internal.unix_seconds())
}

/// A `Date:` value in Unix seconds: `[day-name ","] day month year
/// hh:mm[:ss] [zone]` (RFC 5322 §3.3), or `None` when it is not a valid
/// date.
///
/// Read as Dovecot reads it: with the obsolete forms of RFC 5322 §4.3
/// (comments anywhere, two- and three-digit years, named zones), a full
/// month name, `.` between the clock's fields, and a missing or unreadable
/// zone as UTC; text after the zone is ignored. Unlike Dovecot, military
/// zone letters are `-0000` (RFC 5322 §4.3: their RFC 822 meaning was
/// wrong) and dates before 1970 are dates.
fn parse_date(raw: &[u8]) -> Option<i64> {
    let text = String::from_utf8_lossy(raw);
    let mut clean = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => clean.push(c),
            _ => {}
        }
    }
    let mut rest = clean.trim_start();
    if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        // A day name is three letters and a comma.
        let (name, after) = rest.split_at_checked(3)?;
        rest = after.trim_start().strip_prefix(',')?;
        if !name.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
    }
    let mut tokens = rest.split_ascii_whitespace();
    let day: u8 = number(tokens.next()?, 1..=2)?;
    let month = tokens.next()?;
    let month = MONTHS
        .iter()
        .position(|m| {
            month.bytes().all(|b| b.is_ascii_alphabetic())
                && month.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(m))
        })
        .and_then(|m| u8::try_from(m + 1).ok())?;
    let year_text = tokens.next()?;
    let year: u16 = number(year_text, 2..=4)?;
    let year = match year_text.len() {
        2 if year < 50 => year + 2000,
        2 | 3 => year + 1900,
        _ => year,
    };
    let mut clock = tokens.next()?.split([':', '.']);
    let hour: i64 = number(clock.next()?, 1..=2)?;
    let minute: i64 = number(clock.next()?, 2..=2)?;
    let second: i64 = clock.next().map_or(Some(0), |s| number(s, 2..=2))?;
    if clock.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let zone = tokens.next().and_then(zone_minutes).unwrap_or(0);
    let days = imapkit_proto::datetime::NaiveDate::new(year, month, day)
        .ok()?
        .days_since_epoch();
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second - zone * 60)
}

/// Month names, January first.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `text` as a number of `digits` ASCII digits.
fn number<T: std::str::FromStr>(text: &str, digits: std::ops::RangeInclusive<usize>) -> Option<T> {
    (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A zone's offset east of UTC in minutes: `+hhmm` / `-hhmm`, or a US
/// zone name (RFC 5322 §4.3); `None` for anything else.
fn zone_minutes(zone: &str) -> Option<i64> {
    if let Some(digits) = zone.strip_prefix(['+', '-']) {
        let hhmm: i64 = number(digits, 4..=4)?;
        let minutes = hhmm / 100 * 60 + hhmm % 100;
        return Some(if zone.starts_with('-') {
            -minutes
        } else {
            minutes
        });
    }
    let hours = match zone.to_ascii_uppercase().as_str() {
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        _ => return None,
    };
    Some(hours * 60)
}

/// The casemapped `addr-mailbox` of the first address (for a group, its
/// name, as Dovecot takes it), or empty.
fn mailbox(list: &[Address]) -> String {
    list.first()
        .and_then(|a| a.mailbox.as_bytes())
        .map(|m| String::from_utf8_lossy(m).to_ascii_uppercase())
        .unwrap_or_default()
}

/// The casemapped display name of the first address, decoded, or its
/// `mailbox@host` (RFC 5957 §3; a group's name alone), or empty.
fn display(list: &[Address]) -> String {
    let Some(address) = list.first() else {
        return String::new();
    };
    let name = address
        .name
        .as_bytes()
        .map(decode_unstructured)
        .unwrap_or_default();
    let name = name.trim();
    if !name.is_empty() {
        return name.to_ascii_uppercase();
    }
    let mut spec =
        String::from_utf8_lossy(address.mailbox.as_bytes().unwrap_or_default()).into_owned();
    if let Some(host) = address.host.as_bytes() {
        spec.push('@');
        spec.push_str(&String::from_utf8_lossy(host));
    }
    spec.to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use imapkit_proto::sort::SortCriterion;

    use super::*;
    use crate::mime::MessageInfo;

    /// The harness fixtures in APPEND order, with their internal dates
    /// (imap-server/testdata/fixtures.json).
    const FIXTURES: [(&[u8], i64); 5] = [
        (
            include_bytes!("../../testdata/m01_plain.eml"),
            1_615_377_600,
        ),
        (
            include_bytes!("../../testdata/m02_alternative.eml"),
            1_618_920_000,
        ),
        (
            include_bytes!("../../testdata/m03_mixed.eml"),
            1_622_376_000,
        ),
        (include_bytes!("../../testdata/m04_intl.eml"), 1_623_758_400),
        (
            include_bytes!("../../testdata/m05_large.eml"),
            1_625_140_800,
        ),
    ];

    fn fixtures() -> Vec<SortKeys> {
        FIXTURES
            .iter()
            .zip(1..)
            .map(|(&(raw, date), seq)| {
                let info = MessageInfo::parse(raw);
                let date = InternalDate::new(date, 0).unwrap();
                SortKeys::new(seq, date, raw.len() as u64, info.envelope())
            })
            .collect()
    }

    fn sorted(keys: &[(bool, SortKey)]) -> Vec<u32> {
        let order: Vec<SortCriterion> = keys
            .iter()
            .map(|&(reverse, key)| SortCriterion { reverse, key })
            .collect();
        let mut messages = fixtures();
        sort(&mut messages, &order);
        messages.iter().map(|m| m.seq).collect()
    }

    /// Dovecot 2.3's answers for the fixtures, key by key.
    #[test]
    fn every_key_as_dovecot_sorts_the_fixtures() {
        let cases = [
            (SortKey::Subject, [2, 4, 3, 1, 5]),
            (SortKey::Arrival, [1, 2, 3, 4, 5]),
            (SortKey::Date, [1, 2, 3, 4, 5]),
            (SortKey::From, [1, 5, 2, 3, 4]),
            (SortKey::To, [2, 3, 1, 5, 4]),
            (SortKey::Cc, [2, 3, 4, 5, 1]),
            (SortKey::Size, [1, 2, 4, 3, 5]),
            (SortKey::DisplayFrom, [1, 5, 2, 3, 4]),
            (SortKey::DisplayTo, [2, 3, 1, 5, 4]),
        ];
        for (key, want) in cases {
            assert_eq!(sorted(&[(false, key)]), want, "{key:?}");
        }
        assert_eq!(sorted(&[(true, SortKey::Arrival)]), [5, 4, 3, 2, 1]);
        assert_eq!(sorted(&[(true, SortKey::Subject)]), [5, 1, 3, 4, 2]);
    }

    #[test]
    fn later_criteria_break_ties_and_sequence_breaks_the_rest() {
        let mut messages = fixtures();
        for m in &mut messages {
            m.size = 1;
        }
        messages[3].from = messages[0].from.clone();
        let order = [
            SortCriterion {
                reverse: true,
                key: SortKey::Size,
            },
            SortCriterion {
                reverse: true,
                key: SortKey::From,
            },
        ];
        sort(&mut messages, &order);
        // FROM descending: juergen's from is now alice's; equal messages
        // stay in sequence order despite REVERSE.
        let seqs: Vec<u32> = messages.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, [3, 2, 1, 4, 5]);
    }

    #[test]
    fn keys_of_one_message() {
        let keys = &fixtures()[3];
        assert_eq!(
            keys.subject,
            "GRüßE AUS MüNCHEN – EIN SEHR LANGER BETREFF MIT UMLAUTEN äöü, DAMIT ER GEFALTET WIRD"
        );
        assert_eq!(keys.from, "JUERGEN");
        assert_eq!(keys.display_from, "JüRGEN MüLLER");
        assert_eq!(keys.to, "RECIPIENT01");
        assert_eq!(keys.sent, 1_585_742_400);
        let second = &fixtures()[1];
        assert_eq!(second.display_to, "ALICE@EXAMPLE.COM");
        assert!(needs_envelope(&[SortCriterion {
            reverse: false,
            key: SortKey::Cc
        }]));
        assert!(!needs_envelope(&[SortCriterion {
            reverse: true,
            key: SortKey::Size
        }]));
    }

    /// Groups count by their name, an empty display name by the address
    /// (Dovecot's order over the same fields).
    #[test]
    fn groups_and_empty_names() {
        let date = InternalDate::new(0, 0).unwrap();
        let keys = |raw: &[u8]| SortKeys::new(1, date, 0, MessageInfo::parse(raw).envelope());
        let group = keys(b"From: undisclosed-recipients:;\r\nTo: team: a@x.example;\r\n\r\n");
        assert_eq!(group.from, "UNDISCLOSED-RECIPIENTS");
        assert_eq!(group.display_from, "UNDISCLOSED-RECIPIENTS");
        assert_eq!(group.to, "TEAM");
        let empty =
            keys(b"From: \"\" <Empty@x.example>\r\nCc: =?utf-8?q?=C3=89mile?= <e@x>\r\n\r\n");
        assert_eq!(empty.display_from, "EMPTY@X.EXAMPLE");
        assert_eq!(empty.cc, "E");
        assert_eq!(empty.to, "");
        assert_eq!(empty.display_to, "");
    }

    /// The forms Dovecot 2.3 reads (checked with SORT (DATE) over the same
    /// `Date:` fields), and those it refuses.
    #[test]
    fn dates_as_dovecot_reads_them() {
        // 2000-12-31 19:00:00 UTC.
        const T: i64 = 978_289_200;
        let cases = [
            ("Sun, 31 Dec 2000 19:00:00 +0000", Some(T)),
            ("31 Dec 2000 19:00 GMT", Some(T)),
            ("31 Dec 2000 19:00 EST", Some(T + 5 * 3600)),
            ("31 Dec 2000 19:00:00 +0130", Some(T - 90 * 60)),
            ("31 dec 2000 19:00:00 -0130", Some(T + 90 * 60)),
            ("31 Dec 00 19:00:00 +0000", Some(T)),
            ("31 Dec 99 19:00:00 +0000", Some(T - 366 * 86_400)),
            ("31 Dec 2000 19:00:00", Some(T)),
            ("31 Dec 2000 19:00:00 +0000 garbage", Some(T)),
            ("31 Dec 2000 19:00:00 XYZ", Some(T)),
            ("31 Dec 2000 19:00:00 +00", Some(T)),
            ("(c) 31 (x) Dec 2000 19:00:00 +0000 (UTC)", Some(T)),
            ("31 Dec 2000 19.00.00 +0000", Some(T)),
            ("31 December 2000 19:00:00 +0000", Some(T)),
            ("31 Dec 2000 9:00:00 +0000", Some(T - 10 * 3600)),
            ("31 Dec 2000 19:00:60 +0000", Some(T + 60)),
            ("Sun 31 Dec 2000 19:00:00 +0000", None),
            ("Sunday, 31 Dec 2000 19:00:00 +0000", None),
            ("31 Dec 2000 25:00:00 +0000", None),
            ("32 Dec 2000 19:00:00 +0000", None),
            ("29 Feb 2001 10:00:00 +0000", None),
            ("31 Dex 2000 19:00:00 +0000", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text.as_bytes()), want, "{text:?}");
        }
        // Where we differ: RFC 5322 §4.3 makes military zones -0000 and a
        // three-digit year 1900 + n; Dovecot reads "A" as +0100 and refuses
        // the year, and takes dates up to the epoch for missing ones.
        assert_eq!(parse_date(b"31 Dec 2000 19:00:00 A"), Some(T));
        assert_eq!(parse_date(b"31 Dec 100 19:00:00 +0000"), Some(T));
        assert_eq!(parse_date(b"1 Jan 1970 00:00:00 +0000"), Some(0));
    }

    #[test]
    fn missing_or_bad_date_falls_back_to_the_internal_date() {
        let internal = InternalDate::new(1_000, 60).unwrap();
        let envelope = |raw: &[u8]| MessageInfo::parse(raw).envelope().clone();
        let info = envelope(b"Subject: x\r\n\r\n");
        assert_eq!(sent_date(&info, internal), 1_000);
        let info = envelope(b"Date: not a date\r\n\r\n");
        assert_eq!(sent_date(&info, internal), 1_000);
        let info = envelope(b"Date: Thu, 1 Jan 1970 01:00:00 +0100\r\n\r\n");
        assert_eq!(sent_date(&info, internal), 0);
    }
}
