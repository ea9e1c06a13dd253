//! The data of one user: the mailbox tree, subscriptions, and each
//! mailbox's messages and change log.
//!
//! Locking: every lock is a std [`Mutex`] taken inside a synchronous
//! function here and released before it returns, so no lock is ever held
//! across an `.await` and a dropped future can never leave half an
//! operation behind. Order: the user's tree lock first, then mailbox
//! locks; two mailbox locks (copy, move) are taken in [`MailboxId`] order.
//! The hot path (snapshot, changes, fetch, store) takes only the lock of
//! its own mailbox.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use imapkit_server::backend::{
    changes_of, snapshot_of, AppendMessage, AppendResult, BackendError, Changes, CopyResult,
    Expunged, Flag, FlagUpdate, Flags, InternalDate, MailboxId, MailboxInfo, MailboxStatus,
    MessageMeta, MirroredMessage, Result, Snapshot, SpecialUse, StoreOp, StoreResult, SyncPoint,
};

/// The hierarchy delimiter of this backend.
pub(crate) const DELIMITER: char = '/';

/// Takes a lock, also after a panic elsewhere: every critical section here
/// validates before it mutates, so a panic cannot leave a half change.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Hands out UIDVALIDITY values, shared by all users of a backend.
///
/// Seeded with the current Unix time, as Dovecot does, so a restarted
/// server (which starts empty) does not give a client's cached mailbox the
/// UIDVALIDITY it had before, unless it created more mailboxes than
/// seconds went by.
#[derive(Debug)]
pub(crate) struct UidValidities(AtomicU32);

impl UidValidities {
    pub(crate) fn new() -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(1);
        Self(AtomicU32::new(u32::try_from(now).unwrap_or(1).max(1)))
    }

    fn next(&self) -> u32 {
        loop {
            // Zero is not a valid UIDVALIDITY (RFC 9051 nz-number).
            let value = self.0.fetch_add(1, Ordering::Relaxed);
            if value != 0 {
                return value;
            }
        }
    }
}

/// Settings shared by all users of a backend.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) uidvalidities: UidValidities,
    /// APPENDLIMIT in bytes; 0 means none.
    pub(crate) append_limit: AtomicU64,
    /// Whether sessions claim modseqs clients may rely on (CONDSTORE).
    pub(crate) modseq: AtomicBool,
}

impl Settings {
    pub(crate) fn new() -> Self {
        Self {
            uidvalidities: UidValidities::new(),
            append_limit: AtomicU64::new(0),
            modseq: AtomicBool::new(true),
        }
    }

    pub(crate) fn append_limit(&self) -> Option<u64> {
        Some(self.append_limit.load(Ordering::Relaxed)).filter(|&l| l != 0)
    }

    pub(crate) fn modseq(&self) -> bool {
        self.modseq.load(Ordering::Relaxed)
    }
}

/// Everything one user has. Shared by all sessions of the user.
pub(crate) struct UserStore {
    /// Names, ids and subscriptions; guards renames against each other.
    tree: Mutex<Tree>,
    settings: Arc<Settings>,
}

impl fmt::Debug for UserStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserStore").finish_non_exhaustive()
    }
}

struct Tree {
    /// Every name, sorted, so the children of `a` (`a/...`) are contiguous.
    nodes: BTreeMap<String, Node>,
    /// Id -> name.
    names: HashMap<MailboxId, String>,
    subscriptions: BTreeSet<String>,
    /// The next mailbox id number; ids are never reused.
    next_id: u64,
}

struct Node {
    id: MailboxId,
    special_use: Vec<SpecialUse>,
    /// `None` for a `\Noselect` placeholder that only holds children.
    cell: Option<Arc<MailboxCell>>,
}

/// One mailbox's messages and change log.
pub(crate) struct MailboxCell {
    id: MailboxId,
    state: Mutex<MailboxState>,
}

impl fmt::Debug for MailboxCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailboxCell")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

struct MailboxState {
    /// Set when the mailbox is deleted; every later call fails.
    dead: bool,
    uidvalidity: u32,
    uidnext: u32,
    highest_modseq: u64,
    /// Sorted by UID (appends only ever add at the end).
    messages: Vec<Message>,
    /// Sorted by modseq (each expunge adds at the end).
    tombstones: Vec<Expunged>,
}

