//! SEARCH evaluation: one search key tree against one message, and a whole
//! SEARCH command over a list of messages (RFC 9051 §6.4.4, RFC 3501
//! §6.4.4, ESEARCH RFC 4731, SEARCHRES RFC 5182, WITHIN RFC 5032, CONDSTORE
//! RFC 7162 §3.1.5).
//!
//! The evaluator is pure: the SEARCH command hands it [`Candidate`]s (what
//! the session's view and the backend know of each message) and a
//! [`Context`] (the numbering, the saved `$` result, "now"), and gets back
//! matches. It never talks to the backend, so the command decides what to
//! load: [`needs_body`] says whether the messages' text is needed at all,
//! and [`cache::TextCache`] keeps decoded texts across searches.
//!
//! # Semantics
//! - Flags, keywords (ASCII case-insensitive, as [`Flags`] stores them),
//!   `NEW` = `RECENT UNSEEN`, `OLD` = `NOT RECENT`.
//! - `BEFORE`/`ON`/`SINCE` compare the internal date's calendar day *in the
//!   internal date's own zone*; `SENTBEFORE`/`SENTON`/`SENTSINCE` the
//!   `Date:` header's day in its own zone, and a missing or unparsable
//!   `Date:` never matches. Dovecot does both the same way (its imaptest
//!   `search-date` scripts assume it).
//! - `FROM`/`TO`/`CC`/`BCC`/`SUBJECT`/`HEADER`: substring of the top-level
//!   header's value, unfolded and RFC 2047 decoded, any occurrence of the
//!   field; headers of attached `message/rfc822` parts do not count. An
//!   empty string matches every message that has the field.
//! - `BODY`: substring of the decoded text of every text part, nested
//!   messages included (transfer encoding undone, charset converted to
//!   UTF-8 by mail-parser); no header counts, and non-text leaves are
//!   skipped (RFC 9051 §6.4.4 allows it). `TEXT`: `BODY`, or any header of
//!   any part or nested message, as a decoded `Name: value` line.
//! - Strings compare case-insensitively by Unicode lowercase mapping, on
//!   both sides.
//! - `$` is the saved result, kept by the engine as UIDs, so it means the
//!   same messages in `SEARCH $` and `UID SEARCH UID $`.
//!
//! SORT (`sort`) and THREAD (`thread`) order the matches the same
//! evaluator found, by keys the commands take from the view and the
//! cached ENVELOPE; `subject` is the base subject both use (RFC 5256 §2.1).
//!
//! # Not done here
//! Saving `$`, `CONTEXT`/`UPDATE` notifications, and answering `NO
//! [BADCHARSET]` belong to the SEARCH command. Sequence sets are resolved
//! per message (cheap for the short sets clients send).

pub(crate) mod cache;
mod eval;
pub(crate) mod sort;
mod subject;
mod text;
pub(crate) mod thread;

#[cfg(test)]
mod tests;

use std::num::{NonZeroU32, NonZeroU64};

use imapkit_proto::core::Charset;
use imapkit_proto::search::{
    PartialRange, Search, SearchData, SearchReturnData, SearchReturnOption,
};
use imapkit_proto::sequence::SequenceSet;

use crate::backend::{Flags, InternalDate};

pub(crate) use self::eval::{matches, needs_body};
pub(crate) use self::subject::BaseSubject;
pub(crate) use self::text::SearchText;

/// The charsets SEARCH accepts, as `[BADCHARSET (...)]` lists them.
pub(crate) const SUPPORTED_CHARSETS: [&str; 2] = ["US-ASCII", "UTF-8"];

/// What the evaluator may ask about one message; the SEARCH command builds
/// it from its view and the backend.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate<'a> {
    /// The message's sequence number in the session's current numbering.
    pub seq: u32,
    /// The message's UID.
    pub uid: u32,
    /// The stored flags.
    pub flags: &'a Flags,
    /// Whether this session holds `\Recent` for the message.
    pub recent: bool,
    /// RFC822.SIZE.
    pub size: u64,
    /// The internal date.
    pub internal_date: InternalDate,
    /// The mod-sequence (CONDSTORE).
    pub modseq: u64,
    /// The message's decoded text; `None` when [`needs_body`] said it is
    /// not needed.
    pub text: Option<&'a SearchText>,
}

