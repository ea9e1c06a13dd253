//! STORE and UID STORE (RFC 9051 §6.4.6).

use imapkit_proto::command::Store;
use imapkit_proto::flag::{StoreResponse, StoreType};
use imapkit_proto::response::Code;

use super::{flags_response, selected_mut};
use crate::backend::StoreOp;
use crate::connection::Connection;
use crate::flags;
use crate::outcome::{Handled, Outcome};

/// Changes flags, then reports the new flags of every message in the set
/// (unless `.SILENT`).
pub(super) async fn handle(conn: &mut Connection, uid: bool, store: Store) -> Handled {
    let selected = selected_mut(conn)?;
    if selected.read_only {
        return Ok(Outcome::no(
            Some(Code::Cannot),
            "Mailbox is read-only (EXAMINE)",
        ));
    }
    if store.unchanged_since.is_some() {
        return Ok(Outcome::bad(
            None,
            "UNCHANGEDSINCE needs CONDSTORE, not offered",
        ));
    }
    let indexes = selected
        .view
        .resolve(&store.sequence_set, uid, &selected.saved)?;
    let flags: Vec<_> = flags::from_wire(&store.flags)?.iter().collect();
    let op = match store.kind {
        StoreType::Replace => StoreOp::Replace,
        StoreType::Add => StoreOp::Add,
        StoreType::Remove => StoreOp::Remove,
    };
    let uids: Vec<u32> = indexes
        .iter()
        .map(|&i| selected.view.entry(i).uid)
        .collect();
    if !uids.is_empty() {
        let result = selected.mailbox.store(&uids, op, &flags, None).await?;
        for update in result.updated {
            selected.view.set_flags(update.uid, update.flags);
        }
        let id = selected.mailbox.id().clone();
        conn.ring(&id);
    }
    let selected = selected_mut(conn)?;
    if store.response == StoreResponse::Answer {
        let responses: Vec<_> = indexes
            .iter()
            .map(|&i| flags_response(selected, i, uid))
            .collect();
        for response in responses {
            conn.send(response).await?;
        }
    }
    Ok(Outcome::ok("STORE completed."))
}
