//! Client commands: a [`Command`] is a tag and a [`CommandBody`], with one
//! variant per command of RFC 9051 §6 (and RFC 3501) and the extensions
//! below.
//!
//! | state | commands |
//! |---|---|
//! | any | CAPABILITY, NOOP, LOGOUT, ID (RFC 2971), ENABLE (RFC 5161), COMPRESS (RFC 4978) |
//! | not authenticated | STARTTLS, AUTHENTICATE (with SASL-IR, RFC 4959), LOGIN |
//! | authenticated | SELECT, EXAMINE (CONDSTORE/QRESYNC parameters, RFC 7162), CREATE (CREATE-SPECIAL-USE, RFC 6154), DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST (RFC 5258, RFC 5819), LSUB, XLIST, NAMESPACE, STATUS, APPEND (MULTIAPPEND RFC 3502, BINARY RFC 3516), IDLE, GETQUOTA/GETQUOTAROOT/SETQUOTA (RFC 9208), SETACL/DELETEACL/GETACL/LISTRIGHTS/MYRIGHTS (RFC 4314) |
//! | selected | CHECK, CLOSE, UNSELECT, EXPUNGE, UID EXPUNGE (RFC 4315), SEARCH, FETCH, STORE, COPY, MOVE (RFC 6851), SORT/THREAD (RFC 5256), and the `UID` forms |
//!
//! The state column is informative: which commands are allowed in which
//! state is the engine's business, the parser accepts every command anywhere.
//!
//! Two pieces of a command are not part of its frame and have their own
//! types: the lines a client sends during AUTHENTICATE ([`AuthenticateData`])
//! and the `DONE` that ends IDLE ([`IdleDone`]).
//!
//! Passwords and SASL data are held in [`Secret`], so `{:?}` of a command
//! never shows them.

use std::num::{NonZeroU32, NonZeroU64};

use bytes::Bytes;

use crate::acl::{DeleteAcl, GetAcl, ListRights, MyRights, SetAcl};
use crate::capability::Capability;
use crate::core::{AString, Atom, Literal, Literal8, Tag, Vec1};
use crate::datetime::DateTime;
use crate::fetch::Fetch;
use crate::flag::{Flag, StoreResponse, StoreType};
use crate::id::Id;
use crate::list::{CreateParams, List, Lsub};
use crate::mailbox::Mailbox;
use crate::quota::{GetQuota, GetQuotaRoot, SetQuota};
use crate::search::Search;
use crate::secret::Secret;
use crate::sequence::SequenceSet;
use crate::sort::{Sort, Thread};
use crate::status::Status;

/// A client command: `tag SP command-body CRLF`.
///
/// # Example
/// ```
/// use imapkit_proto::codec::{CommandCodec, Encode};
/// use imapkit_proto::command::CommandBody;
///
/// let command = CommandCodec::decode(b"a1 NOOP\r\n").unwrap();
/// assert_eq!(command.tag.as_str(), "a1");
/// assert_eq!(command.body, CommandBody::Noop);
/// assert_eq!(command.encode().dump(), b"a1 NOOP\r\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Command {
    /// The tag the server echoes in its completion response.
    pub tag: Tag,
    /// The command and its arguments.
    pub body: CommandBody,
}

impl Command {
    /// A command.
    pub fn new(tag: Tag, body: CommandBody) -> Self {
        Self { tag, body }
    }

    /// The command's name as written on the wire, e.g. `"UID FETCH"`.
    pub fn name(&self) -> &'static str {
        self.body.name()
    }
}

