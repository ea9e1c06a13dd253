//! Errors a backend returns, each saying which IMAP answer it means.

use std::borrow::Cow;
use std::error::Error as StdError;

/// The source of an [`BackendError::Internal`] or [`AuthError::Internal`].
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Why a storage operation failed.
///
/// Each variant maps to one tagged `NO` with a response code (RFC 5530,
/// RFC 9051 §7.1); [`BackendError::code`] names it. The wording of
/// `Display` is for logs and not part of the API; the engine writes its
/// own human-readable text, except for [`BackendError::Cannot`], whose
/// message is meant for the user.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackendError {
    /// The mailbox or message does not exist: `NO [NONEXISTENT]`, or
    /// `NO [TRYCREATE]` when APPEND/COPY/MOVE named a missing destination.
    #[error("no such mailbox or message")]
    NonExistent,
    /// The name is taken: `NO [ALREADYEXISTS]`.
    #[error("the name already exists")]
    AlreadyExists,
    /// The user may not do this: `NO [NOPERM]`.
    #[error("permission denied")]
    NoPerm,
    /// A quota would be exceeded: `NO [OVERQUOTA]`.
    #[error("over quota")]
    OverQuota,
    /// The message is larger than the backend accepts: `NO [TOOBIG]`.
    #[error("message too big")]
    TooBig,
    /// A limit other than size was reached (number of mailboxes,
    /// keywords...): `NO [LIMIT]`.
    #[error("limit reached")]
    Limit,
    /// The operation is refused for a reason the user should read (an
    /// invalid name, renaming a mailbox into itself): `NO [CANNOT]` with
    /// this text.
    #[error("{0}")]
    Cannot(Cow<'static, str>),
    /// The mailbox is locked by another operation; try again: `NO [INUSE]`.
    #[error("in use")]
    InUse,
    /// The store is temporarily unreachable: `NO [UNAVAILABLE]`.
    #[error("temporarily unavailable")]
    Unavailable,
    /// The message was expunged meanwhile: `NO [EXPUNGEISSUED]`.
    #[error("message expunged")]
    ExpungeIssued,
    /// A `\Noselect` mailbox with children cannot be deleted: `NO [HASCHILDREN]`.
    #[error("mailbox has children")]
    HasChildren,
    /// A SPECIAL-USE attribute cannot be set: `NO [USEATTR]` (RFC 6154).
    #[error("special-use attribute not supported")]
    UseAttr,
    /// Anything unexpected (an I/O error, a corrupt index): the engine
    /// logs the source and answers `NO [SERVERBUG]`.
    #[error("internal backend error")]
    Internal(#[source] BoxError),
}

impl BackendError {
    /// A [`BackendError::Cannot`] with a message for the user.
    pub fn cannot(message: impl Into<Cow<'static, str>>) -> Self {
        Self::Cannot(message.into())
    }

    /// A [`BackendError::Internal`] wrapping `source`.
    pub fn internal(source: impl Into<BoxError>) -> Self {
        Self::Internal(source.into())
    }

    /// Which answer the error means.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NonExistent => ErrorCode::NonExistent,
            Self::AlreadyExists => ErrorCode::AlreadyExists,
            Self::NoPerm => ErrorCode::NoPerm,
            Self::OverQuota => ErrorCode::OverQuota,
            Self::TooBig => ErrorCode::TooBig,
            Self::Limit => ErrorCode::Limit,
            Self::Cannot(_) => ErrorCode::Cannot,
            Self::InUse => ErrorCode::InUse,
            Self::Unavailable => ErrorCode::Unavailable,
            Self::ExpungeIssued => ErrorCode::ExpungeIssued,
            Self::HasChildren => ErrorCode::HasChildren,
            Self::UseAttr => ErrorCode::UseAttr,
            Self::Internal(_) => ErrorCode::ServerBug,
        }
    }
}

/// The kind of a [`BackendError`], without its payload: what the engine
/// matches on to choose a response code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// See [`BackendError::NonExistent`].
    NonExistent,
    /// See [`BackendError::AlreadyExists`].
    AlreadyExists,
    /// See [`BackendError::NoPerm`].
    NoPerm,
    /// See [`BackendError::OverQuota`].
    OverQuota,
    /// See [`BackendError::TooBig`].
    TooBig,
    /// See [`BackendError::Limit`].
    Limit,
    /// See [`BackendError::Cannot`].
    Cannot,
    /// See [`BackendError::InUse`].
    InUse,
    /// See [`BackendError::Unavailable`].
    Unavailable,
    /// See [`BackendError::ExpungeIssued`].
    ExpungeIssued,
    /// See [`BackendError::HasChildren`].
    HasChildren,
    /// See [`BackendError::UseAttr`].
    UseAttr,
    /// See [`BackendError::Internal`].
    ServerBug,
}

/// Why authentication failed.
///
/// Deliberately coarse: the engine answers every rejection the same way
/// (`NO [AUTHENTICATIONFAILED]`, after a delay) so a client cannot tell an
/// unknown user from a wrong password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// Unknown user, wrong password or bad token: `NO [AUTHENTICATIONFAILED]`.
    #[error("authentication failed")]
    Rejected,
    /// The credentials were right but the authorization identity may not
    /// be used by this user: `NO [AUTHORIZATIONFAILED]`.
    #[error("authorization failed")]
    AuthorizationFailed,
    /// The credentials were right but have expired: `NO [EXPIRED]`.
    #[error("credentials expired")]
    Expired,
    /// This kind of [`Credentials`](super::Credentials) is not supported by
    /// the backend (e.g. a bearer token): `NO [AUTHENTICATIONFAILED]`.
    #[error("credentials of this kind are not supported")]
    Unsupported,
    /// The user store cannot be reached now: `NO [UNAVAILABLE]`.
    #[error("authentication temporarily unavailable")]
    Unavailable,
    /// Anything unexpected: logged, `NO [SERVERBUG]`.
    #[error("internal authentication error")]
    Internal(#[source] BoxError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_sources() {
        assert_eq!(BackendError::cannot("no").code(), ErrorCode::Cannot);
        assert_eq!(BackendError::cannot("no").to_string(), "no");
        let io = std::io::Error::other("disk");
        let err = BackendError::internal(io);
        assert_eq!(err.code(), ErrorCode::ServerBug);
        assert_eq!(err.source().map(|s| s.to_string()).as_deref(), Some("disk"));
    }
}
