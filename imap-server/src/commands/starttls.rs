//! STARTTLS (RFC 9051 §6.2.1).
//!
//! The handshake starts after the tagged OK is written; bytes the client
//! pipelined after the STARTTLS line are discarded then (see
//! `Transport::start_tls`), never executed.

use crate::connection::{Connection, Next};
use crate::outcome::{Handled, Outcome};

/// Agrees to start TLS, when it is set up and not yet active.
pub(super) async fn handle(conn: &mut Connection) -> Handled {
    if conn.info.tls {
        return Ok(Outcome::bad(None, "TLS is already active"));
    }
    if conn.shared.tls.is_none() {
        return Ok(Outcome::bad(
            None,
            "STARTTLS is not available: no TLS configured",
        ));
    }
    conn.next = Next::StartTls;
    Ok(Outcome::ok("Begin TLS negotiation now."))
}