/// A command and its arguments, one variant per command.
///
/// Commands that take a sequence set come in two forms: with `uid: false`
/// the set holds message sequence numbers, with `uid: true` (the `UID`
/// prefix, RFC 9051 §6.4.9) it holds UIDs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CommandBody {
    /// `CAPABILITY` (RFC 9051 §6.1.1).
    Capability,
    /// `NOOP` (RFC 9051 §6.1.2).
    Noop,
    /// `LOGOUT` (RFC 9051 §6.1.3).
    Logout,
    /// `STARTTLS` (RFC 9051 §6.2.1).
    StartTls,
    /// `AUTHENTICATE mechanism [initial-response]` (RFC 9051 §6.2.2,
    /// RFC 4959 SASL-IR).
    Authenticate {
        /// The SASL mechanism (`PLAIN`, `XOAUTH2`, ...), as sent; mechanism
        /// names are case-insensitive.
        mechanism: Atom,
        /// The initial response, decoded from base64: `None` without one,
        /// an empty value for `=` (an empty initial response).
        initial_response: Option<Secret<Bytes>>,
    },
    /// `LOGIN userid password` (RFC 9051 §6.2.3).
    Login {
        /// The user name.
        username: AString,
        /// The password (never shown by `Debug`).
        password: Secret<AString>,
    },
    /// `ID (params)` / `ID NIL` (RFC 2971).
    Id(Id),
    /// `ENABLE capability...` (RFC 9051 §6.3.1, RFC 5161).
    Enable {
        /// The capabilities to enable (`CONDSTORE`, `QRESYNC`, `UTF8=ACCEPT`, ...).
        capabilities: Vec1<Capability>,
    },
    /// `SELECT mailbox [params]` (RFC 9051 §6.3.2).
    Select {
        /// The mailbox.
        mailbox: Mailbox,
        /// `(CONDSTORE)`, `(QRESYNC (...))`.
        params: SelectParams,
    },
    /// `EXAMINE mailbox [params]` (RFC 9051 §6.3.3): SELECT, read-only.
    Examine {
        /// The mailbox.
        mailbox: Mailbox,
        /// `(CONDSTORE)`, `(QRESYNC (...))`.
        params: SelectParams,
    },
    /// `CREATE mailbox [(USE (attributes))]` (RFC 9051 §6.3.4, RFC 6154 §3).
    Create {
        /// The mailbox.
        mailbox: Mailbox,
        /// The CREATE-SPECIAL-USE parameter, when sent.
        params: Option<CreateParams>,
    },
    /// `DELETE mailbox` (RFC 9051 §6.3.5).
    Delete {
        /// The mailbox.
        mailbox: Mailbox,
    },
    /// `RENAME from to` (RFC 9051 §6.3.6).
    Rename {
        /// The existing mailbox.
        from: Mailbox,
        /// Its new name.
        to: Mailbox,
    },
    /// `SUBSCRIBE mailbox` (RFC 9051 §6.3.7).
    Subscribe {
        /// The mailbox.
        mailbox: Mailbox,
    },
    /// `UNSUBSCRIBE mailbox` (RFC 9051 §6.3.8).
    Unsubscribe {
        /// The mailbox.
        mailbox: Mailbox,
    },
    /// `LIST` (RFC 9051 §6.3.9, with LIST-EXTENDED RFC 5258 and
    /// LIST-STATUS RFC 5819).
    List(List),
    /// `LSUB reference pattern` (RFC 3501 §6.3.9; deprecated by RFC 9051).
    Lsub(Lsub),
    /// `XLIST reference pattern` (Gmail's LIST with special-use
    /// attributes, before RFC 6154).
    Xlist(Lsub),
    /// `NAMESPACE` (RFC 9051 §6.3.10, RFC 2342).
    Namespace,
    /// `STATUS mailbox (items)` (RFC 9051 §6.3.11).
    Status(Status),
    /// `APPEND mailbox message...` (RFC 9051 §6.3.12, RFC 3502, RFC 3516).
    Append(Append),
    /// `IDLE` (RFC 9051 §6.3.13, RFC 2177); ended by the client's `DONE`
    /// line ([`IdleDone`]).
    Idle,
    /// `COMPRESS algorithm` (RFC 4978).
    Compress {
        /// The algorithm.
        algorithm: CompressionAlgorithm,
    },
    /// `GETQUOTA root` (RFC 9208 §4.2).
    GetQuota(GetQuota),
    /// `GETQUOTAROOT mailbox` (RFC 9208 §4.3).
    GetQuotaRoot(GetQuotaRoot),
    /// `SETQUOTA root (limits)` (RFC 9208 §4.4).
    SetQuota(SetQuota),
    /// `SETACL mailbox identifier rights` (RFC 4314 §3.1).
    SetAcl(SetAcl),
    /// `DELETEACL mailbox identifier` (RFC 4314 §3.2).
    DeleteAcl(DeleteAcl),
    /// `GETACL mailbox` (RFC 4314 §3.3).
    GetAcl(GetAcl),
    /// `LISTRIGHTS mailbox identifier` (RFC 4314 §3.4).
    ListRights(ListRights),
    /// `MYRIGHTS mailbox` (RFC 4314 §3.5).
    MyRights(MyRights),
    /// `CHECK` (RFC 3501 §6.4.1; a NOOP in RFC 9051).
    Check,
    /// `CLOSE` (RFC 9051 §6.4.1).
    Close,
    /// `UNSELECT` (RFC 9051 §6.4.2, RFC 3691).
    Unselect,
    /// `EXPUNGE` (RFC 9051 §6.4.3).
    Expunge,
    /// `UID EXPUNGE uid-set` (RFC 9051 §6.4.9, RFC 4315 UIDPLUS).
    ExpungeUid {
        /// The UIDs of the messages to expunge (if marked `\Deleted`).
        uids: SequenceSet,
    },
    /// `[UID] SEARCH [RETURN (...)] [CHARSET charset] criteria` (RFC 9051
    /// §6.4.4, ESEARCH RFC 4731, SEARCHRES RFC 5182).
    Search {
        /// Whether the response lists UIDs (not message numbers).
        uid: bool,
        /// The return options, charset and criteria.
        search: Search,
    },
    /// `[UID] SORT (criteria) charset search-criteria` (RFC 5256 §3).
    Sort {
        /// Whether the response lists UIDs.
        uid: bool,
        /// The sort order, charset and criteria.
        sort: Sort,
    },
    /// `[UID] THREAD algorithm charset search-criteria` (RFC 5256 §3).
    Thread {
        /// Whether the response lists UIDs.
        uid: bool,
        /// The algorithm, charset and criteria.
        thread: Thread,
    },
    /// `[UID] FETCH sequence-set items [modifiers]` (RFC 9051 §6.4.5,
    /// RFC 7162 `CHANGEDSINCE`/`VANISHED`).
    Fetch {
        /// Whether the set holds UIDs.
        uid: bool,
        /// What to fetch of which messages.
        fetch: Fetch,
    },
    /// `[UID] STORE` (RFC 9051 §6.4.6, RFC 7162 `UNCHANGEDSINCE`).
    Store {
        /// Whether the set holds UIDs.
        uid: bool,
        /// What to store where.
        store: Store,
    },
    /// `[UID] COPY sequence-set mailbox` (RFC 9051 §6.4.7).
    Copy {
        /// Whether the set holds UIDs.
        uid: bool,
        /// The messages.
        sequence_set: SequenceSet,
        /// The destination.
        mailbox: Mailbox,
    },
    /// `[UID] MOVE sequence-set mailbox` (RFC 9051 §6.4.8, RFC 6851).
    Move {
        /// Whether the set holds UIDs.
        uid: bool,
        /// The messages.
        sequence_set: SequenceSet,
        /// The destination.
        mailbox: Mailbox,
    },
}

