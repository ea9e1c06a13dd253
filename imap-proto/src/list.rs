//! LIST, LSUB and XLIST: naming mailboxes (RFC 9051 §6.3.9, RFC 3501 §6.3.9),
//! with LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819), SPECIAL-USE and
//! CREATE-SPECIAL-USE (RFC 6154), CHILDREN (RFC 3348) and Gmail's XLIST
//! attributes.
//!
//! ```abnf
//! list             = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat
//!                    [SP list-return-opts]
//! lsub             = "LSUB" SP mailbox SP list-mailbox
//! mbox-or-pat      = list-mailbox / patterns
//! patterns         = "(" list-mailbox *(SP list-mailbox) ")"
//! list-select-opts = "(" [(*(list-select-opt SP) list-select-base-opt
//!                    *(SP list-select-opt)) /
//!                    (list-select-independent-opt
//!                    *(SP list-select-independent-opt))] ")"
//! list-select-base-opt        = "SUBSCRIBED"
//! list-select-independent-opt = "REMOTE" / "SPECIAL-USE"    ; RFC 6154
//! list-select-mod-opt         = "RECURSIVEMATCH"
//! list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"
//! return-option    = "SUBSCRIBED" / "CHILDREN" / "SPECIAL-USE" /
//!                    "STATUS" SP "(" status-att *(SP status-att) ")"  ; RFC 5819
//!
//! mailbox-data     =/ "LIST" SP mailbox-list / "LSUB" SP mailbox-list /
//!                    "XLIST" SP mailbox-list
//! mailbox-list     = "(" [mbx-list-flags] ")" SP
//!                    (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
//!                    [SP mbox-list-extended]
//! mbox-list-extended = "(" [mbox-list-extended-item
//!                      *(SP mbox-list-extended-item)] ")"
//! mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
//! childinfo-extended-item = "CHILDINFO" SP "(" list-select-base-opt-quoted
//!                           *(SP list-select-base-opt-quoted) ")"
//! oldname-extended-item   = "OLDNAME" SP "(" mailbox ")"
//!
//! create-param     =/ "USE" SP "(" [use-attr *(SP use-attr)] ")"   ; RFC 6154
//! ```
//!
//! Unknown selection or return options are refused, not carried: RFC 5258
//! §3 has the server answer `BAD` to an option it does not know, and a
//! type that could hold one would leave it unable to tell.

use std::fmt;

use crate::core::{AString, Atom, Quoted, Vec1};
use crate::error::{ValidationError, ValidationReason};
use crate::mailbox::{ListMailbox, Mailbox};
use crate::sequence::SequenceSet;
use crate::status::StatusItemName;

/// A hierarchy delimiter: `DQUOTE QUOTED-CHAR DQUOTE` in LIST and NAMESPACE
/// responses.
///
/// Any one character except NUL, CR and LF (RFC 9051 `QUOTED-CHAR`, which
/// includes UTF-8); in practice `/` or `.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Delimiter(char);

impl Delimiter {
    /// `/`.
    pub const SLASH: Self = Self('/');
    /// `.`.
    pub const DOT: Self = Self('.');

    /// Checks that `c` can be a delimiter.
    ///
    /// # Errors
    /// Returns [`ValidationError`] for NUL, CR and LF.
    pub fn validate(c: char) -> Result<(), ValidationError> {
        if matches!(c, '\0' | '\r' | '\n') {
            return Err(ValidationError::new(
                "delimiter",
                ValidationReason::ByteNotAllowed(c as u8),
            ));
        }
        Ok(())
    }

    /// The delimiter character.
    pub fn as_char(self) -> char {
        self.0
    }
}

impl TryFrom<char> for Delimiter {
    type Error = ValidationError;

    fn try_from(c: char) -> Result<Self, ValidationError> {
        Self::validate(c)?;
        Ok(Self(c))
    }
}

