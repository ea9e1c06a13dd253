//! The storage contract: the traits a backend implements to get every IMAP
//! command for free.
//!
//! ```text
//! Backend  --authenticate(credentials, connection)-->  Session (one logged-in user)
//! Session  list / create / delete / rename / subscriptions / status / append
//!          --open(id, mode)-->  Mailbox (one opened mailbox)
//! Mailbox  snapshot / changes_since / fetch_message / fetch_range /
//!          metadata cache
//!          store / expunge / copy_to / move_to / search (optional)
//!          changed (optional: a hint of outside changes)
//! ```
//!
//! A backend stores mailboxes, raw messages, flags, UIDs and modseqs, and
//! keeps a change log. It never sees IMAP syntax, sequence numbers or
//! sockets: the engine parses commands, keeps each session's view of its
//! selected mailbox (sequence numbers, pending expunges), parses MIME, and
//! evaluates SEARCH/SORT/THREAD. The `testkit` module (feature `testkit`)
//! checks a backend against the rules below.
//!
//! # Rules every backend keeps
//! 1. **UIDs strictly ascend and are never reused** under one UIDVALIDITY:
//!    each new message (append, copy, move) gets a UID above every UID the
//!    mailbox ever had, expunged ones included. UIDVALIDITY changes only if
//!    UIDs had to be renumbered, and a mailbox created under a name that
//!    existed before gets a UIDVALIDITY the old one never had (RFC 9051 §2.3.1.1).
//! 2. **Modseqs strictly grow** per mailbox: each operation that changes
//!    something (append, flag change, expunge) gets a modseq above all
//!    before it; the messages it touched carry it. Modseqs start at 1.
//! 3. **Every change is visible to [`Mailbox::changes_since`]**, from every
//!    handle and every session of the user, including expunges (kept as
//!    tombstones so QRESYNC can answer `VANISHED`). The change log is the
//!    truth; the coming change notification only says "look again".
//! 4. **A write is durable when it returns `Ok`**: an APPEND that answered
//!    OK survives a crash.
//! 5. **Each call is atomic**: a multi-message append, a copy, a move or a
//!    store is seen by others entirely or not at all, and a
//!    [`Snapshot`] or [`Changes`] describes one instant. The engine may
//!    drop a call's future before it completes (a client went away), so a
//!    backend must not leave half an operation behind at an `.await`.
//!
//! # Why this shape
//! - **Mailboxes are addressed by a stable [`MailboxId`]**, names only by
//!   [`Session::create`], [`Session::lookup`] and subscriptions. A session
//!   that has a mailbox selected keeps it across another session's RENAME,
//!   a deleted-then-recreated name is not confused with the old mailbox,
//!   and the id doubles as RFC 8474 `MAILBOXID`.
//! - **Sync is "what happened after this [`SyncPoint`]"**, a (modseq,
//!   UIDNEXT) pair the engine got from the last snapshot or change set.
//!   UIDNEXT tells new messages from changed ones, so a backend needs a
//!   modseq per message and a tombstone per expunge, nothing more. A lost
//!   or repeated call cannot corrupt a view: asking twice returns the same
//!   answer.
//! - **`\Recent` is claimed by handles, not stored**: a
//!   [`OpenMode::ReadWrite`] handle (SELECT) claims every not yet claimed
//!   message it reports, in [`Mailbox::snapshot`] or in
//!   [`Changes::added`], and reports it with [`MessageMeta::recent`] set.
//!   A [`OpenMode::ReadOnly`] handle (EXAMINE) and [`Session::status`]
//!   never claim; a read-only handle reports a message nobody claimed yet
//!   as recent without claiming it (as Dovecot's EXAMINE does), so a later
//!   SELECT still gets it. So exactly one SELECT session sees a new message
//!   as recent (RFC 3501 §2.3.2), with no per-session state in the backend.
//! - **Copy and move live on [`Mailbox`]**, not on `Session`: they always
//!   start from the selected mailbox, and the default [`Mailbox::move_to`]
//!   (copy, set `\Deleted`, expunge those UIDs, the equivalence RFC 6851
//!   describes)
//!   needs the opened source.
//! - **Async traits through `async-trait`**, so the engine can hold
//!   `Arc<dyn Backend>`, `Box<dyn Session>` and `Box<dyn Mailbox>`
//!   (native `async fn` in traits is not dyn-compatible yet). Every trait
//!   is `Send + Sync + Debug`: sessions run on a multi-threaded runtime and
//!   the engine's own types derive `Debug`.
//! - **Capability questions are methods with safe defaults**
//!   ([`Session::supports_modseq`] is `false`, [`Session::append_limit`] is
//!   none), so adding one later does not break backends.
//! - **Optional work has defaults**: the metadata cache (the engine then
//!   parses again after a restart), native move, and search (the engine
//!   evaluates it). Default methods rather than one trait per option (as
//!   go-imap's `SessionMove`): behind `dyn`, an optional trait needs an
//!   `as_move() -> Option<&dyn ...>` hook per option anyway, and these
//!   options all have a correct fallback, so there is nothing to check at
//!   connection start. Extensions without a fallback (QUOTA, ACL) will get
//!   their own traits.
//!
//! # What the engine promises a backend
//! - Mailbox names are UTF-8 full paths joined by
//!   [`Session::hierarchy_delimiter`], with no empty part and no trailing
//!   delimiter; any casing of `INBOX` arrives as `INBOX` (RFC 9051 §5.1).
//! - UID lists are sorted, without duplicates; they may name messages that
//!   were expunged meanwhile, which a backend skips.
//! - Changes are only asked of [`OpenMode::ReadWrite`] handles; a
//!   backend still refuses them on read-only ones with
//!   [`BackendError::NoPerm`].
//!
//! # Change notification
//! The engine rings the [`doorbell`](crate::doorbell) after every command
//! that changed a mailbox, and sessions then ask [`Mailbox::changes_since`];
//! a backend whose store other programs change as well finds those changes
//! itself when asked (the Maildir backend compares directory times).
//!
//! Such a backend may also *hint* that it suspects an outside change
//! through [`Mailbox::changed`] (the Maildir backend listens to inotify),
//! so an idling session looks at once instead of at its next periodic
//! re-check. A hint is only a trigger, like a ring: a spurious one costs
//! one empty [`Mailbox::changes_since`], a missing one delays an update
//! until the re-check. An idling session that finds changes without
//! having been rung (after a hint or a re-check) rings the doorbell
//! itself, so the other sessions on the mailbox, which may have no hint
//! (another node of a cluster, a failed watch), need not wait for their
//! own re-check.
//!
//! # Not here yet
//! Quotas, ACLs and METADATA are future optional traits.