struct Message {
    uid: u32,
    flags: Flags,
    modseq: u64,
    internal_date: InternalDate,
    /// Shared with every fetch: a refcount, never a copy.
    body: Bytes,
    metadata: Option<Bytes>,
    /// No read-write handle has reported this message yet.
    unclaimed_recent: bool,
}

impl MirroredMessage for Message {
    fn uid(&self) -> u32 {
        self.uid
    }

    fn modseq(&self) -> u64 {
        self.modseq
    }

    fn flags(&self) -> &Flags {
        &self.flags
    }

    fn report(&mut self, claim: bool) -> MessageMeta {
        let recent = if claim {
            std::mem::take(&mut self.unclaimed_recent)
        } else {
            self.unclaimed_recent
        };
        MessageMeta::new(
            self.uid,
            self.flags.clone(),
            self.modseq,
            self.body.len() as u64,
            self.internal_date,
            recent,
        )
    }
}

/// Makes a name canonical: any casing of a leading `INBOX` part becomes
/// `INBOX` (RFC 9051 §5.1).
pub(crate) fn canonical(name: &str) -> String {
    let (first, rest) = match name.split_once(DELIMITER) {
        Some((first, rest)) => (first, Some(rest)),
        None => (name, None),
    };
    match rest {
        _ if !first.eq_ignore_ascii_case("INBOX") => name.to_string(),
        Some(rest) => format!("INBOX{DELIMITER}{rest}"),
        None => "INBOX".to_string(),
    }
}

fn validate(name: &str) -> Result<()> {
    if name.split(DELIMITER).any(str::is_empty) {
        return Err(BackendError::cannot("mailbox names have no empty parts"));
    }
    if name.chars().any(char::is_control) {
        return Err(BackendError::cannot(
            "mailbox names have no control characters",
        ));
    }
    Ok(())
}

/// `name`'s proper parents, outermost first: `a/b/c` gives `a`, `a/b`.
fn parents(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices(DELIMITER)
        .map(move |(at, _)| &name[..at])
}

fn is_child(name: &str, parent: &str) -> bool {
    name.len() > parent.len()
        && name.starts_with(parent)
        && name[parent.len()..].starts_with(DELIMITER)
}

impl Tree {
    fn new_id(&mut self) -> MailboxId {
        self.next_id += 1;
        MailboxId::from_number(self.next_id)
    }

    fn insert_mailbox(
        &mut self,
        name: &str,
        special_use: Vec<SpecialUse>,
        uidvalidity: u32,
    ) -> MailboxId {
        let id = self.new_id();
        let cell = Arc::new(MailboxCell::new(id.clone(), uidvalidity));
        self.insert_node(
            name,
            Node {
                id: id.clone(),
                special_use,
                cell: Some(cell),
            },
        );
        id
    }

    fn insert_node(&mut self, name: &str, node: Node) {
        self.names.insert(node.id.clone(), name.to_string());
        self.nodes.insert(name.to_string(), node);
    }

    fn remove_node(&mut self, name: &str) -> Option<Node> {
        let node = self.nodes.remove(name)?;
        self.names.remove(&node.id);
        Some(node)
    }

    fn children(&self, name: &str) -> Vec<String> {
        let start = format!("{name}{DELIMITER}");
        self.nodes
            .range(start.clone()..)
            .map(|(n, _)| n)
            .take_while(|n| n.starts_with(&start))
            .cloned()
            .collect()
    }

    fn has_children(&self, name: &str) -> bool {
        !self.children(name).is_empty()
    }

    fn name_of(&self, id: &MailboxId) -> Result<String> {
        self.names.get(id).cloned().ok_or(BackendError::NonExistent)
    }

    fn ensure_parents(&mut self, name: &str, settings: &Settings) {
        for parent in parents(name) {
            if !self.nodes.contains_key(parent) {
                self.insert_mailbox(parent, Vec::new(), settings.uidvalidities.next());
            }
        }
    }

    /// Removes `\Noselect` placeholders above `name` that no longer hold
    /// anything, innermost first: they existed only for their children.
    fn prune_placeholders(&mut self, name: &str) {
        let mut above: Vec<&str> = parents(name).collect();
        above.reverse();
        for parent in above {
            let placeholder = self.nodes.get(parent).is_some_and(|n| n.cell.is_none());
            if !placeholder || self.has_children(parent) {
                break;
            }
            self.remove_node(parent);
        }
    }

