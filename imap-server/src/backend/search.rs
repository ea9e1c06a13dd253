//! The search tree a backend may answer itself through
//! [`Mailbox::search`](super::Mailbox::search).
//!
//! The engine evaluates every SEARCH over its cached metadata, so a backend
//! never has to. A backend with its own index (a full-text engine, SQL) can
//! take over by answering this tree. It holds no IMAP syntax and nothing that
//! only the session knows: the engine has already turned sequence numbers,
//! `$` (SEARCHRES), `RECENT`, `NEW` and `OLD` into UID sets, and `FROM`,
//! `TO`, `CC`, `BCC` and `SUBJECT` into [`SearchKey::Header`]. Strings are
//! UTF-8 (the engine decoded the CHARSET).

use std::ops::RangeInclusive;

use super::types::Flag;

/// A calendar day, as SEARCH dates are (`BEFORE 1-Feb-2024`): the engine
/// passes only valid dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SearchDate {
    /// Year, 1-9999.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day of the month, 1-31.
    pub day: u8,
}

/// One search criterion; a list of keys at the top of SEARCH is an
/// [`SearchKey::And`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SearchKey {
    /// Every message.
    All,
    /// Messages whose UID is in one of the ranges.
    Uids(Vec<RangeInclusive<u32>>),
    /// Messages with this flag set (`SEEN`, `KEYWORD x`, ...; `UNSEEN` is
    /// `Not(Flag(Seen))`).
    Flag(Flag),
    /// RFC822.SIZE larger than this.
    Larger(u64),
    /// RFC822.SIZE smaller than this.
    Smaller(u64),
    /// Internal date, in its own zone, before this day.
    Before(SearchDate),
    /// Internal date, in its own zone, on this day.
    On(SearchDate),
    /// Internal date, in its own zone, on or after this day.
    Since(SearchDate),
    /// `Date:` header, in its own zone, before this day.
    SentBefore(SearchDate),
    /// `Date:` header, in its own zone, on this day.
    SentOn(SearchDate),
    /// `Date:` header, in its own zone, on or after this day.
    SentSince(SearchDate),
    /// Internal date at least this many seconds ago (RFC 5032 OLDER).
    Older(u64),
    /// Internal date less than this many seconds ago (RFC 5032 YOUNGER).
    Younger(u64),
    /// The decoded header field `name` contains `value`, ignoring case; an
    /// empty `value` matches every message that has the field.
    Header {
        /// Field name, e.g. `Subject`.
        name: String,
        /// Substring to find.
        value: String,
    },
    /// The decoded body contains this text, ignoring case.
    Body(String),
    /// The decoded header or body contains this text, ignoring case.
    Text(String),
    /// Messages whose modseq is at least this (RFC 7162 `MODSEQ`).
    ModSeq(u64),
    /// All of the keys match.
    And(Vec<SearchKey>),
    /// Either key matches.
    Or(Box<SearchKey>, Box<SearchKey>),
    /// The key does not match.
    Not(Box<SearchKey>),
}