impl CommandBody {
    /// The command's name as written on the wire, e.g. `"UID FETCH"`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Capability => "CAPABILITY",
            Self::Noop => "NOOP",
            Self::Logout => "LOGOUT",
            Self::StartTls => "STARTTLS",
            Self::Authenticate { .. } => "AUTHENTICATE",
            Self::Login { .. } => "LOGIN",
            Self::Id(_) => "ID",
            Self::Enable { .. } => "ENABLE",
            Self::Select { .. } => "SELECT",
            Self::Examine { .. } => "EXAMINE",
            Self::Create { .. } => "CREATE",
            Self::Delete { .. } => "DELETE",
            Self::Rename { .. } => "RENAME",
            Self::Subscribe { .. } => "SUBSCRIBE",
            Self::Unsubscribe { .. } => "UNSUBSCRIBE",
            Self::List(_) => "LIST",
            Self::Lsub(_) => "LSUB",
            Self::Xlist(_) => "XLIST",
            Self::Namespace => "NAMESPACE",
            Self::Status(_) => "STATUS",
            Self::Append(_) => "APPEND",
            Self::Idle => "IDLE",
            Self::Compress { .. } => "COMPRESS",
            Self::GetQuota(_) => "GETQUOTA",
            Self::GetQuotaRoot(_) => "GETQUOTAROOT",
            Self::SetQuota(_) => "SETQUOTA",
            Self::SetAcl(_) => "SETACL",
            Self::DeleteAcl(_) => "DELETEACL",
            Self::GetAcl(_) => "GETACL",
            Self::ListRights(_) => "LISTRIGHTS",
            Self::MyRights(_) => "MYRIGHTS",
            Self::Check => "CHECK",
            Self::Close => "CLOSE",
            Self::Unselect => "UNSELECT",
            Self::Expunge => "EXPUNGE",
            Self::ExpungeUid { .. } => "UID EXPUNGE",
            Self::Search { uid: false, .. } => "SEARCH",
            Self::Search { uid: true, .. } => "UID SEARCH",
            Self::Sort { uid: false, .. } => "SORT",
            Self::Sort { uid: true, .. } => "UID SORT",
            Self::Thread { uid: false, .. } => "THREAD",
            Self::Thread { uid: true, .. } => "UID THREAD",
            Self::Fetch { uid: false, .. } => "FETCH",
            Self::Fetch { uid: true, .. } => "UID FETCH",
            Self::Store { uid: false, .. } => "STORE",
            Self::Store { uid: true, .. } => "UID STORE",
            Self::Copy { uid: false, .. } => "COPY",
            Self::Copy { uid: true, .. } => "UID COPY",
            Self::Move { uid: false, .. } => "MOVE",
            Self::Move { uid: true, .. } => "UID MOVE",
        }
    }
}

