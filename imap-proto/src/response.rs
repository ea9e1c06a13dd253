//! Server responses (RFC 9051 §7, RFC 3501 §7, and the extensions).
//!
//! ```abnf
//! response        = *(continue-req / response-data) response-done
//! continue-req    = "+" SP (resp-text / base64) CRLF
//! response-data   = "*" SP (resp-cond-state / resp-cond-bye /
//!                   mailbox-data / message-data / capability-data /
//!                   enable-data) CRLF
//! response-tagged = tag SP resp-cond-state CRLF
//! resp-cond-auth  = ("OK" / "PREAUTH") SP resp-text
//! resp-cond-bye   = "BYE" SP resp-text
//! resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
//! resp-text       = ["[" resp-text-code "]" SP] [text]
//! ```
//!
//! A [`Response`] is one frame of what a server sends: a status
//! ([`Status`]), untagged data ([`Data`]) or a continuation request
//! ([`ContinueRequest`]). [`ResponseCodec`](crate::codec::ResponseCodec)
//! decodes one, [`Encode`](crate::codec::Encode) writes one.
//!
//! # Two ambiguities of the grammar
//! - `resp-text` may start with a code in brackets, and `text` may start
//!   with `[`. A status without a code whose text starts with something
//!   that reads as a code (`[ALERT] x`) reads back with that code. Don't
//!   build a [`RespText`] with `code: None` and a text starting with `[`.
//! - `continue-req` is `resp-text` or `base64`, and a text can be valid
//!   base64 (`+ abcd`). The decoder reads the rest of the line as
//!   [`ContinueRequest::Base64`] exactly when it is valid, padded base64
//!   (RFC 4648 §4, the empty string included: an empty SASL challenge is
//!   `+ `), and as [`ContinueRequest::Text`] otherwise. So a text
//!   continuation (`+ Ready`) must not be valid base64 (`+ OKAY` is), and
//!   must have a text or a code.

use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};

use bytes::Bytes;

use crate::acl::{AclData, ListRightsData, MyRightsData};
use crate::capability::Capability;
use crate::core::{Atom, Charset, Tag, Text, Vec1};
use crate::error::{ValidationError, ValidationReason};
use crate::fetch::FetchData;
use crate::flag::{Flag, FlagPerm};
use crate::id::IdData;
use crate::list::ListData;
use crate::namespace::NamespaceData;
use crate::quota::{QuotaData, QuotaRootData};
use crate::search::{ESearchData, SearchData};
use crate::sequence::SequenceSet;
use crate::sort::{SortData, ThreadData};
use crate::status::StatusData;

/// One response: a status, untagged data, or a continuation request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Response {
    /// A status response, tagged or untagged (`OK`, `NO`, `BAD`,
    /// `PREAUTH`, `BYE`).
    Status(Status),
    /// Untagged data (`* 3 EXISTS`, `* FLAGS (...)`, `* 1 FETCH (...)`).
    Data(Data),
    /// A continuation request (`+ Ready`, or a SASL challenge).
    ContinueRequest(ContinueRequest),
}

impl Response {
    /// `tag OK [code] text`: a command completed.
    pub fn ok(tag: Tag, code: Option<Code>, text: Text) -> Self {
        Self::tagged(tag, StatusKind::Ok, code, text)
    }

    /// `tag NO [code] text`: a command failed.
    pub fn no(tag: Tag, code: Option<Code>, text: Text) -> Self {
        Self::tagged(tag, StatusKind::No, code, text)
    }

    /// `tag BAD [code] text`: a command was not understood.
    pub fn bad(tag: Tag, code: Option<Code>, text: Text) -> Self {
        Self::tagged(tag, StatusKind::Bad, code, text)
    }

    /// `tag OK/NO/BAD [code] text`.
    pub fn tagged(tag: Tag, kind: StatusKind, code: Option<Code>, text: Text) -> Self {
        Self::Status(Status::Tagged {
            tag,
            kind,
            body: RespText::new(code, text),
        })
    }

    /// `* OK/NO/BAD [code] text`.
    pub fn untagged(kind: StatusKind, code: Option<Code>, text: Text) -> Self {
        Self::Status(Status::Untagged {
            kind,
            body: RespText::new(code, text),
        })
    }

