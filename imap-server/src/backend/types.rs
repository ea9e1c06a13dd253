//! The values that cross the backend boundary: ids, flags, dates, mailbox
//! descriptions, snapshots and change sets.
//!
//! None of them knows IMAP syntax: a mailbox name is a UTF-8 path, a flag is
//! an enum, a date is a Unix time with a zone. The engine converts them to and
//! from the wire.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;

/// The stable identity of a mailbox of one user.
///
/// An id never changes while the mailbox exists (a RENAME keeps it) and is
/// never given to another mailbox of the same user afterwards, so the engine
/// can hold on to a selected mailbox across renames and a deleted mailbox
/// cannot come back under an old id.
///
/// The text follows RFC 8474's `objectid` (1 to 255 of `A-Z a-z 0-9 - _`),
/// so it can be shown to clients as `MAILBOXID` unchanged. Cloning is cheap
/// (a reference count).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MailboxId(Arc<str>);

/// A text that is not a valid [`MailboxId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a mailbox id is 1 to 255 characters of A-Z, a-z, 0-9, '-' and '_'")]
pub struct InvalidMailboxId;

impl MailboxId {
    /// Makes an id from its text.
    ///
    /// # Errors
    /// [`InvalidMailboxId`] when `text` is empty, longer than 255 bytes or
    /// holds a character outside `A-Z a-z 0-9 - _` (RFC 8474 `objectid`).
    pub fn new(text: &str) -> Result<Self, InvalidMailboxId> {
        let valid = !text.is_empty()
            && text.len() <= 255
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(Arc::from(text)))
        } else {
            Err(InvalidMailboxId)
        }
    }

    /// Makes an id from a number, e.g. a database key; always valid.
    pub fn from_number(number: u64) -> Self {
        Self(Arc::from(number.to_string()))
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MailboxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MailboxId({})", &self.0)
    }
}

impl fmt::Display for MailboxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Borrow<str> for MailboxId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// A flag stored on a message.
///
/// `\Recent` is not here: it is never stored, it is a fact about which
/// session first saw a message (see [`MessageMeta::recent`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Flag {
    /// `\Seen`: the message has been read.
    Seen,
    /// `\Answered`: the message has been answered.
    Answered,
    /// `\Flagged`: the message is marked for attention.
    Flagged,
    /// `\Deleted`: the message is to be removed by the next expunge.
    Deleted,
    /// `\Draft`: the message is a draft.
    Draft,
    /// A keyword such as `$Forwarded` or `NonJunk`.
    ///
    /// The engine only passes valid IMAP atoms that do not start with `\`.
    /// Keywords compare ASCII-case-insensitively (as IMAP clients expect:
    /// `$junk` and `$Junk` are one keyword); the first spelling is kept.
    Keyword(String),
}

impl Flag {
    fn system_bit(&self) -> Option<u8> {
        match self {
            Self::Seen => Some(1),
            Self::Answered => Some(1 << 1),
            Self::Flagged => Some(1 << 2),
            Self::Deleted => Some(1 << 3),
            Self::Draft => Some(1 << 4),
            Self::Keyword(_) => None,
        }
    }
}

/// The system flags in the order [`Flags::iter`] yields them.
const SYSTEM_FLAGS: [Flag; 5] = [
    Flag::Seen,
    Flag::Answered,
    Flag::Flagged,
    Flag::Deleted,
    Flag::Draft,
];

fn keyword_cmp(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The set of flags of one message.
///
/// System flags are bits; keywords are kept sorted case-insensitively, so
/// two sets with the same flags are equal whatever the order or case they
/// were built with.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    system: u8,
    keywords: Vec<String>,
}

impl Flags {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the set holds `flag` (keywords compared case-insensitively).
    pub fn contains(&self, flag: &Flag) -> bool {
        match (flag.system_bit(), flag) {
            (Some(bit), _) => self.system & bit != 0,
            (None, Flag::Keyword(word)) => self.find_keyword(word).is_ok(),
            (None, _) => false,
        }
    }

