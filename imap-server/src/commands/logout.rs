//! LOGOUT (RFC 9051 §6.1.3): `* BYE`, the tagged OK, then the close.

use imapkit_proto::core::Text;
use imapkit_proto::response::Response;

use crate::connection::{Connection, Next};
use crate::outcome::{Handled, Outcome};

/// Says goodbye; the connection closes after the tagged OK.
pub(super) async fn handle(conn: &mut Connection) -> Handled {
    conn.send(Response::bye(Text::unvalidated("Logging out.")))
        .await?;
    conn.next = Next::Close;
    Ok(Outcome::ok("LOGOUT completed."))
}
