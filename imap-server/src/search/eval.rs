//! The walk over one [`SearchKey`] tree for one message.

use std::ops::RangeInclusive;

use imapkit_proto::datetime::NaiveDate;
use imapkit_proto::search::SearchKey;
use imapkit_proto::sequence::SequenceSet;

use super::text::SearchText;
use super::{needle, Candidate, Context, SearchError};
use crate::backend::Flag;

/// Seconds in a day, for calendar-day comparisons.
const DAY_SECONDS: i64 = 86_400;

/// Whether any key of the tree needs the message's text: header, body and
/// text keys and the `Date:`-header keys.
pub(crate) fn needs_body(key: &SearchKey) -> bool {
    match key {
        SearchKey::And(keys) => keys.iter().any(needs_body),
        SearchKey::Or(a, b) => needs_body(a) || needs_body(b),
        SearchKey::Not(k) => needs_body(k),
        SearchKey::Bcc(_)
        | SearchKey::Cc(_)
        | SearchKey::From(_)
        | SearchKey::To(_)
        | SearchKey::Subject(_)
        | SearchKey::Header(..)
        | SearchKey::Body(_)
        | SearchKey::Text(_)
        | SearchKey::SentBefore(_)
        | SearchKey::SentOn(_)
        | SearchKey::SentSince(_) => true,
        _ => false,
    }
}

/// Whether the tree holds a `MODSEQ` key (the answer then reports the
/// highest mod-sequence, RFC 7162 §3.1.5).
pub(crate) fn has_modseq(key: &SearchKey) -> bool {
    match key {
        SearchKey::And(keys) => keys.iter().any(has_modseq),
        SearchKey::Or(a, b) => has_modseq(a) || has_modseq(b),
        SearchKey::Not(k) => has_modseq(k),
        SearchKey::ModSeq { .. } => true,
        _ => false,
    }
}

/// Whether `msg` matches `key`.
///
/// # Errors
/// [`SearchError::BadString`] for a search string that is not UTF-8,
/// [`SearchError::MissingBody`] when a key needs the message's text and
/// `msg.text` is `None`.
pub(crate) fn matches(
    key: &SearchKey,
    msg: &Candidate<'_>,
    ctx: &Context<'_>,
) -> Result<bool, SearchError> {
    Eval {
        msg,
        ctx,
        text: msg.text,
    }
    .key(key)
}

/// One message's evaluation: the candidate, the context and the lazily
/// parsed message.
struct Eval<'m, 'a> {
    /// The message's metadata.
    msg: &'m Candidate<'a>,
    /// Numbering, `$`, now, charset.
    ctx: &'m Context<'m>,
    /// The message's decoded text, when it came along.
    text: Option<&'a SearchText>,
}

