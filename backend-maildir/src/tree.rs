//! One user's Maildir: the folder tree on disk, folder handles shared by
//! the user's sessions, and subscriptions.
//!
//! The tree is read from disk on every mailbox-level call (LIST, CREATE,
//! RENAME...), so folders other programs create or remove show up at
//! once. A folder's id is the GUID in its `dovecot-uidlist` (one is
//! written for a folder that has none), so it survives renames, ours and
//! other programs'. A folder copied whole (`cp -r .Work .Work2`) carries
//! its original's GUID: the copy is given a new one when the tree is
//! read, so an id always names one folder and a DELETE or RENAME of the
//! copy never reaches the original (the open folder, else the first by
//! name, keeps the GUID). A name that exists only because it has children (a
//! Maildir++ `.a.b` without `.a`, an `fs` directory without `cur/`) is a
//! non-selectable placeholder with an id derived from its name.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use imapkit_server::backend::{BackendError, MailboxId, MailboxInfo, Result, SpecialUse};

use crate::folder::{lock, Folder};
use crate::fsutil::{backend_error, fnv1a, new_guid, sync_dir, unique_base, write_atomic};
use crate::names::{self, decode_part, dir_of, is_child, parents, DELIMITER, MAX_LEVELS};
use crate::uidlist::{self, Lock, UidList};
use crate::Layout;

/// Our file of a folder's special-use attributes (RFC 6154), one per line.
const SPECIAL_USE_FILE: &str = "imapkit-special-use";
/// Dovecot's subscriptions file, at the root.
const SUBSCRIPTIONS: &str = "subscriptions";
/// Courier's, read when Dovecot's is missing.
const COURIER_SUBSCRIPTIONS: &str = "courierimapsubscribed";
/// The marker file Maildir++ puts in each folder.
const MAILDIRFOLDER: &str = "maildirfolder";

/// A name found on disk.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    dir: PathBuf,
    selectable: bool,
}

/// Everything one user has, shared by all sessions of the user.
#[derive(Debug)]
pub(crate) struct UserStore {
    root: PathBuf,
    layout: Layout,
    /// Open folders by id, so every session shares one mirror per folder.
    folders: Mutex<HashMap<MailboxId, Arc<Folder>>>,
    /// Serialises changes to the tree (create, delete, rename, subscribe).
    tree: Mutex<()>,
}

impl UserStore {
    /// The store of the Maildir at `root`, which must exist.
    pub(crate) fn new(root: PathBuf, layout: Layout) -> Self {
        Self {
            root,
            layout,
            folders: Mutex::new(HashMap::new()),
            tree: Mutex::new(()),
        }
    }

    /// Makes `root` a Maildir (INBOX) if it is not one yet.
    pub(crate) fn prepare(root: &Path) -> io::Result<()> {
        for sub in ["cur", "new", "tmp"] {
            fs::create_dir_all(root.join(sub))?;
        }
        Ok(())
    }

    fn scan(&self) -> io::Result<Vec<Entry>> {
        let mut found: BTreeMap<String, Entry> = BTreeMap::new();
        match self.layout {
            Layout::MaildirPlusPlus => {
                for (disk, dir) in subdirs(&self.root)? {
                    let Some(rest) = disk.strip_prefix('.') else {
                        continue;
                    };
                    let parts: Option<Vec<String>> = rest.split('.').map(decode_part).collect();
                    match parts {
                        Some(parts) if parts.len() <= MAX_LEVELS => {
                            let name = parts.join(&DELIMITER.to_string());
                            let selectable = dir.join("cur").is_dir();
                            found.insert(
                                name.clone(),
                                Entry {
                                    name,
                                    dir,
                                    selectable,
                                },
                            );
                        }
                        _ => {}
                    }
                }
            }
            Layout::Fs => walk(&self.root, "", 0, &mut found)?,
        }
        found.insert(
            "INBOX".to_string(),
            Entry {
                name: "INBOX".to_string(),
                dir: self.root.clone(),
                selectable: true,
            },
        );
        let missing: BTreeSet<String> = found
            .keys()
            .flat_map(|name| parents(name).map(str::to_string).collect::<Vec<_>>())
            .filter(|parent| !found.contains_key(parent))
            .collect();
        for name in missing {
            if let Ok(dir) = dir_of(&self.root, self.layout, &name) {
                found.insert(
                    name.clone(),
                    Entry {
                        name,
                        dir,
                        selectable: false,
                    },
                );
            }
        }
        Ok(found.into_values().collect())
    }

