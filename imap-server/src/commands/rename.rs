//! RENAME (RFC 9051 §6.3.6): children and subscriptions move along;
//! renaming INBOX moves its messages into a new mailbox (the backend does
//! both, see `Session::rename`).

use std::sync::Arc;

use imapkit_proto::mailbox::Mailbox;
use imapkit_proto::response::Code;

use crate::connection::Connection;
use crate::names;
use crate::outcome::{Handled, Outcome};

/// Renames `from` to `to`.
pub(super) async fn handle(conn: &mut Connection, from: Mailbox, to: Mailbox) -> Handled {
    let session = Arc::clone(conn.state.session().expect("state checked: logged in"));
    let from = names::from_wire(conn, &from)?;
    let to = names::from_wire(conn, &to)?;
    if to == "INBOX" {
        return Ok(Outcome::no(
            Some(Code::AlreadyExists),
            "INBOX always exists",
        ));
    }
    let info = session.lookup(&from).await?;
    session.rename(&info.id, &to).await?;
    Ok(Outcome::ok("RENAME completed."))
}