mod auth;
mod error;
mod mirror;
mod passwd;
mod password;
mod search;
mod types;

use std::fmt::Debug;
use std::ops::Range;

use async_trait::async_trait;
use bytes::Bytes;

pub use self::auth::{ConnectionInfo, Credentials};
pub use self::error::{AuthError, BackendError, BoxError, ErrorCode};
pub use self::mirror::{changes_of, snapshot_of, MirroredMessage};
pub use self::passwd::{
    parse_passwd_file, MailLocation, PasswdEntry, PasswdError, PasswdErrorReason,
};
pub use self::password::{PasswordError, StoredPassword};
pub use self::search::{SearchDate, SearchKey};
pub use self::types::{
    AppendMessage, AppendResult, Changes, CopyResult, Expunged, Flag, FlagUpdate, Flags,
    InternalDate, InvalidMailboxId, MailboxId, MailboxInfo, MailboxStatus, MessageMeta, OpenMode,
    Snapshot, SpecialUse, StoreOp, StoreResult, SyncPoint,
};

/// The result type of backend calls.
pub type Result<T, E = BackendError> = std::result::Result<T, E>;

/// A store of users' mail: the one value a product hands to the server.
#[async_trait]
pub trait Backend: Send + Sync + Debug {
    /// Checks `credentials` and opens a session for the user.
    ///
    /// # Errors
    /// [`AuthError::Rejected`] for an unknown user or a wrong secret (do not
    /// tell which); the engine adds the delay and counts failures.
    async fn authenticate(
        &self,
        credentials: &Credentials,
        connection: &ConnectionInfo,
    ) -> Result<Box<dyn Session>, AuthError>;