    /// The id of a name found on disk.
    fn id_of(&self, entry: &Entry) -> io::Result<MailboxId> {
        if !entry.selectable {
            let hash = fnv1a(entry.name.as_bytes(), 0xcbf2_9ce4_8422_2325);
            return MailboxId::new(&format!("p{hash:016x}")).map_err(io::Error::other);
        }
        if let Some(id) = guid_id(UidList::load_header(&entry.dir)?) {
            return Ok(id);
        }
        // A folder no program gave a GUID (or a list) yet: give it one.
        assign_guid(&entry.dir, None)
    }

    /// The tree with each name's id, GUIDs made unique (see the module
    /// docs): a folder whose GUID an earlier one holds gets a new one,
    /// unless it is the folder open under that id.
    fn identified(&self) -> io::Result<Vec<(Entry, MailboxId)>> {
        let entries = self.scan()?;
        let mut ids: Vec<MailboxId> = entries
            .iter()
            .map(|entry| self.id_of(entry))
            .collect::<io::Result<_>>()?;
        let mut holder: HashMap<MailboxId, usize> = HashMap::new();
        for index in 0..entries.len() {
            let Some(&first) = holder.get(&ids[index]) else {
                holder.insert(ids[index].clone(), index);
                continue;
            };
            let open = lock(&self.folders).get(&ids[index]).map(|f| f.dir());
            let keeps =
                |at: usize| open.as_ref() == Some(&entries[at].dir) || entries[at].name == "INBOX";
            let copy = if keeps(index) && !keeps(first) {
                holder.insert(ids[index].clone(), index);
                first
            } else {
                index
            };
            ids[copy] = assign_guid(&entries[copy].dir, Some(&ids[copy]))?;
            holder.insert(ids[copy].clone(), copy);
        }
        Ok(entries.into_iter().zip(ids).collect())
    }

    fn find_by_id(&self, id: &MailboxId) -> io::Result<Option<Entry>> {
        Ok(self
            .identified()?
            .into_iter()
            .find_map(|(entry, entry_id)| (entry_id == *id).then_some(entry)))
    }

    fn info(&self, entry: &Entry, id: MailboxId) -> MailboxInfo {
        let mut info = MailboxInfo::new(id, entry.name.clone());
        info.selectable = entry.selectable;
        if entry.selectable {
            info.special_use = read_special_use(&entry.dir);
        }
        info
    }

    pub(crate) fn list(&self) -> Result<Vec<MailboxInfo>> {
        let entries = self.identified().map_err(backend_error)?;
        Ok(entries
            .into_iter()
            .map(|(e, id)| self.info(&e, id))
            .collect())
    }

    pub(crate) fn lookup(&self, name: &str) -> Result<MailboxInfo> {
        let name = if name.eq_ignore_ascii_case("INBOX") {
            "INBOX"
        } else {
            name
        };
        let entries = self.identified().map_err(backend_error)?;
        let (entry, id) = entries
            .into_iter()
            .find(|(e, _)| e.name == name)
            .ok_or(BackendError::NonExistent)?;
        Ok(self.info(&entry, id))
    }