    /// Adds `flag`; returns whether the set changed.
    pub fn insert(&mut self, flag: Flag) -> bool {
        match (flag.system_bit(), flag) {
            (Some(bit), _) => {
                let changed = self.system & bit == 0;
                self.system |= bit;
                changed
            }
            (None, Flag::Keyword(word)) => match self.find_keyword(&word) {
                Ok(_) => false,
                Err(at) => {
                    self.keywords.insert(at, word);
                    true
                }
            },
            (None, _) => false,
        }
    }

    /// Removes `flag`; returns whether the set changed.
    pub fn remove(&mut self, flag: &Flag) -> bool {
        match (flag.system_bit(), flag) {
            (Some(bit), _) => {
                let changed = self.system & bit != 0;
                self.system &= !bit;
                changed
            }
            (None, Flag::Keyword(word)) => match self.find_keyword(word) {
                Ok(at) => {
                    self.keywords.remove(at);
                    true
                }
                Err(_) => false,
            },
            (None, _) => false,
        }
    }

    /// Applies a STORE operation; returns whether the set changed.
    pub fn apply(&mut self, op: StoreOp, flags: &[Flag]) -> bool {
        match op {
            StoreOp::Add => flags
                .iter()
                .fold(false, |changed, f| self.insert(f.clone()) | changed),
            StoreOp::Remove => flags
                .iter()
                .fold(false, |changed, f| self.remove(f) | changed),
            StoreOp::Replace => {
                let new: Flags = flags.iter().cloned().collect();
                let changed = new != *self;
                *self = new;
                changed
            }
        }
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.system == 0 && self.keywords.is_empty()
    }

    /// Whether `\Seen` is set (the common question, without building a [`Flag`]).
    pub fn is_seen(&self) -> bool {
        self.contains(&Flag::Seen)
    }

    /// Whether `\Deleted` is set.
    pub fn is_deleted(&self) -> bool {
        self.contains(&Flag::Deleted)
    }

    /// The keywords, sorted case-insensitively.
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }

    /// Every flag: system flags first (`\Seen \Answered \Flagged \Deleted
    /// \Draft` order), then keywords.
    pub fn iter(&self) -> impl Iterator<Item = Flag> + '_ {
        SYSTEM_FLAGS
            .iter()
            .filter(|f| self.contains(f))
            .cloned()
            .chain(self.keywords.iter().cloned().map(Flag::Keyword))
    }

    fn find_keyword(&self, word: &str) -> Result<usize, usize> {
        self.keywords.binary_search_by(|k| keyword_cmp(k, word))
    }
}

impl PartialEq for Flags {
    fn eq(&self, other: &Self) -> bool {
        self.system == other.system
            && self.keywords.len() == other.keywords.len()
            && self
                .keywords
                .iter()
                .zip(&other.keywords)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }
}

impl Eq for Flags {}

impl FromIterator<Flag> for Flags {
    fn from_iter<I: IntoIterator<Item = Flag>>(iter: I) -> Self {
        let mut flags = Flags::new();
        for flag in iter {
            flags.insert(flag);
        }
        flags
    }
}

/// How a STORE changes flags (`+FLAGS`, `-FLAGS`, `FLAGS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreOp {
    /// Add the given flags (`+FLAGS`).
    Add,
    /// Remove the given flags (`-FLAGS`).
    Remove,
    /// Replace all flags with the given ones (`FLAGS`).
    Replace,
}

/// A message's internal date: when the server received it (or the date an
/// APPEND gave), as a Unix time plus the zone it was given in.
///
/// The zone is kept because INTERNALDATE shows it; ordering and equality
/// are on the instant first, then on the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InternalDate {
    unix_seconds: i64,
    zone_minutes: i16,
}

impl InternalDate {
    /// The largest zone offset IMAP can write (`±9959`), in minutes.
    pub const MAX_ZONE_MINUTES: i16 = 99 * 60 + 59;