/// The parameters of SELECT and EXAMINE (RFC 4466 `select-params`).
///
/// ```abnf
/// select-params = SP "(" select-param *(SP select-param) ")"
/// select-param  =/ "CONDSTORE"                          ; RFC 7162 §3.1.8
/// select-param  =/ "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
///                  [SP known-uids] [SP seq-match-data] ")" ; RFC 7162 §3.2.5
/// ```
/// The default is no parameters (a plain `SELECT mailbox`). Each parameter
/// may appear once; the encoder writes `CONDSTORE` before `QRESYNC`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SelectParams {
    /// `CONDSTORE`: enable CONDSTORE (RFC 7162 §3.1.8).
    pub condstore: bool,
    /// `QRESYNC (...)`: resynchronise (RFC 7162 §3.2.5).
    pub qresync: Option<QResync>,
}

impl SelectParams {
    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        !self.condstore && self.qresync.is_none()
    }
}

/// The QRESYNC parameter of SELECT/EXAMINE (RFC 7162 §3.2.5): what the
/// client knows of the mailbox from its last session.
///
/// ```abnf
/// "QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")"
/// known-uids     = sequence-set                        ; UIDs, "*" not allowed
/// seq-match-data = "(" known-sequence-set SP known-uid-set ")"
/// ```
/// The sets never hold `*` or `$`: the parser refuses them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QResync {
    /// The UIDVALIDITY the client last saw.
    pub uid_validity: NonZeroU32,
    /// The last known HIGHESTMODSEQ.
    pub mod_seq: NonZeroU64,
    /// The UIDs the client knows about; `None` means all.
    pub known_uids: Option<SequenceSet>,
    /// Sample message numbers and their UIDs, for the server to find where
    /// the client's view diverged.
    pub seq_match: Option<SeqMatchData>,
}

/// `seq-match-data = "(" known-sequence-set SP known-uid-set ")"` (RFC 7162 §3.2.5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SeqMatchData {
    /// Message numbers, in ascending order.
    pub sequence_set: SequenceSet,
    /// The UIDs of those messages, in the same order.
    pub uid_set: SequenceSet,
}