    /// Whether [`Credentials::Bearer`] can succeed, so the engine offers
    /// OAUTHBEARER and XOAUTH2. Default is `false`.
    fn supports_bearer_tokens(&self) -> bool {
        false
    }
}

/// One logged-in user: the authenticated-state operations.
///
/// Several sessions of one user may run at once (a phone and a desktop) and
/// must see one store.
#[async_trait]
pub trait Session: Send + Sync + Debug {
    /// The user this session acts for (the authorization identity).
    fn username(&self) -> &str;

    /// The hierarchy delimiter of mailbox names. Default is `/`.
    fn hierarchy_delimiter(&self) -> char {
        '/'
    }

    /// The largest message [`Session::append`] accepts, in bytes
    /// (APPENDLIMIT, RFC 7889). Default is `None`: no limit of the backend's
    /// own (the engine still applies its literal limit).
    fn append_limit(&self) -> Option<u64> {
        None
    }

    /// Whether modseqs survive a restart of the backend, so the engine may
    /// advertise CONDSTORE/QRESYNC. Modseqs are required while running
    /// anyway (they drive [`Mailbox::changes_since`]); a backend that
    /// restarts them answers `false` and the engine reports `NOMODSEQ`.
    /// Default is `false`.
    fn supports_modseq(&self) -> bool {
        false
    }

    /// Every mailbox of the user, `INBOX` included, in any order. Parents
    /// that exist only to hold children are listed with `selectable: false`.
    ///
    /// # Errors
    /// Only for a failing store.
    async fn list(&self) -> Result<Vec<MailboxInfo>>;

    /// The mailbox called `name`. The default searches [`Session::list`];
    /// override it when a direct look-up is cheaper.
    ///
    /// # Errors
    /// [`BackendError::NonExistent`] when there is none.
    async fn lookup(&self, name: &str) -> Result<MailboxInfo> {
        let wanted = |m: &MailboxInfo| {
            m.name == name || (m.name == "INBOX" && name.eq_ignore_ascii_case("INBOX"))
        };
        self.list()
            .await?
            .into_iter()
            .find(wanted)
            .ok_or(BackendError::NonExistent)
    }

    /// Creates a mailbox, and any missing parents as plain mailboxes
    /// (RFC 9051 §6.3.4). It gets a fresh UIDVALIDITY and is empty.
    ///
    /// # Errors
    /// [`BackendError::AlreadyExists`] when `name` exists (also for
    /// `INBOX`), [`BackendError::UseAttr`] when a special use cannot be set,
    /// [`BackendError::Cannot`] for a name the store cannot hold.
    async fn create(&self, name: &str, special_use: &[SpecialUse]) -> Result<MailboxId>;

    /// Deletes a mailbox and its messages.
    ///
    /// A mailbox with children becomes non-selectable (its messages go) and
    /// the children stay, as RFC 9051 §6.3.5 allows. Subscriptions stay
    /// (RFC 9051 §6.3.7: never dropped unilaterally). Open handles on it
    /// answer [`BackendError::NonExistent`] from then on.
    ///
    /// # Errors
    /// [`BackendError::NoPerm`] for INBOX, [`BackendError::HasChildren`] for
    /// a non-selectable mailbox with children,
    /// [`BackendError::NonExistent`].
    async fn delete(&self, id: &MailboxId) -> Result<()>;