impl fmt::Display for Delimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A mailbox attribute of a LIST response (`mbx-list-flags`), or a
/// special-use attribute of CREATE (`use-attr`).
///
/// Parsed case-insensitively, written in the case shown here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MailboxAttribute {
    /// `\Noinferiors`: no child mailbox can exist.
    Noinferiors,
    /// `\Noselect`: the name cannot be selected.
    Noselect,
    /// `\Marked`: probably has new messages.
    Marked,
    /// `\Unmarked`: no new messages.
    Unmarked,
    /// `\NonExistent`: the name does not exist (RFC 5258; implies `\Noselect`).
    NonExistent,
    /// `\Subscribed` (RFC 5258).
    Subscribed,
    /// `\Remote`: on another server (RFC 5258).
    Remote,
    /// `\HasChildren` (RFC 3348, RFC 5258 CHILDREN).
    HasChildren,
    /// `\HasNoChildren` (RFC 3348, RFC 5258 CHILDREN).
    HasNoChildren,
    /// `\All`: every message (RFC 6154).
    All,
    /// `\Archive` (RFC 6154).
    Archive,
    /// `\Drafts` (RFC 6154).
    Drafts,
    /// `\Flagged`: the flagged messages (RFC 6154).
    Flagged,
    /// `\Junk` (RFC 6154).
    Junk,
    /// `\Sent` (RFC 6154).
    Sent,
    /// `\Trash` (RFC 6154).
    Trash,
    /// `\Important` (RFC 8457; also Gmail XLIST).
    Important,
    /// `\Inbox`: Gmail XLIST's name for the inbox.
    Inbox,
    /// `\AllMail`: Gmail XLIST's `\All`.
    AllMail,
    /// `\Spam`: Gmail XLIST's `\Junk`.
    Spam,
    /// `\Starred`: Gmail XLIST's `\Flagged`.
    Starred,
    /// Any other `\atom` (`flag-extension`, `use-attr-ext`), kept as sent.
    ///
    /// The atom is not one of the names above (which parse as their own
    /// variant); build it with [`MailboxAttribute::from_text`].
    Extension(Atom),
}

/// The known attributes, in the order of the enum.
const KNOWN_ATTRIBUTES: [MailboxAttribute; 21] = [
    MailboxAttribute::Noinferiors,
    MailboxAttribute::Noselect,
    MailboxAttribute::Marked,
    MailboxAttribute::Unmarked,
    MailboxAttribute::NonExistent,
    MailboxAttribute::Subscribed,
    MailboxAttribute::Remote,
    MailboxAttribute::HasChildren,
    MailboxAttribute::HasNoChildren,
    MailboxAttribute::All,
    MailboxAttribute::Archive,
    MailboxAttribute::Drafts,
    MailboxAttribute::Flagged,
    MailboxAttribute::Junk,
    MailboxAttribute::Sent,
    MailboxAttribute::Trash,
    MailboxAttribute::Important,
    MailboxAttribute::Inbox,
    MailboxAttribute::AllMail,
    MailboxAttribute::Spam,
    MailboxAttribute::Starred,
];

impl MailboxAttribute {
    /// The attribute named `\name`: a known one case-insensitively, else an
    /// extension.
    pub fn from_atom(name: Atom) -> Self {
        KNOWN_ATTRIBUTES
            .iter()
            .find(|known| known.name().eq_ignore_ascii_case(name.as_str()))
            .cloned()
            .unwrap_or(Self::Extension(name))
    }

    /// Parses the text of an attribute (`\HasChildren`).
    ///
    /// Returns `None` when the text is not `\` followed by an atom.
    pub fn from_text(text: &str) -> Option<Self> {
        let name = Atom::try_from(text.strip_prefix('\\')?).ok()?;
        Some(Self::from_atom(name))
    }