    fn info(name: &str, node: &Node) -> MailboxInfo {
        let mut info = MailboxInfo::new(node.id.clone(), name);
        info.special_use = node.special_use.clone();
        info.selectable = node.cell.is_some();
        info
    }
}

impl UserStore {
    /// A store with an empty INBOX.
    pub(crate) fn new(settings: Arc<Settings>) -> Self {
        let mut tree = Tree {
            nodes: BTreeMap::new(),
            names: HashMap::new(),
            subscriptions: BTreeSet::new(),
            next_id: 0,
        };
        tree.insert_mailbox("INBOX", Vec::new(), settings.uidvalidities.next());
        Self {
            tree: Mutex::new(tree),
            settings,
        }
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(crate) fn list(&self) -> Vec<MailboxInfo> {
        let tree = lock(&self.tree);
        tree.nodes
            .iter()
            .map(|(name, node)| Tree::info(name, node))
            .collect()
    }

    pub(crate) fn lookup(&self, name: &str) -> Result<MailboxInfo> {
        let name = canonical(name);
        let tree = lock(&self.tree);
        let node = tree.nodes.get(&name).ok_or(BackendError::NonExistent)?;
        Ok(Tree::info(&name, node))
    }

    /// The cell of a selectable mailbox.
    pub(crate) fn cell(&self, id: &MailboxId) -> Result<Arc<MailboxCell>> {
        let tree = lock(&self.tree);
        let name = tree.names.get(id).ok_or(BackendError::NonExistent)?;
        tree.nodes
            .get(name)
            .and_then(|node| node.cell.clone())
            .ok_or(BackendError::NonExistent)
    }

    pub(crate) fn create(&self, name: &str, special_use: &[SpecialUse]) -> Result<MailboxId> {
        let name = canonical(name);
        validate(&name)?;
        let mut tree = lock(&self.tree);
        let uidvalidity = self.settings.uidvalidities.next();
        match tree.nodes.get(&name) {
            Some(node) if node.cell.is_some() => return Err(BackendError::AlreadyExists),
            // Creating over a `\Noselect` placeholder makes a new mailbox
            // there, with a new id: nothing of the deleted one comes back.
            Some(_) => {
                tree.remove_node(&name);
            }
            None => tree.ensure_parents(&name, &self.settings),
        }
        Ok(tree.insert_mailbox(&name, special_use.to_vec(), uidvalidity))
    }

    pub(crate) fn delete(&self, id: &MailboxId) -> Result<()> {
        let mut tree = lock(&self.tree);
        let name = tree.name_of(id)?;
        if name == "INBOX" {
            return Err(BackendError::NoPerm);
        }
        let has_children = tree.has_children(&name);
        let node = tree.remove_node(&name).ok_or(BackendError::NonExistent)?;
        match (node.cell, has_children) {
            (None, true) => {
                tree.insert_node(&name, node_without_cell(node.id, node.special_use));
                return Err(BackendError::HasChildren);
            }
            (None, false) => {}
            (Some(cell), true) => {
                // RFC 9051 §6.3.5: the messages go, the name stays as
                // `\Noselect` for its children, under a new id so handles
                // and ids of the deleted mailbox stay dead.
                cell.kill();
                let placeholder = tree.new_id();
                tree.insert_node(&name, node_without_cell(placeholder, Vec::new()));
            }
            (Some(cell), false) => cell.kill(),
        }
        if !has_children {
            tree.prune_placeholders(&name);
        }
        Ok(())
    }

    pub(crate) fn rename(&self, id: &MailboxId, new_name: &str) -> Result<()> {
        let new_name = canonical(new_name);
        validate(&new_name)?;
        let mut tree = lock(&self.tree);
        let old_name = tree.name_of(id)?;
        if tree.nodes.contains_key(&new_name) {
            return Err(BackendError::AlreadyExists);
        }
        if old_name == "INBOX" {
            return self.rename_inbox(&mut tree, &new_name);
        }
        if is_child(&new_name, &old_name) {
            return Err(BackendError::cannot(
                "a mailbox cannot be moved into itself",
            ));
        }
        let moving: Vec<String> = std::iter::once(old_name.clone())
            .chain(tree.children(&old_name))
            .collect();
        let renamed = |name: &str| format!("{new_name}{}", &name[old_name.len()..]);
        if moving
            .iter()
            .any(|name| tree.nodes.contains_key(&renamed(name)))
        {
            return Err(BackendError::AlreadyExists);
        }
        tree.ensure_parents(&new_name, &self.settings);
        for name in &moving {
            if let Some(node) = tree.remove_node(name) {
                tree.insert_node(&renamed(name), node);
            }
        }
        let subscribed: Vec<String> = tree
            .subscriptions
            .iter()
            .filter(|s| **s == old_name || is_child(s, &old_name))
            .cloned()
            .collect();
        for name in subscribed {
            tree.subscriptions.remove(&name);
            tree.subscriptions.insert(renamed(&name));
        }
        tree.prune_placeholders(&old_name);
        Ok(())
    }

    /// RFC 9051 §6.3.6: a new mailbox takes INBOX's messages (with their
    /// UIDs, under its own UIDVALIDITY); INBOX stays, empty, and its
    /// clients see the messages expunged.
    fn rename_inbox(&self, tree: &mut Tree, new_name: &str) -> Result<()> {
        let inbox = tree
            .nodes
            .get("INBOX")
            .and_then(|n| n.cell.clone())
            .ok_or(BackendError::NonExistent)?;
        tree.ensure_parents(new_name, &self.settings);
        let uidvalidity = self.settings.uidvalidities.next();
        let id = tree.insert_mailbox(new_name, Vec::new(), uidvalidity);
        let target = tree
            .nodes
            .get(new_name)
            .and_then(|n| n.cell.clone())
            .ok_or(BackendError::NonExistent)?;
        debug_assert_eq!(target.id, id);
        let mut from = lock(&inbox.state);
        let mut to = lock(&target.state);
        let modseq = from.next_modseq();
        let messages = std::mem::take(&mut from.messages);
        from.tombstones
            .extend(messages.iter().map(|m| Expunged { uid: m.uid, modseq }));
        from.highest_modseq = modseq;
        to.uidnext = from.uidnext;
        to.highest_modseq = messages
            .iter()
            .map(|m| m.modseq)
            .max()
            .unwrap_or(1)
            .max(to.highest_modseq);
        to.messages = messages;
        Ok(())
    }

    pub(crate) fn subscriptions(&self) -> Vec<String> {
        lock(&self.tree).subscriptions.iter().cloned().collect()
    }

    pub(crate) fn subscribe(&self, name: &str) {
        lock(&self.tree).subscriptions.insert(canonical(name));
    }

    pub(crate) fn unsubscribe(&self, name: &str) {
        lock(&self.tree).subscriptions.remove(&canonical(name));
    }
}

fn node_without_cell(id: MailboxId, special_use: Vec<SpecialUse>) -> Node {
    Node {
        id,
        special_use,
        cell: None,
    }
}

impl MailboxCell {
    fn new(id: MailboxId, uidvalidity: u32) -> Self {
        Self {
            id,
            state: Mutex::new(MailboxState {
                dead: false,
                uidvalidity,
                uidnext: 1,
                // RFC 7162: HIGHESTMODSEQ is at least 1, even when empty.
                highest_modseq: 1,
                messages: Vec::new(),
                tombstones: Vec::new(),
            }),
        }
    }

