//! SEARCH: the search key tree, the command's arguments and the `SEARCH` /
//! `ESEARCH` responses (RFC 9051 §6.4.4, §7.3.4, RFC 3501 §6.4.4, with
//! ESEARCH RFC 4731, SEARCHRES RFC 5182, CONTEXT=SEARCH RFC 5267, PARTIAL
//! RFC 9394, WITHIN RFC 5032 and CONDSTORE RFC 7162).
//!
//! ```abnf
//! search             = "SEARCH" [search-return-opts] SP search-program
//! search-program     = ["CHARSET" SP charset SP] search-key *(SP search-key)
//! search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
//! search-return-opt  = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE" /
//!                      "CONTEXT" / "UPDATE" / "PARTIAL" SP partial-range
//! esearch-response   = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)
//! mailbox-data       =/ "SEARCH" *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]
//! ```
//!
//! The types are shaped for evaluation: a whole SEARCH program is one
//! [`SearchKey`] tree (the implicit AND of a key list is [`SearchKey::And`],
//! like a parenthesised list), dates are [`NaiveDate`], sizes `u32` and
//! mod-sequences `u64`, so a server walks the tree with one `match`.

use std::num::{NonZeroU32, NonZeroU64};

use crate::core::{AString, Atom, Charset, Tag, Vec1};
use crate::datetime::NaiveDate;
use crate::flag::Flag;
use crate::sequence::SequenceSet;

/// One search criterion, or a combination of them (`search-key`).
///
/// A tree: [`Not`](Self::Not), [`Or`](Self::Or) and [`And`](Self::And) nest.
/// Parsed trees are at most [`NESTING_LIMIT`](crate::codec::NESTING_LIMIT)
/// deep. String criteria match case-insensitively as substrings (RFC 9051
/// §6.4.4); their bytes are in the command's charset.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SearchKey {
    /// `(search-key *(SP search-key))`, and the implicit AND of the keys of
    /// a search program: every key matches.
    And(Vec1<SearchKey>),
    /// `OR search-key SP search-key`: either key matches.
    Or(Box<SearchKey>, Box<SearchKey>),
    /// `NOT search-key`: the key does not match.
    Not(Box<SearchKey>),
    /// `ALL`: every message.
    All,
    /// `ANSWERED`: `\Answered` is set.
    Answered,
    /// `DELETED`: `\Deleted` is set.
    Deleted,
    /// `DRAFT`: `\Draft` is set.
    Draft,
    /// `FLAGGED`: `\Flagged` is set.
    Flagged,
    /// `SEEN`: `\Seen` is set.
    Seen,
    /// `UNANSWERED`: `\Answered` is not set.
    Unanswered,
    /// `UNDELETED`: `\Deleted` is not set.
    Undeleted,
    /// `UNDRAFT`: `\Draft` is not set.
    Undraft,
    /// `UNFLAGGED`: `\Flagged` is not set.
    Unflagged,
    /// `UNSEEN`: `\Seen` is not set.
    Unseen,
    /// `NEW`: `\Recent` and not `\Seen` (RFC 3501; gone from RFC 9051).
    New,
    /// `OLD`: not `\Recent` (RFC 3501; gone from RFC 9051).
    Old,
    /// `RECENT`: `\Recent` is set (RFC 3501; gone from RFC 9051).
    Recent,
    /// `KEYWORD flag-keyword`: the keyword is set.
    Keyword(Atom),
    /// `UNKEYWORD flag-keyword`: the keyword is not set.
    Unkeyword(Atom),
    /// `BCC astring`: the Bcc header field contains the string.
    Bcc(AString),
    /// `CC astring`: the Cc header field contains the string.
    Cc(AString),
    /// `FROM astring`: the From header field contains the string.
    From(AString),
    /// `TO astring`: the To header field contains the string.
    To(AString),
    /// `SUBJECT astring`: the Subject header field contains the string.
    Subject(AString),
    /// `BODY astring`: the body contains the string.
    Body(AString),
    /// `TEXT astring`: the header or the body contains the string.
    Text(AString),
    /// `HEADER header-fld-name SP astring`: the named header field contains
    /// the string (an empty string matches every message that has the field).
    Header(AString, AString),
    /// `BEFORE date`: internal date earlier than the date (time and zone
    /// ignored).
    Before(NaiveDate),
    /// `ON date`: internal date within the date.
    On(NaiveDate),
    /// `SINCE date`: internal date within or later than the date.
    Since(NaiveDate),
    /// `SENTBEFORE date`: Date header earlier than the date.
    SentBefore(NaiveDate),
    /// `SENTON date`: Date header within the date.
    SentOn(NaiveDate),
    /// `SENTSINCE date`: Date header within or later than the date.
    SentSince(NaiveDate),
    /// `LARGER number`: RFC 822 size larger than the number of octets.
    Larger(u32),
    /// `SMALLER number`: RFC 822 size smaller than the number of octets.
    Smaller(u32),
    /// `UID sequence-set`: UIDs in the set (`$` is the saved result, RFC 5182).
    Uid(SequenceSet),
    /// `sequence-set`: message numbers in the set (`$` is the saved result).
    SequenceSet(SequenceSet),
    /// `OLDER nz-number` (WITHIN, RFC 5032): internal date more than this
    /// many seconds ago.
    Older(NonZeroU32),
    /// `YOUNGER nz-number` (WITHIN, RFC 5032): internal date at most this
    /// many seconds ago.
    Younger(NonZeroU32),
    /// `MODSEQ [entry-name entry-type-req] mod-sequence-valzer` (CONDSTORE,
    /// RFC 7162 §3.1.5): mod-sequence greater than or equal to `modseq`,
    /// optionally the mod-sequence of one flag's metadata entry.
    ModSeq {
        /// The metadata entry of one flag, when named.
        entry: Option<ModSeqEntry>,
        /// The least mod-sequence that matches (0 matches every message);
        /// at most 2^63 - 1, as the grammar allows.
        modseq: u64,
    },
}

