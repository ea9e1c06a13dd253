//! ENABLE (RFC 5161): turns on extensions that change how the server
//! talks: CONDSTORE and QRESYNC (RFC 7162 §3.1, §3.2.3), when the backend
//! keeps modseqs. Names the engine does not know are left out of
//! `* ENABLED`, which RFC 5161 §3.1 allows.

use imapkit_proto::capability::Capability;
use imapkit_proto::response::{Data, Response};

use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};

/// Enables what it can of `requested` and says which.
pub(super) async fn handle(conn: &mut Connection, requested: &[Capability]) -> Handled {
    tracing::debug!(?requested, "ENABLE");
    let modseq = conn
        .state
        .session()
        .is_some_and(|session| session.supports_modseq());
    let mut enabled = Vec::new();
    for capability in requested {
        match capability {
            Capability::CondStore if modseq => conn.enabled.condstore = true,
            // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE.
            Capability::QResync if modseq => {
                conn.enabled.condstore = true;
                conn.enabled.qresync = true;
            }
            _ => continue,
        }
        // A name asked for twice is listed once.
        if !enabled.contains(capability) {
            enabled.push(capability.clone());
        }
    }
    conn.send(Response::Data(Data::Enabled(enabled))).await?;
    Ok(Outcome::ok("ENABLE completed."))
}
