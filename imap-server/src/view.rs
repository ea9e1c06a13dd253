//! The selected mailbox as one session sees it: the engine's view, not the
//! backend's (DESIGN.md). It maps message sequence numbers to UIDs in
//! O(log n) and holds each message's flags, size and dates, so FLAGS, UID,
//! RFC822.SIZE, INTERNALDATE and sequence questions need no backend call.

use std::ops::{Range, RangeInclusive};
use std::sync::Arc;

use imapkit_proto::sequence::SequenceSet;

use crate::backend::{
    Changes, FlagUpdate, Flags, InternalDate, Mailbox, MessageMeta, Snapshot, SyncPoint,
};
use crate::outcome::Outcome;

/// A selected mailbox.
#[derive(Debug)]
pub(crate) struct Selected {
    /// The backend's handle, shared with IDLE's wait for a hint
    /// ([`Mailbox::changed`]) while the session reads the client.
    pub(crate) mailbox: Arc<dyn Mailbox>,
    /// EXAMINE, or a mailbox the user may not change.
    pub(crate) read_only: bool,
    /// Messages as this session knows them.
    pub(crate) view: View,
    /// The UIDs `SEARCH RETURN (SAVE)` kept for `$` (RFC 5182).
    pub(crate) saved: Vec<u32>,
}

/// What the view knows of one message.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The UID.
    pub(crate) uid: u32,
    /// Its flags as last reported to the client.
    pub(crate) flags: Flags,
    /// RFC822.SIZE.
    pub(crate) size: u64,
    /// INTERNALDATE.
    pub(crate) internal_date: InternalDate,
    /// Whether this session holds it as `\Recent`.
    pub(crate) recent: bool,
    /// The modseq of its last change as last reported (CONDSTORE).
    pub(crate) modseq: u64,
}

impl From<&MessageMeta> for Entry {
    fn from(meta: &MessageMeta) -> Self {
        Self {
            uid: meta.uid,
            flags: meta.flags.clone(),
            size: meta.size,
            internal_date: meta.internal_date,
            recent: meta.recent,
            modseq: meta.modseq,
        }
    }
}

/// The messages of a selected mailbox, in UID order; the index plus one is
/// the message sequence number.
#[derive(Debug, Default)]
pub(crate) struct View {
    entries: Vec<Entry>,
    sync: SyncPoint,
    /// UIDs other sessions expunged while no EXPUNGE could be sent (RFC
    /// 9051 §7.5.1): still numbered here until a command allows telling.
    held: Vec<u32>,
}

/// Something the client must be told about the selected mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Update {
    /// `* n EXPUNGE`, or the UID in `* VANISHED` (QRESYNC).
    Expunge {
        /// The sequence number the message had when it went.
        seq: u32,
        /// Its UID.
        uid: u32,
    },
    /// `* n FETCH (FLAGS (...))`.
    Flags(u32),
    /// `* n EXISTS`.
    Exists(u32),
    /// `* n RECENT`.
    Recent(u32),
}

fn seq(index: usize) -> u32 {
    u32::try_from(index + 1).expect("fewer than 2^32 messages")
}

impl View {
    /// The view of a fresh snapshot.
    pub(crate) fn from_snapshot(snapshot: &Snapshot) -> Self {
        let entries = snapshot.messages.iter().map(Entry::from).collect();
        Self {
            entries,
            sync: snapshot.sync_point(),
            held: Vec::new(),
        }
    }

    /// Number of messages (`EXISTS`).
    pub(crate) fn len(&self) -> u32 {
        u32::try_from(self.entries.len()).expect("fewer than 2^32 messages")
    }

    /// Messages this session holds as `\Recent`.
    pub(crate) fn recent(&self) -> u32 {
        let recent = self.entries.iter().filter(|e| e.recent).count();
        u32::try_from(recent).expect("fewer than 2^32 messages")
    }

