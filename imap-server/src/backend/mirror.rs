//! Help for backends that keep a mailbox's messages in memory (a mirror
//! of their store, or the store itself): snapshots and change sets
//! computed the one correct way from messages sorted by UID and
//! tombstones sorted by modseq.

use super::types::{Changes, Expunged, FlagUpdate, Flags, MessageMeta, Snapshot, SyncPoint};

/// One message of an in-memory mailbox, as [`snapshot_of`] and
/// [`changes_of`] need it.
pub trait MirroredMessage {
    /// The UID.
    fn uid(&self) -> u32;
    /// The modseq of its last change.
    fn modseq(&self) -> u64;
    /// Its flags.
    fn flags(&self) -> &Flags;
    /// Its metadata for a snapshot or an added message. With `claim` (a
    /// read-write handle), an unclaimed `\Recent` is taken and reported;
    /// without, it is reported and left for a later SELECT.
    fn report(&mut self, claim: bool) -> MessageMeta;
}

/// The whole mailbox: `messages` sorted by UID.
pub fn snapshot_of<M: MirroredMessage>(
    uidvalidity: u32,
    uidnext: u32,
    highest_modseq: u64,
    messages: &mut [M],
    claim: bool,
) -> Snapshot {
    let messages = messages.iter_mut().map(|m| m.report(claim)).collect();
    Snapshot::new(uidvalidity, uidnext, highest_modseq, messages)
}

/// What happened after `since`: `messages` sorted by UID, `tombstones`
/// sorted by modseq. Messages at or above `since.uidnext` are added, known
/// ones with a higher modseq updated, tombstones above `since.modseq`
/// expunged (in UID order).
pub fn changes_of<M: MirroredMessage>(
    since: SyncPoint,
    uidnext: u32,
    highest_modseq: u64,
    messages: &mut [M],
    tombstones: &[Expunged],
    claim: bool,
) -> Changes {
    let mut changes = Changes::new(uidnext, highest_modseq, Vec::new(), Vec::new(), Vec::new());
    if since.modseq >= highest_modseq && since.uidnext >= uidnext {
        // Every change raises the highest modseq: nothing happened.
        return changes;
    }
    let split = messages.partition_point(|m| m.uid() < since.uidnext);
    let (known, new) = messages.split_at_mut(split);
    changes.updated = known
        .iter()
        .filter(|m| m.modseq() > since.modseq)
        .map(|m| FlagUpdate {
            uid: m.uid(),
            flags: m.flags().clone(),
            modseq: m.modseq(),
        })
        .collect();
    changes.added = new.iter_mut().map(|m| m.report(claim)).collect();
    let from = tombstones.partition_point(|t| t.modseq <= since.modseq);
    changes.expunged = tombstones[from..].to_vec();
    changes.expunged.sort_unstable_by_key(|t| t.uid);
    changes
}
