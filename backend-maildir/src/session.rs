//! [`Session`] and [`Mailbox`] over a [`UserStore`]: each call runs its
//! file work on tokio's blocking pool. A call the engine drops (a client
//! went away) still runs to its end there, so no operation stops half way.

use std::ops::Range;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use imapkit_server::backend::{
    AppendMessage, AppendResult, BackendError, Changes, CopyResult, Flag, MailboxId, MailboxInfo,
    MailboxStatus, OpenMode, Result, Snapshot, SpecialUse, StoreOp, StoreResult, SyncPoint,
};
use imapkit_server::{Mailbox, Session};

use crate::folder::{Folder, Staged};
use crate::fsutil::backend_error;
use crate::names::DELIMITER;
use crate::tree::UserStore;

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(BackendError::internal)?
}

/// A logged-in user of a [`MaildirBackend`](crate::MaildirBackend).
#[derive(Debug)]
pub(crate) struct MaildirSession {
    pub(crate) username: String,
    pub(crate) store: Arc<UserStore>,
    pub(crate) append_limit: Option<u64>,
}

#[async_trait]
impl Session for MaildirSession {
    fn username(&self) -> &str {
        &self.username
    }

    fn hierarchy_delimiter(&self) -> char {
        DELIMITER
    }

    fn append_limit(&self) -> Option<u64> {
        self.append_limit
    }

    /// Modseqs live in each folder's index file and survive restarts.
    fn supports_modseq(&self) -> bool {
        true
    }

    async fn list(&self) -> Result<Vec<MailboxInfo>> {
        let store = Arc::clone(&self.store);
        blocking(move || store.list()).await
    }

    async fn lookup(&self, name: &str) -> Result<MailboxInfo> {
        let (store, name) = (Arc::clone(&self.store), name.to_string());
        blocking(move || store.lookup(&name)).await
    }

    async fn create(&self, name: &str, special_use: &[SpecialUse]) -> Result<MailboxId> {
        let (store, name, uses) = (
            Arc::clone(&self.store),
            name.to_string(),
            special_use.to_vec(),
        );
        blocking(move || store.create(&name, &uses)).await
    }

    async fn delete(&self, id: &MailboxId) -> Result<()> {
        let (store, id) = (Arc::clone(&self.store), id.clone());
        blocking(move || store.delete(&id)).await
    }

    async fn rename(&self, id: &MailboxId, new_name: &str) -> Result<()> {
        let (store, id, name) = (Arc::clone(&self.store), id.clone(), new_name.to_string());
        blocking(move || store.rename(&id, &name)).await
    }

    async fn subscriptions(&self) -> Result<Vec<String>> {
        let store = Arc::clone(&self.store);
        blocking(move || store.subscriptions()).await
    }

    async fn subscribe(&self, name: &str) -> Result<()> {
        let (store, name) = (Arc::clone(&self.store), name.to_string());
        blocking(move || store.set_subscribed(&name, true)).await
    }

    async fn unsubscribe(&self, name: &str) -> Result<()> {
        let (store, name) = (Arc::clone(&self.store), name.to_string());
        blocking(move || store.set_subscribed(&name, false)).await
    }

    async fn status(&self, id: &MailboxId) -> Result<MailboxStatus> {
        let (store, id) = (Arc::clone(&self.store), id.clone());
        blocking(move || store.folder(&id)?.status()).await
    }

    async fn append(&self, id: &MailboxId, messages: Vec<AppendMessage>) -> Result<AppendResult> {
        if let Some(limit) = self.append_limit {
            if messages.iter().any(|m| m.body.len() as u64 > limit) {
                return Err(BackendError::TooBig);
            }
        }
        let (store, id) = (Arc::clone(&self.store), id.clone());
        blocking(move || {
            let folder = store.folder(&id)?;
            let dir = folder.dir();
            let mut staged = Vec::with_capacity(messages.len());
            for message in messages {
                match Staged::write(&dir, message.flags, message.internal_date, &message.body) {
                    Ok(item) => staged.push(item),
                    Err(e) => {
                        staged.into_iter().for_each(Staged::discard);
                        return Err(backend_error(e));
                    }
                }
            }
            let uids = folder.commit(staged)?;
            Ok(AppendResult::new(folder.uidvalidity()?, uids))
        })
        .await
    }