    /// The shared handle of a selectable folder.
    ///
    /// A folder another program renamed is followed to its new directory
    /// (its GUID went with it).
    pub(crate) fn folder(&self, id: &MailboxId) -> Result<Arc<Folder>> {
        let cached = lock(&self.folders).get(id).cloned();
        if let Some(folder) = &cached {
            if folder.dir().join("cur").is_dir() {
                return Ok(Arc::clone(folder));
            }
        }
        let entry = self
            .find_by_id(id)
            .map_err(backend_error)?
            .filter(|e| e.selectable)
            .ok_or(BackendError::NonExistent)?;
        if let Some(folder) = cached {
            folder.set_dir(entry.dir);
            return Ok(folder);
        }
        let mut folders = lock(&self.folders);
        let folder = folders
            .entry(id.clone())
            .or_insert_with(|| Arc::new(Folder::new(id.clone(), entry.dir)));
        Ok(Arc::clone(folder))
    }

    /// Makes the folder directory `dir`: cur/new/tmp, a list with a fresh
    /// UIDVALIDITY and GUID, the special-use file.
    fn make_folder(&self, dir: &Path, special_use: &[SpecialUse]) -> io::Result<MailboxId> {
        UserStore::prepare(dir)?;
        if self.layout == Layout::MaildirPlusPlus {
            fs::write(dir.join(MAILDIRFOLDER), b"")?;
        }
        let lock = Lock::acquire(dir)?;
        let list = UidList::new(uidlist::new_uidvalidity(), new_guid());
        list.save(dir, &lock)?;
        drop(lock);
        if !special_use.is_empty() {
            let text: String = special_use
                .iter()
                .filter_map(|u| special_use_name(*u))
                .map(|n| format!("{n}\n"))
                .collect();
            write_atomic(&dir.join(SPECIAL_USE_FILE), text.as_bytes())?;
        }
        if let Some(parent) = dir.parent() {
            sync_dir(parent)?;
        }
        guid_id(Some(list)).ok_or_else(|| io::Error::other("a new GUID is a valid id"))
    }