/// The metadata entry of a `MODSEQ` search key: `entry-name SP entry-type-req`
/// (RFC 7162 §3.1.5).
///
/// ```abnf
/// entry-name     = DQUOTE "/flags/" attr-flag DQUOTE
/// entry-type-req = "priv" / "shared" / "all"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModSeqEntry {
    /// The flag whose mod-sequence counts (`"/flags/\\Seen"` is [`Flag::Seen`]).
    pub flag: Flag,
    /// Which of its metadata items counts.
    pub kind: EntryType,
}

/// `entry-type-req` (RFC 7162): which metadata item of a flag counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryType {
    /// `priv`: the private (per-user) item.
    Private,
    /// `shared`: the shared item.
    Shared,
    /// `all`: the larger of both.
    All,
}

/// The range of a `PARTIAL` return option or result (RFC 5267 §4.4, RFC 9394 §4).
///
/// ```abnf
/// partial-range       = partial-range-first / partial-range-last
/// partial-range-first = nz-number ":" nz-number
/// partial-range-last  = "-" nz-number ":" "-" nz-number
/// ```
/// Positions count results, not message numbers; `500:400` is the same as
/// `400:500`. The two numbers are kept as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialRange {
    /// `a:b`: positions counted from the first (lowest) result, 1-based.
    First(NonZeroU32, NonZeroU32),
    /// `-a:-b` (RFC 9394): positions counted from the last (highest)
    /// result; 1 is the last one.
    Last(NonZeroU32, NonZeroU32),
}

/// A `RETURN` option of SEARCH (and of SORT, RFC 5267): `search-return-opt`.
///
/// RFC 9394 §3.1 forbids more than one `PARTIAL` or `ALL` in one command;
/// that check is the server's (the grammar allows any list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchReturnOption {
    /// `MIN`: the lowest matching number (RFC 4731).
    Min,
    /// `MAX`: the highest matching number (RFC 4731).
    Max,
    /// `ALL`: all matching numbers as a sequence set (RFC 4731).
    All,
    /// `COUNT`: how many messages match (RFC 4731).
    Count,
    /// `SAVE`: keep the result for `$` (SEARCHRES, RFC 5182).
    Save,
    /// `CONTEXT`: a hint that the client will reuse the result (RFC 5267 §4.2).
    Context,
    /// `UPDATE`: keep the result up to date with unsolicited `ADDTO` /
    /// `REMOVEFROM` (RFC 5267 §4.3).
    Update,
    /// `PARTIAL partial-range`: only this range of the results (RFC 5267 §4.4).
    Partial(PartialRange),
}

