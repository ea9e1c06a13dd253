//! SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8).

use std::sync::Arc;

use imapkit_proto::mailbox::Mailbox;

use crate::connection::Connection;
use crate::names;
use crate::outcome::{Handled, Outcome};

/// Adds (`subscribe`) or removes a name from the subscriptions. A name
/// need not exist (RFC 9051 §6.3.7 lets a server accept it, as Dovecot does).
pub(super) async fn handle(conn: &mut Connection, mailbox: Mailbox, subscribe: bool) -> Handled {
    let session = Arc::clone(conn.state.session().expect("state checked: logged in"));
    let name = names::from_wire(conn, &mailbox)?;
    if subscribe {
        session.subscribe(&name).await?;
        Ok(Outcome::ok("SUBSCRIBE completed."))
    } else {
        session.unsubscribe(&name).await?;
        Ok(Outcome::ok("UNSUBSCRIBE completed."))
    }
}
