//! `imapkit-index`: what a Maildir cannot hold, per folder: each message's
//! modseq, the tombstones of expunged messages (for QRESYNC's VANISHED),
//! and keywords beyond the 26 letters of `dovecot-keywords`.
//!
//! An append-only log of text records, replayed on open and compacted
//! (temp + rename) when mostly stale:
//!
//! ```text
//! imapkit-index 1 V<uidvalidity>
//! m <uid> <modseq>          a message's modseq
//! x <uid> <modseq>          an expunge
//! k <uid> [<keyword>...]    the keywords without a letter (replaces)
//! ```
//!
//! It is rebuildable: losing or damaging it costs clients a resync (the
//! folder starts from a new, larger HIGHESTMODSEQ base), never mail or
//! UIDs, which live in the file names and `dovecot-uidlist`. A record cut
//! short by a crash is ignored.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use imapkit_server::backend::Expunged;

use crate::fsutil::write_atomic;

/// The file's name inside a folder.
pub(crate) const FILE: &str = "imapkit-index";

/// What the index knows of a folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct IndexData {
    pub(crate) modseqs: HashMap<u32, u64>,
    /// Ascending by modseq.
    pub(crate) tombstones: Vec<Expunged>,
    pub(crate) extra_keywords: HashMap<u32, Vec<String>>,
}

impl IndexData {
    /// The highest modseq recorded.
    pub(crate) fn highest_modseq(&self) -> u64 {
        let live = self.modseqs.values().copied().max().unwrap_or(0);
        let dead = self.tombstones.last().map_or(0, |t| t.modseq);
        live.max(dead)
    }
}

/// One record to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record {
    /// A message got this modseq.
    Modseq(u32, u64),
    /// A message was expunged at this modseq.
    Expunge(u32, u64),
    /// A message's keywords without a letter.
    Keywords(u32, Vec<String>),
}

impl Record {
    fn line(&self) -> String {
        match self {
            Self::Modseq(uid, modseq) => format!("m {uid} {modseq}\n"),
            Self::Expunge(uid, modseq) => format!("x {uid} {modseq}\n"),
            Self::Keywords(uid, words) => format!("k {uid} {}\n", words.join(" ")),
        }
    }
}

/// The open index of one folder.
#[derive(Debug)]
pub(crate) struct Index {
    path: PathBuf,
    uidvalidity: u32,
    /// Records in the file, to know when compaction pays.
    records: usize,
}

impl Index {
    /// Opens the index of the folder at `dir` for `uidvalidity`; an index
    /// of another UIDVALIDITY, or none, gives `None` data (rebuild).
    pub(crate) fn open(dir: &Path, uidvalidity: u32) -> (Self, Option<IndexData>) {
        let path = dir.join(FILE);
        let mut index = Self {
            path,
            uidvalidity,
            records: 0,
        };
        let data = fs::read_to_string(&index.path)
            .ok()
            .and_then(|text| index.replay(&text));
        (index, data)
    }

    fn replay(&mut self, text: &str) -> Option<IndexData> {
        // A torn last line (no newline) is not a record.
        let complete = &text[..text.rfind('\n')? + 1];
        let mut lines = complete.lines();
        if lines.next()? != self.header().trim_end() {
            return None;
        }
        let mut data = IndexData::default();
        for line in lines {
            self.records += 1;
            let mut fields = line.split(' ');
            let kind = fields.next();
            let Some(Ok(uid)) = fields.next().map(str::parse::<u32>) else {
                continue;
            };
            match kind {
                Some("m") | Some("x") => {
                    let Some(Ok(modseq)) = fields.next().map(str::parse::<u64>) else {
                        continue;
                    };
                    if kind == Some("m") {
                        data.modseqs.insert(uid, modseq);
                    } else {
                        data.modseqs.remove(&uid);
                        data.extra_keywords.remove(&uid);
                        data.tombstones.push(Expunged { uid, modseq });
                    }
                }
                Some("k") => {
                    let words: Vec<String> = fields
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect();
                    if words.is_empty() {
                        data.extra_keywords.remove(&uid);
                    } else {
                        data.extra_keywords.insert(uid, words);
                    }
                }
                _ => {}
            }
        }
        data.tombstones.sort_by_key(|t| t.modseq);
        Some(data)
    }

    fn header(&self) -> String {
        format!("imapkit-index 1 V{}\n", self.uidvalidity)
    }

    /// Appends records durably.
    pub(crate) fn append(&mut self, records: &[Record]) -> io::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let mut file = match OpenOptions::new().append(true).open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let mut file = File::create(&self.path)?;
                file.write_all(self.header().as_bytes())?;
                file
            }
            Err(e) => return Err(e),
        };
        let text: String = records.iter().map(Record::line).collect();
        file.write_all(text.as_bytes())?;
        file.sync_data()?;
        self.records += records.len();
        Ok(())
    }

    /// Whether the file holds many more records than `live` ones.
    pub(crate) fn wants_compaction(&self, live: usize) -> bool {
        self.records > 4 * live + 1024
    }

    /// Replaces the file with exactly `data`.
    pub(crate) fn rewrite(&mut self, data: &IndexData) -> io::Result<()> {
        let mut text = self.header();
        let mut records = 0;
        let mut modseqs: Vec<_> = data.modseqs.iter().collect();
        modseqs.sort_unstable();
        for (&uid, &modseq) in modseqs {
            text.push_str(&Record::Modseq(uid, modseq).line());
            records += 1;
        }
        for t in &data.tombstones {
            text.push_str(&Record::Expunge(t.uid, t.modseq).line());
            records += 1;
        }
        for (&uid, words) in &data.extra_keywords {
            text.push_str(&Record::Keywords(uid, words.clone()).line());
            records += 1;
        }
        write_atomic(&self.path, text.as_bytes())?;
        self.records = records;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_what_was_appended() {
        let dir = tempfile::tempdir().unwrap();
        let (mut index, data) = Index::open(dir.path(), 7);
        assert!(data.is_none());
        index
            .append(&[
                Record::Modseq(1, 2),
                Record::Modseq(2, 3),
                Record::Keywords(2, vec!["k27".into()]),
                Record::Expunge(1, 4),
            ])
            .unwrap();
        let (_, data) = Index::open(dir.path(), 7);
        let data = data.unwrap();
        assert_eq!(data.modseqs, HashMap::from([(2, 3)]));
        assert_eq!(data.tombstones, [Expunged { uid: 1, modseq: 4 }]);
        assert_eq!(data.extra_keywords[&2], ["k27"]);
        assert_eq!(data.highest_modseq(), 4);
        // Another UIDVALIDITY: the data is not this folder's.
        assert!(Index::open(dir.path(), 8).1.is_none());
    }

    #[test]
    fn torn_record_is_ignored_and_rewrite_compacts() {
        let dir = tempfile::tempdir().unwrap();
        let (mut index, _) = Index::open(dir.path(), 1);
        index.append(&[Record::Modseq(1, 5)]).unwrap();
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(FILE))
            .unwrap();
        file.write_all(b"m 2 9").unwrap();
        let (mut index, data) = Index::open(dir.path(), 1);
        let data = data.unwrap();
        assert_eq!(data.modseqs, HashMap::from([(1, 5)]));
        index.rewrite(&data).unwrap();
        assert_eq!(Index::open(dir.path(), 1).1.unwrap(), data);
    }
}
