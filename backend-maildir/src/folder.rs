//! One Maildir folder: its messages mirrored in memory (UIDs, flags,
//! modseqs, sizes, dates), kept in step with the disk, and the operations
//! that change it.
//!
//! # Keeping in step
//! Every operation first [`State::refresh`]es: when the modification times
//! of `new/` or `cur/` differ from the last scan, both are read again and
//! compared by base name: a vanished file is an expunge (a tombstone), a
//! renamed one a flag change, an unknown one a new message, which gets its
//! UID from `dovecot-uidlist` if another program gave it one, else the next
//! UID, in delivery order. Mail found in `new/` moves to `cur/` and is
//! `\Recent` for the first session that selects the folder. A time with no
//! sub-second part may come from a coarse file system, so a directory
//! changed within the last two seconds of such a time is scanned again
//! next time. Our own writes take the new times as seen (no rescan after
//! each STORE), and every [`FULL_SCAN_INTERVAL`] the directories are read
//! anyway.
//!
//! # Writing
//! New files are written and fsynced in `tmp/`, then renamed into `cur/`
//! (flags in the name) while `dovecot-uidlist.lock` is held, and their
//! UIDs appended to `dovecot-uidlist` before the lock is released: another
//! program can never give them other UIDs, and a crash before the list is
//! written leaves complete files that get fresh UIDs on the next scan
//! (their append was never acknowledged). Directories are fsynced before a
//! call returns.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read};
use std::ops::Range;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use imapkit_server::backend::{
    changes_of, snapshot_of, BackendError, Changes, Expunged, Flag, FlagUpdate, Flags,
    InternalDate, MailboxId, MailboxStatus, MessageMeta, MirroredMessage, Result, Snapshot,
    StoreOp, StoreResult, SyncPoint,
};

use crate::cache::Cache;
use crate::filename::{crlf_size, to_crlf, FileName};
use crate::fsutil::{backend_error, now, sync_dir, unique_base, write_new};
use crate::index::{Index, IndexData, Record};
use crate::keywords::Keywords;
use crate::uidlist::{self, Lock, UidList};

/// Files in `tmp/` older than this are debris of a crash (the Maildir
/// specification's 36 hours) and are removed when a folder is opened.
const TMP_MAX_AGE: Duration = Duration::from_secs(36 * 3600);
/// How often a folder's directories are read even when their times say
/// nothing changed: heals a change another program made in the instant of
/// one of ours (see [`State::restamp`]).
const FULL_SCAN_INTERVAL: Duration = Duration::from_secs(10);
/// A directory time this close to now, on a coarse clock, is not trusted.
const COARSE_WINDOW: Duration = Duration::from_secs(2);

/// All of `file`, with CRLF line ends.
fn read_whole(mut file: File) -> Result<Bytes> {
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(backend_error)?;
    Ok(Bytes::from(to_crlf(bytes)))
}

/// Takes a lock, also after a panic elsewhere: state is validated before
/// it changes, so a panic cannot leave half a change.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A folder, shared by every session and handle of its user.
#[derive(Debug)]
pub(crate) struct Folder {
    id: MailboxId,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Set when the folder is deleted; every later call fails.
    dead: bool,
    dir: PathBuf,
    /// The GUID of `dovecot-uidlist`: the mailbox id.
    guid: String,
    loaded: bool,
    uidvalidity: u32,
    uidnext: u32,
    highest_modseq: u64,
    /// Ascending by UID.
    messages: Vec<Message>,
    /// Ascending by modseq.
    tombstones: Vec<Expunged>,
    keywords: Keywords,
    index: Option<Index>,
    /// The engine's metadata, kept on disk.
    cache: Option<Cache>,
    /// The times of `new/` and `cur/` at the last scan that can be trusted.
    stamp: Option<(SystemTime, SystemTime)>,
    /// When both directories were last read.
    scanned_at: Option<Instant>,
}

#[derive(Debug)]
struct Message {
    uid: u32,
    name: FileName,
    /// Still in `new/` (it could not be moved to `cur/`).
    in_new: bool,
    /// Every flag, keywords without a letter included.
    flags: Flags,
    modseq: u64,
    size: u64,
    internal_date: InternalDate,
    unclaimed_recent: bool,
    metadata: Option<Bytes>,
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
            self.size,
            self.internal_date,
            recent,
        )
    }
}

impl Message {
    fn path(&self, dir: &Path) -> PathBuf {
        if self.in_new {
            let file = if self.name.info.is_empty() {
                self.name.base.clone()
            } else {
                self.name.cur_name()
            };
            dir.join("new").join(file)
        } else {
            dir.join("cur").join(self.name.cur_name())
        }
    }

