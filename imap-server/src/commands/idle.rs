//! IDLE (RFC 2177, RFC 9051 §6.3.13).
//!
//! The session waits for the client's `DONE`, and meanwhile reports the
//! changes of its selected mailbox as soon as the doorbell rings for it,
//! re-checks the backend every [`Limits::idle_recheck`] in case a ring was
//! lost, and sends `* OK Still here` every [`Limits::idle_keepalive`] so
//! that NAT boxes keep the connection.
//!
//! [`Limits::idle_recheck`]: crate::config::Limits::idle_recheck
//! [`Limits::idle_keepalive`]: crate::config::Limits::idle_keepalive

use imapkit_proto::codec::IdleDoneCodec;
use imapkit_proto::core::Text;
use imapkit_proto::response::Response;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::report_changes;
use crate::connection::{Connection, Input, State};
use crate::doorbell::Ring;
use crate::outcome::{Handled, Outcome};

/// Why an idling session woke up.
enum Wake {
    /// The doorbell rang for the selected mailbox (or may have: lagged).
    Ring,
    /// Time for a periodic re-check.
    Recheck,
    /// Time for a keepalive.
    Keepalive,
}

/// Waits for `DONE`, reporting changes meanwhile.
pub(super) async fn handle(conn: &mut Connection) -> Handled {
    let mut rings = conn.shared.doorbell.subscribe();
    conn.send(Response::continue_text(Text::unvalidated("idling")))
        .await?;
    // Changes that arrived before the subscription.
    report_changes(conn, "IDLE").await?;
    let limits = &conn.shared.limits;
    let (recheck, keepalive) = (limits.idle_recheck, limits.idle_keepalive);
    let mut next_recheck = Instant::now() + recheck;
    let mut next_keepalive = Instant::now() + keepalive;
    loop {
        let watched = match &conn.state {
            State::Selected(session, selected) => {
                Some((session.username().to_owned(), selected.mailbox.id().clone()))
            }
            _ => None,
        };
        let wake = async {
            loop {
                tokio::select! {
                    ring = rings.recv() => match ring {
                        Ok(Ring { account, mailbox }) => {
                            if watched.as_ref().is_some_and(|(a, m)| **a == *account && *m == mailbox) {
                                return Wake::Ring;
                            }
                        }
                        Err(RecvError::Lagged(_)) => return Wake::Ring,
                        Err(RecvError::Closed) => std::future::pending::<()>().await,
                    },
                    () = tokio::time::sleep_until(next_recheck) => return Wake::Recheck,
                    () = tokio::time::sleep_until(next_keepalive) => return Wake::Keepalive,
                }
            }
        };
        match conn.next_input_until(wake).await? {
            Input::Frame(line) => {
                return Ok(match IdleDoneCodec::decode(&line) {
                    Ok(_) => Outcome::ok("IDLE terminated."),
                    Err(_) => Outcome::bad(None, "Expected DONE"),
                });
            }
            Input::Woken(Wake::Keepalive) => {
                conn.send(Response::untagged_ok(None, Text::unvalidated("Still here")))
                    .await?;
                next_keepalive = Instant::now() + keepalive;
            }
            Input::Woken(wake) => {
                if matches!(wake, Wake::Recheck) {
                    next_recheck = Instant::now() + recheck;
                }
                report_changes(conn, "IDLE").await?;
            }
            other => return Ok(conn.end_inside_command(other).await?),
        }
    }
}