    /// A date at `unix_seconds` (seconds since 1970-01-01 UTC) shown in the
    /// zone `zone_minutes` east of UTC (`+0100` is 60).
    ///
    /// Returns `None` for a zone beyond ±99:59.
    pub fn new(unix_seconds: i64, zone_minutes: i16) -> Option<Self> {
        (zone_minutes.abs() <= Self::MAX_ZONE_MINUTES).then_some(Self {
            unix_seconds,
            zone_minutes,
        })
    }

    /// The current time, in UTC.
    pub fn now() -> Self {
        let unix_seconds = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            // A clock before 1970: count backwards.
            Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
        };
        Self {
            unix_seconds,
            zone_minutes: 0,
        }
    }

    /// Seconds since 1970-01-01 UTC.
    pub fn unix_seconds(&self) -> i64 {
        self.unix_seconds
    }

    /// The zone offset east of UTC, in minutes.
    pub fn zone_minutes(&self) -> i16 {
        self.zone_minutes
    }
}

/// A SPECIAL-USE attribute of a mailbox (RFC 6154, RFC 8457).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SpecialUse {
    /// `\All`: a virtual mailbox holding every message.
    All,
    /// `\Archive`: archived messages.
    Archive,
    /// `\Drafts`: drafts.
    Drafts,
    /// `\Flagged`: a virtual mailbox of flagged messages.
    Flagged,
    /// `\Important`: important messages (RFC 8457).
    Important,
    /// `\Junk`: spam.
    Junk,
    /// `\Sent`: sent messages.
    Sent,
    /// `\Trash`: deleted messages.
    Trash,
}

/// One mailbox as [`Session::list`](super::Session::list) describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MailboxInfo {
    /// Stable id.
    pub id: MailboxId,
    /// Full UTF-8 path, parts joined by the session's hierarchy delimiter;
    /// `INBOX` is always spelled `INBOX`.
    pub name: String,
    /// SPECIAL-USE attributes.
    pub special_use: Vec<SpecialUse>,
    /// `false` for a name that exists only to hold children (`\Noselect`),
    /// e.g. a parent whose mailbox was deleted while it had children.
    pub selectable: bool,
}

impl MailboxInfo {
    /// A selectable mailbox without special use.
    pub fn new(id: MailboxId, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            special_use: Vec::new(),
            selectable: true,
        }
    }
}

/// The counters STATUS reports (RFC 9051 §6.3.11, RFC 7162 HIGHESTMODSEQ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MailboxStatus {
    /// Number of messages.
    pub messages: u32,
    /// Number of messages no session has claimed as `\Recent` yet.
    pub recent: u32,
    /// Number of messages without `\Seen`.
    pub unseen: u32,
    /// Number of messages with `\Deleted`.
    pub deleted: u32,
    /// The UID the next message will get at least.
    pub uidnext: u32,
    /// The mailbox's UIDVALIDITY.
    pub uidvalidity: u32,
    /// Sum of the message sizes in bytes.
    pub size: u64,
    /// The highest modseq of the mailbox.
    pub highest_modseq: u64,
}

/// What the engine knows of one message without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MessageMeta {
    /// UID, unique in the mailbox under its UIDVALIDITY.
    pub uid: u32,
    /// Stored flags.
    pub flags: Flags,
    /// The modseq of the message's last change (its append, or a flag change).
    pub modseq: u64,
    /// Size of the raw message in bytes (RFC822.SIZE).
    pub size: u64,
    /// Internal date.
    pub internal_date: InternalDate,
    /// `true` when the call that returned this entry claimed the message as
    /// `\Recent` for the calling read-write handle (reported `true` once,
    /// to one such handle, ever), or, for a read-only handle, when no
    /// handle has claimed it yet (see [`Mailbox`](super::Mailbox)).
    pub recent: bool,
}

impl MessageMeta {
    /// A message description.
    pub fn new(
        uid: u32,
        flags: Flags,
        modseq: u64,
        size: u64,
        internal_date: InternalDate,
        recent: bool,
    ) -> Self {
        Self {
            uid,
            flags,
            modseq,
            size,
            internal_date,
            recent,
        }
    }
}

