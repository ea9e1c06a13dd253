//! CLOSE (RFC 9051 §6.4.1) and UNSELECT (RFC 3691, RFC 9051 §6.4.2).

use std::sync::Arc;

use crate::connection::{Connection, State};
use crate::outcome::{Handled, Outcome};

/// Leaves the selected state; CLOSE first expunges `\Deleted` messages,
/// silently, unless the mailbox is read-only.
pub(super) async fn handle(conn: &mut Connection, expunge: bool) -> Handled {
    let State::Selected(session, selected) = &conn.state else {
        return Ok(Outcome::bad(None, "No mailbox selected"));
    };
    let session = Arc::clone(session);
    if expunge && !selected.read_only && !selected.mailbox.expunge(None).await?.is_empty() {
        let id = selected.mailbox.id().clone();
        conn.ring(&id);
    }
    conn.state = State::Authenticated(session);
    Ok(Outcome::ok(if expunge {
        "CLOSE completed."
    } else {
        "UNSELECT completed."
    }))
}
