//! IDLE (RFC 2177, RFC 9051 §6.3.13).
//!
//! The session waits for the client's `DONE`, and meanwhile reports the
//! changes of its selected mailbox as soon as the doorbell rings for it or
//! the backend hints at an outside change ([`Mailbox::changed`]),
//! re-checks the backend every [`Limits::idle_recheck`] in case a ring was
//! lost, and sends `* OK Still here` every [`Limits::idle_keepalive`] so
//! that NAT boxes keep the connection.
//!
//! Changes found after a hint or a re-check were rung by nobody (another
//! program made them, or a ring was lost): the session rings for them, so
//! the other sessions on the mailbox see them now too. Changes found after
//! a ring are not rung again, so rings do not echo between sessions.
//!
//! [`Mailbox::changed`]: crate::backend::Mailbox::changed
//! [`Limits::idle_recheck`]: crate::config::Limits::idle_recheck
//! [`Limits::idle_keepalive`]: crate::config::Limits::idle_keepalive

use std::sync::Arc;

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
    /// The backend suspects an outside change of the selected mailbox.
    Hint,
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
                Some((session.username().to_owned(), Arc::clone(&selected.mailbox)))
            }
            _ => None,
        };
        let wake = async {
            // Made once per wait, so rings for other mailboxes do not
            // restart it (it is cancel safe anyway).
            let hint = async {
                match &watched {
                    Some((_, mailbox)) => mailbox.changed().await,
                    None => std::future::pending().await,
                }
            };
            tokio::pin!(hint);
            loop {
                tokio::select! {
                    ring = rings.recv() => match ring {
                        Ok(Ring { account, mailbox }) => {
                            let ours = watched.as_ref().is_some_and(|(a, m)| {
                                **a == *account && *m.id() == mailbox
                            });
                            if ours {
                                return Wake::Ring;
                            }
                        }
                        Err(RecvError::Lagged(_)) => return Wake::Ring,
                        Err(RecvError::Closed) => std::future::pending::<()>().await,
                    },
                    () = &mut hint => return Wake::Hint,
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
                let found = report_changes(conn, "IDLE").await?;
                if let (true, Wake::Hint | Wake::Recheck, Some((_, mailbox))) =
                    (found, wake, &watched)
                {
                    conn.ring(mailbox.id());
                }
            }
            other => return Ok(conn.end_inside_command(other).await?),
        }
    }
}
