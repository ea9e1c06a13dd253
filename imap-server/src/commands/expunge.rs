//! EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1).

use imapkit_proto::response::Code;
use imapkit_proto::sequence::SequenceSet;

use super::selected_mut;
use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};

/// Expunges the `\Deleted` messages (of `uids` only, for UID EXPUNGE) and
/// reports each with `* n EXPUNGE`, numbered as the client sees them at
/// that moment.
pub(super) async fn handle(conn: &mut Connection, uids: Option<SequenceSet>) -> Handled {
    let selected = selected_mut(conn)?;
    if selected.read_only {
        return Ok(Outcome::no(
            Some(Code::Cannot),
            "Mailbox is read-only (EXAMINE)",
        ));
    }
    let only = match &uids {
        Some(set) => {
            let indexes = selected.view.resolve(set, true, &selected.saved)?;
            Some(
                indexes
                    .iter()
                    .map(|&i| selected.view.entry(i).uid)
                    .collect::<Vec<_>>(),
            )
        }
        None => None,
    };
    if only.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Outcome::ok("EXPUNGE completed."));
    }
    let mut expunged = selected.mailbox.expunge(only.as_deref()).await?;
    expunged.sort_unstable();
    expunged.dedup();
    let gone = selected.view.remove_all(&expunged);
    let id = selected.mailbox.id().clone();
    if !expunged.is_empty() {
        conn.ring(&id);
    }
    super::vanished::report_expunged(conn, gone).await?;
    Ok(Outcome::ok("EXPUNGE completed."))
}