    /// The name without the backslash, canonical case for known attributes.
    pub fn name(&self) -> &str {
        match self {
            Self::Noinferiors => "Noinferiors",
            Self::Noselect => "Noselect",
            Self::Marked => "Marked",
            Self::Unmarked => "Unmarked",
            Self::NonExistent => "NonExistent",
            Self::Subscribed => "Subscribed",
            Self::Remote => "Remote",
            Self::HasChildren => "HasChildren",
            Self::HasNoChildren => "HasNoChildren",
            Self::All => "All",
            Self::Archive => "Archive",
            Self::Drafts => "Drafts",
            Self::Flagged => "Flagged",
            Self::Junk => "Junk",
            Self::Sent => "Sent",
            Self::Trash => "Trash",
            Self::Important => "Important",
            Self::Inbox => "Inbox",
            Self::AllMail => "AllMail",
            Self::Spam => "Spam",
            Self::Starred => "Starred",
            Self::Extension(atom) => atom.as_str(),
        }
    }

    /// Whether this is one of the special-use attributes of RFC 6154 (or
    /// RFC 8457's `\Important`), which CREATE's `USE` may ask for.
    pub fn is_special_use(&self) -> bool {
        matches!(
            self,
            Self::All
                | Self::Archive
                | Self::Drafts
                | Self::Flagged
                | Self::Junk
                | Self::Sent
                | Self::Trash
                | Self::Important
        )
    }
}

impl fmt::Display for MailboxAttribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\\{}", self.name())
    }
}

/// The selection options of an extended LIST (RFC 5258 §3.1, RFC 6154 §3).
///
/// Written in the order of the fields; all `false` is the basic LIST, and
/// writes nothing. `recursive_match` only means something with
/// `subscribed`: alone (or with only independent options) the parser
/// refuses it, as RFC 5258 §3 has the server answer `BAD`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ListSelectOptions {
    /// `SUBSCRIBED`: list subscribed names (implies the `SUBSCRIBED` return option).
    pub subscribed: bool,
    /// `REMOTE`: include remote mailboxes (RFC 2193).
    pub remote: bool,
    /// `SPECIAL-USE`: only mailboxes with a special-use attribute (RFC 6154 §3).
    pub special_use: bool,
    /// `RECURSIVEMATCH`: also report parents whose children match (with `CHILDINFO`).
    pub recursive_match: bool,
}

impl ListSelectOptions {
    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The return options of an extended LIST (RFC 5258 §3.2, RFC 5819,
/// RFC 6154 §3).
///
/// Written in the order of the fields; empty writes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ListReturnOptions {
    /// `SUBSCRIBED`: report `\Subscribed`.
    pub subscribed: bool,
    /// `CHILDREN`: report `\HasChildren` / `\HasNoChildren`.
    pub children: bool,
    /// `SPECIAL-USE`: report special-use attributes.
    pub special_use: bool,
    /// `STATUS (items)`: send a STATUS response for each listed mailbox (RFC 5819).
    pub status: Option<Vec1<StatusItemName>>,
}

impl ListReturnOptions {
    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The arguments of LIST (`mailbox` is the reference name).
///
/// `LIST () "" x` and `LIST "" x RETURN ()` mean the same as `LIST "" x`
/// and are read as it; a single pattern is written without parentheses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct List {
    /// Selection options (empty for a basic LIST).
    pub selection: ListSelectOptions,
    /// The reference name the patterns are relative to (often `""`).
    pub reference: Mailbox,
    /// The patterns, with `%` and `*` wildcards (several only in an extended LIST).
    pub patterns: Vec1<ListMailbox>,
    /// Return options (empty for a basic LIST).
    pub returns: ListReturnOptions,
}

impl List {
    /// A basic LIST of one pattern.
    pub fn basic(reference: Mailbox, pattern: ListMailbox) -> Self {
        Self {
            selection: ListSelectOptions::default(),
            reference,
            patterns: Vec1::one(pattern),
            returns: ListReturnOptions::default(),
        }
    }

    /// Whether this is an extended LIST (RFC 5258 §3): selection or return
    /// options, or more than one pattern.
    pub fn is_extended(&self) -> bool {
        !self.selection.is_empty() || !self.returns.is_empty() || self.patterns.as_slice().len() > 1
    }
}

/// The arguments of LSUB, and of XLIST (Gmail's LIST with special-use
/// attributes, which takes the arguments of a basic LIST):
/// `mailbox SP list-mailbox`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lsub {
    /// The reference name.
    pub reference: Mailbox,
    /// The pattern.
    pub pattern: ListMailbox,
}

