//! The contract checker must catch broken backends: each test wraps the
//! memory backend in a wrapper that breaks one rule and expects the check
//! for that rule to fail, by name.

use std::ops::Range;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use imapkit_memory::MemoryBackend;
use imapkit_server::backend::{
    AppendMessage, AppendResult, AuthError, Changes, ConnectionInfo, CopyResult, Credentials, Flag,
    MailboxId, MailboxInfo, MailboxStatus, OpenMode, Result, Snapshot, SpecialUse, StoreOp,
    StoreResult, SyncPoint,
};
use imapkit_server::testkit::{run_contract, Outcome};
use imapkit_server::{Backend, Mailbox, Session};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// `changes_since` never reports expunges.
    ForgetTombstones,
    /// Every handle sees every message as `\Recent`.
    RecentForEveryone,
    /// Snapshots report the highest modseq of the first snapshot forever.
    FrozenModseq,
    /// STORE ignores UNCHANGEDSINCE.
    IgnoreUnchangedSince,
    /// RENAME leaves subscriptions behind (as Dovecot and James do).
    RenameKeepsOldSubscriptions,
    /// Every login succeeds.
    AnyPassword,
    /// `fetch_range` reads as many bytes as asked, but from the message's
    /// first byte (a positioned read that forgot its offset).
    RangeFromTheStart,
}

#[derive(Debug)]
struct Faulty {
    inner: MemoryBackend,
    fault: Fault,
}

#[derive(Debug)]
struct FaultySession {
    inner: Box<dyn Session>,
    fault: Fault,
}

#[derive(Debug)]
struct FaultyMailbox {
    inner: Box<dyn Mailbox>,
    fault: Fault,
    frozen: std::sync::Mutex<Option<u64>>,
}

#[async_trait]
impl Backend for Faulty {
    async fn authenticate(
        &self,
        credentials: &Credentials,
        connection: &ConnectionInfo,
    ) -> Result<Box<dyn Session>, AuthError> {
        let credentials = match (self.fault, credentials) {
            (Fault::AnyPassword, Credentials::Password { username, .. }) => {
                Credentials::password(username.clone(), "wonderland")
            }
            _ => credentials.clone(),
        };
        let inner = match self.inner.authenticate(&credentials, connection).await {
            Err(AuthError::Rejected) if self.fault == Fault::AnyPassword => {
                self.inner
                    .add_user(credentials.username().unwrap_or("x"), "wonderland");
                self.inner.authenticate(&credentials, connection).await?
            }
            other => other?,
        };
        Ok(Box::new(FaultySession {
            inner,
            fault: self.fault,
        }))
    }
}

#[async_trait]
impl Session for FaultySession {
    fn username(&self) -> &str {
        self.inner.username()
    }
    async fn list(&self) -> Result<Vec<MailboxInfo>> {
        self.inner.list().await
    }
    async fn create(&self, name: &str, special_use: &[SpecialUse]) -> Result<MailboxId> {
        self.inner.create(name, special_use).await
    }
    async fn delete(&self, id: &MailboxId) -> Result<()> {
        self.inner.delete(id).await
    }
    async fn rename(&self, id: &MailboxId, new_name: &str) -> Result<()> {
        let before = self.inner.subscriptions().await?;
        self.inner.rename(id, new_name).await?;
        if self.fault == Fault::RenameKeepsOldSubscriptions {
            for name in self.inner.subscriptions().await? {
                self.inner.unsubscribe(&name).await?;
            }
            for name in before {
                self.inner.subscribe(&name).await?;
            }
        }
        Ok(())
    }
    async fn subscriptions(&self) -> Result<Vec<String>> {
        self.inner.subscriptions().await
    }
    async fn subscribe(&self, name: &str) -> Result<()> {
        self.inner.subscribe(name).await
    }
    async fn unsubscribe(&self, name: &str) -> Result<()> {
        self.inner.unsubscribe(name).await
    }
    async fn status(&self, id: &MailboxId) -> Result<MailboxStatus> {
        self.inner.status(id).await
    }
    async fn append(&self, id: &MailboxId, messages: Vec<AppendMessage>) -> Result<AppendResult> {
        self.inner.append(id, messages).await
    }
    async fn open(&self, id: &MailboxId, mode: OpenMode) -> Result<Box<dyn Mailbox>> {
        Ok(Box::new(FaultyMailbox {
            inner: self.inner.open(id, mode).await?,
            fault: self.fault,
            frozen: std::sync::Mutex::new(None),
        }))
    }
}

