//! `imapkit-cache`: the engine's parsed metadata of each message
//! (ENVELOPE, BODYSTRUCTURE, part offsets; opaque bytes to us), kept next
//! to the folder so a restart does not parse every message again.
//!
//! Binary and append-only: a header `IMKCACHE` + version + UIDVALIDITY,
//! then records `uid (u32 LE) | length (u32 LE) | bytes`. A later record
//! for a UID wins; a torn last record is ignored; the file is rewritten
//! without stale records when they make up most of it. It is a cache:
//! written without fsync, dropped when damaged or of another UIDVALIDITY.

use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;

use crate::fsutil::write_atomic;

/// The file's name inside a folder.
pub(crate) const FILE: &str = "imapkit-cache";
const MAGIC: &[u8; 8] = b"IMKCACHE";
const VERSION: u32 = 1;
/// The largest record accepted when reading (a damaged length field must
/// not make us allocate gigabytes).
const MAX_RECORD: usize = 16 << 20;

/// The cache file of one folder.
#[derive(Debug)]
pub(crate) struct Cache {
    path: PathBuf,
    uidvalidity: u32,
    /// Bytes in the file, and bytes of records still current.
    size: u64,
    live: u64,
    /// The file holds more than `size` bytes (a torn or foreign tail),
    /// cut before the next append.
    torn: bool,
}

fn header(uidvalidity: u32) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes.extend_from_slice(&uidvalidity.to_le_bytes());
    bytes
}

fn record(uid: u32, metadata: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(8 + metadata.len());
    bytes.extend_from_slice(&uid.to_le_bytes());
    bytes.extend_from_slice(
        &u32::try_from(metadata.len())
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    bytes.extend_from_slice(metadata);
    bytes
}

impl Cache {
    /// Opens the cache of the folder at `dir` and reads what it holds.
    pub(crate) fn open(dir: &Path, uidvalidity: u32) -> (Self, HashMap<u32, Bytes>) {
        let mut cache = Self {
            path: dir.join(FILE),
            uidvalidity,
            size: 0,
            live: 0,
            torn: false,
        };
        let entries = fs::read(&cache.path)
            .ok()
            .map(|data| cache.parse(&data))
            .unwrap_or_default();
        (cache, entries)
    }

    fn parse(&mut self, data: &[u8]) -> HashMap<u32, Bytes> {
        let mut entries = HashMap::new();
        let head = header(self.uidvalidity);
        if !data.starts_with(&head) {
            self.torn = !data.is_empty();
            return entries;
        }
        let data = Bytes::copy_from_slice(data);
        let mut at = head.len();
        while let Some(fixed) = data.get(at..at + 8) {
            let uid = u32::from_le_bytes([fixed[0], fixed[1], fixed[2], fixed[3]]);
            let len = u32::from_le_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]) as usize;
            if len > MAX_RECORD || at + 8 + len > data.len() {
                break;
            }
            entries.insert(uid, data.slice(at + 8..at + 8 + len));
            at += 8 + len;
        }
        self.size = at as u64;
        self.torn = at < data.len();
        self.live = entries.values().map(|b| 8 + b.len() as u64).sum();
        entries
    }

    /// Adds the metadata of `uid`.
    pub(crate) fn append(&mut self, uid: u32, metadata: &[u8]) -> io::Result<()> {
        if metadata.len() > MAX_RECORD {
            return Ok(());
        }
        let mut bytes = Vec::new();
        if self.size == 0 {
            bytes = header(self.uidvalidity);
        }
        bytes.extend(record(uid, metadata));
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        if self.torn || self.size == 0 {
            file.set_len(self.size)?;
            self.torn = false;
        }
        file.write_all(&bytes)?;
        self.size += bytes.len() as u64;
        self.live += 8 + metadata.len() as u64;
        Ok(())
    }

    /// Whether stale records make up most of the file.
    pub(crate) fn wants_compaction(&self) -> bool {
        self.size > 2 * self.live + (1 << 20)
    }

    /// Rewrites the file with exactly `entries`.
    pub(crate) fn rewrite<'a>(
        &mut self,
        entries: impl Iterator<Item = (u32, &'a Bytes)>,
    ) -> io::Result<()> {
        let mut bytes = header(self.uidvalidity);
        for (uid, metadata) in entries {
            bytes.extend(record(uid, metadata));
        }
        write_atomic(&self.path, &bytes)?;
        self.size = bytes.len() as u64;
        self.live = self.size - header(self.uidvalidity).len() as u64;
        self.torn = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_latest_wins_torn_tail_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let (mut cache, entries) = Cache::open(dir.path(), 9);
        assert!(entries.is_empty());
        cache.append(1, b"one").unwrap();
        cache.append(2, b"two").unwrap();
        cache.append(1, b"uno").unwrap();
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(FILE))
            .unwrap();
        file.write_all(&[3, 0, 0, 0, 200, 0, 0, 0, b'x']).unwrap();
        let (mut cache, entries) = Cache::open(dir.path(), 9);
        assert_eq!(entries.len(), 2);
        assert_eq!(&entries[&1][..], b"uno");
        assert_eq!(&entries[&2][..], b"two");
        cache.append(4, b"four").unwrap();
        assert_eq!(Cache::open(dir.path(), 9).1.len(), 3);
        // Another UIDVALIDITY: none of it applies.
        assert!(Cache::open(dir.path(), 10).1.is_empty());
        let (mut cache, entries) = Cache::open(dir.path(), 9);
        cache.rewrite(entries.iter().map(|(u, b)| (*u, b))).unwrap();
        assert_eq!(Cache::open(dir.path(), 9).1, entries);
    }
}
