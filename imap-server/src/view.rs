//! The selected mailbox as one session sees it: the engine's view, not the
//! backend's (DESIGN.md). It maps message sequence numbers to UIDs in
//! O(log n) and holds each message's flags, so FLAGS, UID and sequence
//! questions need no backend call.

use crate::backend::{Changes, Flags, Mailbox, MessageMeta, Snapshot, SyncPoint};

/// A selected mailbox.
#[derive(Debug)]
pub(crate) struct Selected {
    /// The backend's handle.
    pub(crate) mailbox: Box<dyn Mailbox>,
    /// EXAMINE, or a mailbox the user may not change.
    pub(crate) read_only: bool,
    /// Messages as this session knows them.
    pub(crate) view: View,
}

/// The messages of a selected mailbox, in UID order; the index plus one is
/// the message sequence number.
#[derive(Debug, Default)]
pub(crate) struct View {
    uids: Vec<u32>,
    flags: Vec<Flags>,
    recent: usize,
    sync: SyncPoint,
}

impl View {
    /// The view of a fresh snapshot.
    pub(crate) fn from_snapshot(snapshot: &Snapshot) -> Self {
        let mut view = Self {
            sync: snapshot.sync_point(),
            ..Self::default()
        };
        view.extend(&snapshot.messages);
        view
    }

    /// Adds new messages (their UIDs are above every UID in the view).
    pub(crate) fn extend(&mut self, messages: &[MessageMeta]) {
        for message in messages {
            debug_assert!(self.uids.last().is_none_or(|&last| message.uid > last));
            self.uids.push(message.uid);
            self.flags.push(message.flags.clone());
            self.recent += usize::from(message.recent);
        }
    }

    /// Number of messages (`EXISTS`).
    pub(crate) fn len(&self) -> u32 {
        u32::try_from(self.uids.len()).expect("fewer than 2^32 messages")
    }

    /// Messages this session holds as `\Recent`.
    pub(crate) fn recent(&self) -> u32 {
        u32::try_from(self.recent).expect("fewer than 2^32 messages")
    }

    /// The sequence number of the first message without `\Seen`.
    pub(crate) fn first_unseen(&self) -> Option<u32> {
        self.flags
            .iter()
            .position(|f| !f.is_seen())
            .map(|i| i as u32 + 1)
    }

    /// Folds the backend's changes into the view and returns what to tell
    /// the client, in order: expunges first (each with the sequence number
    /// it has at that moment), then flag changes, then the new EXISTS and
    /// RECENT counts when messages were added (RFC 9051 §7.4.1, §7.3.1).
    pub(crate) fn apply(&mut self, changes: &Changes) -> Vec<Update> {
        let mut updates = Vec::new();
        for expunged in &changes.expunged {
            if let Ok(i) = self.uids.binary_search(&expunged.uid) {
                self.uids.remove(i);
                self.flags.remove(i);
                updates.push(Update::Expunge(i as u32 + 1));
            }
        }
        for update in &changes.updated {
            if let Ok(i) = self.uids.binary_search(&update.uid) {
                if self.flags[i] != update.flags {
                    self.flags[i] = update.flags.clone();
                    updates.push(Update::Flags {
                        seq: i as u32 + 1,
                        uid: update.uid,
                    });
                }
            }
        }
        let added: Vec<MessageMeta> = changes
            .added
            .iter()
            .filter(|m| self.uids.last().is_none_or(|&last| m.uid > last))
            .cloned()
            .collect();
        if !added.is_empty() {
            self.extend(&added);
            updates.push(Update::Exists(self.len()));
            if added.iter().any(|m| m.recent) {
                updates.push(Update::Recent(self.recent()));
            }
        }
        self.sync = changes.sync_point();
        updates
    }

    /// The flags of the message at `seq`.
    pub(crate) fn flags_of(&self, seq: u32) -> Option<&Flags> {
        self.flags.get(usize::try_from(seq).ok()?.checked_sub(1)?)
    }

    /// Where the backend's change log was last read.
    pub(crate) fn sync_point(&self) -> SyncPoint {
        self.sync
    }

    /// Every flag used in the mailbox's messages (for the FLAGS response).
    pub(crate) fn keywords(&self) -> Vec<String> {
        let mut keywords: Vec<String> = self
            .flags
            .iter()
            .flat_map(|f| f.keywords().iter().cloned())
            .collect();
        keywords.sort_unstable_by_key(|k| k.to_ascii_lowercase());
        keywords.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        keywords
    }
}

/// Something the client must be told about the selected mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Update {
    /// `* n EXPUNGE`.
    Expunge(u32),
    /// `* n FETCH (FLAGS (...))`; the UID too when the client used UID commands.
    Flags {
        /// The sequence number.
        seq: u32,
        /// The UID.
        uid: u32,
    },
    /// `* n EXISTS`.
    Exists(u32),
    /// `* n RECENT`.
    Recent(u32),
}