/// Which response a [`ListData`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// `LIST`.
    List,
    /// `LSUB`.
    Lsub,
    /// `XLIST` (Gmail).
    Xlist,
}

impl ListKind {
    /// The response keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "LIST",
            Self::Lsub => "LSUB",
            Self::Xlist => "XLIST",
        }
    }
}

/// A LIST, LSUB or XLIST response: `LIST (\HasNoChildren) "/" INBOX`.
///
/// Attributes are kept in the order sent; the parser does not enforce
/// RFC 9051's "at most one of `\Noselect \Marked \Unmarked \NonExistent`",
/// as a client has to read what servers send.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListData {
    /// `LIST`, `LSUB` or `XLIST`.
    pub kind: ListKind,
    /// The mailbox's attributes.
    pub attributes: Vec<MailboxAttribute>,
    /// The hierarchy delimiter, `None` (`NIL`) for a flat namespace.
    pub delimiter: Option<Delimiter>,
    /// The mailbox name.
    pub mailbox: Mailbox,
    /// Extended data items (RFC 5258 §3.5, RFC 9051 `OLDNAME`); an empty
    /// list is written as nothing.
    pub extended: Vec<ListExtendedItem>,
}

/// An extended data item of a LIST response (`mbox-list-extended-item`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListExtendedItem {
    /// `("CHILDINFO" ("SUBSCRIBED"))`: children match the selection
    /// criteria although this mailbox does not (RFC 5258 §3.5).
    ChildInfo(Vec1<ChildInfo>),
    /// `("OLDNAME" ("oldname"))`: the name before a RENAME (RFC 9051 §6.3.9.7).
    OldName(Mailbox),
    /// Any other item, kept as sent. `tag` is never `CHILDINFO` or `OLDNAME`
    /// (in any case).
    Other {
        /// `mbox-list-extended-item-tag = astring`.
        tag: AString,
        /// The item's value.
        value: TaggedExtVal,
    },
}

/// A selection criterion that children matched (`list-select-base-opt-quoted`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChildInfo {
    /// `"SUBSCRIBED"`.
    Subscribed,
    /// Another option, kept as sent (never `SUBSCRIBED` in any case).
    Other(Quoted),
}

/// A generic extension value (RFC 4466 §2.1, RFC 9051 `tagged-ext-val`).
///
/// ```abnf
/// tagged-ext-val    = tagged-ext-simple / "(" [tagged-ext-comp] ")"
/// tagged-ext-simple = sequence-set / number / number64
/// tagged-ext-comp   = astring / tagged-ext-comp *(SP tagged-ext-comp) /
///                     "(" tagged-ext-comp ")"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaggedExtVal {
    /// A bare number (63-bit).
    Number(u64),
    /// A sequence set that is not a single number (those read as [`Self::Number`]).
    SequenceSet(SequenceSet),
    /// `"(" [tagged-ext-comp] ")"`.
    Comp(Vec<TaggedExtComp>),
}

/// One element of a `tagged-ext-comp`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaggedExtComp {
    /// A string.
    AString(AString),
    /// `"(" tagged-ext-comp ")"`: a parenthesized, non-empty list.
    List(Vec1<TaggedExtComp>),
}

/// The CREATE-SPECIAL-USE parameter of CREATE (RFC 6154 §5):
/// `SP "(" "USE" SP "(" [use-attr *(SP use-attr)] ")" ")"`.
///
/// The attributes are checked by the server, not here: any `\atom` parses
/// (`use-attr-ext`), and one the server does not support gets
/// `NO [USEATTR]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CreateParams {
    /// The special uses asked for (may be empty: `USE ()`).
    pub special_use: Vec<MailboxAttribute>,
}