/// The arguments of SEARCH (what follows `SEARCH SP`; UID SEARCH takes the same).
///
/// ```abnf
/// search-args = [search-return-opts SP] ["CHARSET" SP charset SP] search-key *(SP search-key)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Search {
    /// `RETURN (...)`: `None` asks for a `SEARCH` response, `Some` for an
    /// `ESEARCH` response; `Some(vec![])` is `RETURN ()`, which means
    /// `RETURN (ALL)` (RFC 4731 §3.1).
    pub return_options: Option<Vec<SearchReturnOption>>,
    /// `CHARSET charset`, when given (US-ASCII, or UTF-8 in RFC 9051, when not).
    pub charset: Option<Charset>,
    /// The criteria: one key, or [`SearchKey::And`] of the keys of a list
    /// (`FLAGGED SINCE 1-Feb-1994` is `And([Flagged, Since(..)])`). An
    /// `And` of two or more keys is written as the bare list, any other key
    /// as itself, so `(A B)` alone parses as `And([A, B])` too, and `(A)` as
    /// `And([A])`.
    pub criteria: SearchKey,
}

impl Search {
    /// A classic SEARCH (no RETURN, no CHARSET) for `criteria`.
    pub fn new(criteria: SearchKey) -> Self {
        Self {
            return_options: None,
            charset: None,
            criteria,
        }
    }
}

/// The `SEARCH` response: `"SEARCH" *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]`.
///
/// The numbers are message numbers, or UIDs after UID SEARCH. A mod-sequence
/// (CONDSTORE, RFC 7162 §3.1.5) may follow only a non-empty list, which
/// the constructors guarantee.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchData {
    ids: Vec<NonZeroU32>,
    modseq: Option<NonZeroU64>,
}

impl SearchData {
    /// A response listing `ids` (none for `SEARCH` alone).
    pub fn new(ids: Vec<NonZeroU32>) -> Self {
        Self { ids, modseq: None }
    }

    /// A response listing `ids` and the highest mod-sequence among them
    /// (the answer to a search with `MODSEQ`).
    pub fn with_modseq(ids: Vec1<NonZeroU32>, modseq: NonZeroU64) -> Self {
        Self {
            ids: ids.into_inner(),
            modseq: Some(modseq),
        }
    }

    /// The matching message numbers or UIDs.
    pub fn ids(&self) -> &[NonZeroU32] {
        &self.ids
    }

    /// The highest mod-sequence of the matching messages, when sent.
    pub fn modseq(&self) -> Option<NonZeroU64> {
        self.modseq
    }
}

/// One item of an `ESEARCH` response: `search-return-data`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SearchReturnData {
    /// `MIN nz-number` (RFC 4731).
    Min(NonZeroU32),
    /// `MAX nz-number` (RFC 4731).
    Max(NonZeroU32),
    /// `ALL sequence-set` (RFC 4731; never `$`). After SORT, in sort order.
    All(SequenceSet),
    /// `COUNT number` (RFC 4731).
    Count(u32),
    /// `MODSEQ mod-sequence-value` (CONDSTORE, RFC 7162 §3.1.5).
    ModSeq(NonZeroU64),
    /// `ADDTO (context-position SP sequence-set ...)` (RFC 5267 §4.3.2):
    /// messages that now match, each set inserted at its position.
    AddTo(Vec1<ContextUpdate>),
    /// `REMOVEFROM (context-position SP sequence-set ...)` (RFC 5267
    /// §4.3.3): messages that no longer match.
    RemoveFrom(Vec1<ContextUpdate>),
    /// `PARTIAL (partial-range SP partial-results)` (RFC 5267 §4.4, RFC
    /// 9394): the results in the requested range; `None` (`NIL`) when there
    /// are none.
    Partial {
        /// The range the client asked for.
        range: PartialRange,
        /// The results in that range (never `$`).
        results: Option<SequenceSet>,
    },
}

/// One `context-position SP sequence-set` pair of `ADDTO` / `REMOVEFROM`
/// (RFC 5267 §4.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContextUpdate {
    /// Where in the result list the change applies (0: anywhere, allowed
    /// for SEARCH contexts).
    pub position: u32,
    /// The messages added or removed (never `$`).
    pub set: SequenceSet,
}

/// The `ESEARCH` response (RFC 4731 §3.1, RFC 9051 §7.3.4).
///
/// ```abnf
/// esearch-response  = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)
/// search-correlator = SP "(" "TAG" SP tag-string ")"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ESearchData {
    /// The tag of the command answered (`(TAG "a567")`), when sent. The wire
    /// form is a string; a string that is not a valid tag is refused.
    pub tag: Option<Tag>,
    /// `UID`: the numbers are UIDs.
    pub uid: bool,
    /// The return data, in order.
    pub data: Vec<SearchReturnData>,
}
