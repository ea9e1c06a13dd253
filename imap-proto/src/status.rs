//! STATUS: a mailbox's counters without selecting it (RFC 9051 §6.3.11),
//! with the items of CONDSTORE (RFC 7162 §3.1.2.1), STATUS=SIZE (RFC 8438),
//! APPENDLIMIT (RFC 7889) and IMAP4rev1's RECENT (RFC 3501).
//!
//! ```abnf
//! status          = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
//! status-att      = "MESSAGES" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN" /
//!                   "DELETED" / "SIZE" / "RECENT" / "HIGHESTMODSEQ" / "APPENDLIMIT"
//! mailbox-data    =/ "STATUS" SP mailbox SP "(" [status-att-list] ")"
//! status-att-list = status-att-val *(SP status-att-val)
//! status-att-val  = ("MESSAGES" SP number) / ("UIDNEXT" SP nz-number) /
//!                   ("UIDVALIDITY" SP nz-number) / ("UNSEEN" SP number) /
//!                   ("DELETED" SP number) / ("SIZE" SP number64) /
//!                   ("RECENT" SP number) /
//!                   ("HIGHESTMODSEQ" SP mod-sequence-valzer) /  ; RFC 7162
//!                   ("APPENDLIMIT" SP (number / nil))           ; RFC 7889
//! ```
//! [`StatusItemName`] and [`StatusItem`] are also what LIST-STATUS (RFC 5819)
//! asks for and answers with.

use std::fmt;
use std::num::NonZeroU32;

use crate::core::Vec1;
use crate::mailbox::Mailbox;

/// The name of a STATUS data item (`status-att`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusItemName {
    /// `MESSAGES`: the number of messages.
    Messages,
    /// `RECENT`: the number of messages with `\Recent` (RFC 3501; gone in RFC 9051).
    Recent,
    /// `UIDNEXT`: the next UID to be assigned.
    UidNext,
    /// `UIDVALIDITY`: the mailbox's UID validity value.
    UidValidity,
    /// `UNSEEN`: the number of messages without `\Seen`.
    Unseen,
    /// `DELETED`: the number of messages with `\Deleted` (RFC 9051).
    Deleted,
    /// `SIZE`: the mailbox's size in octets (RFC 8438, RFC 9051).
    Size,
    /// `HIGHESTMODSEQ`: the highest mod-sequence (RFC 7162 CONDSTORE).
    HighestModSeq,
    /// `APPENDLIMIT`: the largest message APPEND takes (RFC 7889).
    AppendLimit,
}

impl StatusItemName {
    /// Every item name, in the order this crate writes them.
    pub const ALL: [Self; 9] = [
        Self::Messages,
        Self::Recent,
        Self::UidNext,
        Self::UidValidity,
        Self::Unseen,
        Self::Deleted,
        Self::Size,
        Self::HighestModSeq,
        Self::AppendLimit,
    ];

    /// The wire name, in canonical (upper) case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Messages => "MESSAGES",
            Self::Recent => "RECENT",
            Self::UidNext => "UIDNEXT",
            Self::UidValidity => "UIDVALIDITY",
            Self::Unseen => "UNSEEN",
            Self::Deleted => "DELETED",
            Self::Size => "SIZE",
            Self::HighestModSeq => "HIGHESTMODSEQ",
            Self::AppendLimit => "APPENDLIMIT",
        }
    }

    /// The item called `name`, case-insensitively; `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|item| item.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for StatusItemName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A STATUS data item with its value (`status-att-val`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusItem {
    /// `MESSAGES n`.
    Messages(u32),
    /// `RECENT n`.
    Recent(u32),
    /// `UIDNEXT n` (never zero).
    UidNext(NonZeroU32),
    /// `UIDVALIDITY n` (never zero).
    UidValidity(NonZeroU32),
    /// `UNSEEN n`.
    Unseen(u32),
    /// `DELETED n`.
    Deleted(u32),
    /// `SIZE n`, in octets (63-bit `number64`).
    Size(u64),
    /// `HIGHESTMODSEQ n` (63-bit; 0 when the mailbox keeps no mod-sequences,
    /// RFC 7162 §3.1.2.1).
    HighestModSeq(u64),
    /// `APPENDLIMIT n`, or `APPENDLIMIT NIL` for no limit (RFC 7889 §3.2).
    AppendLimit(Option<u32>),
}

impl StatusItem {
    /// The item's name.
    pub fn name(&self) -> StatusItemName {
        match self {
            Self::Messages(_) => StatusItemName::Messages,
            Self::Recent(_) => StatusItemName::Recent,
            Self::UidNext(_) => StatusItemName::UidNext,
            Self::UidValidity(_) => StatusItemName::UidValidity,
            Self::Unseen(_) => StatusItemName::Unseen,
            Self::Deleted(_) => StatusItemName::Deleted,
            Self::Size(_) => StatusItemName::Size,
            Self::HighestModSeq(_) => StatusItemName::HighestModSeq,
            Self::AppendLimit(_) => StatusItemName::AppendLimit,
        }
    }
}

/// The arguments of STATUS: `mailbox SP "(" status-att *(SP status-att) ")"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Status {
    /// The mailbox asked about.
    pub mailbox: Mailbox,
    /// The items asked for, in the client's order.
    pub items: Vec1<StatusItemName>,
}

/// The STATUS response: `STATUS mailbox (MESSAGES 231 UIDNEXT 44292)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusData {
    /// The mailbox reported on.
    pub mailbox: Mailbox,
    /// The items, in the server's order (may be empty).
    pub items: Vec<StatusItem>,
}