    /// The sequence number of the first message without `\Seen`.
    pub(crate) fn first_unseen(&self) -> Option<u32> {
        self.entries
            .iter()
            .position(|e| !e.flags.is_seen())
            .map(seq)
    }

    /// The largest UID in the view, or 0 for an empty mailbox.
    pub(crate) fn last_uid(&self) -> u32 {
        self.entries.last().map_or(0, |e| e.uid)
    }

    /// The message at index `index` (sequence number minus one).
    pub(crate) fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    /// The index of `uid`, if the view holds it.
    pub(crate) fn index_of(&self, uid: u32) -> Option<usize> {
        self.entries.binary_search_by_key(&uid, |e| e.uid).ok()
    }

    /// Every keyword used in the mailbox's messages (for the FLAGS response).
    pub(crate) fn keywords(&self) -> Vec<String> {
        let mut keywords: Vec<String> = self
            .entries
            .iter()
            .flat_map(|e| e.flags.keywords().iter().cloned())
            .collect();
        keywords.sort_unstable_by_key(|k| k.to_ascii_lowercase());
        keywords.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        keywords
    }

    /// The indexes a sequence set names, ascending and without duplicates;
    /// `saved` is the SEARCHRES result for `$` (as UIDs).
    ///
    /// With `uid`, numbers are UIDs and those the view lacks are skipped;
    /// `n:*` includes the last message even when its UID is below n (RFC
    /// 9051 §6.4.8). Without `uid`, a number past the last message is a
    /// client error (`BAD`).
    pub(crate) fn resolve(
        &self,
        set: &SequenceSet,
        uid: bool,
        saved: &[u32],
    ) -> Result<Vec<usize>, Outcome> {
        let largest = if uid { self.last_uid() } else { self.len() };
        let Some(ranges) = set.resolve(largest) else {
            return Ok(saved.iter().filter_map(|&uid| self.index_of(uid)).collect());
        };
        let mut indexes = Vec::new();
        for range in ranges {
            if uid {
                indexes.extend(self.uid_range(range));
            } else if *range.end() > self.len() {
                return Err(Outcome::bad(None, "Invalid message sequence number"));
            } else {
                indexes.extend((*range.start() as usize - 1)..(*range.end() as usize));
            }
        }
        Ok(indexes)
    }

    /// The indexes of the messages whose UIDs lie in `range`.
    fn uid_range(&self, range: RangeInclusive<u32>) -> Range<usize> {
        let start = self.entries.partition_point(|e| e.uid < *range.start());
        let end = self.entries.partition_point(|e| e.uid <= *range.end());
        start..end.max(start)
    }

    /// Sets the flags and modseq of a message the session changed itself;
    /// returns its index.
    pub(crate) fn set_flags(&mut self, update: FlagUpdate) -> Option<usize> {
        let index = self.index_of(update.uid)?;
        let entry = &mut self.entries[index];
        entry.flags = update.flags;
        entry.modseq = update.modseq;
        Some(index)
    }

    /// Removes the messages with `uids` (ascending; UIDs the view lacks are
    /// skipped) and returns each removed one's UID with the sequence number
    /// it has when its `* n EXPUNGE` is sent: the expunges are reported in
    /// ascending order and each renumbers the messages after it (RFC 9051
    /// §7.5.1), so the k-th one (from 0) is its old number minus k.
    ///
    /// One pass over the view: removing the messages one by one shifted the
    /// rest each time, quadratic (an EXPUNGE of 40,000 messages took 2.7 s).
    pub(crate) fn remove_all(&mut self, uids: &[u32]) -> Vec<(u32, u32)> {
        debug_assert!(uids.windows(2).all(|w| w[0] < w[1]), "ascending UIDs");
        let indexes: Vec<usize> = uids.iter().filter_map(|&uid| self.index_of(uid)).collect();
        let gone = indexes
            .iter()
            .enumerate()
            .map(|(k, &index)| (self.entries[index].uid, seq(index - k)))
            .collect();
        let mut doomed = indexes.iter().peekable();
        let mut index = 0;
        self.entries.retain(|_| {
            let keep = doomed.next_if_eq(&&index).is_none();
            index += 1;
            keep
        });
        gone
    }