    pub(crate) fn id(&self) -> &MailboxId {
        &self.id
    }

    fn kill(&self) {
        let mut state = lock(&self.state);
        state.dead = true;
        state.messages = Vec::new();
        state.tombstones = Vec::new();
    }

    /// Runs `f` on the live state.
    fn with<T>(&self, f: impl FnOnce(&mut MailboxState) -> Result<T>) -> Result<T> {
        let mut state = lock(&self.state);
        if state.dead {
            return Err(BackendError::NonExistent);
        }
        f(&mut state)
    }

    pub(crate) fn status(&self) -> Result<MailboxStatus> {
        self.with(|s| {
            let mut status = MailboxStatus::default();
            status.messages = count(s.messages.len());
            status.recent = count(s.messages.iter().filter(|m| m.unclaimed_recent).count());
            status.unseen = count(s.messages.iter().filter(|m| !m.flags.is_seen()).count());
            status.deleted = count(s.messages.iter().filter(|m| m.flags.is_deleted()).count());
            status.size = s.messages.iter().map(|m| m.body.len() as u64).sum();
            status.uidnext = s.uidnext;
            status.uidvalidity = s.uidvalidity;
            status.highest_modseq = s.highest_modseq;
            Ok(status)
        })
    }

    pub(crate) fn append(
        &self,
        messages: Vec<AppendMessage>,
        limit: Option<u64>,
    ) -> Result<AppendResult> {
        if let Some(limit) = limit {
            if messages.iter().any(|m| m.body.len() as u64 > limit) {
                return Err(BackendError::TooBig);
            }
        }
        self.with(|s| {
            let incoming = messages
                .into_iter()
                .map(|m| (m.flags, m.internal_date, m.body, None));
            let uids = s.add_messages(incoming)?;
            Ok(AppendResult::new(s.uidvalidity, uids))
        })
    }

