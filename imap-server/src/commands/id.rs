//! ID (RFC 2971): the client says who it is (logged), the server answers
//! with its name and version.

use imapkit_proto::core::{IString, NString, Quoted};
use imapkit_proto::id::{Id, IdData, IdParams};
use imapkit_proto::response::{Data, Response};

use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};

fn quoted(s: &'static str) -> IString {
    IString::Quoted(Quoted::unvalidated(s))
}

/// Logs the client's identification and sends the server's.
pub(super) async fn handle(conn: &mut Connection, id: Id) -> Handled {
    if let Some(name) = id.params.get("name").and_then(NString::as_bytes) {
        tracing::debug!(client = %String::from_utf8_lossy(name), "client identified itself");
    }
    let params = IdParams::new(vec![
        (quoted("name"), NString(Some(quoted("imapkit")))),
        (
            quoted("version"),
            NString(Some(quoted(env!("CARGO_PKG_VERSION")))),
        ),
    ])
    .expect("two short pairs are within RFC 2971's limits");
    conn.send(Response::Data(Data::Id(IdData { params })))
        .await?;
    Ok(Outcome::ok("ID completed."))
}
