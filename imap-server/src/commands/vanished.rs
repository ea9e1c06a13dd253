//! `VANISHED (EARLIER)` (RFC 7162 §3.2.10): the messages of a UID set that
//! were expunged after a modseq the client names, for UID FETCH
//! (CHANGEDSINCE n VANISHED) and SELECT (QRESYNC ...).
//!
//! The backend's tombstones are the truth: `changes_since(modseq)` lists
//! every expunge above it. A message the view still holds (its expunge not
//! yet reported) is left out: the client hears of it as news later.

use std::num::NonZeroU32;

use imapkit_proto::response::{Data, Response};
use imapkit_proto::sequence::SequenceSet;

use crate::backend::SyncPoint;
use crate::connection::Connection;
use crate::outcome::Refusal;
use crate::view::Selected;

/// The UIDs in `set` expunged after `modseq`, ascending.
async fn expunged_since(
    selected: &Selected,
    set: &SequenceSet,
    modseq: u64,
) -> Result<Vec<NonZeroU32>, Refusal> {
    let since = SyncPoint {
        modseq,
        uidnext: selected.view.sync_point().uidnext,
    };
    let changes = selected.mailbox.changes_since(since).await?;
    let ranges = set
        .resolve(selected.view.sync_point().uidnext.saturating_sub(1))
        .unwrap_or_default();
    let mut uids: Vec<NonZeroU32> = changes
        .expunged
        .iter()
        .map(|e| e.uid)
        .filter(|&uid| ranges.iter().any(|r| r.contains(&uid)))
        .filter(|&uid| selected.view.index_of(uid).is_none())
        .filter_map(NonZeroU32::new)
        .collect();
    uids.sort_unstable();
    uids.dedup();
    Ok(uids)
}

/// Sends `* VANISHED (EARLIER) uids` for the UIDs in `set` expunged after
/// `modseq`, if there are any.
pub(super) async fn report(
    conn: &mut Connection,
    set: &SequenceSet,
    modseq: u64,
) -> Result<(), Refusal> {
    let selected = super::selected_mut(conn)?;
    let uids = expunged_since(selected, set, modseq).await?;
    if let Some(uids) = SequenceSet::from_numbers(uids) {
        conn.send(Response::Data(Data::Vanished {
            earlier: true,
            uids,
        }))
        .await?;
    }
    Ok(())
}
