//! `VANISHED (EARLIER)` (RFC 7162 §3.2.10): the messages of a UID set that
//! were expunged after a modseq the client names, for UID FETCH
//! (CHANGEDSINCE n VANISHED) and SELECT (QRESYNC ...).
//!
//! The backend's tombstones are the truth: `changes_since(modseq)` lists
//! every expunge above it. A message the view still holds (its expunge not
//! yet reported) is left out: the client hears of it as news later.

use std::num::NonZeroU32;
use std::ops::RangeInclusive;

use imapkit_proto::response::{Data, Response};
use imapkit_proto::sequence::SequenceSet;

use crate::backend::SyncPoint;
use crate::connection::Connection;
use crate::outcome::Refusal;
use crate::view::Selected;

/// A UID filter: the ranges of a UID set resolved against the view's
/// UIDNEXT, or every UID.
pub(super) struct UidFilter(Option<Vec<RangeInclusive<u32>>>);

impl UidFilter {
    /// The UIDs of `set`; every UID for `None`.
    pub(super) fn new(selected: &Selected, set: Option<&SequenceSet>) -> Self {
        let largest = selected.view.sync_point().uidnext.saturating_sub(1);
        Self(set.map(|set| set.resolve(largest).unwrap_or_default()))
    }

    /// Whether `uid` passes.
    pub(super) fn contains(&self, uid: u32) -> bool {
        self.0
            .as_ref()
            .is_none_or(|ranges| ranges.iter().any(|r| r.contains(&uid)))
    }
}

/// The UIDs in `set` (all with `None`) expunged after `modseq`, ascending.
async fn expunged_since(
    selected: &Selected,
    set: Option<&SequenceSet>,
    modseq: u64,
) -> Result<Vec<NonZeroU32>, Refusal> {
    let since = SyncPoint {
        modseq,
        uidnext: selected.view.sync_point().uidnext,
    };
    let changes = selected.mailbox.changes_since(since).await?;
    let filter = UidFilter::new(selected, set);
    let mut uids: Vec<NonZeroU32> = changes
        .expunged
        .iter()
        .map(|e| e.uid)
        .filter(|&uid| filter.contains(uid))
        .filter(|&uid| selected.view.index_of(uid).is_none())
        .filter_map(NonZeroU32::new)
        .collect();
    uids.sort_unstable();
    uids.dedup();
    Ok(uids)
}

/// Tells the client that messages left the view, given as (UID, sequence
/// number at that moment) in the order they were removed: one
/// `* VANISHED uids` when QRESYNC is on (RFC 7162 §3.2.10: the server
/// then sends no EXPUNGE at all), else `* n EXPUNGE` each (RFC 9051 §7.5.1).
pub(super) async fn report_expunged(
    conn: &mut Connection,
    gone: Vec<(u32, u32)>,
) -> std::io::Result<()> {
    if conn.enabled.qresync {
        let mut uids: Vec<NonZeroU32> = gone
            .iter()
            .filter_map(|&(uid, _)| NonZeroU32::new(uid))
            .collect();
        uids.sort_unstable();
        if let Some(uids) = SequenceSet::from_numbers(uids) {
            let vanished = Data::Vanished {
                earlier: false,
                uids,
            };
            conn.send(Response::Data(vanished)).await?;
        }
        return Ok(());
    }
    for (_, seq) in gone {
        if let Some(seq) = NonZeroU32::new(seq) {
            conn.send(Response::Data(Data::Expunge(seq))).await?;
        }
    }
    Ok(())
}

/// Sends `* VANISHED (EARLIER) uids` for the UIDs in `set` (all with
/// `None`) expunged after `modseq`, if there are any.
pub(super) async fn report(
    conn: &mut Connection,
    set: Option<&SequenceSet>,
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