/// A point in a mailbox's history that a view has caught up with: the
/// highest modseq and the UIDNEXT it has seen.
///
/// [`Mailbox::changes_since`](super::Mailbox::changes_since) answers
/// "what happened after this point". Carrying UIDNEXT as well as the modseq
/// lets a backend tell a new message (`uid >= uidnext`) from a changed one
/// without keeping the modseq at which each message was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncPoint {
    /// Every change with a modseq up to this one is known.
    pub modseq: u64,
    /// Every message with a UID below this one is known.
    pub uidnext: u32,
}

/// The whole state of an opened mailbox at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Snapshot {
    /// UIDVALIDITY.
    pub uidvalidity: u32,
    /// UIDNEXT: greater than every UID ever assigned in this mailbox.
    pub uidnext: u32,
    /// The highest modseq; at least every message's modseq.
    pub highest_modseq: u64,
    /// Every message, sorted by ascending UID.
    pub messages: Vec<MessageMeta>,
}

impl Snapshot {
    /// A snapshot.
    pub fn new(
        uidvalidity: u32,
        uidnext: u32,
        highest_modseq: u64,
        messages: Vec<MessageMeta>,
    ) -> Self {
        Self {
            uidvalidity,
            uidnext,
            highest_modseq,
            messages,
        }
    }

    /// The point this snapshot is at, for the next `changes_since`.
    pub fn sync_point(&self) -> SyncPoint {
        SyncPoint {
            modseq: self.highest_modseq,
            uidnext: self.uidnext,
        }
    }
}

/// A flag change of a known message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagUpdate {
    /// UID of the message.
    pub uid: u32,
    /// Its flags now (not a delta).
    pub flags: Flags,
    /// Its modseq now.
    pub modseq: u64,
}

/// A tombstone: a message that was expunged (or moved away).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expunged {
    /// UID the message had.
    pub uid: u32,
    /// The modseq of the expunge.
    pub modseq: u64,
}

/// What happened in a mailbox after a [`SyncPoint`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Changes {
    /// UIDNEXT now.
    pub uidnext: u32,
    /// The highest modseq now.
    pub highest_modseq: u64,
    /// Messages present now with `uid >= since.uidnext`, sorted by UID.
    pub added: Vec<MessageMeta>,
    /// Messages present now with `uid < since.uidnext` and
    /// `modseq > since.modseq`, sorted by UID.
    pub updated: Vec<FlagUpdate>,
    /// Tombstones with `modseq > since.modseq`, sorted by UID. May name
    /// messages the view never knew (appended and expunged since); the
    /// engine ignores those.
    pub expunged: Vec<Expunged>,
}

impl Changes {
    /// A change set.
    pub fn new(
        uidnext: u32,
        highest_modseq: u64,
        added: Vec<MessageMeta>,
        updated: Vec<FlagUpdate>,
        expunged: Vec<Expunged>,
    ) -> Self {
        Self {
            uidnext,
            highest_modseq,
            added,
            updated,
            expunged,
        }
    }

    /// Whether nothing happened.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.updated.is_empty() && self.expunged.is_empty()
    }

    /// The point a view is at once it has folded these changes in.
    pub fn sync_point(&self) -> SyncPoint {
        SyncPoint {
            modseq: self.highest_modseq,
            uidnext: self.uidnext,
        }
    }
}

/// One message to append.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppendMessage {
    /// Initial flags.
    pub flags: Flags,
    /// Internal date (the APPEND date, else the time of receipt).
    pub internal_date: InternalDate,
    /// The raw RFC 5322 message, stored as given.
    pub body: Bytes,
}

impl AppendMessage {
    /// A message to append.
    pub fn new(flags: Flags, internal_date: InternalDate, body: Bytes) -> Self {
        Self {
            flags,
            internal_date,
            body,
        }
    }
}

/// What an append stored (for APPENDUID, RFC 4315).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppendResult {
    /// UIDVALIDITY of the mailbox.
    pub uidvalidity: u32,
    /// The UIDs given, one per message, in the order of the request (ascending).
    pub uids: Vec<u32>,
}

