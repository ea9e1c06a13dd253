//! NOOP (RFC 9051 §6.1.2) and CHECK (RFC 3501 §6.4.1, a NOOP in RFC 9051).

use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};

/// Does nothing; the engine reports mailbox changes after every command.
pub(super) async fn handle(_conn: &mut Connection) -> Handled {
    Ok(Outcome::ok("NOOP completed."))
}