    /// The keywords `table` has no letter for (kept in the index).
    fn extra_keywords(&self, table: &Keywords) -> Vec<String> {
        extra_keywords(&self.flags, table)
    }
}

fn extra_keywords(flags: &Flags, table: &Keywords) -> Vec<String> {
    flags
        .keywords()
        .iter()
        .filter(|k| table.letter(k).is_none())
        .cloned()
        .collect()
}

/// A complete file in `tmp/`, waiting to be committed into a folder.
#[derive(Debug)]
pub(crate) struct Staged {
    tmp: PathBuf,
    base: String,
    flags: Flags,
    internal_date: InternalDate,
    size: u64,
    metadata: Option<Bytes>,
}

impl Staged {
    /// Writes `body` into the `tmp/` of the folder at `dir`, durably, with
    /// the internal date as its modification time (as Dovecot keeps it).
    pub(crate) fn write(
        dir: &Path,
        flags: Flags,
        internal_date: InternalDate,
        body: &[u8],
    ) -> io::Result<Self> {
        let size = crlf_size(body);
        let base = format!("{},S={},W={size}", unique_base(), body.len());
        let tmp = dir.join("tmp").join(&base);
        let written = write_new(&tmp, body).and_then(|file| set_mtime(&file, internal_date));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        Ok(Self {
            tmp,
            base,
            flags,
            internal_date,
            size,
            metadata: None,
        })
    }

    /// Links (or, across file systems, copies) an existing message file
    /// into the `tmp/` of the folder at `dir`.
    fn link(dir: &Path, source: &Path, message: &Message) -> io::Result<Self> {
        let length = fs::metadata(source)?.len();
        let base = format!("{},S={length},W={}", unique_base(), message.size);
        let tmp = dir.join("tmp").join(&base);
        if fs::hard_link(source, &tmp).is_err() {
            let copied = fs::copy(source, &tmp).and_then(|_| {
                let file = File::options().write(true).open(&tmp)?;
                file.sync_all()?;
                set_mtime(&file, message.internal_date)
            });
            if let Err(e) = copied {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        }
        Ok(Self {
            tmp,
            base,
            flags: message.flags.clone(),
            internal_date: message.internal_date,
            size: message.size,
            metadata: message.metadata.clone(),
        })
    }

    /// Removes the file from `tmp/` (the operation was given up).
    pub(crate) fn discard(self) {
        let _ = fs::remove_file(&self.tmp);
    }
}

fn set_mtime(file: &File, date: InternalDate) -> io::Result<()> {
    let secs = u64::try_from(date.unix_seconds()).unwrap_or(0);
    file.set_modified(UNIX_EPOCH + Duration::from_secs(secs))
}

fn mtime(path: &Path) -> io::Result<SystemTime> {
    fs::metadata(path)?.modified()
}

fn internal_date_of(meta: &fs::Metadata) -> InternalDate {
    let secs = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    InternalDate::new(secs, 0).unwrap_or_else(InternalDate::now)
}

/// The file names of a directory (dot files skipped).
fn names_in(dir: &Path) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if let Some(name) = entry.file_name().to_str() {
            if !name.starts_with('.') {
                names.push(name.to_string());
            }
        }
    }
    Ok(names)
}

/// Delivery order of base names: the leading Unix time, then the name.
fn delivery_key(base: &str) -> (u64, &str) {
    let digits = base.split('.').next().unwrap_or("");
    (digits.parse().unwrap_or(u64::MAX), base)
}

/// A modseq base for a folder whose index was lost: the clock in
/// microseconds, above any modseq a client can have seen from a counter
/// that counts one per change.
fn rebuilt_modseq() -> u64 {
    let (secs, micros) = now();
    secs * 1_000_000 + u64::from(micros)
}