    pub(crate) fn snapshot(&self, claim: bool) -> Result<Snapshot> {
        self.with(|s| {
            Ok(snapshot_of(
                s.uidvalidity,
                s.uidnext,
                s.highest_modseq,
                &mut s.messages,
                claim,
            ))
        })
    }

    pub(crate) fn changes_since(&self, since: SyncPoint, claim: bool) -> Result<Changes> {
        self.with(|s| {
            Ok(changes_of(
                since,
                s.uidnext,
                s.highest_modseq,
                &mut s.messages,
                &s.tombstones,
                claim,
            ))
        })
    }

    pub(crate) fn fetch(&self, uid: u32) -> Result<Bytes> {
        self.with(|s| match s.find(uid) {
            Some(at) => Ok(s.messages[at].body.clone()),
            None if uid < s.uidnext => Err(BackendError::ExpungeIssued),
            None => Err(BackendError::NonExistent),
        })
    }

    pub(crate) fn cached_metadata(&self, uid: u32) -> Result<Option<Bytes>> {
        self.with(|s| Ok(s.find(uid).and_then(|at| s.messages[at].metadata.clone())))
    }

    pub(crate) fn store_metadata(&self, uid: u32, metadata: Bytes) -> Result<()> {
        self.with(|s| {
            if let Some(at) = s.find(uid) {
                s.messages[at].metadata = Some(metadata);
            }
            Ok(())
        })
    }

    pub(crate) fn store(
        &self,
        uids: &[u32],
        op: StoreOp,
        flags: &[Flag],
        unchanged_since: Option<u64>,
    ) -> Result<StoreResult> {
        self.with(|s| {
            // One modseq for the whole operation (RFC 7162 §3.1.3 allows it).
            let modseq = s.next_modseq();
            let mut result = StoreResult::default();
            let mut changed_any = false;
            for &uid in uids {
                let Some(at) = s.find(uid) else { continue };
                let message = &mut s.messages[at];
                if unchanged_since.is_some_and(|limit| message.modseq > limit) {
                    result.modified.push(uid);
                    continue;
                }
                if message.flags.apply(op, flags) {
                    message.modseq = modseq;
                    changed_any = true;
                }
                result.updated.push(FlagUpdate {
                    uid,
                    flags: message.flags.clone(),
                    modseq: message.modseq,
                });
            }
            if changed_any {
                s.highest_modseq = modseq;
            }
            Ok(result)
        })
    }

    pub(crate) fn expunge(&self, uids: Option<&[u32]>) -> Result<Vec<u32>> {
        self.with(|s| {
            let chosen = |uid: u32| uids.is_none_or(|list| list.binary_search(&uid).is_ok());
            let doomed: Vec<u32> = s
                .messages
                .iter()
                .filter(|m| m.flags.is_deleted() && chosen(m.uid))
                .map(|m| m.uid)
                .collect();
            s.remove(&doomed);
            Ok(doomed)
        })
    }