impl AppendResult {
    /// An append result.
    pub fn new(uidvalidity: u32, uids: Vec<u32>) -> Self {
        Self { uidvalidity, uids }
    }
}

/// What a copy or move did (for COPYUID, RFC 4315).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CopyResult {
    /// UIDVALIDITY of the destination.
    pub uidvalidity: u32,
    /// `(source uid, destination uid)` for each message copied, by
    /// ascending source UID (destination UIDs ascend too). Source UIDs
    /// that did not exist are left out.
    pub uids: Vec<(u32, u32)>,
}

impl CopyResult {
    /// A copy result.
    pub fn new(uidvalidity: u32, uids: Vec<(u32, u32)>) -> Self {
        Self { uidvalidity, uids }
    }
}

/// What a store did (for FETCH answers and CONDSTORE's `[MODIFIED]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct StoreResult {
    /// Every message that exists and passed the UNCHANGEDSINCE test, with
    /// its flags and modseq after the store, whether they changed or not.
    pub updated: Vec<FlagUpdate>,
    /// Messages left unchanged because their modseq was above
    /// `unchanged_since` (RFC 7162 §3.1.3).
    pub modified: Vec<u32>,
}

impl StoreResult {
    /// A store result.
    pub fn new(updated: Vec<FlagUpdate>, modified: Vec<u32>) -> Self {
        Self { updated, modified }
    }
}

/// How a mailbox is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// SELECT: changes allowed, and new messages are claimed as `\Recent`.
    ReadWrite,
    /// EXAMINE (or any look that must not claim `\Recent`): no changes.
    ReadOnly,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_id_follows_objectid() {
        assert!(MailboxId::new("a-Z_09").is_ok());
        assert!(MailboxId::new("").is_err());
        assert!(MailboxId::new("a b").is_err());
        assert!(MailboxId::new(&"x".repeat(256)).is_err());
        assert_eq!(MailboxId::from_number(42).as_str(), "42");
    }

    #[test]
    fn keywords_are_case_insensitive_and_sorted() {
        let mut flags = Flags::new();
        assert!(flags.insert(Flag::Keyword("$Junk".into())));
        assert!(!flags.insert(Flag::Keyword("$junk".into())));
        assert!(flags.insert(Flag::Keyword("$Forwarded".into())));
        assert!(flags.insert(Flag::Seen));
        assert_eq!(flags.keywords(), ["$Forwarded", "$Junk"]);
        assert!(flags.contains(&Flag::Keyword("$JUNK".into())));
        let other: Flags = [
            Flag::Keyword("$JUNK".into()),
            Flag::Keyword("$forwarded".into()),
            Flag::Seen,
        ]
        .into_iter()
        .collect();
        assert_eq!(flags, other);
        assert!(flags.remove(&Flag::Keyword("$JUNK".into())));
        assert_eq!(
            flags.iter().collect::<Vec<_>>(),
            [Flag::Seen, Flag::Keyword("$Forwarded".into())]
        );
    }

    #[test]
    fn apply_reports_change() {
        let mut flags = Flags::new();
        assert!(flags.apply(StoreOp::Add, &[Flag::Seen, Flag::Deleted]));
        assert!(!flags.apply(StoreOp::Add, &[Flag::Seen]));
        assert!(flags.apply(StoreOp::Remove, &[Flag::Seen]));
        assert!(!flags.apply(StoreOp::Remove, &[Flag::Seen]));
        assert!(!flags.apply(StoreOp::Replace, &[Flag::Deleted]));
        assert!(flags.apply(StoreOp::Replace, &[]));
        assert!(flags.is_empty());
    }

    #[test]
    fn internal_date_zone_range() {
        assert!(InternalDate::new(0, 99 * 60 + 59).is_some());
        assert!(InternalDate::new(0, -(100 * 60)).is_none());
        assert!(InternalDate::now().unix_seconds() > 1_600_000_000);
    }
}
