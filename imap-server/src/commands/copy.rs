//! COPY, UID COPY (RFC 9051 §6.4.7), MOVE and UID MOVE (RFC 6851), with
//! UIDPLUS's COPYUID (RFC 4315 §3).

use std::num::NonZeroU32;
use std::sync::Arc;

use imapkit_proto::mailbox::Mailbox;
use imapkit_proto::response::{Code, Response};
use imapkit_proto::sequence::SequenceSet;

use crate::backend::{BackendError, CopyResult};
use crate::connection::{Connection, State};
use crate::names;
use crate::outcome::{backend_outcome, Handled, Outcome};

/// `COPYUID uidvalidity source destination`, when the backend gave UIDs.
fn copy_uid(result: &CopyResult) -> Option<Code> {
    let nz = |n: u32| NonZeroU32::new(n);
    let source = SequenceSet::from_numbers(result.uids.iter().filter_map(|&(s, _)| nz(s)))?;
    let destination = SequenceSet::from_numbers(result.uids.iter().filter_map(|&(_, d)| nz(d)))?;
    Some(Code::CopyUid {
        uid_validity: nz(result.uidvalidity)?,
        source,
        destination,
    })
}

/// Copies (or moves) messages to `mailbox`.
pub(super) async fn handle(
    conn: &mut Connection,
    uid: bool,
    set: SequenceSet,
    mailbox: Mailbox,
    moving: bool,
) -> Handled {
    let name = names::from_wire(conn, &mailbox)?;
    let State::Selected(session, selected) = &mut conn.state else {
        return Ok(Outcome::bad(None, "No mailbox selected"));
    };
    let session = Arc::clone(session);
    if moving && selected.read_only {
        return Ok(Outcome::no(
            Some(Code::Cannot),
            "Mailbox is read-only (EXAMINE)",
        ));
    }
    let indexes = selected.view.resolve(&set, uid, &selected.saved)?;
    let destination = match session.lookup(&name).await {
        Ok(info) => info,
        // RFC 9051 §6.4.7: a missing destination gets [TRYCREATE].
        Err(BackendError::NonExistent) => {
            return Ok(Outcome::no(Some(Code::TryCreate), "Mailbox does not exist"));
        }
        Err(error) => return Ok(backend_outcome(&error)),
    };
    let uids: Vec<u32> = indexes
        .iter()
        .map(|&i| selected.view.entry(i).uid)
        .collect();
    if uids.is_empty() {
        return Ok(Outcome::ok(if moving {
            "MOVE completed."
        } else {
            "COPY completed."
        }));
    }
    if !moving {
        let result = selected.mailbox.copy_to(&uids, &destination.id).await?;
        conn.ring(&destination.id);
        return Ok(match copy_uid(&result) {
            Some(code) => Outcome::ok_with(code, "COPY completed."),
            None => Outcome::ok("COPY completed."),
        });
    }
    let result = selected.mailbox.move_to(&uids, &destination.id).await?;
    let mut moved: Vec<u32> = result.uids.iter().map(|&(source, _)| source).collect();
    moved.sort_unstable();
    moved.dedup();
    let gone = selected.view.remove_all(&moved);
    let source = selected.mailbox.id().clone();
    conn.ring(&source);
    conn.ring(&destination.id);
    // RFC 6851 §4.3: COPYUID comes in an untagged OK before the expunges.
    if let Some(code) = copy_uid(&result) {
        conn.send(Response::untagged_ok(
            Some(code),
            crate::outcome::text("Moved."),
        ))
        .await?;
    }
    super::vanished::report_expunged(conn, gone).await?;
    Ok(Outcome::ok("MOVE completed."))
}
