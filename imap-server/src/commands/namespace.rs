//! NAMESPACE (RFC 2342, RFC 9051 §6.3.10): one personal namespace with an
//! empty prefix and the backend's hierarchy delimiter.

use imapkit_proto::core::{IString, Quoted};
use imapkit_proto::list::Delimiter;
use imapkit_proto::namespace::{Namespace, NamespaceData};
use imapkit_proto::response::{Data, Response};

use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};

/// Sends `* NAMESPACE (("" "/")) NIL NIL`.
pub(super) async fn handle(conn: &mut Connection) -> Handled {
    let session = conn.state.session().expect("state checked: logged in");
    let delimiter = Delimiter::try_from(session.hierarchy_delimiter()).ok();
    let personal = Namespace {
        prefix: IString::Quoted(Quoted::unvalidated("")),
        delimiter,
        extensions: Vec::new(),
    };
    let data = NamespaceData {
        personal: vec![personal],
        other_users: Vec::new(),
        shared: Vec::new(),
    };
    conn.send(Response::Data(Data::Namespace(data))).await?;
    Ok(Outcome::ok("NAMESPACE completed."))
}
