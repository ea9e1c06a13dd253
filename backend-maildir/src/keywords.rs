//! `dovecot-keywords`: which keyword each letter `a`-`z` of a file name
//! stands for, one `<index> <keyword>` line per letter (index 0 is `a`).
//!
//! Shared with Dovecot: a folder it served keeps its keywords, and Dovecot
//! reads the letters we write. Keywords beyond the 26 letters live in our
//! index ([`crate::index`]).

use std::io;
use std::path::Path;

use crate::fsutil::write_atomic;

/// The file's name inside a folder.
pub(crate) const FILE: &str = "dovecot-keywords";

/// The letter table of one folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Keywords {
    names: [Option<String>; 26],
}

impl Keywords {
    /// Reads the table of the folder at `dir`; a missing or damaged file
    /// gives what could be read (unknown letters then stay on disk as they
    /// are, and are not reported as flags).
    pub(crate) fn load(dir: &Path) -> io::Result<Self> {
        let text = match std::fs::read_to_string(dir.join(FILE)) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e),
        };
        let mut table = Self::default();
        for line in text.lines() {
            let Some((index, name)) = line.split_once(' ') else {
                continue;
            };
            let valid = !name.is_empty() && !name.contains(char::is_whitespace);
            if let (Ok(index), true) = (index.parse::<usize>(), valid) {
                if let Some(slot) = table.names.get_mut(index) {
                    *slot = Some(name.to_string());
                }
            }
        }
        Ok(table)
    }

    /// Writes the table to the folder at `dir`.
    pub(crate) fn save(&self, dir: &Path) -> io::Result<()> {
        let text: String = self
            .names
            .iter()
            .enumerate()
            .filter_map(|(i, name)| Some(format!("{i} {}\n", name.as_ref()?)))
            .collect();
        write_atomic(&dir.join(FILE), text.as_bytes())
    }

    /// The keyword of `letter`.
    pub(crate) fn name(&self, letter: char) -> Option<&str> {
        let index = (letter as usize).checked_sub('a' as usize)?;
        self.names.get(index)?.as_deref()
    }

    /// The letter of `keyword` (case-insensitively, as IMAP compares
    /// keywords), if it has one.
    pub(crate) fn letter(&self, keyword: &str) -> Option<char> {
        let index = self.names.iter().position(|n| {
            n.as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(keyword))
        })?;
        char::from_u32('a' as u32 + index as u32)
    }

    /// Gives `keyword` a letter if a free one is left; whether the table
    /// changed.
    pub(crate) fn assign(&mut self, keyword: &str) -> bool {
        if self.letter(keyword).is_some() {
            return false;
        }
        match self.names.iter_mut().find(|n| n.is_none()) {
            Some(slot) => {
                *slot = Some(keyword.to_string());
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_dovecots_format() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "0 $Forwarded\n1 NonJunk\nbad\n").unwrap();
        let mut table = Keywords::load(dir.path()).unwrap();
        assert_eq!(table.letter("nonjunk"), Some('b'));
        assert_eq!(table.name('a'), Some("$Forwarded"));
        assert!(table.assign("$Junk"));
        assert!(!table.assign("$JUNK"));
        table.save(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert_eq!(text, "0 $Forwarded\n1 NonJunk\n2 $Junk\n");
    }

    #[test]
    fn only_26_letters() {
        let mut table = Keywords::default();
        for i in 0..26 {
            assert!(table.assign(&format!("k{i}")));
        }
        assert!(!table.assign("one-too-many"));
        assert_eq!(table.letter("one-too-many"), None);
        assert_eq!(table.letter("k25"), Some('z'));
    }
}