/// A file found by a scan: where, and whether it came from `new/`.
struct Found {
    name: FileName,
    in_new: bool,
    was_new: bool,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Folder {
    /// A folder at `dir` whose `dovecot-uidlist` has the GUID `id`. Nothing
    /// is read until the first call.
    pub(crate) fn new(id: MailboxId, dir: PathBuf) -> Self {
        Self {
            id: id.clone(),
            state: Mutex::new(State {
                dead: false,
                dir,
                guid: id.as_str().to_string(),
                loaded: false,
                uidvalidity: 0,
                uidnext: 1,
                highest_modseq: 1,
                messages: Vec::new(),
                tombstones: Vec::new(),
                keywords: Keywords::default(),
                index: None,
                cache: None,
                stamp: None,
                scanned_at: None,
            }),
        }
    }

    pub(crate) fn id(&self) -> &MailboxId {
        &self.id
    }

    /// The folder's directory now.
    pub(crate) fn dir(&self) -> PathBuf {
        lock(&self.state).dir.clone()
    }

    /// Follows a rename of the folder's directory.
    pub(crate) fn set_dir(&self, dir: PathBuf) {
        let mut state = lock(&self.state);
        state.dir = dir;
        state.stamp = None;
    }

    /// Marks the folder deleted: every later call fails.
    pub(crate) fn kill(&self) {
        let mut state = lock(&self.state);
        state.dead = true;
        state.messages = Vec::new();
        state.tombstones = Vec::new();
    }

    /// Runs `f` on the state, brought in step with the disk.
    fn with<T>(&self, f: impl FnOnce(&mut State) -> Result<T>) -> Result<T> {
        let mut state = lock(&self.state);
        state.refresh()?;
        f(&mut state)
    }

    pub(crate) fn status(&self) -> Result<MailboxStatus> {
        self.with(|s| {
            let mut status = MailboxStatus::default();
            status.messages = count(s.messages.len());
            status.recent = count(s.messages.iter().filter(|m| m.unclaimed_recent).count());
            status.unseen = count(s.messages.iter().filter(|m| !m.flags.is_seen()).count());
            status.deleted = count(s.messages.iter().filter(|m| m.flags.is_deleted()).count());
            status.size = s.messages.iter().map(|m| m.size).sum();
            status.uidnext = s.uidnext;
            status.uidvalidity = s.uidvalidity;
            status.highest_modseq = s.highest_modseq;
            Ok(status)
        })
    }

    pub(crate) fn uidvalidity(&self) -> Result<u32> {
        self.with(|s| Ok(s.uidvalidity))
    }

    /// Commits staged files as new messages; all or none.
    pub(crate) fn commit(&self, staged: Vec<Staged>) -> Result<Vec<u32>> {
        let mut state = lock(&self.state);
        if let Err(e) = state.refresh() {
            staged.into_iter().for_each(Staged::discard);
            return Err(e);
        }
        state.commit(staged)
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

    /// The message's bytes, with CRLF line ends.
    pub(crate) fn fetch(&self, uid: u32) -> Result<Bytes> {
        let (file, _) = self.open_message(uid)?;
        read_whole(file)
    }

    /// Octets `range` of the message as [`Folder::fetch`] serves it (cut
    /// to its end), read at that position in the file: a chunk of a large
    /// body costs a chunk of memory, not the message.
    ///
    /// That needs the file to hold exactly the bytes served, which its size
    /// tells: the served size (`W=`, CRLF counted) equals the file's only
    /// when it has no bare LF. A file with bare LFs is served with CRLF,
    /// which moves every offset after the first one, so then the whole
    /// file is read, converted and cut. Such files come from other
    /// programs (an MTA, Dovecot); what our APPEND stores is what the
    /// client sent, with CRLF.
    pub(crate) fn fetch_range(&self, uid: u32, range: Range<u64>) -> Result<Bytes> {
        let (file, served) = self.open_message(uid)?;
        let on_disk = file.metadata().map_err(backend_error)?.len();
        let end = range.end.min(served);
        let start = range.start.min(end);
        if on_disk != served {
            let whole = read_whole(file)?;
            let end = (end as usize).min(whole.len());
            return Ok(whole.slice((start as usize).min(end)..end));
        }
        // Both are at most the file's size, which fits memory as a whole.
        let mut bytes = vec![0; (end - start) as usize];
        file.read_exact_at(&mut bytes, start)
            .map_err(backend_error)?;
        Ok(Bytes::from(bytes))
    }

    /// A message's file, opened, and its served size (RFC822.SIZE). The
    /// file is opened outside the folder's lock, so reading a large message
    /// does not stall the folder's other sessions; when another program
    /// renamed it meanwhile, the folder is read again to find it.
    fn open_message(&self, uid: u32) -> Result<(File, u64)> {
        let (path, size) = self.with(|s| s.locate(uid))?;
        match File::open(&path) {
            Ok(file) => return Ok((file, size)),
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(backend_error(e)),
            Err(_) => {}
        }
        let (path, size) = {
            let mut state = lock(&self.state);
            state.stamp = None;
            state.refresh()?;
            state.locate(uid)?
        };
        match File::open(&path) {
            Ok(file) => Ok((file, size)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(BackendError::ExpungeIssued),
            Err(e) => Err(backend_error(e)),
        }
    }

    pub(crate) fn cached_metadata(&self, uid: u32) -> Result<Option<Bytes>> {
        let state = lock(&self.state);
        Ok(state
            .find(uid)
            .and_then(|at| state.messages[at].metadata.clone()))
    }

    pub(crate) fn store_metadata(&self, uid: u32, metadata: Bytes) -> Result<()> {
        let mut state = lock(&self.state);
        let Some(at) = state.find(uid) else {
            return Ok(());
        };
        state.keep_metadata(uid, &metadata).map_err(backend_error)?;
        state.messages[at].metadata = Some(metadata);
        Ok(())
    }

    pub(crate) fn store(
        &self,
        uids: &[u32],
        op: StoreOp,
        flags: &[Flag],
        unchanged_since: Option<u64>,
    ) -> Result<StoreResult> {
        self.with(|s| {
            s.store(uids, op, flags, unchanged_since)
                .map_err(backend_error)
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
            s.unlink(&doomed).map_err(backend_error)?;
            Ok(doomed)
        })
    }

    /// Copies (or moves, with `remove`) messages from `self` to `dest`:
    /// both folders are locked for the whole operation, so others see all
    /// of it or nothing.
    pub(crate) fn transfer(
        &self,
        uids: &[u32],
        dest: &Folder,
        remove: bool,
    ) -> Result<Vec<(u32, u32)>> {
        if std::ptr::eq(self, dest) {
            if remove {
                return Err(BackendError::cannot(
                    "source and destination are the same mailbox",
                ));
            }
            return self.with(|s| {
                let dir = s.dir.clone();
                let (sources, staged) = s.stage_copies(uids, &dir)?;
                let targets = s.commit(staged)?;
                Ok(sources.into_iter().zip(targets).collect())
            });
        }
        // Two locks, always in id order, so A -> B and B -> A cannot deadlock.
        let (mut from, mut to) = if self.id < dest.id {
            let from = lock(&self.state);
            (from, lock(&dest.state))
        } else {
            let to = lock(&dest.state);
            (lock(&self.state), to)
        };
        from.refresh()?;
        to.refresh()?;
        let dest_dir = to.dir.clone();
        let (sources, staged) = from.stage_copies(uids, &dest_dir)?;
        let targets = to.commit(staged)?;
        if remove {
            // The copies are durable in `dest` before the originals go: a
            // crash in between leaves two copies, never none.
            from.unlink(&sources).map_err(backend_error)?;
        }
        Ok(sources.into_iter().zip(targets).collect())
    }
}

impl State {
    fn find(&self, uid: u32) -> Option<usize> {
        self.messages.binary_search_by_key(&uid, |m| m.uid).ok()
    }

    /// A message's path and served size (RFC822.SIZE).
    fn locate(&self, uid: u32) -> Result<(PathBuf, u64)> {
        match self.find(uid) {
            Some(at) => Ok((self.messages[at].path(&self.dir), self.messages[at].size)),
            None if uid < self.uidnext => Err(BackendError::ExpungeIssued),
            None => Err(BackendError::NonExistent),
        }
    }

    /// Writes a message's metadata to the folder's cache file.
    fn keep_metadata(&mut self, uid: u32, metadata: &[u8]) -> io::Result<()> {
        let (dir, uidvalidity) = (self.dir.clone(), self.uidvalidity);
        self.cache
            .get_or_insert_with(|| Cache::open(&dir, uidvalidity).0)
            .append(uid, metadata)
    }

    fn index(&mut self) -> &mut Index {
        let (dir, uidvalidity) = (self.dir.clone(), self.uidvalidity);
        self.index
            .get_or_insert_with(|| Index::open(&dir, uidvalidity).0)
    }

    /// Brings the state in step with the disk (see the module docs).
    fn refresh(&mut self) -> Result<()> {
        if self.dead {
            return Err(BackendError::NonExistent);
        }
        let stamp = match (mtime(&self.dir.join("new")), mtime(&self.dir.join("cur"))) {
            (Ok(new), Ok(cur)) => (new, cur),
            (Err(e), _) | (_, Err(e)) if e.kind() == io::ErrorKind::NotFound => {
                // Deleted under us by another program.
                self.dead = true;
                return Err(BackendError::NonExistent);
            }
            (Err(e), _) | (_, Err(e)) => return Err(backend_error(e)),
        };
        let recently_scanned = self
            .scanned_at
            .is_some_and(|at| at.elapsed() < FULL_SCAN_INTERVAL);
        if self.loaded && self.stamp == Some(stamp) && recently_scanned {
            return Ok(());
        }
        let result = if self.loaded {
            self.scan()
        } else {
            self.load()
        };
        result.map_err(backend_error)?;
        self.loaded = true;
        self.stamp = trusted(stamp);
        self.scanned_at = Some(Instant::now());
        Ok(())
    }

    /// After our own change to `cur/`: the directory's new times are ours,
    /// so the next call need not read it again. Only when the state was in
    /// step just before (a trusted stamp); a change another program made
    /// in the same instant is found by the next full scan, at the latest
    /// [`FULL_SCAN_INTERVAL`] later.
    fn restamp(&mut self) {
        if self.stamp.is_none() {
            return;
        }
        self.stamp = match (mtime(&self.dir.join("new")), mtime(&self.dir.join("cur"))) {
            (Ok(new), Ok(cur)) => trusted((new, cur)),
            _ => None,
        };
    }

    /// The first look at the folder: UIDs from `dovecot-uidlist`, modseqs
    /// and tombstones from our index (or a new base without it).
    fn load(&mut self) -> io::Result<()> {
        clean_tmp(&self.dir.join("tmp"));
        let list = match UidList::load(&self.dir)? {
            Some(list) => list,
            None => {
                let lock = Lock::acquire(&self.dir)?;
                let list = UidList::load(&self.dir)?
                    .unwrap_or_else(|| UidList::new(uidlist::new_uidvalidity(), self.guid.clone()));
                list.save(&self.dir, &lock)?;
                list
            }
        };
        self.uidvalidity = list.uidvalidity;
        self.keywords = Keywords::load(&self.dir)?;
        let (index, data) = Index::open(&self.dir, list.uidvalidity);
        self.index = Some(index);
        let rebuilt = data.is_none();
        let data = data.unwrap_or_default();
        let base = if rebuilt && !list.entries.is_empty() {
            rebuilt_modseq()
        } else {
            data.highest_modseq().max(1)
        };
        self.highest_modseq = base;
        self.tombstones = data.tombstones.clone();
        self.uidnext = 1;
        let found = self.read_dirs()?;
        let modseq_of = |uid| data.modseqs.get(&uid).copied().unwrap_or(base);
        self.adopt(found, &list, &modseq_of, &data)?;
        self.uidnext = self.uidnext.max(list.next_uid);
        let (mut cache, mut cached) = Cache::open(&self.dir, list.uidvalidity);
        for message in &mut self.messages {
            message.metadata = cached.remove(&message.uid);
        }
        if !cached.is_empty() || cache.wants_compaction() {
            let kept = self
                .messages
                .iter()
                .filter_map(|m| Some((m.uid, m.metadata.as_ref()?)));
            cache.rewrite(kept)?;
        }
        self.cache = Some(cache);
        let live = self.messages.len();
        if rebuilt || self.index().wants_compaction(live) {
            let snapshot = self.index_data();
            self.index().rewrite(&snapshot)?;
        }
        Ok(())
    }

    /// What the index should hold now.
    fn index_data(&self) -> IndexData {
        IndexData {
            modseqs: self.messages.iter().map(|m| (m.uid, m.modseq)).collect(),
            tombstones: self.tombstones.clone(),
            extra_keywords: self
                .messages
                .iter()
                .map(|m| (m.uid, m.extra_keywords(&self.keywords)))
                .filter(|(_, words)| !words.is_empty())
                .collect(),
        }
    }

    /// Reads `new/` and `cur/`, moving mail from `new/` into `cur/`.
    fn read_dirs(&self) -> io::Result<HashMap<String, Found>> {
        let mut found = HashMap::new();
        for file in names_in(&self.dir.join("new"))? {
            let name = FileName::parse(&file);
            let moved = fs::rename(
                self.dir.join("new").join(&file),
                self.dir.join("cur").join(name.cur_name()),
            );
            found.insert(
                name.base.clone(),
                Found {
                    in_new: moved.is_err(),
                    name,
                    was_new: true,
                },
            );
        }
        for file in names_in(&self.dir.join("cur"))? {
            let name = FileName::parse(&file);
            found.entry(name.base.clone()).or_insert(Found {
                name,
                in_new: false,
                was_new: false,
            });
        }
        Ok(found)
    }

    /// A later look: what other programs did since the last one.
    fn scan(&mut self) -> io::Result<()> {
        let mut found = self.read_dirs()?;
        let modseq = self.highest_modseq + 1;
        let mut records = Vec::new();
        let mut gone = Vec::new();
        for message in &mut self.messages {
            let Some(file) = found.remove(&message.name.base) else {
                gone.push(message.uid);
                continue;
            };
            message.in_new = file.in_new;
            if file.name != message.name {
                let mut flags = file.name.flags(&self.keywords);
                for word in message.extra_keywords(&self.keywords) {
                    flags.insert(Flag::Keyword(word));
                }
                message.name = file.name;
                if flags != message.flags {
                    message.flags = flags;
                    message.modseq = modseq;
                    records.push(Record::Modseq(message.uid, modseq));
                }
            }
        }
        if !records.is_empty() {
            self.highest_modseq = modseq;
        }
        self.index().append(&records)?;
        self.forget(&gone)?;
        if !found.is_empty() {
            let list = UidList::load(&self.dir)?
                .unwrap_or_else(|| UidList::new(self.uidvalidity, self.guid.clone()));
            let modseq = self.highest_modseq + 1;
            self.adopt(found, &list, &|_| modseq, &IndexData::default())?;
        }
        Ok(())
    }

    /// Gives files found on disk their messages: the UID `list` has for
    /// them when it is not taken, else the next one, in delivery order.
    fn adopt(
        &mut self,
        found: HashMap<String, Found>,
        list: &UidList,
        modseq_of: &dyn Fn(u32) -> u64,
        data: &IndexData,
    ) -> io::Result<()> {
        if found.is_empty() {
            return Ok(());
        }
        let _lock = Lock::acquire(&self.dir)?;
        // Another program may have listed files since `list` was read.
        let fresh = UidList::load(&self.dir)?;
        let list = fresh
            .as_ref()
            .filter(|f| f.uidvalidity == list.uidvalidity)
            .unwrap_or(list);
        let listed: HashMap<&str, u32> = list
            .entries
            .iter()
            .map(|(uid, base)| (base.as_str(), *uid))
            .collect();
        let mut files: Vec<Found> = found.into_values().collect();
        files.sort_by(|a, b| delivery_key(&a.name.base).cmp(&delivery_key(&b.name.base)));
        let mut next = self.uidnext.max(list.next_uid);
        let mut taken = std::collections::HashSet::new();
        let mut numbered = Vec::with_capacity(files.len());
        let mut appended = Vec::new();
        for file in files {
            let uid = match listed.get(file.name.base.as_str()) {
                Some(&uid) if uid >= self.uidnext && taken.insert(uid) => uid,
                _ => {
                    let uid = next;
                    next = next.checked_add(1).ok_or_else(|| {
                        io::Error::other("the folder has used up every UID (2^32 - 1)")
                    })?;
                    appended.push((uid, file.name.base.clone()));
                    uid
                }
            };
            numbered.push((uid, file));
        }
        numbered.sort_by_key(|(uid, _)| *uid);
        let mut records = Vec::new();
        let mut added_modseq = 0;
        for (uid, file) in numbered {
            let path = if file.in_new {
                self.dir.join("new").join(&file.name.base)
            } else {
                self.dir.join("cur").join(file.name.cur_name())
            };
            let Ok(meta) = fs::metadata(&path) else {
                // Gone again already: never seen, nothing to report.
                continue;
            };
            let size = match file.name.size_field('W') {
                Some(size) => size,
                None => fs::read(&path).map_or(meta.len(), |bytes| crlf_size(&bytes)),
            };
            let mut flags = file.name.flags(&self.keywords);
            for word in data.extra_keywords.get(&uid).into_iter().flatten() {
                flags.insert(Flag::Keyword(word.clone()));
            }
            let modseq = modseq_of(uid);
            added_modseq = added_modseq.max(modseq);
            records.push(Record::Modseq(uid, modseq));
            self.messages.push(Message {
                uid,
                name: file.name,
                in_new: file.in_new,
                flags,
                modseq,
                size,
                internal_date: internal_date_of(&meta),
                // Mail found in `new/` while loading, and everything found
                // after, is new to every session.
                unclaimed_recent: self.loaded || file.was_new,
                metadata: None,
            });
        }
        // Adopted UIDs are all at or above `uidnext`, above every known
        // message, so pushing them in order keeps the messages sorted.
        self.uidnext = self.uidnext.max(next);
        self.highest_modseq = self.highest_modseq.max(added_modseq);
        append_to_uidlist(&self.dir, list, &appended, self.uidnext)?;
        self.index().append(&records)
    }

    /// Drops messages whose files are gone, leaving tombstones.
    fn forget(&mut self, uids: &[u32]) -> io::Result<()> {
        if uids.is_empty() {
            return Ok(());
        }
        let modseq = self.highest_modseq + 1;
        self.messages
            .retain(|m| uids.binary_search(&m.uid).is_err());
        self.tombstones
            .extend(uids.iter().map(|&uid| Expunged { uid, modseq }));
        self.highest_modseq = modseq;
        let records: Vec<Record> = uids.iter().map(|&u| Record::Expunge(u, modseq)).collect();
        self.index().append(&records)
    }

    /// Removes the files of `uids` (sorted) and forgets them.
    fn unlink(&mut self, uids: &[u32]) -> io::Result<()> {
        if uids.is_empty() {
            return Ok(());
        }
        for &uid in uids {
            if let Some(at) = self.find(uid) {
                match fs::remove_file(self.messages[at].path(&self.dir)) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
        }
        sync_dir(&self.dir.join("cur"))?;
        self.restamp();
        self.forget(uids)
    }

    /// Gives every keyword of `flags` a letter while letters are left.
    fn letter_keywords(&mut self, flags: &Flags) -> io::Result<()> {
        let mut changed = false;
        for word in flags.keywords() {
            changed |= self.keywords.assign(word);
        }
        if changed {
            self.keywords.save(&self.dir)?;
        }
        Ok(())
    }

    /// Moves staged files into `cur/` as new messages; all or none.
    fn commit(&mut self, staged: Vec<Staged>) -> Result<Vec<u32>> {
        let count = u32::try_from(staged.len()).map_err(|_| BackendError::Limit)?;
        if count == 0 {
            return Ok(Vec::new());
        }
        let prepared = (|| {
            for item in &staged {
                self.letter_keywords(&item.flags)?;
            }
            let lock = Lock::acquire(&self.dir)?;
            let list = UidList::load(&self.dir)?
                .unwrap_or_else(|| UidList::new(self.uidvalidity, self.guid.clone()));
            io::Result::Ok((lock, list))
        })();
        let (_lock, list) = match prepared {
            Ok(prepared) => prepared,
            Err(e) => {
                staged.into_iter().for_each(Staged::discard);
                return Err(backend_error(e));
            }
        };
        let first = self.uidnext.max(list.next_uid);
        let Some(end) = first.checked_add(count) else {
            staged.into_iter().for_each(Staged::discard);
            return Err(BackendError::Limit);
        };
        let cur = self.dir.join("cur");
        let mut placed: Vec<PathBuf> = Vec::new();
        let mut failure = None;
        let mut names = Vec::with_capacity(staged.len());
        for item in &staged {
            let name = FileName {
                base: item.base.clone(),
                info: String::new(),
            }
            .with_flags(&item.flags, &self.keywords);
            let target = cur.join(name.cur_name());
            if let Err(e) = fs::rename(&item.tmp, &target) {
                failure = Some(e);
                break;
            }
            placed.push(target);
            names.push(name);
        }
        let entries: Vec<(u32, String)> = (first..end)
            .zip(staged.iter().map(|s| s.base.clone()))
            .collect();
        let synced = match failure {
            Some(e) => Err(e),
            None => {
                sync_dir(&cur).and_then(|()| append_to_uidlist(&self.dir, &list, &entries, end))
            }
        };
        if let Err(e) = synced {
            // Nothing of the call stays: the client was not told OK.
            placed.iter().for_each(|p| drop(fs::remove_file(p)));
            staged.into_iter().for_each(Staged::discard);
            let _ = sync_dir(&cur);
            return Err(backend_error(e));
        }
        let modseq = self.highest_modseq + 1;
        let mut records = Vec::new();
        for ((uid, item), name) in (first..end).zip(staged).zip(names) {
            records.push(Record::Modseq(uid, modseq));
            if let Some(metadata) = &item.metadata {
                // A cache: a failure costs a parse later, not the copy.
                let _ = self.keep_metadata(uid, metadata);
            }
            let extra = extra_keywords(&item.flags, &self.keywords);
            if !extra.is_empty() {
                records.push(Record::Keywords(uid, extra));
            }
            self.messages.push(Message {
                uid,
                name,
                in_new: false,
                flags: item.flags,
                modseq,
                size: item.size,
                internal_date: item.internal_date,
                unclaimed_recent: true,
                metadata: item.metadata,
            });
        }
        self.uidnext = end;
        self.highest_modseq = modseq;
        self.restamp();
        self.index().append(&records).map_err(backend_error)?;
        Ok((first..end).collect())
    }

    /// Stages copies of `uids` into the `tmp/` of the folder at `dest`:
    /// `(source uids, staged files)`.
    fn stage_copies(&self, uids: &[u32], dest: &Path) -> Result<(Vec<u32>, Vec<Staged>)> {
        let mut sources = Vec::new();
        let mut staged = Vec::new();
        for &uid in uids {
            let Some(at) = self.find(uid) else { continue };
            let message = &self.messages[at];
            match Staged::link(dest, &message.path(&self.dir), message) {
                Ok(item) => {
                    sources.push(uid);
                    staged.push(item);
                }
                // Removed by another program meanwhile: as if expunged.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    staged.into_iter().for_each(Staged::discard);
                    return Err(backend_error(e));
                }
            }
        }
        Ok((sources, staged))
    }

    fn store(
        &mut self,
        uids: &[u32],
        op: StoreOp,
        flags: &[Flag],
        unchanged_since: Option<u64>,
    ) -> io::Result<StoreResult> {
        if op != StoreOp::Remove {
            self.letter_keywords(&flags.iter().cloned().collect())?;
        }
        // One modseq for the whole operation (RFC 7162 §3.1.3 allows it).
        let modseq = self.highest_modseq + 1;
        let mut result = StoreResult::default();
        let mut records = Vec::new();
        let mut renamed = false;
        let dir = self.dir.clone();
        for &uid in uids {
            let Some(at) = self.find(uid) else { continue };
            let message = &mut self.messages[at];
            if unchanged_since.is_some_and(|limit| message.modseq > limit) {
                result.modified.push(uid);
                continue;
            }
            let mut new_flags = message.flags.clone();
            if new_flags.apply(op, flags) {
                let old_extra = message.extra_keywords(&self.keywords);
                let name = message.name.with_flags(&new_flags, &self.keywords);
                if name != message.name || message.in_new {
                    let target = dir.join("cur").join(name.cur_name());
                    match fs::rename(message.path(&dir), &target) {
                        Ok(()) => renamed = true,
                        // Removed by another program: the next scan reports it.
                        Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                        Err(e) => return Err(e),
                    }
                    message.name = name;
                    message.in_new = false;
                }
                message.flags = new_flags;
                message.modseq = modseq;
                records.push(Record::Modseq(uid, modseq));
                let extra = message.extra_keywords(&self.keywords);
                if extra != old_extra {
                    records.push(Record::Keywords(uid, extra));
                }
            }
            result.updated.push(FlagUpdate {
                uid,
                flags: message.flags.clone(),
                modseq: message.modseq,
            });
        }
        if renamed {
            sync_dir(&self.dir.join("cur"))?;
            self.restamp();
        }
        if !records.is_empty() {
            self.highest_modseq = modseq;
        }
        self.index().append(&records)?;
        Ok(result)
    }
}

/// Adds `entries` to the folder's `dovecot-uidlist` (the caller holds its
/// lock): appended lines, as Dovecot does between rewrites; the header's
/// next UID is stale then, and readers take the larger of it and the last
/// line's UID plus one. A list of another UIDVALIDITY, or one grown large
/// with expunged lines, is rewritten whole.
fn append_to_uidlist(
    dir: &Path,
    list: &UidList,
    entries: &[(u32, String)],
    next_uid: u32,
) -> io::Result<()> {
    use std::io::Write;
    if entries.is_empty() && list.next_uid >= next_uid {
        return Ok(());
    }
    let path = dir.join(uidlist::FILE);
    if entries.is_empty() || !path.exists() {
        let mut whole = list.clone();
        whole.entries.extend(entries.iter().cloned());
        whole.next_uid = next_uid;
        return crate::fsutil::write_atomic(&path, whole.render().as_bytes());
    }
    let text: String = entries
        .iter()
        .map(|(uid, base)| format!("{uid} :{base}\n"))
        .collect();
    let mut file = fs::OpenOptions::new().append(true).open(&path)?;
    file.write_all(text.as_bytes())?;
    file.sync_data()
}

/// Removes crash debris from `tmp/` (files older than [`TMP_MAX_AGE`]).
fn clean_tmp(tmp: &Path) {
    let Ok(entries) = fs::read_dir(tmp) else {
        return;
    };
    // The change time, not the modification time: a staged file already
    // carries its internal date, which may be years old.
    let now = now().0;
    for entry in entries.flatten() {
        let old = entry.metadata().ok().is_some_and(|m| {
            let changed = u64::try_from(m.ctime()).unwrap_or(0);
            now.saturating_sub(changed) > TMP_MAX_AGE.as_secs()
        });
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// `stamp`, if its times can tell every later change from it.
fn trusted(stamp: (SystemTime, SystemTime)) -> Option<(SystemTime, SystemTime)> {
    let fine = |t: SystemTime| {
        let coarse = t
            .duration_since(UNIX_EPOCH)
            .is_ok_and(|d| d.subsec_nanos() == 0);
        !coarse || t.elapsed().is_ok_and(|age| age > COARSE_WINDOW)
    };
    (fine(stamp.0) && fine(stamp.1)).then_some(stamp)
}