#[async_trait]
impl Mailbox for FaultyMailbox {
    fn id(&self) -> &MailboxId {
        self.inner.id()
    }
    fn mode(&self) -> OpenMode {
        self.inner.mode()
    }
    async fn snapshot(&self) -> Result<Snapshot> {
        let mut snapshot = self.inner.snapshot().await?;
        match self.fault {
            Fault::RecentForEveryone => snapshot.messages.iter_mut().for_each(|m| m.recent = true),
            Fault::FrozenModseq => {
                let mut frozen = self.frozen.lock().unwrap_or_else(|e| e.into_inner());
                snapshot.highest_modseq = *frozen.get_or_insert(snapshot.highest_modseq);
            }
            _ => {}
        }
        Ok(snapshot)
    }
    async fn changes_since(&self, since: SyncPoint) -> Result<Changes> {
        let mut changes = self.inner.changes_since(since).await?;
        match self.fault {
            Fault::ForgetTombstones => changes.expunged.clear(),
            Fault::RecentForEveryone => changes.added.iter_mut().for_each(|m| m.recent = true),
            _ => {}
        }
        Ok(changes)
    }
    async fn fetch_message(&self, uid: u32) -> Result<Bytes> {
        self.inner.fetch_message(uid).await
    }
    async fn fetch_range(&self, uid: u32, range: Range<u64>) -> Result<Bytes> {
        let range = if self.fault == Fault::RangeFromTheStart {
            0..range.end.saturating_sub(range.start)
        } else {
            range
        };
        self.inner.fetch_range(uid, range).await
    }
    async fn store(
        &self,
        uids: &[u32],
        op: StoreOp,
        flags: &[Flag],
        unchanged_since: Option<u64>,
    ) -> Result<StoreResult> {
        let unchanged_since = unchanged_since.filter(|_| self.fault != Fault::IgnoreUnchangedSince);
        self.inner.store(uids, op, flags, unchanged_since).await
    }
    async fn expunge(&self, uids: Option<&[u32]>) -> Result<Vec<u32>> {
        self.inner.expunge(uids).await
    }
    async fn copy_to(&self, uids: &[u32], dest: &MailboxId) -> Result<CopyResult> {
        self.inner.copy_to(uids, dest).await
    }
}

async fn failures_with(fault: Fault) -> Vec<&'static str> {
    let report = run_contract(
        move || {
            let inner = MemoryBackend::new();
            inner.add_user("alice", "wonderland");
            Arc::new(Faulty { inner, fault })
        },
        "alice",
        "wonderland",
    )
    .await;
    for failure in report.failures() {
        let Outcome::Failed { expected, seen } = &failure.outcome else {
            unreachable!("failures() yields failures only");
        };
        assert!(!expected.is_empty() && !seen.is_empty(), "{failure}");
    }
    report.failures().map(|r| r.name).collect()
}

#[tokio::test]
async fn forgotten_tombstones_are_caught() {
    let failed = failures_with(Fault::ForgetTombstones).await;
    assert!(
        failed.contains(&"changes_since_sees_other_sessions"),
        "{failed:?}"
    );
    assert!(failed.contains(&"move_reports_uid_pairs"), "{failed:?}");
}

#[tokio::test]
async fn recent_for_everyone_is_caught() {
    let failed = failures_with(Fault::RecentForEveryone).await;
    assert!(
        failed.contains(&"recent_claimed_by_one_session"),
        "{failed:?}"
    );
}

#[tokio::test]
async fn frozen_modseq_is_caught() {
    let failed = failures_with(Fault::FrozenModseq).await;
    assert!(
        failed.contains(&"modseq_grows_on_every_change"),
        "{failed:?}"
    );
}

#[tokio::test]
async fn ignored_unchanged_since_is_caught() {
    let failed = failures_with(Fault::IgnoreUnchangedSince).await;
    assert_eq!(failed, ["store_unchanged_since"]);
}

#[tokio::test]
async fn stale_subscriptions_after_rename_are_caught() {
    let failed = failures_with(Fault::RenameKeepsOldSubscriptions).await;
    assert_eq!(
        failed,
        ["rename_moves_subscriptions", "engine_mailbox_commands"]
    );
}

#[tokio::test]
async fn any_password_is_caught() {
    let failed = failures_with(Fault::AnyPassword).await;
    assert!(failed.contains(&"login_rejects_bad_password"), "{failed:?}");
    assert!(failed.contains(&"login_rejects_unknown_user"), "{failed:?}");
}

#[tokio::test]
async fn ranges_read_from_the_wrong_offset_are_caught() {
    let failed = failures_with(Fault::RangeFromTheStart).await;
    assert!(
        failed.contains(&"fetch_range_agrees_with_message"),
        "{failed:?}"
    );
}