    /// `* OK [code] text`: information, or the greeting of a connection
    /// that is not yet authenticated.
    pub fn untagged_ok(code: Option<Code>, text: Text) -> Self {
        Self::untagged(StatusKind::Ok, code, text)
    }

    /// `* NO [code] text`: a warning.
    pub fn untagged_no(code: Option<Code>, text: Text) -> Self {
        Self::untagged(StatusKind::No, code, text)
    }

    /// `* BAD [code] text`: a protocol error not tied to a command (e.g. a
    /// command whose tag could not be read).
    pub fn untagged_bad(code: Option<Code>, text: Text) -> Self {
        Self::untagged(StatusKind::Bad, code, text)
    }

    /// `* PREAUTH [code] text`: the greeting of a connection that is
    /// already authenticated.
    pub fn preauth(code: Option<Code>, text: Text) -> Self {
        Self::Status(Status::PreAuth(RespText::new(code, text)))
    }

    /// `* BYE text`: the server closes the connection.
    pub fn bye(text: Text) -> Self {
        Self::bye_with_code(None, text)
    }

    /// `* BYE [code] text`, e.g. `* BYE [UNAVAILABLE] Shutting down`.
    pub fn bye_with_code(code: Option<Code>, text: Text) -> Self {
        Self::Status(Status::Bye(RespText::new(code, text)))
    }

    /// `+ text`: go on (send the literal, or `DONE` to end IDLE).
    ///
    /// `text` must not be valid base64 (see the [module docs](self)).
    pub fn continue_text(text: Text) -> Self {
        Self::ContinueRequest(ContinueRequest::Text(RespText::new(None, text)))
    }

    /// `+ base64`: a SASL challenge (`data` is sent base64-encoded; empty
    /// data is the empty challenge `+ `).
    pub fn continue_base64(data: impl Into<Bytes>) -> Self {
        Self::ContinueRequest(ContinueRequest::Base64(data.into()))
    }
}

impl From<Status> for Response {
    fn from(status: Status) -> Self {
        Self::Status(status)
    }
}

impl From<Data> for Response {
    fn from(data: Data) -> Self {
        Self::Data(data)
    }
}

impl From<ContinueRequest> for Response {
    fn from(request: ContinueRequest) -> Self {
        Self::ContinueRequest(request)
    }
}

/// The result of a tagged or untagged status: `OK`, `NO` or `BAD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusKind {
    /// `OK`: success (tagged) or information (untagged).
    Ok,
    /// `NO`: failure (tagged) or a warning (untagged).
    No,
    /// `BAD`: a protocol error.
    Bad,
}

/// A status response (RFC 9051 §7.1).
///
/// Only `OK`, `NO` and `BAD` can be tagged; `PREAUTH` and `BYE` are always
/// untagged, so each has a variant of its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Status {
    /// `tag OK/NO/BAD [code] text`: the completion of a command.
    Tagged {
        /// The command's tag.
        tag: Tag,
        /// The result.
        kind: StatusKind,
        /// Code and text.
        body: RespText,
    },
    /// `* OK/NO/BAD [code] text`.
    Untagged {
        /// The kind.
        kind: StatusKind,
        /// Code and text.
        body: RespText,
    },
    /// `* PREAUTH [code] text`: a greeting; the connection is authenticated.
    PreAuth(RespText),
    /// `* BYE [code] text`: the server closes the connection.
    Bye(RespText),
}

impl Status {
    /// The tag of a tagged status.
    pub fn tag(&self) -> Option<&Tag> {
        match self {
            Self::Tagged { tag, .. } => Some(tag),
            _ => None,
        }
    }

    /// The code and text.
    pub fn body(&self) -> &RespText {
        match self {
            Self::Tagged { body, .. } | Self::Untagged { body, .. } => body,
            Self::PreAuth(body) | Self::Bye(body) => body,
        }
    }

    /// The response code, if any.
    pub fn code(&self) -> Option<&Code> {
        self.body().code.as_ref()
    }

    /// The human-readable text, if any.
    pub fn text(&self) -> Option<&Text> {
        self.body().text.as_ref()
    }
}

/// `resp-text = ["[" resp-text-code "]" SP] [text]`: an optional code and
/// an optional human-readable text.
///
/// RFC 3501 requires the text; RFC 9051 makes it optional, and some servers
/// send a code alone (`* OK [UIDNEXT 5]`). A server built on this crate
/// always sends one ([`RespText::new`] takes it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RespText {
    /// The response code.
    pub code: Option<Code>,
    /// The text; `None` when a peer sent none.
    ///
    /// With `code: None`, must not start with `[` (see the [module docs](self)).
    pub text: Option<Text>,
}

