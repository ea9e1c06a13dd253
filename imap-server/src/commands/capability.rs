//! CAPABILITY (RFC 9051 §6.1.1).

use imapkit_proto::response::{Data, Response};

use crate::capabilities;
use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};

/// Sends `* CAPABILITY ...` for the current state.
pub(super) async fn handle(conn: &mut Connection) -> Handled {
    let caps = capabilities::list(conn);
    conn.send(Response::Data(Data::Capability(caps))).await?;
    Ok(Outcome::ok("CAPABILITY completed."))
}