    /// Folds the backend's changes into the view and returns what to tell
    /// the client, in order: expunges first (each with the sequence number
    /// it has at that moment), then flag changes, then the new EXISTS and
    /// RECENT counts when messages were added (RFC 9051 §7.4.1, §7.3.1).
    ///
    /// Without `expunge` (a FETCH, STORE or SEARCH by sequence number is
    /// running) expunged messages keep their numbers and are held, to be
    /// removed and told by the next call with `expunge`.
    pub(crate) fn apply(&mut self, changes: &Changes, expunge: bool) -> Vec<Update> {
        self.held.extend(changes.expunged.iter().map(|e| e.uid));
        self.held.sort_unstable();
        self.held.dedup();
        let mut updates: Vec<Update> = Vec::new();
        if expunge {
            let held = std::mem::take(&mut self.held);
            updates.extend(
                self.remove_all(&held)
                    .into_iter()
                    .map(|(uid, seq)| Update::Expunge { seq, uid }),
            );
        }
        for update in &changes.updated {
            if let Some(index) = self.index_of(update.uid) {
                let entry = &mut self.entries[index];
                // A modseq alone changes too (another session stored the
                // same flags): CONDSTORE clients are told (RFC 7162 §3.2.4).
                if entry.flags != update.flags || entry.modseq != update.modseq {
                    entry.flags = update.flags.clone();
                    entry.modseq = update.modseq;
                    updates.push(Update::Flags(seq(index)));
                }
            }
        }
        let last = self.entries.last().map_or(0, |e| e.uid);
        let added: Vec<Entry> = changes
            .added
            .iter()
            .filter(|m| m.uid > last)
            .map(Entry::from)
            .collect();
        if !added.is_empty() {
            let recent = added.iter().any(|e| e.recent);
            self.entries.extend(added);
            updates.push(Update::Exists(self.len()));
            if recent {
                updates.push(Update::Recent(self.recent()));
            }
        }
        self.sync = changes.sync_point();
        updates
    }

    /// Whether expunges by others wait to be told (see [`View::apply`]).
    pub(crate) fn holds_expunges(&self) -> bool {
        !self.held.is_empty()
    }

    /// The highest modseq the view has caught up with (HIGHESTMODSEQ).
    pub(crate) fn highest_modseq(&self) -> u64 {
        self.sync.modseq
    }

    /// Where the backend's change log was last read.
    pub(crate) fn sync_point(&self) -> SyncPoint {
        self.sync
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(uids: &[u32]) -> View {
        let date = InternalDate::new(0, 0).expect("the epoch");
        View {
            entries: uids
                .iter()
                .map(|&uid| Entry::from(&MessageMeta::new(uid, Flags::new(), 1, 10, date, false)))
                .collect(),
            sync: SyncPoint::default(),
            held: Vec::new(),
        }
    }

    #[test]
    fn remove_all_numbers_each_expunge_as_the_client_sees_it() {
        let mut view = view(&[10, 20, 30, 40, 50, 60]);
        // 20 is message 2; then 40 (was 4) is 3; 50 (was 5) is 3 again.
        let gone = view.remove_all(&[5, 20, 40, 50, 70]);
        assert_eq!(gone, [(20, 2), (40, 3), (50, 3)]);
        let left: Vec<u32> = view.entries.iter().map(|e| e.uid).collect();
        assert_eq!(left, [10, 30, 60]);
        assert_eq!(view.remove_all(&[10, 30, 60]), [(10, 1), (30, 1), (60, 1)]);
        assert_eq!(view.len(), 0);
    }
}