impl RespText {
    /// A code (or none) and a text.
    pub fn new(code: Option<Code>, text: Text) -> Self {
        Self {
            code,
            text: Some(text),
        }
    }
}

/// A continuation request: `continue-req = "+" SP (resp-text / base64)`.
///
/// See the [module docs](self) for how the decoder tells the two apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ContinueRequest {
    /// `+ [code] text`: the server waits for a literal or for `DONE`.
    Text(RespText),
    /// `+ base64`: a SASL challenge, decoded.
    Base64(Bytes),
}

/// A response code: `resp-text-code`, the machine-readable part of a status
/// in brackets (RFC 9051 §7.1, RFC 3501 §7.1, RFC 5530 and the extensions).
///
/// ```abnf
/// resp-text-code = "ALERT" /
///                  "BADCHARSET" [SP "(" charset *(SP charset) ")" ] /
///                  capability-data / "PARSE" /
///                  "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" /
///                  "READ-ONLY" / "READ-WRITE" / "TRYCREATE" /
///                  "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number /
///                  resp-code-apnd / resp-code-copy / "UIDNOTSTICKY" /
///                  "UNAVAILABLE" / "AUTHENTICATIONFAILED" / ... /
///                  atom [SP 1*<any TEXT-CHAR except "]">]
/// ```
/// A code the parser does not know, or a known one whose arguments do not
/// parse (`[UIDNEXT 0]`), matches the last alternative and becomes
/// [`Code::Other`], so the response still decodes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Code {
    /// `ALERT`: show the text to the user.
    Alert,
    /// `BADCHARSET [(charset ...)]`: the charsets the server supports; an
    /// empty list writes no list.
    BadCharset(Vec<Charset>),
    /// `CAPABILITY ...`: the capabilities, saving a CAPABILITY command.
    Capability(Vec1<Capability>),
    /// `PARSE`: a message could not be parsed.
    Parse,
    /// `PERMANENTFLAGS (...)`: the flags that can be stored permanently.
    PermanentFlags(Vec<FlagPerm>),
    /// `READ-ONLY`: the mailbox is selected read-only.
    ReadOnly,
    /// `READ-WRITE`: the mailbox is selected read-write.
    ReadWrite,
    /// `TRYCREATE`: the target mailbox does not exist but can be created.
    TryCreate,
    /// `UIDNEXT n`: the next UID to be assigned.
    UidNext(NonZeroU32),
    /// `UIDVALIDITY n`.
    UidValidity(NonZeroU32),
    /// `UNSEEN n`: the first unseen message (RFC 3501).
    Unseen(NonZeroU32),
    /// `APPENDUID uidvalidity uid-set` (RFC 4315; a set with MULTIAPPEND).
    AppendUid {
        /// The target mailbox's UIDVALIDITY.
        uid_validity: NonZeroU32,
        /// The UIDs assigned (no `*`, no `$`).
        uids: SequenceSet,
    },
    /// `COPYUID uidvalidity source-uids destination-uids` (RFC 4315).
    CopyUid {
        /// The target mailbox's UIDVALIDITY.
        uid_validity: NonZeroU32,
        /// The UIDs copied (no `*`, no `$`).
        source: SequenceSet,
        /// The UIDs assigned, in the same order (no `*`, no `$`).
        destination: SequenceSet,
    },
    /// `UIDNOTSTICKY`: the mailbox cannot keep UIDs (RFC 4315).
    UidNotSticky,
    /// `HIGHESTMODSEQ n` (RFC 7162).
    HighestModSeq(NonZeroU64),
    /// `NOMODSEQ`: the mailbox has no mod-sequences (RFC 7162).
    NoModSeq,
    /// `MODIFIED set`: messages a conditional STORE did not change (RFC 7162).
    Modified(SequenceSet),
    /// `CLOSED`: the previous mailbox is closed (RFC 7162, RFC 9051).
    Closed,
    /// `TOOBIG`: the message or command is too large (RFC 4469, RFC 7889).
    TooBig,
    /// `OVERQUOTA` (RFC 5530).
    OverQuota,
    /// `AUTHENTICATIONFAILED` (RFC 5530).
    AuthenticationFailed,
    /// `AUTHORIZATIONFAILED` (RFC 5530).
    AuthorizationFailed,
    /// `EXPIRED` (RFC 5530).
    Expired,
    /// `PRIVACYREQUIRED` (RFC 5530).
    PrivacyRequired,
    /// `CONTACTADMIN` (RFC 5530).
    ContactAdmin,
    /// `NOPERM` (RFC 5530).
    NoPerm,
    /// `INUSE` (RFC 5530).
    InUse,
    /// `EXPUNGEISSUED` (RFC 5530).
    ExpungeIssued,
    /// `CORRUPTION` (RFC 5530).
    Corruption,
    /// `SERVERBUG` (RFC 5530).
    ServerBug,
    /// `CLIENTBUG` (RFC 5530).
    ClientBug,
    /// `CANNOT` (RFC 5530).
    Cannot,
    /// `LIMIT` (RFC 5530).
    Limit,
    /// `ALREADYEXISTS` (RFC 5530).
    AlreadyExists,
    /// `NONEXISTENT` (RFC 5530).
    NonExistent,
    /// `UNAVAILABLE` (RFC 5530).
    Unavailable,
    /// `HASCHILDREN`: the mailbox has children (RFC 9051).
    HasChildren,
    /// `NOTSAVED`: the search result was not saved (RFC 5182).
    NotSaved,
    /// `UNKNOWN-CTE`: a content transfer encoding BINARY cannot decode (RFC 3516).
    UnknownCte,
    /// `COMPRESSIONACTIVE`: compression is already on (RFC 4978).
    CompressionActive,
    /// `USEATTR`: a special-use attribute is not supported (RFC 6154).
    UseAttr,
    /// Any other code: `atom [SP 1*<any TEXT-CHAR except "]">]`, e.g.
    /// `[REFERRAL imap://...]` or `[METADATA LONGENTRIES 2000]`.
    ///
    /// Build known codes with their own variant: an `Other` with a known
    /// name and no text (`[ALERT]`) reads back as the known variant.
    Other(Atom, Option<CodeText>),
}

