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
//!   the internal date when it is missing or cannot be parsed.
//! - FROM, TO and CC are the first mailbox's `addr-mailbox`, the empty
//!   string when there is none; group names do not count.
//! - DISPLAYFROM and DISPLAYTO are the first mailbox's display name,
//!   RFC 2047 decoded, or its `mailbox@host` when it has none (RFC 5957 §3).
//! - Messages equal on every criterion keep sequence order, whatever
//!   `REVERSE` says (RFC 5256 §3: REVERSE reverses that criterion only).

use std::cmp::Ordering;

use imapkit_proto::body::{Address, Envelope};
use imapkit_proto::sort::{SortCriterion, SortKey};
use mail_parser::parsers::MessageStream;
use mail_parser::HeaderValue;

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
    /// Its sequence number: the last tie-break.
    pub seq: u32,
    /// The number to answer with (sequence number or UID).
    pub id: u32,
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
    pub(crate) fn without_envelope(seq: u32, id: u32, internal: InternalDate, size: u64) -> Self {
        Self {
            seq,
            id,
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
    pub(crate) fn new(
        seq: u32,
        id: u32,
        internal: InternalDate,
        size: u64,
        envelope: &Envelope,
    ) -> Self {
        Self {
            sent: sent_date(envelope, internal),
            subject: BaseSubject::of(envelope.subject.as_bytes()).key,
            from: mailbox(&envelope.from),
            to: mailbox(&envelope.to),
            cc: mailbox(&envelope.cc),
            display_from: display(&envelope.from),
            display_to: display(&envelope.to),
            ..Self::without_envelope(seq, id, internal, size)
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
    let parsed = envelope.date.as_bytes().and_then(|raw| {
        let mut line = raw.to_vec();
        line.push(b'\n');
        match MessageStream::new(&line).parse_date() {
            HeaderValue::DateTime(date) if date.is_valid() => Some(date.to_timestamp()),
            _ => None,
        }
    });
    parsed.unwrap_or_else(|| internal.unix_seconds())
}

/// The first mailbox of a list: an address with a host (group markers
/// have none).
fn first_mailbox(list: &[Address]) -> Option<&Address> {
    list.iter().find(|a| a.host.as_bytes().is_some())
}

/// The casemapped `addr-mailbox` of the first mailbox, or empty.
fn mailbox(list: &[Address]) -> String {
    first_mailbox(list)
        .and_then(|a| a.mailbox.as_bytes())
        .map(|m| String::from_utf8_lossy(m).to_ascii_uppercase())
        .unwrap_or_default()
}

/// The casemapped display name of the first mailbox, decoded, or its
/// `mailbox@host` (RFC 5957 §3), or empty.
fn display(list: &[Address]) -> String {
    let Some(address) = first_mailbox(list) else {
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
    let part = |s: &imapkit_proto::core::NString| {
        String::from_utf8_lossy(s.as_bytes().unwrap_or_default()).into_owned()
    };
    format!("{}@{}", part(&address.mailbox), part(&address.host)).to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use imapkit_proto::sort::SortCriterion;

    use super::*;
    use crate::mime::MessageInfo;

    /// The harness fixtures in APPEND order, with their internal dates
    /// (testdata/fixtures.json).
    const FIXTURES: [(&[u8], i64); 5] = [
        (include_bytes!("testdata/m01_plain.eml"), 1_615_377_600),
        (
            include_bytes!("testdata/m02_alternative.eml"),
            1_618_920_000,
        ),
        (include_bytes!("testdata/m03_mixed.eml"), 1_622_376_000),
        (include_bytes!("testdata/m04_intl.eml"), 1_623_758_400),
        (include_bytes!("testdata/m05_large.eml"), 1_625_140_800),
    ];

    fn fixtures() -> Vec<SortKeys> {
        FIXTURES
            .iter()
            .zip(1..)
            .map(|(&(raw, date), seq)| {
                let info = MessageInfo::parse(raw);
                let date = InternalDate::new(date, 0).unwrap();
                SortKeys::new(seq, seq * 10, date, raw.len() as u64, info.envelope())
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
        assert_eq!(keys.id, 40);
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
