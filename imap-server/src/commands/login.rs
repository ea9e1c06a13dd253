//! LOGIN (RFC 9051 §6.2.3), and the checking of credentials that
//! AUTHENTICATE shares.

use std::sync::Arc;
use std::time::Duration;

use imapkit_proto::core::{AString, Text};
use imapkit_proto::response::{Code, Response};
use imapkit_proto::Secret;

use crate::backend::Credentials;
use crate::capabilities::{self, plaintext_auth_allowed};
use crate::connection::{Connection, Next};
use crate::outcome::{auth_outcome, Handled, Outcome};

/// Longest delay before answering a failed authentication.
const MAX_FAILURE_DELAY: Duration = Duration::from_secs(15);

/// Logs in with a user name and password.
pub(super) async fn handle(
    conn: &mut Connection,
    username: AString,
    password: Secret<AString>,
) -> Handled {
    if !plaintext_auth_allowed(conn) {
        return Ok(Outcome::no(
            Some(Code::PrivacyRequired),
            "Plaintext authentication is disabled without TLS: use STARTTLS or IMAPS",
        ));
    }
    let (Ok(username), Ok(password)) = (
        String::from_utf8(username.as_bytes().to_vec()),
        String::from_utf8(password.expose_secret().as_bytes().to_vec()),
    ) else {
        return Ok(Outcome::bad(None, "User name and password must be UTF-8"));
    };
    check_credentials(conn, Credentials::password(username, password)).await
}

/// Asks the backend about `credentials`; logs in on success, delays and
/// counts a failure, and ends the connection after too many.
pub(super) async fn check_credentials(conn: &mut Connection, credentials: Credentials) -> Handled {
    let backend = Arc::clone(&conn.shared.backend);
    match backend.authenticate(&credentials, &conn.info).await {
        Ok(session) => {
            conn.logged_in(Arc::from(session));
            let caps = capabilities::list(conn);
            Ok(Outcome::ok_with(Code::Capability(caps), "Logged in."))
        }
        Err(error) => {
            tracing::info!(user = credentials.username(), "authentication failed");
            failed(conn, auth_outcome(&error)).await
        }
    }
}

/// Counts a failed authentication and delays its answer; ends the
/// connection after [`Limits::max_auth_failures`](crate::config::Limits).
pub(super) async fn failed(conn: &mut Connection, outcome: Outcome) -> Handled {
    conn.auth_failures += 1;
    let limits = &conn.shared.limits;
    // Slow down password guessing: the delay doubles with each failure.
    let factor = 1u32 << (conn.auth_failures - 1).min(16);
    let delay = limits
        .auth_failure_delay
        .saturating_mul(factor)
        .min(MAX_FAILURE_DELAY);
    let close = conn.auth_failures >= limits.max_auth_failures;
    tokio::time::sleep(delay).await;
    if close {
        let bye = Text::unvalidated("Too many authentication failures.");
        conn.send(Response::bye(bye)).await?;
        conn.next = Next::Close;
    }
    Ok(outcome)
}
