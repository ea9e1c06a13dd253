//! What a client proved about itself, and where it connected from.

use std::net::SocketAddr;

use imapkit_proto::Secret;

use super::error::AuthError;
use super::password::StoredPassword;

/// The credentials a client presented, after the engine decoded the
/// command or SASL exchange that carried them.
///
/// Secrets are [`Secret`]s: `{:?}` on a `Credentials` never prints them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// A user name and password (LOGIN, SASL PLAIN, SASL LOGIN).
    Password {
        /// The identity to act as, when it differs from `username` (SASL
        /// PLAIN's authzid); `None` means "as myself". A backend that has no
        /// notion of acting for someone else refuses a different one with
        /// [`AuthError::AuthorizationFailed`](super::AuthError::AuthorizationFailed).
        authzid: Option<String>,
        /// The authentication identity.
        username: String,
        /// The password.
        password: Secret<String>,
    },
    /// An OAuth 2.0 bearer token (SASL OAUTHBEARER, RFC 7628, or XOAUTH2).
    Bearer {
        /// The user the client says it is (`a=` of OAUTHBEARER's GS2 header,
        /// `user=` of XOAUTH2), if it said.
        username: Option<String>,
        /// The token.
        token: Secret<String>,
    },
}

impl Credentials {
    /// Password credentials without an authorization identity.
    pub fn password(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Password {
            authzid: None,
            username: username.into(),
            password: Secret::new(password.into()),
        }
    }

    /// The user name the client gave, if any (for logs).
    pub fn username(&self) -> Option<&str> {
        match self {
            Self::Password { username, .. } => Some(username),
            Self::Bearer { username, .. } => username.as_deref(),
        }
    }

    /// Checks password credentials for a backend that keeps
    /// [`StoredPassword`]s, and returns the user name they are for.
    ///
    /// `passwords` answers, for a user name, that user's password and a
    /// decoy (any other user's). For an unknown name the decoy is checked
    /// instead, with the same scheme and cost, so the time taken does not
    /// tell which names exist. No proxy logins: an authorization identity
    /// other than the user is refused.
    ///
    /// # Errors
    /// [`AuthError::Unsupported`] for bearer tokens, [`AuthError::Rejected`]
    /// for an unknown user or a wrong password,
    /// [`AuthError::AuthorizationFailed`] for another authorization identity.
    pub async fn check_password(
        &self,
        passwords: impl FnOnce(&str) -> (Option<StoredPassword>, Option<StoredPassword>),
    ) -> Result<&str, AuthError> {
        let Self::Password {
            authzid,
            username,
            password,
        } = self
        else {
            return Err(AuthError::Unsupported);
        };
        let (stored, decoy) = passwords(username);
        let candidate = password.expose_secret();
        let Some(stored) = stored else {
            if let Some(decoy) = decoy {
                let _ = decoy.verify_async(candidate).await;
            }
            return Err(AuthError::Rejected);
        };
        if !stored.verify_async(candidate).await {
            return Err(AuthError::Rejected);
        }
        if authzid.as_ref().is_some_and(|z| z != username) {
            return Err(AuthError::AuthorizationFailed);
        }
        Ok(username)
    }
}

/// Facts about the connection a login arrives on, for backends that
/// restrict by address or require TLS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionInfo {
    /// The client's address; `None` for a connection that is not a socket
    /// (an in-memory stream in tests).
    pub peer: Option<SocketAddr>,
    /// The local address the client connected to, when known.
    pub local: Option<SocketAddr>,
    /// Whether the connection is encrypted (implicit TLS, or after STARTTLS).
    pub tls: bool,
}

impl ConnectionInfo {
    /// Connection facts.
    pub fn new(peer: Option<SocketAddr>, local: Option<SocketAddr>, tls: bool) -> Self {
        Self { peer, local, tls }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let creds = Credentials::password("alice", "hunter2");
        let shown = format!("{creds:?}");
        assert!(shown.contains("alice"));
        assert!(!shown.contains("hunter2"));
        let bearer = Credentials::Bearer {
            username: None,
            token: Secret::new("tok3n".into()),
        };
        assert!(!format!("{bearer:?}").contains("tok3n"));
    }
}