/// The arguments of APPEND: a mailbox and one or more messages.
///
/// ```abnf
/// append         = "APPEND" SP mailbox 1*append-message      ; RFC 3502
/// append-message = [SP flag-list] [SP date-time] SP append-data
/// append-data    = literal / literal8                         ; RFC 3516
/// ```
/// More than one message is MULTIAPPEND (RFC 3502): the server appends all
/// of them or none.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Append {
    /// The destination.
    pub mailbox: Mailbox,
    /// The messages, in order.
    pub messages: Vec1<AppendMessage>,
}

/// One message of an APPEND.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppendMessage {
    /// Flags to set on the new message; empty when no flag list was sent
    /// (an empty list `()` means the same).
    pub flags: Vec<Flag>,
    /// The internal date to give it; the server picks the time of append
    /// when `None`.
    pub date_time: Option<DateTime>,
    /// The message.
    pub data: AppendData,
}

/// The message data of APPEND: a literal, or a literal8 (RFC 3516 BINARY),
/// the only literal of any command that may hold NUL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AppendData {
    /// `{n}` / `{n+}`: no NUL.
    Literal(Literal),
    /// `~{n}` / `~{n+}`: any bytes.
    Literal8(Literal8),
}

impl AppendData {
    /// The message bytes.
    pub fn data(&self) -> &Bytes {
        match self {
            Self::Literal(literal) => literal.data(),
            Self::Literal8(literal8) => &literal8.data,
        }
    }
}

/// The arguments of STORE (RFC 9051 §6.4.6, RFC 7162 §3.1.3).
///
/// ```abnf
/// store           = "STORE" SP sequence-set [store-modifiers] SP store-att-flags
/// store-modifiers = SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"
/// store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Store {
    /// The messages.
    pub sequence_set: SequenceSet,
    /// `UNCHANGEDSINCE n` (CONDSTORE): store only where the mod-sequence is
    /// not above `n`.
    pub unchanged_since: Option<u64>,
    /// Replace, add or remove.
    pub kind: StoreType,
    /// Whether the server reports the new flags.
    pub response: StoreResponse,
    /// The flags (never `\Recent`); may be empty (`FLAGS ()`).
    pub flags: Vec<Flag>,
}

/// A compression algorithm of COMPRESS (RFC 4978 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompressionAlgorithm {
    /// `DEFLATE` (RFC 1951, the only one defined).
    Deflate,
}

impl CompressionAlgorithm {
    /// The algorithm's name as written on the wire.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Deflate => "DEFLATE",
        }
    }
}

/// One line a client sends during AUTHENTICATE, after a `+` continuation
/// request (RFC 9051 §6.2.2).
///
/// ```abnf
/// authenticate-line = base64 CRLF / "*" CRLF
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthenticateData {
    /// The client's response, decoded from base64 (may be empty: an empty
    /// line is an empty response).
    Continue(Secret<Bytes>),
    /// `*`: the client cancels; the server answers `tag BAD`.
    Cancel,
}

/// The `DONE` line that ends IDLE (RFC 9051 §6.3.13): `"DONE" CRLF`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct IdleDone;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_login_hides_the_password() {
        let command = Command::new(
            Tag::unvalidated("a1"),
            CommandBody::Login {
                username: AString::from_content("alice").unwrap(),
                password: Secret::new(AString::from_content("hunter2").unwrap()),
            },
        );
        let debug = format!("{command:?}");
        assert!(debug.contains("alice"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("[REDACTED]"), "{debug}");
    }

    #[test]
    fn debug_of_authenticate_hides_the_response() {
        let body = CommandBody::Authenticate {
            mechanism: Atom::unvalidated("PLAIN"),
            initial_response: Some(Secret::new(Bytes::from_static(b"\0alice\0hunter2"))),
        };
        let debug = format!("{body:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        let data = AuthenticateData::Continue(Secret::new(Bytes::from_static(b"hunter2")));
        assert!(!format!("{data:?}").contains("hunter2"));
    }

    #[test]
    fn names() {
        assert_eq!(CommandBody::Noop.name(), "NOOP");
        let copy = CommandBody::Copy {
            uid: true,
            sequence_set: SequenceSet::all(),
            mailbox: Mailbox::Inbox,
        };
        assert_eq!(copy.name(), "UID COPY");
    }
}