    /// Renames a mailbox; its id, UIDVALIDITY and messages stay. Children
    /// move along, and so do the subscriptions of the mailbox and of its
    /// children (unlike Dovecot and James, whose stale subscriptions make
    /// Outlook retry a rename forever). Missing parents of the new name are
    /// created.
    ///
    /// Renaming INBOX is special (RFC 9051 §6.3.6): a new mailbox gets
    /// INBOX's messages, INBOX stays (empty, same id) and its children do
    /// not move.
    ///
    /// # Errors
    /// [`BackendError::AlreadyExists`] when `new_name` exists,
    /// [`BackendError::NonExistent`], [`BackendError::Cannot`] for a rename
    /// into its own child.
    async fn rename(&self, id: &MailboxId, new_name: &str) -> Result<()>;

    /// The subscribed names, which need not exist as mailboxes.
    ///
    /// # Errors
    /// Only for a failing store.
    async fn subscriptions(&self) -> Result<Vec<String>>;

    /// Subscribes to `name` (also a name that does not exist; idempotent).
    ///
    /// # Errors
    /// Only for a failing store.
    async fn subscribe(&self, name: &str) -> Result<()>;

    /// Unsubscribes from `name` (idempotent).
    ///
    /// # Errors
    /// Only for a failing store.
    async fn unsubscribe(&self, name: &str) -> Result<()>;

    /// The counters of a mailbox. Never claims `\Recent`.
    ///
    /// # Errors
    /// [`BackendError::NonExistent`], also for a non-selectable mailbox.
    async fn status(&self, id: &MailboxId) -> Result<MailboxStatus>;

    /// Appends one or several messages (MULTIAPPEND, RFC 3502) atomically:
    /// all are stored, with ascending UIDs, or none. Durable when it returns.
    /// The new messages are not yet claimed as `\Recent`.
    ///
    /// # Errors
    /// [`BackendError::NonExistent`] (the engine answers `[TRYCREATE]`),
    /// [`BackendError::TooBig`] when a message is over
    /// [`Session::append_limit`], [`BackendError::OverQuota`].
    async fn append(&self, id: &MailboxId, messages: Vec<AppendMessage>) -> Result<AppendResult>;

    /// Opens a mailbox for SELECT ([`OpenMode::ReadWrite`]) or EXAMINE
    /// ([`OpenMode::ReadOnly`]). Opening claims nothing yet; the handle's
    /// first [`Mailbox::snapshot`] does.
    ///
    /// # Errors
    /// [`BackendError::NonExistent`], also for a non-selectable mailbox.
    async fn open(&self, id: &MailboxId, mode: OpenMode) -> Result<Box<dyn Mailbox>>;
}

/// An opened mailbox: the selected-state operations.
///
/// A handle lives while the mailbox is selected. It holds no view: the
/// engine keeps sequence numbers and pending expunges, and catches up with
/// [`Mailbox::changes_since`].
#[async_trait]
pub trait Mailbox: Send + Sync + Debug {
    /// The mailbox's id.
    fn id(&self) -> &MailboxId;

    /// How the handle was opened.
    fn mode(&self) -> OpenMode;

    /// Whether clients may create new keywords (`\*` in PERMANENTFLAGS).
    /// Default is `true`.
    fn allows_new_keywords(&self) -> bool {
        true
    }

    /// The whole mailbox at one instant, messages sorted by UID. A
    /// read-write handle claims the unclaimed messages as `\Recent`.
    ///
    /// # Errors
    /// [`BackendError::NonExistent`] once the mailbox was deleted.
    async fn snapshot(&self) -> Result<Snapshot>;

    /// What happened after `since`, at one instant: messages added, flag
    /// changes of known messages, tombstones (see [`Changes`] for exactly
    /// which). A read-write handle claims the unclaimed added messages as
    /// `\Recent`. Returns the same changes again if asked again (except
    /// for `recent`), and its own writes too: the engine advances only
    /// through the returned [`Changes::sync_point`], never through the
    /// results of [`Mailbox::store`] or [`Mailbox::expunge`], so it cannot
    /// skip a change another session made in between.
    ///
    /// # Errors
    /// [`BackendError::NonExistent`] once the mailbox was deleted.
    async fn changes_since(&self, since: SyncPoint) -> Result<Changes>;