    async fn open(&self, id: &MailboxId, mode: OpenMode) -> Result<Box<dyn Mailbox>> {
        let (store, id) = (Arc::clone(&self.store), id.clone());
        let folder = blocking(move || {
            let folder = store.folder(&id)?;
            folder.status()?;
            Ok(folder)
        })
        .await?;
        Ok(Box::new(MaildirMailbox {
            folder,
            store: Arc::clone(&self.store),
            mode,
        }))
    }
}

/// An opened folder of a [`MaildirSession`].
#[derive(Debug)]
pub(crate) struct MaildirMailbox {
    folder: Arc<Folder>,
    /// The user's store, to find copy and move destinations.
    store: Arc<UserStore>,
    mode: OpenMode,
}

impl MaildirMailbox {
    fn writable(&self) -> Result<()> {
        match self.mode {
            OpenMode::ReadWrite => Ok(()),
            OpenMode::ReadOnly => Err(BackendError::NoPerm),
        }
    }

    fn claims(&self) -> bool {
        self.mode == OpenMode::ReadWrite
    }

    async fn transfer(&self, uids: &[u32], dest: &MailboxId, remove: bool) -> Result<CopyResult> {
        let (folder, store, dest) = (
            Arc::clone(&self.folder),
            Arc::clone(&self.store),
            dest.clone(),
        );
        let uids = sorted(uids);
        blocking(move || {
            let dest = store.folder(&dest)?;
            let pairs = folder.transfer(&uids, &dest, remove)?;
            Ok(CopyResult::new(dest.uidvalidity()?, pairs))
        })
        .await
    }
}

/// The engine passes sorted UID lists without duplicates; the folder
/// relies on that (binary searches, ascending COPYUID).
fn sorted(uids: &[u32]) -> Vec<u32> {
    let mut owned = uids.to_vec();
    owned.sort_unstable();
    owned.dedup();
    owned
}

#[async_trait]
impl Mailbox for MaildirMailbox {
    fn id(&self) -> &MailboxId {
        self.folder.id()
    }

    fn mode(&self) -> OpenMode {
        self.mode
    }

    async fn snapshot(&self) -> Result<Snapshot> {
        let (folder, claim) = (Arc::clone(&self.folder), self.claims());
        blocking(move || folder.snapshot(claim)).await
    }

    async fn changes_since(&self, since: SyncPoint) -> Result<Changes> {
        let (folder, claim) = (Arc::clone(&self.folder), self.claims());
        blocking(move || folder.changes_since(since, claim)).await
    }

    async fn fetch_message(&self, uid: u32) -> Result<Bytes> {
        let folder = Arc::clone(&self.folder);
        blocking(move || folder.fetch(uid)).await
    }

    /// A positioned read of just `range` (see `Folder::fetch_range` for
    /// files with bare LFs, which are read whole).
    async fn fetch_range(&self, uid: u32, range: Range<u64>) -> Result<Bytes> {
        let folder = Arc::clone(&self.folder);
        blocking(move || folder.fetch_range(uid, range)).await
    }

    async fn cached_metadata(&self, uid: u32) -> Result<Option<Bytes>> {
        self.folder.cached_metadata(uid)
    }

    async fn store_metadata(&self, uid: u32, metadata: Bytes) -> Result<()> {
        self.folder.store_metadata(uid, metadata)
    }

    async fn store(
        &self,
        uids: &[u32],
        op: StoreOp,
        flags: &[Flag],
        unchanged_since: Option<u64>,
    ) -> Result<StoreResult> {
        self.writable()?;
        let (folder, uids, flags) = (Arc::clone(&self.folder), sorted(uids), flags.to_vec());
        blocking(move || folder.store(&uids, op, &flags, unchanged_since)).await
    }

    async fn expunge(&self, uids: Option<&[u32]>) -> Result<Vec<u32>> {
        self.writable()?;
        let (folder, uids) = (Arc::clone(&self.folder), uids.map(sorted));
        blocking(move || folder.expunge(uids.as_deref())).await
    }

    async fn copy_to(&self, uids: &[u32], dest: &MailboxId) -> Result<CopyResult> {
        self.transfer(uids, dest, false).await
    }

    /// Native: the copy is durable in the destination before the
    /// original goes, and both folders are locked for the whole move.
    async fn move_to(&self, uids: &[u32], dest: &MailboxId) -> Result<CopyResult> {
        self.writable()?;
        self.transfer(uids, dest, true).await
    }
}
