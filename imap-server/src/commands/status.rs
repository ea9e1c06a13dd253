//! STATUS (RFC 9051 §6.3.11; SIZE RFC 8438, APPENDLIMIT RFC 7889).
//!
//! STATUS never claims `\Recent` (the backend's `status` does not).

use std::num::NonZeroU32;
use std::sync::Arc;

use imapkit_proto::mailbox::Mailbox;
use imapkit_proto::response::{Data, Response};
use imapkit_proto::status::{Status, StatusData, StatusItem, StatusItemName};

use crate::backend::{MailboxStatus, Session};
use crate::connection::Connection;
use crate::names;
use crate::outcome::{Handled, Outcome, Refusal};

/// The STATUS items asked for, from a mailbox's status.
pub(crate) fn items(
    session: &dyn Session,
    status: &MailboxStatus,
    names: &[StatusItemName],
) -> Result<Vec<StatusItem>, Outcome> {
    let nz = |n: u32| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    names
        .iter()
        .map(|name| {
            Ok(match name {
                StatusItemName::Messages => StatusItem::Messages(status.messages),
                StatusItemName::Recent => StatusItem::Recent(status.recent),
                StatusItemName::UidNext => StatusItem::UidNext(nz(status.uidnext)),
                StatusItemName::UidValidity => StatusItem::UidValidity(nz(status.uidvalidity)),
                StatusItemName::Unseen => StatusItem::Unseen(status.unseen),
                StatusItemName::Deleted => StatusItem::Deleted(status.deleted),
                StatusItemName::Size => StatusItem::Size(status.size),
                StatusItemName::AppendLimit => StatusItem::AppendLimit(
                    session
                        .append_limit()
                        .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
                ),
                StatusItemName::HighestModSeq if session.supports_modseq() => {
                    StatusItem::HighestModSeq(status.highest_modseq)
                }
                StatusItemName::HighestModSeq => {
                    return Err(Outcome::bad(
                        None,
                        "HIGHESTMODSEQ needs CONDSTORE, which this mailbox store cannot keep",
                    ));
                }
            })
        })
        .collect()
}

/// Sends `* STATUS mailbox (...)`.
pub(super) async fn handle(conn: &mut Connection, status: Status) -> Handled {
    let session = Arc::clone(conn.state.session().expect("state checked: logged in"));
    let name = names::from_wire(conn, &status.mailbox)?;
    let info = session.lookup(&name).await?;
    let current = session.status(&info.id).await?;
    let items =
        items(session.as_ref(), &current, status.items.as_slice()).map_err(Refusal::Status)?;
    // RFC 7162 §3.1: STATUS (HIGHESTMODSEQ) is a CONDSTORE enabling command.
    if items
        .iter()
        .any(|item| matches!(item, StatusItem::HighestModSeq(_)))
    {
        conn.enabled.condstore = true;
    }
    let mailbox: Mailbox = names::to_wire(conn, &info.name);
    conn.send(Response::Data(Data::Status(StatusData { mailbox, items })))
        .await?;
    Ok(Outcome::ok("STATUS completed."))
}
