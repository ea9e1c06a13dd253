//! AUTHENTICATE (RFC 9051 §6.2.2) with SASL-IR (RFC 4959).

use bytes::Bytes;
use imapkit_proto::codec::AuthenticateDataCodec;
use imapkit_proto::command::AuthenticateData;
use imapkit_proto::core::Atom;
use imapkit_proto::response::{Code, Response};
use imapkit_proto::Secret;

use super::login::{check_credentials, failed};
use crate::capabilities::plaintext_auth_allowed;
use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};
use crate::sasl::Step;

/// Runs a SASL exchange, then checks the credentials it produced.
pub(super) async fn handle(
    conn: &mut Connection,
    mechanism: Atom,
    initial_response: Option<Secret<Bytes>>,
) -> Handled {
    let found = conn
        .shared
        .mechanisms
        .iter()
        .find(|m| m.name().eq_ignore_ascii_case(mechanism.as_str()));
    let Some(found) = found.cloned() else {
        return Ok(Outcome::no(
            Some(Code::Cannot),
            format!("Unsupported mechanism {mechanism}"),
        ));
    };
    if found.is_plaintext() && !plaintext_auth_allowed(conn) {
        return Ok(Outcome::no(
            Some(Code::PrivacyRequired),
            "Plaintext authentication is disabled without TLS: use STARTTLS or IMAPS",
        ));
    }
    let mut exchange = found.start();
    let mut step = exchange.step(
        initial_response
            .as_ref()
            .map(|r| r.expose_secret().as_ref()),
    );
    let credentials = loop {
        match step {
            Step::Done(credentials) => break credentials,
            Step::Failed(why) => {
                tracing::debug!(why, "SASL exchange failed");
                let outcome =
                    Outcome::no(Some(Code::AuthenticationFailed), "Authentication failed");
                return failed(conn, outcome).await;
            }
            Step::Challenge(challenge) => {
                conn.send(Response::continue_base64(challenge)).await?;
                let Some(line) = conn.read_line().await? else {
                    return Ok(Outcome::bad(None, "Connection ended during authentication"));
                };
                match AuthenticateDataCodec::decode(&line) {
                    Ok(AuthenticateData::Continue(data)) => {
                        step = exchange.step(Some(data.expose_secret()));
                    }
                    Ok(AuthenticateData::Cancel) => {
                        return Ok(Outcome::bad(None, "Authentication cancelled"));
                    }
                    Err(_) => return Ok(Outcome::bad(None, "Invalid base64 in SASL response")),
                }
            }
        }
    };
    check_credentials(conn, credentials).await
}
