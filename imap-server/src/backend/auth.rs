//! What a client proved about itself, and where it connected from.

use std::net::SocketAddr;

use imapkit_proto::Secret;

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