impl<'a> Eval<'_, 'a> {
    /// Whether the message matches `key`; AND and OR stop at the first
    /// deciding key, so later keys may never parse the message.
    fn key(&self, key: &SearchKey) -> Result<bool, SearchError> {
        let flags = self.msg.flags;
        Ok(match key {
            SearchKey::And(keys) => {
                for k in keys {
                    if !self.key(k)? {
                        return Ok(false);
                    }
                }
                true
            }
            SearchKey::Or(a, b) => self.key(a)? || self.key(b)?,
            SearchKey::Not(k) => !self.key(k)?,
            SearchKey::All => true,
            SearchKey::Answered => flags.contains(&Flag::Answered),
            SearchKey::Deleted => flags.is_deleted(),
            SearchKey::Draft => flags.contains(&Flag::Draft),
            SearchKey::Flagged => flags.contains(&Flag::Flagged),
            SearchKey::Seen => flags.is_seen(),
            SearchKey::Unanswered => !flags.contains(&Flag::Answered),
            SearchKey::Undeleted => !flags.is_deleted(),
            SearchKey::Undraft => !flags.contains(&Flag::Draft),
            SearchKey::Unflagged => !flags.contains(&Flag::Flagged),
            SearchKey::Unseen => !flags.is_seen(),
            SearchKey::New => self.msg.recent && !flags.is_seen(),
            SearchKey::Old => !self.msg.recent,
            SearchKey::Recent => self.msg.recent,
            SearchKey::Keyword(word) => has_keyword(self.msg, word.as_str()),
            SearchKey::Unkeyword(word) => !has_keyword(self.msg, word.as_str()),
            SearchKey::Bcc(s) => self.header("Bcc", s.as_bytes())?,
            SearchKey::Cc(s) => self.header("Cc", s.as_bytes())?,
            SearchKey::From(s) => self.header("From", s.as_bytes())?,
            SearchKey::To(s) => self.header("To", s.as_bytes())?,
            SearchKey::Subject(s) => self.header("Subject", s.as_bytes())?,
            SearchKey::Header(name, s) => {
                let name = String::from_utf8_lossy(name.as_bytes());
                self.header(&name, s.as_bytes())?
            }
            SearchKey::Body(s) => {
                let needle = needle(s.as_bytes(), self.ctx.charset)?;
                self.text()?.body_contains(&needle)
            }
            SearchKey::Text(s) => {
                let needle = needle(s.as_bytes(), self.ctx.charset)?;
                let text = self.text()?;
                text.any_header_contains(&needle) || text.body_contains(&needle)
            }
            SearchKey::Before(date) => self.internal_day() < day(*date),
            SearchKey::On(date) => self.internal_day() == day(*date),
            SearchKey::Since(date) => self.internal_day() >= day(*date),
            SearchKey::SentBefore(date) => self.sent_day()?.is_some_and(|d| d < day(*date)),
            SearchKey::SentOn(date) => self.sent_day()?.is_some_and(|d| d == day(*date)),
            SearchKey::SentSince(date) => self.sent_day()?.is_some_and(|d| d >= day(*date)),
            SearchKey::Larger(n) => self.msg.size > u64::from(*n),
            SearchKey::Smaller(n) => self.msg.size < u64::from(*n),
            SearchKey::Uid(set) => self.in_set(set, self.msg.uid, self.ctx.largest_uid),
            SearchKey::SequenceSet(set) => self.in_set(set, self.msg.seq, self.ctx.largest_seq),
            // RFC 5032 §3: OLDER is strictly before now - n, YOUNGER the
            // rest, so `OLDER n` and `YOUNGER n` split the mailbox.
            SearchKey::Older(n) => {
                self.msg.internal_date.unix_seconds() < self.ctx.now - i64::from(n.get())
            }
            SearchKey::Younger(n) => {
                self.msg.internal_date.unix_seconds() >= self.ctx.now - i64::from(n.get())
            }
            // The per-flag entry is not kept apart: a message's mod-sequence
            // bounds every entry's, which RFC 7162 §3.1.5 allows.
            SearchKey::ModSeq { modseq, .. } => self.msg.modseq >= *modseq,
        })
    }

    /// The parsed message.
    fn text(&self) -> Result<&'a SearchText, SearchError> {
        self.text.ok_or(SearchError::MissingBody)
    }

    /// Whether a top-level `name` field contains `value`.
    fn header(&self, name: &str, value: &[u8]) -> Result<bool, SearchError> {
        let needle = needle(value, self.ctx.charset)?;
        Ok(self.text()?.header_contains(name, &needle))
    }

    /// The internal date's day, in its own zone, as days since 1970-01-01.
    fn internal_day(&self) -> i64 {
        let date = self.msg.internal_date;
        let local = date.unix_seconds() + i64::from(date.zone_minutes()) * 60;
        local.div_euclid(DAY_SECONDS)
    }

    /// The `Date:` header's day, in its own zone; `None` when missing or
    /// unparsable.
    fn sent_day(&self) -> Result<Option<i64>, SearchError> {
        Ok(self.text()?.sent_date().map(|d| d.days_since_epoch()))
    }

    /// Whether `n` is in `set` (`*` is `largest`; `$` is the saved UIDs).
    fn in_set(&self, set: &SequenceSet, n: u32, largest: u32) -> bool {
        match set.resolve(largest) {
            Some(ranges) => in_ranges(&ranges, n),
            None => self.ctx.saved_uids.binary_search(&self.msg.uid).is_ok(),
        }
    }
}

/// Whether the keyword is set, ASCII case-insensitively.
fn has_keyword(msg: &Candidate<'_>, word: &str) -> bool {
    msg.flags
        .keywords()
        .iter()
        .any(|k| k.eq_ignore_ascii_case(word))
}

/// A search date as days since 1970-01-01.
fn day(date: NaiveDate) -> i64 {
    date.days_since_epoch()
}

/// Whether `n` is in sorted, disjoint `ranges`.
fn in_ranges(ranges: &[RangeInclusive<u32>], n: u32) -> bool {
    let at = ranges.partition_point(|r| *r.end() < n);
    ranges.get(at).is_some_and(|r| r.contains(&n))
}