    /// Copies (or moves, with `remove`) messages from `self` to `dest`.
    pub(crate) fn transfer(
        &self,
        uids: &[u32],
        dest: &MailboxCell,
        remove: bool,
    ) -> Result<CopyResult> {
        if std::ptr::eq(self, dest) {
            if remove {
                return Err(BackendError::cannot(
                    "source and destination are the same mailbox",
                ));
            }
            return self.with(|s| {
                let copies = s.copies(uids);
                let sources: Vec<u32> = copies.iter().map(|c| c.0).collect();
                let targets = s.add_messages(copies.into_iter().map(|c| c.1))?;
                Ok(CopyResult::new(
                    s.uidvalidity,
                    sources.into_iter().zip(targets).collect(),
                ))
            });
        }
        // Two locks, always in id order, so a copy A -> B and a copy B -> A
        // cannot deadlock.
        let (mut from, mut to) = if self.id < dest.id {
            let from = lock(&self.state);
            (from, lock(&dest.state))
        } else {
            let to = lock(&dest.state);
            (lock(&self.state), to)
        };
        if from.dead || to.dead {
            return Err(BackendError::NonExistent);
        }
        let copies = from.copies(uids);
        let sources: Vec<u32> = copies.iter().map(|c| c.0).collect();
        let targets = to.add_messages(copies.into_iter().map(|c| c.1))?;
        if remove {
            from.remove(&sources);
        }
        Ok(CopyResult::new(
            to.uidvalidity,
            sources.into_iter().zip(targets).collect(),
        ))
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

type Incoming = (Flags, InternalDate, Bytes, Option<Bytes>);

impl MailboxState {
    fn find(&self, uid: u32) -> Option<usize> {
        self.messages.binary_search_by_key(&uid, |m| m.uid).ok()
    }

    fn next_modseq(&self) -> u64 {
        self.highest_modseq + 1
    }

    /// Adds messages with fresh UIDs and one new modseq; all or none.
    fn add_messages(
        &mut self,
        incoming: impl ExactSizeIterator<Item = Incoming>,
    ) -> Result<Vec<u32>> {
        let n = u32::try_from(incoming.len()).map_err(|_| BackendError::Limit)?;
        if n == 0 {
            return Ok(Vec::new());
        }
        // UIDs are nz-number (at most 2^32 - 1), never reused: a mailbox
        // that ran out refuses more.
        let end = self.uidnext.checked_add(n).ok_or(BackendError::Limit)?;
        let modseq = self.next_modseq();
        let first = self.uidnext;
        self.messages.extend(incoming.zip(first..end).map(
            |((flags, internal_date, body, metadata), uid)| Message {
                uid,
                flags,
                modseq,
                internal_date,
                body,
                metadata,
                unclaimed_recent: true,
            },
        ));
        self.uidnext = end;
        self.highest_modseq = modseq;
        Ok((first..end).collect())
    }

    /// What copying `uids` would add elsewhere: `(source uid, message)`.
    fn copies(&self, uids: &[u32]) -> Vec<(u32, Incoming)> {
        uids.iter()
            .filter_map(|&uid| self.find(uid))
            .map(|at| {
                let m = &self.messages[at];
                (
                    m.uid,
                    (
                        m.flags.clone(),
                        m.internal_date,
                        m.body.clone(),
                        m.metadata.clone(),
                    ),
                )
            })
            .collect()
    }

    /// Expunges `uids` (sorted), leaving tombstones under one new modseq.
    fn remove(&mut self, uids: &[u32]) {
        if uids.is_empty() {
            return;
        }
        let modseq = self.next_modseq();
        self.messages
            .retain(|m| uids.binary_search(&m.uid).is_err());
        self.tombstones
            .extend(uids.iter().map(|&uid| Expunged { uid, modseq }));
        self.highest_modseq = modseq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_inbox() {
        assert_eq!(canonical("inbox"), "INBOX");
        assert_eq!(canonical("InBox/Sub"), "INBOX/Sub");
        assert_eq!(canonical("Inboxes"), "Inboxes");
        assert_eq!(canonical("Work/inbox"), "Work/inbox");
    }

    #[test]
    fn names_are_validated() {
        assert!(validate("a/b").is_ok());
        assert!(validate("").is_err());
        assert!(validate("a//b").is_err());
        assert!(validate("a/").is_err());
        assert!(validate("a\u{7}b").is_err());
    }

    #[test]
    fn parents_and_children() {
        assert_eq!(parents("a/b/c").collect::<Vec<_>>(), ["a", "a/b"]);
        assert!(is_child("a/b", "a"));
        assert!(!is_child("ab", "a"));
        assert!(!is_child("a", "a"));
    }
}