    /// The raw RFC 5322 bytes of a message, shared (no copy).
    ///
    /// # Errors
    /// [`BackendError::ExpungeIssued`] when the message was expunged,
    /// [`BackendError::NonExistent`] for a UID that never existed.
    async fn fetch_message(&self, uid: u32) -> Result<Bytes>;

    /// Octets `range` of a message, exactly as [`Mailbox::fetch_message`]
    /// serves it (the same bytes at the same offsets). A range reaching
    /// past the end is cut at the end; one that starts at or after the end,
    /// or is empty or reversed, gives no bytes.
    ///
    /// The engine sends a large body as a series of these reads, one chunk
    /// at a time (see the `fetch` command), so a session needs memory for
    /// one chunk, not for the message. The default slices
    /// [`Mailbox::fetch_message`]: right for a backend that holds messages
    /// in memory, but it loads the whole message for every chunk, so a
    /// backend that can read part of a stored message should override it.
    ///
    /// # Errors
    /// As [`Mailbox::fetch_message`].
    async fn fetch_range(&self, uid: u32, range: Range<u64>) -> Result<Bytes> {
        let message = self.fetch_message(uid).await?;
        Ok(slice_range(&message, range))
    }

    /// The engine's parsed metadata for a message, if stored (see
    /// [`Mailbox::store_metadata`]). Default is `Ok(None)`.
    ///
    /// # Errors
    /// For a failing store; an unknown UID is `Ok(None)`.
    async fn cached_metadata(&self, uid: u32) -> Result<Option<Bytes>> {
        let _ = uid;
        Ok(None)
    }

    /// Keeps the engine's parsed metadata (ENVELOPE, BODYSTRUCTURE, part
    /// offsets) of a message next to it, so a persistent backend spares a
    /// re-parse after a restart. The bytes are opaque and versioned by the
    /// engine; a backend may drop them at any time. Allowed on read-only
    /// handles: it is not a change and has no modseq. Default does nothing.
    ///
    /// # Errors
    /// For a failing store; the engine logs and carries on.
    async fn store_metadata(&self, uid: u32, metadata: Bytes) -> Result<()> {
        let _ = (uid, metadata);
        Ok(())
    }

    /// Changes the flags of messages (STORE). With `unchanged_since`, a
    /// message whose modseq is above it is left alone and reported in
    /// [`StoreResult::modified`] (CONDSTORE). Messages whose flags change
    /// get one new modseq; the others keep theirs.
    ///
    /// # Errors
    /// [`BackendError::NoPerm`] on a read-only handle,
    /// [`BackendError::NonExistent`] once the mailbox was deleted.
    async fn store(
        &self,
        uids: &[u32],
        op: StoreOp,
        flags: &[Flag],
        unchanged_since: Option<u64>,
    ) -> Result<StoreResult>;

    /// Removes the messages that have `\Deleted`, all of them (`None`,
    /// EXPUNGE/CLOSE) or only those among `uids` (UID EXPUNGE). Leaves a
    /// tombstone per message; returns their UIDs, ascending.
    ///
    /// # Errors
    /// [`BackendError::NoPerm`] on a read-only handle,
    /// [`BackendError::NonExistent`] once the mailbox was deleted.
    async fn expunge(&self, uids: Option<&[u32]>) -> Result<Vec<u32>>;

    /// Copies messages to another mailbox of the user (COPY), keeping
    /// bytes, flags and internal dates; the copies get new ascending UIDs
    /// and are unclaimed `\Recent` there. The destination may be this
    /// mailbox.
    ///
    /// # Errors
    /// [`BackendError::NonExistent`] for a missing destination (the engine
    /// answers `[TRYCREATE]`), [`BackendError::OverQuota`].
    async fn copy_to(&self, uids: &[u32], dest: &MailboxId) -> Result<CopyResult>;

