//! `dovecot-uidlist`: the UIDs of a folder's files, its UIDVALIDITY, next
//! UID and GUID, in Dovecot's version 3 format, so a Maildir Dovecot
//! served keeps its UIDs here and back.
//!
//! ```text
//! 3 V1796281367 N3 G291b3b271514116b671c000083ecc375
//! 1 :1796281365.M676110P7271.vm,S=30,W=34
//! 2 W34 :1796281365.M678992P7271.vm,S=30,W=34
//! ```
//!
//! Lines after the header are `<uid> [<extension>...] :<base>`. The file is
//! only ever replaced whole (temp + rename) while holding
//! `dovecot-uidlist.lock`, created with `O_EXCL` as Dovecot's dotlock, so
//! two programs never hand out one UID twice.

use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use crate::fsutil::{now, write_atomic};

/// The file's name inside a folder.
pub(crate) const FILE: &str = "dovecot-uidlist";
/// The lock's name inside a folder.
const LOCK: &str = "dovecot-uidlist.lock";
/// How long to wait for another program's lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(10);
/// A lock older than this is stale (its holder died): Dovecot's default.
const LOCK_STALE: Duration = Duration::from_secs(120);

/// A UIDVALIDITY no folder of this process had: a counter seeded with the
/// clock, as Dovecot seeds them, so a recreated folder never gets its old
/// one back.
pub(crate) fn new_uidvalidity() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let seed = u32::try_from(now().0).unwrap_or(u32::MAX).max(1);
    let _ = NEXT.compare_exchange(0, seed, Ordering::Relaxed, Ordering::Relaxed);
    loop {
        let value = NEXT.fetch_add(1, Ordering::Relaxed);
        if value != 0 {
            return value;
        }
    }
}

/// A folder's UID list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UidList {
    pub(crate) uidvalidity: u32,
    /// The next UID to hand out: above every UID ever given here.
    pub(crate) next_uid: u32,
    /// The folder's GUID: our mailbox id.
    pub(crate) guid: String,
    /// `(uid, base)`, ascending by UID.
    pub(crate) entries: Vec<(u32, String)>,
}

impl UidList {
    /// A list for a folder that had none.
    pub(crate) fn new(uidvalidity: u32, guid: String) -> Self {
        Self {
            uidvalidity,
            next_uid: 1,
            guid,
            entries: Vec::new(),
        }
    }