/// The codes without arguments, with their names.
pub(crate) const SIMPLE_CODES: &[(&str, Code)] = &[
    ("ALERT", Code::Alert),
    ("PARSE", Code::Parse),
    ("READ-ONLY", Code::ReadOnly),
    ("READ-WRITE", Code::ReadWrite),
    ("TRYCREATE", Code::TryCreate),
    ("UIDNOTSTICKY", Code::UidNotSticky),
    ("NOMODSEQ", Code::NoModSeq),
    ("CLOSED", Code::Closed),
    ("TOOBIG", Code::TooBig),
    ("OVERQUOTA", Code::OverQuota),
    ("AUTHENTICATIONFAILED", Code::AuthenticationFailed),
    ("AUTHORIZATIONFAILED", Code::AuthorizationFailed),
    ("EXPIRED", Code::Expired),
    ("PRIVACYREQUIRED", Code::PrivacyRequired),
    ("CONTACTADMIN", Code::ContactAdmin),
    ("NOPERM", Code::NoPerm),
    ("INUSE", Code::InUse),
    ("EXPUNGEISSUED", Code::ExpungeIssued),
    ("CORRUPTION", Code::Corruption),
    ("SERVERBUG", Code::ServerBug),
    ("CLIENTBUG", Code::ClientBug),
    ("CANNOT", Code::Cannot),
    ("LIMIT", Code::Limit),
    ("ALREADYEXISTS", Code::AlreadyExists),
    ("NONEXISTENT", Code::NonExistent),
    ("UNAVAILABLE", Code::Unavailable),
    ("HASCHILDREN", Code::HasChildren),
    ("NOTSAVED", Code::NotSaved),
    ("UNKNOWN-CTE", Code::UnknownCte),
    ("COMPRESSIONACTIVE", Code::CompressionActive),
    ("USEATTR", Code::UseAttr),
];

impl Code {
    /// The name of a code without arguments.
    pub(crate) fn simple_name(&self) -> Option<&'static str> {
        SIMPLE_CODES
            .iter()
            .find(|(_, c)| c == self)
            .map(|(n, _)| *n)
    }
}

/// The arguments of an unknown response code: `1*<any TEXT-CHAR except "]">`.
///
/// Cannot hold `]`, CR, LF or NUL, and is never empty. UTF-8 is taken as
/// `text` takes it (RFC 9051).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CodeText(String);