    /// Creates the missing parents of `name` as plain folders.
    fn ensure_parents(&self, name: &str, entries: &[Entry]) -> Result<()> {
        for parent in parents(name) {
            if !entries.iter().any(|e| e.name == parent && e.selectable) {
                let dir = dir_of(&self.root, self.layout, parent)?;
                if !dir.join("cur").is_dir() {
                    self.make_folder(&dir, &[]).map_err(backend_error)?;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn create(&self, name: &str, special_use: &[SpecialUse]) -> Result<MailboxId> {
        let _tree = lock(&self.tree);
        let dir = dir_of(&self.root, self.layout, name)?;
        if name.eq_ignore_ascii_case("INBOX") {
            return Err(BackendError::AlreadyExists);
        }
        let entries = self.scan().map_err(backend_error)?;
        if entries.iter().any(|e| e.name == name && e.selectable) || dir.join("cur").exists() {
            return Err(BackendError::AlreadyExists);
        }
        self.ensure_parents(name, &entries)?;
        self.make_folder(&dir, special_use).map_err(backend_error)
    }

    pub(crate) fn delete(&self, id: &MailboxId) -> Result<()> {
        let _tree = lock(&self.tree);
        let entries = self.identified().map_err(backend_error)?;
        let entry = entry_with_id(&entries, id)?;
        let entries: Vec<Entry> = entries.into_iter().map(|(e, _)| e).collect();
        if entry.name == "INBOX" {
            return Err(BackendError::NoPerm);
        }
        let has_children = entries.iter().any(|e| is_child(&e.name, &entry.name));
        if !entry.selectable && has_children {
            return Err(BackendError::HasChildren);
        }
        // RFC 9051 §6.3.5: a folder with children loses its messages and
        // stays as a placeholder for them.
        let keep_dir = self.layout == Layout::Fs && has_children;
        self.remove_folder_dir(&entry.dir, keep_dir)
            .map_err(backend_error)?;
        if let Some(folder) = lock(&self.folders).remove(id) {
            folder.kill();
        }
        if self.layout == Layout::Fs {
            self.prune_empty_parents(&entry.dir);
        }
        Ok(())
    }

    /// Removes a folder's mail: renamed out of sight first (a name no
    /// folder can have), then removed, so a crash leaves no half folder.
    fn remove_folder_dir(&self, dir: &Path, keep_dir: bool) -> io::Result<()> {
        if !dir.exists() {
            return Ok(());
        }
        let trash = self
            .root
            .join(format!("..imapkit-deleting-{}", unique_base()));
        if keep_dir {
            fs::create_dir(&trash)?;
            for entry in fs::read_dir(dir)? {
                let entry = entry?;
                let name = entry.file_name();
                let is_folder_dir = entry.file_type()?.is_dir()
                    && !matches!(name.to_str(), Some("cur" | "new" | "tmp"));
                if !is_folder_dir {
                    fs::rename(entry.path(), trash.join(&name))?;
                }
            }
        } else {
            fs::rename(dir, &trash)?;
        }
        sync_dir(&self.root)?;
        fs::remove_dir_all(&trash)
    }

    /// Removes empty directories above `dir` (placeholders nobody needs).
    fn prune_empty_parents(&self, dir: &Path) {
        let mut current = dir.parent();
        while let Some(parent) = current {
            if parent == self.root || !parent.starts_with(&self.root) {
                break;
            }
            if fs::remove_dir(parent).is_err() {
                break;
            }
            current = parent.parent();
        }
    }

    pub(crate) fn rename(&self, id: &MailboxId, new_name: &str) -> Result<()> {
        let _tree = lock(&self.tree);
        let new_dir = dir_of(&self.root, self.layout, new_name)?;
        let identified = self.identified().map_err(backend_error)?;
        let old = entry_with_id(&identified, id)?;
        let id_of = |entry: &Entry| {
            identified
                .iter()
                .find(|(e, _)| e.name == entry.name)
                .map(|(_, id)| id.clone())
        };
        let entries: Vec<Entry> = identified.iter().map(|(e, _)| e.clone()).collect();
        if entries.iter().any(|e| e.name == new_name) || new_dir.exists() {
            return Err(BackendError::AlreadyExists);
        }
        if old.name == "INBOX" {
            return self.rename_inbox(id, new_name, &new_dir, &entries);
        }
        if is_child(new_name, &old.name) {
            return Err(BackendError::cannot(
                "a mailbox cannot be moved into itself",
            ));
        }
        let renamed = |name: &str| format!("{new_name}{}", &name[old.name.len()..]);
        let moving: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.name == old.name || is_child(&e.name, &old.name))
            .collect();
        // Where each moving directory ends up.
        let mut targets = Vec::new();
        for entry in &moving {
            let target = match self.layout {
                Layout::MaildirPlusPlus => dir_of(&self.root, self.layout, &renamed(&entry.name))?,
                Layout::Fs => match entry.dir.strip_prefix(&old.dir) {
                    Ok(rel) => new_dir.join(rel),
                    Err(_) => continue,
                },
            };
            if entry.name != old.name && target.exists() && self.layout != Layout::Fs {
                return Err(BackendError::AlreadyExists);
            }
            let id = if entry.selectable { id_of(entry) } else { None };
            targets.push((*entry, target, id));
        }
        self.ensure_parents(new_name, &entries)?;
        let result: io::Result<()> = (|| {
            match self.layout {
                Layout::MaildirPlusPlus => {
                    for (entry, target, _) in &targets {
                        if entry.dir.exists() {
                            fs::rename(&entry.dir, target)?;
                        }
                    }
                }
                Layout::Fs => {
                    if old.dir.exists() {
                        fs::rename(&old.dir, &new_dir)?;
                    }
                }
            }
            sync_dir(&self.root)?;
            if let Some(parent) = new_dir.parent() {
                sync_dir(parent)?;
            }
            Ok(())
        })();
        result.map_err(backend_error)?;
        {
            let folders = lock(&self.folders);
            for (_, target, id) in &targets {
                if let Some(folder) = id.as_ref().and_then(|id| folders.get(id)) {
                    folder.set_dir(target.clone());
                }
            }
        }
        if self.layout == Layout::Fs {
            self.prune_empty_parents(&old.dir);
        }
        let mut subscriptions = self.read_subscriptions().map_err(backend_error)?;
        let moved: Vec<String> = subscriptions
            .iter()
            .filter(|s| **s == old.name || is_child(s, &old.name))
            .cloned()
            .collect();
        if !moved.is_empty() {
            for name in moved {
                subscriptions.remove(&name);
                subscriptions.insert(renamed(&name));
            }
            self.write_subscriptions(&subscriptions)
                .map_err(backend_error)?;
        }
        Ok(())
    }

    /// RFC 9051 §6.3.6: a new folder takes INBOX's messages; INBOX stays,
    /// empty, and its clients see the messages expunged.
    fn rename_inbox(
        &self,
        inbox_id: &MailboxId,
        new_name: &str,
        new_dir: &Path,
        entries: &[Entry],
    ) -> Result<()> {
        self.ensure_parents(new_name, entries)?;
        let target_id = self.make_folder(new_dir, &[]).map_err(backend_error)?;
        let inbox = self.folder(inbox_id)?;
        let target = self.folder(&target_id)?;
        let uids: Vec<u32> = inbox
            .snapshot(false)?
            .messages
            .iter()
            .map(|m| m.uid)
            .collect();
        inbox.transfer(&uids, &target, true)?;
        Ok(())
    }

    fn read_subscriptions(&self) -> io::Result<BTreeSet<String>> {
        match fs::read_to_string(self.root.join(SUBSCRIPTIONS)) {
            Ok(text) => Ok(parse_subscriptions(&text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                match fs::read_to_string(self.root.join(COURIER_SUBSCRIPTIONS)) {
                    Ok(text) => Ok(parse_courier_subscriptions(&text)),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(BTreeSet::new()),
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    fn write_subscriptions(&self, names: &BTreeSet<String>) -> io::Result<()> {
        let mut text = String::from("V\t2\n\n");
        for name in names {
            text.push_str(&name.replace(DELIMITER, "\t"));
            text.push('\n');
        }
        write_atomic(&self.root.join(SUBSCRIPTIONS), text.as_bytes())
    }

    pub(crate) fn subscriptions(&self) -> Result<Vec<String>> {
        let names = self.read_subscriptions().map_err(backend_error)?;
        Ok(names.into_iter().collect())
    }

    pub(crate) fn set_subscribed(&self, name: &str, subscribed: bool) -> Result<()> {
        if name.chars().any(char::is_control) {
            return Err(BackendError::cannot(
                "mailbox names have no control characters",
            ));
        }
        let _tree = lock(&self.tree);
        let mut names = self.read_subscriptions().map_err(backend_error)?;
        let changed = if subscribed {
            names.insert(name.to_string())
        } else {
            names.remove(name)
        };
        if changed {
            self.write_subscriptions(&names).map_err(backend_error)?;
        }
        Ok(())
    }
}

/// The entry of `entries` with `id`.
fn entry_with_id(entries: &[(Entry, MailboxId)], id: &MailboxId) -> Result<Entry> {
    entries
        .iter()
        .find(|(_, entry_id)| entry_id == id)
        .map(|(entry, _)| entry.clone())
        .ok_or(BackendError::NonExistent)
}

/// The id of the folder at `dir` after giving it a new GUID, unless,
/// under the uidlist lock, it has a valid one other than `replacing` (the
/// GUID another folder holds); UIDVALIDITY and UIDs stay.
fn assign_guid(dir: &Path, replacing: Option<&MailboxId>) -> io::Result<MailboxId> {
    let lock = Lock::acquire(dir)?;
    let mut list = UidList::load(dir)?
        .unwrap_or_else(|| UidList::new(uidlist::new_uidvalidity(), String::new()));
    if let Some(id) = guid_id(Some(list.clone())) {
        if Some(&id) != replacing {
            return Ok(id);
        }
    }
    list.guid = new_guid();
    list.save(dir, &lock)?;
    guid_id(Some(list)).ok_or_else(|| io::Error::other("a new GUID is a valid id"))
}

fn guid_id(list: Option<UidList>) -> Option<MailboxId> {
    MailboxId::new(&list?.guid).ok()
}

/// The subdirectories of `dir` with their names.
fn subdirs(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if let (Some(name), true) = (entry.file_name().to_str(), path.is_dir()) {
            out.push((name.to_string(), path));
        }
    }
    Ok(out)
}

/// The `fs` layout: every directory below the root is a folder (with
/// `cur/`) or a placeholder, except Maildir internals and dot files.
fn walk(
    dir: &Path,
    prefix: &str,
    depth: usize,
    found: &mut BTreeMap<String, Entry>,
) -> io::Result<()> {
    if depth >= MAX_LEVELS {
        return Ok(());
    }
    for (disk, path) in subdirs(dir)? {
        if disk.starts_with('.') || matches!(disk.as_str(), "cur" | "new" | "tmp") {
            continue;
        }
        let Some(part) = decode_part(&disk) else {
            continue;
        };
        let name = if prefix.is_empty() {
            part
        } else {
            format!("{prefix}{DELIMITER}{part}")
        };
        // The root is INBOX; a top-level `INBOX` directory holds its children.
        if name != "INBOX" {
            let selectable = path.join("cur").is_dir();
            found.insert(
                name.clone(),
                Entry {
                    name: name.clone(),
                    dir: path.clone(),
                    selectable,
                },
            );
        }
        walk(&path, &name, depth + 1, found)?;
    }
    Ok(())
}

fn parse_subscriptions(text: &str) -> BTreeSet<String> {
    let mut lines = text.lines().peekable();
    if lines.peek() == Some(&"V\t2") {
        lines.next();
    }
    lines
        .filter(|l| !l.is_empty())
        .map(|l| l.replace('\t', &DELIMITER.to_string()))
        .collect()
}

/// Courier's names are `INBOX.Sent`, `INBOX.Work.Projects`.
fn parse_courier_subscriptions(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let name = l.strip_prefix("INBOX.").unwrap_or(l);
            name.split('.')
                .map(|p| names::decode_part(p).unwrap_or_else(|| p.to_string()))
                .collect::<Vec<_>>()
                .join(&DELIMITER.to_string())
        })
        .collect()
}

fn special_use_name(use_: SpecialUse) -> Option<&'static str> {
    Some(match use_ {
        SpecialUse::All => "\\All",
        SpecialUse::Archive => "\\Archive",
        SpecialUse::Drafts => "\\Drafts",
        SpecialUse::Flagged => "\\Flagged",
        SpecialUse::Important => "\\Important",
        SpecialUse::Junk => "\\Junk",
        SpecialUse::Sent => "\\Sent",
        SpecialUse::Trash => "\\Trash",
        _ => return None,
    })
}

fn read_special_use(dir: &Path) -> Vec<SpecialUse> {
    let Ok(text) = fs::read_to_string(dir.join(SPECIAL_USE_FILE)) else {
        return Vec::new();
    };
    let all = [
        SpecialUse::All,
        SpecialUse::Archive,
        SpecialUse::Drafts,
        SpecialUse::Flagged,
        SpecialUse::Important,
        SpecialUse::Junk,
        SpecialUse::Sent,
        SpecialUse::Trash,
    ];
    text.lines()
        .filter_map(|line| {
            all.into_iter()
                .find(|u| special_use_name(*u).is_some_and(|n| n.eq_ignore_ascii_case(line.trim())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_files() {
        let dovecot = parse_subscriptions("V\t2\n\nSent\nWork\tProjects\n");
        assert_eq!(
            dovecot.into_iter().collect::<Vec<_>>(),
            ["Sent", "Work/Projects"]
        );
        let courier = parse_courier_subscriptions("INBOX.Sent\nINBOX.Work.Projects\n");
        assert_eq!(
            courier.into_iter().collect::<Vec<_>>(),
            ["Sent", "Work/Projects"]
        );
    }
}