    /// Reads the list of the folder at `dir`; `None` when there is none
    /// or it cannot be understood (the folder then gets a new list and a
    /// new UIDVALIDITY, as Dovecot does with a broken one).
    pub(crate) fn load(dir: &Path) -> io::Result<Option<Self>> {
        match fs::read_to_string(dir.join(FILE)) {
            Ok(text) => Ok(Self::parse(&text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Reads only the header of the folder's list (UIDVALIDITY, next UID,
    /// GUID), without its entries: cheap for a large folder.
    pub(crate) fn load_header(dir: &Path) -> io::Result<Option<Self>> {
        use std::io::BufRead;
        let file = match fs::File::open(dir.join(FILE)) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut line = String::new();
        io::BufReader::new(file).read_line(&mut line)?;
        Ok(Self::parse(&line))
    }

    /// Parses version 3 (Dovecot 1.0 and later) or version 1 text.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        let mut header = lines.next()?.split(' ');
        let mut list = match header.next()? {
            "3" => {
                let mut list = Self::new(0, String::new());
                for field in header {
                    let (key, value) = field.split_at_checked(1)?;
                    match key {
                        "V" => list.uidvalidity = value.parse().ok()?,
                        "N" => list.next_uid = value.parse().ok()?,
                        "G" => list.guid = value.to_string(),
                        _ => {}
                    }
                }
                list
            }
            "1" => {
                let uidvalidity = header.next()?.parse().ok()?;
                let next_uid = header.next()?.parse().ok()?;
                Self {
                    uidvalidity,
                    next_uid,
                    guid: String::new(),
                    entries: Vec::new(),
                }
            }
            _ => return None,
        };
        if list.uidvalidity == 0 {
            return None;
        }
        for line in lines {
            let Some((uid, rest)) = line.split_once(' ') else {
                continue;
            };
            let Ok(uid) = uid.parse::<u32>() else {
                continue;
            };
            // `:<base>` after optional extension fields (version 3), or
            // the bare file name (version 1).
            let base = match rest.strip_prefix(':') {
                Some(base) => base,
                None => rest.split_once(" :").map_or(rest, |(_, base)| base),
            };
            // Version 1 lines carry whole names; only the base identifies.
            let base = base.split_once(":2,").map_or(base, |(b, _)| b);
            if uid > 0 && !base.is_empty() {
                list.entries.push((uid, base.to_string()));
            }
        }
        list.entries.sort_unstable();
        list.entries.dedup_by_key(|e| e.0);
        let last = list.entries.last().map_or(0, |e| e.0);
        list.next_uid = list.next_uid.max(last.saturating_add(1)).max(1);
        Some(list)
    }

    /// The version 3 text.
    pub(crate) fn render(&self) -> String {
        let mut text = format!(
            "3 V{} N{} G{}\n",
            self.uidvalidity, self.next_uid, self.guid
        );
        for (uid, base) in &self.entries {
            text.push_str(&format!("{uid} :{base}\n"));
        }
        text
    }

    /// Replaces the folder's list (the caller holds the [`Lock`]).
    pub(crate) fn save(&self, dir: &Path, _lock: &Lock) -> io::Result<()> {
        write_atomic(&dir.join(FILE), self.render().as_bytes())
    }
}

/// `dovecot-uidlist.lock`, held while UIDs are handed out; removed on drop.
#[derive(Debug)]
pub(crate) struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock of the folder at `dir`, waiting for another holder,
    /// and breaking a lock whose holder died long ago.
    pub(crate) fn acquire(dir: &Path) -> io::Result<Self> {
        let path = dir.join(LOCK);
        let started = SystemTime::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(Self { path }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
            let age = fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok());
            if age.is_some_and(|age| age > LOCK_STALE) {
                let _ = fs::remove_file(&path);
                continue;
            }
            if started.elapsed().unwrap_or_default() > LOCK_WAIT {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!("{} is held by another program", path.display()),
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dovecots_file() {
        let text = "3 V1796281367 N3 G291b3b271514116b671c000083ecc375\n\
                    1 :1796281365.M676110P7271.vm,S=30,W=34\n\
                    2 W34 :1796281365.M678992P7271.vm,S=30,W=34\n";
        let list = UidList::parse(text).unwrap();
        assert_eq!(list.uidvalidity, 1_796_281_367);
        assert_eq!(list.next_uid, 3);
        assert_eq!(list.guid, "291b3b271514116b671c000083ecc375");
        assert_eq!(
            list.entries[1],
            (2, "1796281365.M678992P7271.vm,S=30,W=34".into())
        );
        let again = UidList::parse(&list.render()).unwrap();
        assert_eq!(again, list);
    }

    #[test]
    fn next_uid_is_above_the_last_entry() {
        let list = UidList::parse("3 V5 N2\n7 :x\n").unwrap();
        assert_eq!(list.next_uid, 8);
        assert!(UidList::parse("3 V0 N1\n").is_none());
        assert!(UidList::parse("garbage").is_none());
        let v1 = UidList::parse("1 42 10\n3 name:2,S\n").unwrap();
        assert_eq!((v1.uidvalidity, v1.next_uid), (42, 10));
        assert_eq!(v1.entries, [(3, "name".to_string())]);
    }

    #[test]
    fn lock_is_exclusive_and_released() {
        let dir = tempfile::tempdir().unwrap();
        let lock = Lock::acquire(dir.path()).unwrap();
        assert!(dir.path().join(LOCK).exists());
        drop(lock);
        assert!(!dir.path().join(LOCK).exists());
        let _again = Lock::acquire(dir.path()).unwrap();
    }
}