/// Whether `b` may stand in a [`CodeText`].
pub(crate) fn is_code_text_byte(b: u8) -> bool {
    !matches!(b, 0 | b'\r' | b'\n' | b']')
}

impl CodeText {
    /// Checks that `value` can stand after an unknown code's name.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `value` is empty or holds `]`, CR,
    /// LF or NUL.
    pub fn validate(value: &str) -> Result<(), ValidationError> {
        if value.is_empty() {
            return Err(ValidationError::new("code text", ValidationReason::Empty));
        }
        match value.bytes().find(|&b| !is_code_text_byte(b)) {
            Some(b) => Err(ValidationError::new(
                "code text",
                ValidationReason::ByteNotAllowed(b),
            )),
            None => Ok(()),
        }
    }

    /// Builds the value without checking it in release builds.
    ///
    /// # Panics
    /// In debug builds, when `value` is not valid.
    pub fn unvalidated(value: impl Into<String>) -> Self {
        let value = value.into();
        debug_assert!(
            Self::validate(&value).is_ok(),
            "invalid code text: {value:?}"
        );
        Self(value)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for CodeText {
    type Error = ValidationError;

    fn try_from(value: &str) -> Result<Self, ValidationError> {
        Self::validate(value)?;
        Ok(Self(value.to_owned()))
    }
}

impl TryFrom<String> for CodeText {
    type Error = ValidationError;

    fn try_from(value: String) -> Result<Self, ValidationError> {
        Self::validate(&value)?;
        Ok(Self(value))
    }
}

impl fmt::Debug for CodeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeText({:?})", self.0)
    }
}

/// Untagged data: everything after `* ` that is not a status.
///
/// The data types of the extensions encode and parse from their keyword on;
/// see their modules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Data {
    /// `CAPABILITY ...` (RFC 9051 §7.2.2).
    Capability(Vec1<Capability>),
    /// `ENABLED ...`: the extensions ENABLE turned on (RFC 5161; may be empty).
    Enabled(Vec<Capability>),
    /// `FLAGS (...)`: the flags of the selected mailbox (RFC 9051 §7.3.5).
    Flags(Vec<Flag>),
    /// `n EXISTS`: the number of messages (RFC 9051 §7.4.1).
    Exists(u32),
    /// `n RECENT`: the number of recent messages (RFC 3501 §7.3.2).
    Recent(u32),
    /// `n EXPUNGE`: message `n` was expunged (RFC 9051 §7.5.1).
    Expunge(NonZeroU32),
    /// `VANISHED [(EARLIER)] uids`: expunged UIDs (RFC 7162 §3.2.10).
    Vanished {
        /// `(EARLIER)`: an answer to a FETCH or SELECT, not news.
        earlier: bool,
        /// The UIDs (no `*`, no `$`).
        uids: SequenceSet,
    },
    /// `n FETCH (...)`: a message's data (RFC 9051 §7.5.2).
    Fetch(FetchData),
    /// `SEARCH ...` (RFC 3501 §7.2.5).
    Search(SearchData),
    /// `ESEARCH ...` (RFC 4731, RFC 9051 §7.3.4).
    ESearch(ESearchData),
    /// `SORT ...` (RFC 5256).
    Sort(SortData),
    /// `THREAD ...` (RFC 5256).
    Thread(ThreadData),
    /// `STATUS mailbox (...)` (RFC 9051 §7.2.4).
    Status(StatusData),
    /// `LIST`, `LSUB` or `XLIST` (RFC 9051 §7.3.1, RFC 3501 §7.2.3).
    List(ListData),
    /// `NAMESPACE ...` (RFC 2342).
    Namespace(NamespaceData),
    /// `ID (...)` or `ID NIL` (RFC 2971).
    Id(IdData),
    /// `QUOTA root (...)` (RFC 9208).
    Quota(QuotaData),
    /// `QUOTAROOT mailbox root...` (RFC 9208).
    QuotaRoot(QuotaRootData),
    /// `ACL mailbox identifier rights...` (RFC 4314).
    Acl(AclData),
    /// `LISTRIGHTS mailbox identifier rights...` (RFC 4314).
    ListRights(ListRightsData),
    /// `MYRIGHTS mailbox rights` (RFC 4314).
    MyRights(MyRightsData),
}
