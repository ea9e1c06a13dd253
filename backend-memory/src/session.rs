//! [`Session`] and [`Mailbox`] over a [`UserStore`]: thin async shells
//! around the synchronous, locked operations of [`crate::store`].

use std::borrow::Cow;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use imapkit_server::backend::{
    AppendMessage, AppendResult, BackendError, Changes, CopyResult, Flag, MailboxId, MailboxInfo,
    MailboxStatus, OpenMode, Result, Snapshot, SpecialUse, StoreOp, StoreResult, SyncPoint,
};
use imapkit_server::{Mailbox, Session};

use crate::store::{MailboxCell, UserStore, DELIMITER};

/// A logged-in user of a [`MemoryBackend`](crate::MemoryBackend).
#[derive(Debug)]
pub(crate) struct MemorySession {
    pub(crate) username: String,
    pub(crate) store: Arc<UserStore>,
}

#[async_trait]
impl Session for MemorySession {
    fn username(&self) -> &str {
        &self.username
    }

    fn hierarchy_delimiter(&self) -> char {
        DELIMITER
    }

    fn append_limit(&self) -> Option<u64> {
        self.store.settings().append_limit()
    }

    /// Modseqs live exactly as long as the mailboxes: a restart loses both,
    /// and the new mailboxes get new UIDVALIDITYs, so clients resync.
    /// Unless turned off with [`crate::MemoryBackend::set_modseq_support`].
    fn supports_modseq(&self) -> bool {
        self.store.settings().modseq()
    }

    async fn list(&self) -> Result<Vec<MailboxInfo>> {
        Ok(self.store.list())
    }

    async fn lookup(&self, name: &str) -> Result<MailboxInfo> {
        self.store.lookup(name)
    }

    async fn create(&self, name: &str, special_use: &[SpecialUse]) -> Result<MailboxId> {
        self.store.create(name, special_use)
    }

    async fn delete(&self, id: &MailboxId) -> Result<()> {
        self.store.delete(id)
    }

    async fn rename(&self, id: &MailboxId, new_name: &str) -> Result<()> {
        self.store.rename(id, new_name)
    }

    async fn subscriptions(&self) -> Result<Vec<String>> {
        Ok(self.store.subscriptions())
    }

    async fn subscribe(&self, name: &str) -> Result<()> {
        self.store.subscribe(name);
        Ok(())
    }

    async fn unsubscribe(&self, name: &str) -> Result<()> {
        self.store.unsubscribe(name);
        Ok(())
    }

    async fn status(&self, id: &MailboxId) -> Result<MailboxStatus> {
        self.store.cell(id)?.status()
    }

    async fn append(&self, id: &MailboxId, messages: Vec<AppendMessage>) -> Result<AppendResult> {
        let limit = self.append_limit();
        self.store.cell(id)?.append(messages, limit)
    }

    async fn open(&self, id: &MailboxId, mode: OpenMode) -> Result<Box<dyn Mailbox>> {
        let cell = self.store.cell(id)?;
        Ok(Box::new(MemoryMailbox {
            cell,
            store: Arc::clone(&self.store),
            mode,
        }))
    }
}

/// An opened mailbox of a [`MemorySession`].
#[derive(Debug)]
pub(crate) struct MemoryMailbox {
    /// The mailbox itself; its lock is the only one the hot path takes.
    cell: Arc<MailboxCell>,
    /// The user's store, to find copy and move destinations.
    store: Arc<UserStore>,
    mode: OpenMode,
}

impl MemoryMailbox {
    fn writable(&self) -> Result<()> {
        match self.mode {
            OpenMode::ReadWrite => Ok(()),
            OpenMode::ReadOnly => Err(BackendError::NoPerm),
        }
    }

    fn claims(&self) -> bool {
        self.mode == OpenMode::ReadWrite
    }
}

/// The engine passes sorted UID lists without duplicates; the store relies
/// on that (binary searches, ascending COPYUID), so a caller that does not
/// gets its list sorted rather than a wrong answer.
fn sorted(uids: &[u32]) -> Cow<'_, [u32]> {
    if uids.windows(2).all(|w| w[0] < w[1]) {
        Cow::Borrowed(uids)
    } else {
        let mut owned = uids.to_vec();
        owned.sort_unstable();
        owned.dedup();
        Cow::Owned(owned)
    }
}

#[async_trait]
impl Mailbox for MemoryMailbox {
    fn id(&self) -> &MailboxId {
        self.cell.id()
    }

    fn mode(&self) -> OpenMode {
        self.mode
    }

    async fn snapshot(&self) -> Result<Snapshot> {
        self.cell.snapshot(self.claims())
    }

    async fn changes_since(&self, since: SyncPoint) -> Result<Changes> {
        self.cell.changes_since(since, self.claims())
    }

    async fn fetch_message(&self, uid: u32) -> Result<Bytes> {
        self.cell.fetch(uid)
    }

    async fn cached_metadata(&self, uid: u32) -> Result<Option<Bytes>> {
        self.cell.cached_metadata(uid)
    }

    async fn store_metadata(&self, uid: u32, metadata: Bytes) -> Result<()> {
        self.cell.store_metadata(uid, metadata)
    }

    async fn store(
        &self,
        uids: &[u32],
        op: StoreOp,
        flags: &[Flag],
        unchanged_since: Option<u64>,
    ) -> Result<StoreResult> {
        self.writable()?;
        self.cell.store(uids, op, flags, unchanged_since)
    }

    async fn expunge(&self, uids: Option<&[u32]>) -> Result<Vec<u32>> {
        self.writable()?;
        let uids = uids.map(sorted);
        self.cell.expunge(uids.as_deref())
    }

    async fn copy_to(&self, uids: &[u32], dest: &MailboxId) -> Result<CopyResult> {
        let dest = self.store.cell(dest)?;
        self.cell.transfer(&sorted(uids), &dest, false)
    }

    /// Native and atomic: both mailboxes are locked for the whole move.
    async fn move_to(&self, uids: &[u32], dest: &MailboxId) -> Result<CopyResult> {
        self.writable()?;
        let dest = self.store.cell(dest)?;
        self.cell.transfer(&sorted(uids), &dest, true)
    }
}