/// The charset of a SEARCH command's strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SearchCharset {
    /// `US-ASCII`, or no `CHARSET`. Leniency: non-ASCII UTF-8 is accepted
    /// too (ASCII is a subset, and some clients send UTF-8 without saying so).
    #[default]
    UsAscii,
    /// `UTF-8` (RFC 9051 §6.4.4 makes it mandatory).
    Utf8,
}

impl SearchCharset {
    /// The charset a `CHARSET` argument names (case-insensitively); `None`
    /// means the default, US-ASCII.
    ///
    /// # Errors
    /// [`SearchError::BadCharset`] for any other charset: the command answers
    /// `NO [BADCHARSET (US-ASCII UTF-8)]` (RFC 3501 §6.4.4).
    pub(crate) fn from_wire(charset: Option<&Charset>) -> Result<Self, SearchError> {
        match charset.map(Charset::as_str) {
            None => Ok(Self::UsAscii),
            Some(name) if name.eq_ignore_ascii_case("US-ASCII") => Ok(Self::UsAscii),
            Some(name) if name.eq_ignore_ascii_case("UTF-8") => Ok(Self::Utf8),
            Some(_) => Err(SearchError::BadCharset),
        }
    }
}

/// What one search needs to know besides the message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'a> {
    /// The largest sequence number (the mailbox's message count): `*`.
    pub largest_seq: u32,
    /// The largest UID in the mailbox: `*` in `UID` sets.
    pub largest_uid: u32,
    /// The saved result of `SEARCH RETURN (SAVE)` as ascending UIDs (empty
    /// when nothing was saved: RFC 5182 §2.1 makes `$` empty then).
    pub saved_uids: &'a [u32],
    /// Now, in Unix seconds, for `OLDER`/`YOUNGER`.
    pub now: i64,
    /// The charset of the search strings.
    pub charset: SearchCharset,
}

/// Why a search cannot be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SearchError {
    /// A charset other than US-ASCII and UTF-8: `NO [BADCHARSET (US-ASCII UTF-8)]`.
    #[error("unsupported charset")]
    BadCharset,
    /// A search string that is not valid in its charset (bytes that are not
    /// UTF-8): `BAD`.
    #[error("search string is not valid in its charset")]
    BadString,
    /// A key needs the raw message and the candidate came without it: an
    /// engine bug, `NO [SERVERBUG]`.
    #[error("message body needed but not provided")]
    MissingBody,
}

/// One matching message of a [`run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    /// Its sequence number.
    pub seq: u32,
    /// Its UID.
    pub uid: u32,
    /// Its mod-sequence.
    pub modseq: u64,
}

/// The messages a whole SEARCH matched, in candidate order (ascending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchOutcome {
    /// The matching messages.
    pub hits: Vec<Hit>,
    /// Whether the criteria hold a `MODSEQ` key, so the answer carries the
    /// highest mod-sequence (RFC 7162 §3.1.5).
    pub report_modseq: bool,
}

/// Evaluates `search` over `candidates` (in sequence order).
///
/// # Errors
/// [`SearchError::BadCharset`] for an unsupported `CHARSET` (checked before
/// any message is looked at), or what [`matches`] reports.
pub(crate) fn run<'a>(
    search: &Search,
    candidates: impl IntoIterator<Item = Candidate<'a>>,
    ctx: &Context<'_>,
) -> Result<SearchOutcome, SearchError> {
    let ctx = Context {
        charset: SearchCharset::from_wire(search.charset.as_ref())?,
        ..*ctx
    };
    let mut hits = Vec::new();
    for candidate in candidates {
        if matches(&search.criteria, &candidate, &ctx)? {
            hits.push(Hit {
                seq: candidate.seq,
                uid: candidate.uid,
                modseq: candidate.modseq,
            });
        }
    }
    Ok(SearchOutcome {
        hits,
        report_modseq: eval::has_modseq(&search.criteria),
    })
}

impl SearchOutcome {
    /// The matching sequence numbers, or UIDs when `uid`.
    pub(crate) fn ids(&self, uid: bool) -> Vec<NonZeroU32> {
        self.hits
            .iter()
            .filter_map(|h| NonZeroU32::new(if uid { h.uid } else { h.seq }))
            .collect()
    }

    /// The highest mod-sequence of the hits, when the criteria asked for
    /// it and there is one (mod-sequences are never 0 on a real message).
    pub(crate) fn highest_modseq(&self) -> Option<NonZeroU64> {
        if !self.report_modseq {
            return None;
        }
        self.hits
            .iter()
            .map(|h| h.modseq)
            .max()
            .and_then(NonZeroU64::new)
    }