    /// Moves messages to another mailbox of the user (MOVE, RFC 6851).
    ///
    /// The default copies, sets `\Deleted` on the copied originals and
    /// expunges exactly those: correct, but not atomic (a crash can leave
    /// both copies, and others see the `\Deleted` flag for an instant), so
    /// a backend that can should do it in one step.
    ///
    /// # Errors
    /// As [`Mailbox::copy_to`], and [`BackendError::NoPerm`] on a
    /// read-only handle; moving into the same mailbox is refused with
    /// [`BackendError::Cannot`].
    async fn move_to(&self, uids: &[u32], dest: &MailboxId) -> Result<CopyResult> {
        if self.mode() == OpenMode::ReadOnly {
            return Err(BackendError::NoPerm);
        }
        if dest == self.id() {
            return Err(BackendError::cannot(
                "source and destination are the same mailbox",
            ));
        }
        let copied = self.copy_to(uids, dest).await?;
        let originals: Vec<u32> = copied.uids.iter().map(|&(source, _)| source).collect();
        if !originals.is_empty() {
            self.store(&originals, StoreOp::Add, &[Flag::Deleted], None)
                .await?;
            self.expunge(Some(&originals)).await?;
        }
        Ok(copied)
    }

    /// Completes when the backend suspects that the mailbox changed in a
    /// way the engine did not cause (another program wrote to the store),
    /// so that an idling session asks [`Mailbox::changes_since`] at once.
    /// Default never completes: the engine then finds outside changes at
    /// its next command or periodic IDLE re-check.
    ///
    /// A hint is not the truth: completing with nothing changed, or
    /// several times for one change, is harmless (an empty look each
    /// time). A hint should coalesce a burst of changes into one
    /// completion, and the engine's own writes may cause hints too.
    ///
    /// # Cancel safety
    /// Must be cancel safe: IDLE selects on it beside the doorbell and
    /// its timers and drops it whenever one of them fires first. A change
    /// suspected meanwhile must make the next call complete, so a hint is
    /// only used up by a call that completes.
    async fn changed(&self) {
        std::future::pending::<()>().await;
    }

    /// Answers a search from the backend's own index: `Ok(Some(uids))`
    /// (ascending) when it handled the whole `key`, `Ok(None)` to let the
    /// engine evaluate it. Default is `Ok(None)`.
    ///
    /// # Errors
    /// For a failing store.
    async fn search(&self, key: &SearchKey) -> Result<Option<Vec<u32>>> {
        let _ = key;
        Ok(None)
    }
}

/// `range` of `message`, cut to its bounds as [`Mailbox::fetch_range`]
/// describes (shared, no copy).
fn slice_range(message: &Bytes, range: Range<u64>) -> Bytes {
    let len = message.len() as u64;
    let end = range.end.min(len);
    let start = range.start.min(end);
    // Both are at most `len`, which came from a `usize`.
    message.slice(start as usize..end as usize)
}

/// Compile-time proof that the traits are dyn-compatible, as the engine
/// holds them behind pointers.
const _: fn(&dyn Backend, &dyn Session, &dyn Mailbox) = |_, _, _| {};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_cut_to_the_message() {
        let message = Bytes::from_static(b"0123456789");
        let cut = |range: Range<u64>| slice_range(&message, range);
        assert_eq!(cut(0..10), message);
        assert_eq!(cut(2..5), Bytes::from_static(b"234"));
        assert_eq!(cut(8..100), Bytes::from_static(b"89"));
        assert_eq!(cut(10..12), Bytes::new());
        assert_eq!(cut(50..60), Bytes::new());
        assert_eq!(cut(Range { start: 6, end: 3 }), Bytes::new());
        assert_eq!(cut(0..u64::MAX), message);
    }
}
