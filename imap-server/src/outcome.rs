//! How a command ends: the tagged status the engine sends, and the
//! conversion of backend errors into it.

use std::borrow::Cow;
use std::io;

use imapkit_proto::core::{Tag, Text};
use imapkit_proto::response::{Code, Response, StatusKind};

use crate::backend::{AuthError, BackendError, ErrorCode};

/// The tagged status that completes a command.
#[derive(Debug)]
pub(crate) struct Outcome {
    kind: StatusKind,
    code: Option<Code>,
    text: Cow<'static, str>,
}

impl Outcome {
    /// `OK text`.
    pub(crate) fn ok(text: &'static str) -> Self {
        Self {
            kind: StatusKind::Ok,
            code: None,
            text: Cow::Borrowed(text),
        }
    }

    /// `OK [code] text`.
    pub(crate) fn ok_with(code: Code, text: &'static str) -> Self {
        Self {
            kind: StatusKind::Ok,
            code: Some(code),
            text: Cow::Borrowed(text),
        }
    }

    /// `NO [code] text`.
    pub(crate) fn no(code: Option<Code>, text: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind: StatusKind::No,
            code,
            text: text.into(),
        }
    }

    /// `BAD [code] text`.
    pub(crate) fn bad(code: Option<Code>, text: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind: StatusKind::Bad,
            code,
            text: text.into(),
        }
    }

    /// Whether the command succeeded.
    pub(crate) fn is_ok(&self) -> bool {
        self.kind == StatusKind::Ok
    }

    /// Whether the command was refused as a protocol error.
    pub(crate) fn is_bad(&self) -> bool {
        self.kind == StatusKind::Bad
    }

    /// The tagged response.
    pub(crate) fn into_response(self, tag: Tag) -> Response {
        Response::tagged(tag, self.kind, self.code, text(&self.text))
    }

    /// The same status, untagged (for a frame without a readable tag).
    pub(crate) fn into_untagged(self) -> Response {
        Response::untagged(self.kind, self.code, text(&self.text))
    }
}

/// Makes `s` valid `text`: line breaks and NUL become spaces; empty becomes
/// a placeholder. For messages that come from backends or errors.
pub(crate) fn text(s: &str) -> Text {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if matches!(c, '\r' | '\n' | '\0') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('[');
    Text::try_from(cleaned).unwrap_or_else(|_| Text::unvalidated("Failed"))
}

/// Why a command handler stopped early: a status to answer with, or a dead
/// connection.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// Answer with this status.
    Status(Outcome),
    /// The stream failed; the connection ends.
    Io(io::Error),
}

impl From<Outcome> for Refusal {
    fn from(outcome: Outcome) -> Self {
        Self::Status(outcome)
    }
}

impl From<io::Error> for Refusal {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

impl From<BackendError> for Refusal {
    fn from(error: BackendError) -> Self {
        Self::Status(backend_outcome(&error))
    }
}

/// What a command handler returns.
pub(crate) type Handled = Result<Outcome, Refusal>;

/// The `NO [code] text` a backend error means (RFC 5530 codes).
pub(crate) fn backend_outcome(error: &BackendError) -> Outcome {
    let code = match error.code() {
        ErrorCode::NonExistent => Code::NonExistent,
        ErrorCode::AlreadyExists => Code::AlreadyExists,
        ErrorCode::NoPerm => Code::NoPerm,
        ErrorCode::OverQuota => Code::OverQuota,
        ErrorCode::TooBig => Code::TooBig,
        ErrorCode::Limit => Code::Limit,
        ErrorCode::Cannot => Code::Cannot,
        ErrorCode::InUse => Code::InUse,
        ErrorCode::Unavailable => Code::Unavailable,
        ErrorCode::ExpungeIssued => Code::ExpungeIssued,
        ErrorCode::HasChildren => Code::HasChildren,
        ErrorCode::UseAttr => Code::UseAttr,
        _ => Code::ServerBug,
    };
    if code == Code::ServerBug {
        // The details go to the log, never to the client.
        tracing::error!(error = %error, source = ?std::error::Error::source(error), "backend failure");
        return Outcome::no(Some(Code::ServerBug), "Internal error, see the server log");
    }
    Outcome::no(Some(code), error.to_string())
}

/// The `NO [code] text` a failed authentication means.
pub(crate) fn auth_outcome(error: &AuthError) -> Outcome {
    match error {
        AuthError::AuthorizationFailed => {
            Outcome::no(Some(Code::AuthorizationFailed), "Authorization failed")
        }
        AuthError::Expired => Outcome::no(Some(Code::Expired), "Credentials expired"),
        AuthError::Unavailable => Outcome::no(
            Some(Code::Unavailable),
            "Authentication temporarily unavailable",
        ),
        AuthError::Internal(source) => {
            tracing::error!(error = %source, "authentication backend failure");
            Outcome::no(Some(Code::ServerBug), "Internal error, see the server log")
        }
        _ => Outcome::no(Some(Code::AuthenticationFailed), "Authentication failed"),
    }
}
