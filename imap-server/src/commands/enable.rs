//! ENABLE (RFC 5161): turns on extensions that change how the server
//! talks. The engine has none to turn on yet (CONDSTORE, QRESYNC and
//! UTF8=ACCEPT come with their issues), so it answers with an empty
//! `* ENABLED`, which RFC 5161 §3.1 allows for unknown names.

use imapkit_proto::capability::Capability;
use imapkit_proto::response::{Data, Response};

use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};

/// Enables what it can of `requested` and says which.
pub(super) async fn handle(conn: &mut Connection, requested: &[Capability]) -> Handled {
    tracing::debug!(?requested, "ENABLE");
    conn.send(Response::Data(Data::Enabled(Vec::new()))).await?;
    Ok(Outcome::ok("ENABLE completed."))
}