    /// The classic `SEARCH` response.
    pub(crate) fn search_data(&self, uid: bool) -> SearchData {
        let ids = self.ids(uid);
        match (
            self.highest_modseq(),
            imapkit_proto::core::Vec1::try_from(ids.clone()),
        ) {
            (Some(modseq), Ok(ids)) => SearchData::with_modseq(ids, modseq),
            _ => SearchData::new(ids),
        }
    }

    /// The `ESEARCH` return data for `options` (`RETURN ()` is `ALL`, RFC
    /// 4731 §3.1), in the order MIN, MAX, ALL, COUNT, PARTIAL, MODSEQ.
    ///
    /// MIN, MAX and ALL are left out when nothing matched; COUNT is always
    /// there (RFC 4731 §3.1). SAVE, CONTEXT and UPDATE add no data here.
    pub(crate) fn return_data(
        &self,
        options: &[SearchReturnOption],
        uid: bool,
    ) -> Vec<SearchReturnData> {
        let ids = self.ids(uid);
        let wants = |o: SearchReturnOption| options.contains(&o);
        let all = options.is_empty() || wants(SearchReturnOption::All);
        let mut data = Vec::new();
        if wants(SearchReturnOption::Min) {
            data.extend(ids.first().copied().map(SearchReturnData::Min));
        }
        if wants(SearchReturnOption::Max) {
            data.extend(ids.last().copied().map(SearchReturnData::Max));
        }
        if all {
            data.extend(SequenceSet::from_numbers(ids.iter().copied()).map(SearchReturnData::All));
        }
        if wants(SearchReturnOption::Count) {
            data.push(SearchReturnData::Count(
                u32::try_from(ids.len()).unwrap_or(u32::MAX),
            ));
        }
        for option in options {
            if let SearchReturnOption::Partial(range) = *option {
                data.push(SearchReturnData::Partial {
                    range,
                    results: SequenceSet::from_numbers(partial(&ids, range).iter().copied()),
                });
            }
        }
        if let Some(modseq) = self.highest_modseq().filter(|_| !ids.is_empty()) {
            data.push(SearchReturnData::ModSeq(modseq));
        }
        data
    }

    /// The UIDs `RETURN (SAVE ...)` keeps for `$` (RFC 5182 §2.1): the MIN
    /// and/or MAX message alone when those are asked without ALL or COUNT,
    /// otherwise every hit.
    pub(crate) fn saved_uids(&self, options: &[SearchReturnOption]) -> Vec<u32> {
        let wants = |o: SearchReturnOption| options.contains(&o);
        let min_max_only = (wants(SearchReturnOption::Min) || wants(SearchReturnOption::Max))
            && !wants(SearchReturnOption::All)
            && !wants(SearchReturnOption::Count);
        if !min_max_only {
            return self.hits.iter().map(|h| h.uid).collect();
        }
        let mut saved = Vec::new();
        if let Some(first) = self.hits.first().filter(|_| wants(SearchReturnOption::Min)) {
            saved.push(first.uid);
        }
        if let Some(last) = self.hits.last().filter(|_| wants(SearchReturnOption::Max)) {
            if saved.last() != Some(&last.uid) {
                saved.push(last.uid);
            }
        }
        saved
    }
}

/// The results at the positions of a `PARTIAL` range (RFC 9394 §3.1: 1-based,
/// either order, `-a:-b` counted from the end).
fn partial(ids: &[NonZeroU32], range: PartialRange) -> &[NonZeroU32] {
    let len = ids.len();
    let (a, b, from_end) = match range {
        PartialRange::First(a, b) => (a.get(), b.get(), false),
        PartialRange::Last(a, b) => (a.get(), b.get(), true),
    };
    let (lo, hi) = (a.min(b) as usize, a.max(b) as usize);
    if lo > len {
        return &[];
    }
    let hi = hi.min(len);
    if from_end {
        &ids[len - hi..=len - lo]
    } else {
        &ids[lo - 1..hi]
    }
}

/// The text of a search string in the command's charset.
///
/// # Errors
/// [`SearchError::BadString`] when the bytes are not UTF-8.
fn needle(bytes: &[u8], _charset: SearchCharset) -> Result<String, SearchError> {
    // Both accepted charsets are read as UTF-8 (see `SearchCharset::UsAscii`).
    let text = std::str::from_utf8(bytes).map_err(|_| SearchError::BadString)?;
    Ok(text::fold(text))
}
