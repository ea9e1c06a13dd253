//! DELETE (RFC 9051 §6.3.5). A mailbox with children stays as a
//! `\Noselect` parent (RFC 3501 §6.3.4); the backend decides how.

use std::sync::Arc;

use imapkit_proto::mailbox::Mailbox;
use imapkit_proto::response::Code;

use crate::connection::{Connection, State};
use crate::names;
use crate::outcome::{Handled, Outcome};

/// Deletes a mailbox (never INBOX).
pub(super) async fn handle(conn: &mut Connection, mailbox: Mailbox) -> Handled {
    let session = Arc::clone(conn.state.session().expect("state checked: logged in"));
    let name = names::from_wire(conn, &mailbox)?;
    if name == "INBOX" {
        return Ok(Outcome::no(Some(Code::Cannot), "INBOX cannot be deleted"));
    }
    let info = session.lookup(&name).await?;
    session.delete(&info.id).await?;
    // The selected mailbox may be gone: leave the selected state, as Dovecot
    // does, rather than serve a mailbox that no longer exists.
    if let State::Selected(_, selected) = &conn.state {
        if *selected.mailbox.id() == info.id {
            conn.state = State::Authenticated(session);
        }
    }
    Ok(Outcome::ok("DELETE completed."))
}
