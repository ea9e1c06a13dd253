//! Mailbox names on disk, for both layouts.
//!
//! Each part of a name is written as modified UTF-7 (RFC 3501 §5.1.3), as
//! Dovecot writes Maildir folder names, so `Entwürfe` is `Entw&APw-rfe`
//! for both programs. Characters the layout cannot hold in a part are
//! then escaped as Dovecot's `ESCAPE=%` option does, `%` and two hex
//! digits: `%` itself as `%25`, the Maildir++ separator `.` as `%2e`, and
//! in the `fs` layout a leading `.` (a hidden directory) as `%2e`. The
//! mapping is reversible, and names come back from disk through the
//! inverse, so a foreign directory named in plain UTF-8 (as mbsync writes
//! them) keeps its name too.
//!
//! Refused, with `NO [CANNOT]`: control characters (NUL, CR, LF, ESC...),
//! parts `.` and `..`, in the `fs` layout parts that are Maildir internals
//! (`cur`, `new`, `tmp`), parts longer than a directory name can be, and
//! more than [`MAX_LEVELS`] levels. Every name maps to a directory inside
//! the user's root, never anywhere else.

use std::path::{Path, PathBuf};

use imapkit_proto::utf7;
use imapkit_server::backend::{BackendError, Result};

use crate::Layout;

/// The hierarchy delimiter of IMAP names.
pub(crate) const DELIMITER: char = '/';
/// The most levels a name may have (`a/b/c` has three).
pub(crate) const MAX_LEVELS: usize = 64;
/// The longest directory name most file systems hold, in bytes.
const MAX_DIR_NAME: usize = 255;
/// Directory names the `fs` layout cannot give a folder.
const INTERNALS: [&str; 3] = ["cur", "new", "tmp"];

/// The directory of `name` under `root`.
///
/// # Errors
/// [`BackendError::Cannot`] for a name the store cannot hold (see the
/// module docs).
pub(crate) fn dir_of(root: &Path, layout: Layout, name: &str) -> Result<PathBuf> {
    if name == "INBOX" {
        return Ok(root.to_path_buf());
    }
    let parts: Vec<&str> = name.split(DELIMITER).collect();
    if parts.len() > MAX_LEVELS {
        return Err(BackendError::cannot(format!(
            "mailbox names have at most {MAX_LEVELS} levels"
        )));
    }
    let encoded = parts
        .iter()
        .map(|part| encode_part(part, layout))
        .collect::<Result<Vec<_>>>()?;
    match layout {
        Layout::MaildirPlusPlus => {
            let dir = format!(".{}", encoded.join("."));
            if dir.len() > MAX_DIR_NAME {
                return Err(BackendError::cannot("mailbox name too long"));
            }
            Ok(root.join(dir))
        }
        Layout::Fs => Ok(encoded.iter().fold(root.to_path_buf(), |p, e| p.join(e))),
    }
}

fn encode_part(part: &str, layout: Layout) -> Result<String> {
    if part.is_empty() || part == "." || part == ".." {
        return Err(BackendError::cannot(
            "mailbox names have no empty, \".\" or \"..\" parts",
        ));
    }
    if part.chars().any(char::is_control) {
        return Err(BackendError::cannot(
            "mailbox names have no control characters",
        ));
    }
    if layout == Layout::Fs && INTERNALS.contains(&part) {
        return Err(BackendError::cannot(
            "cur, new and tmp are Maildir internals, not mailbox names",
        ));
    }
    let mut out = String::new();
    for (at, c) in utf7::encode(part).char_indices() {
        match c {
            '%' => out.push_str("%25"),
            '.' if layout == Layout::MaildirPlusPlus || at == 0 => out.push_str("%2e"),
            c => out.push(c),
        }
    }
    if out.len() > MAX_DIR_NAME {
        return Err(BackendError::cannot("mailbox name too long"));
    }
    Ok(out)
}

/// The name part a directory name on disk stands for; `None` for one that
/// is not a folder name.
pub(crate) fn decode_part(disk: &str) -> Option<String> {
    if disk.is_empty() || disk.chars().any(char::is_control) {
        return None;
    }
    let unescaped = unescape(disk)?;
    let name = utf7::decode(unescaped.as_bytes()).unwrap_or(unescaped);
    (!name.contains(DELIMITER) && !name.chars().any(char::is_control)).then_some(name)
}

fn unescape(disk: &str) -> Option<String> {
    let bytes = disk.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = disk.get(at + 1..at + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `name`'s proper parents, outermost first: `a/b/c` gives `a`, `a/b`.
pub(crate) fn parents(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices(DELIMITER)
        .map(move |(at, _)| &name[..at])
}

/// Whether `name` is below `parent`.
pub(crate) fn is_child(name: &str, parent: &str) -> bool {
    name.len() > parent.len()
        && name.starts_with(parent)
        && name[parent.len()..].starts_with(DELIMITER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk(layout: Layout, name: &str) -> Result<String> {
        let dir = dir_of(Path::new("/r"), layout, name)?;
        Ok(dir
            .strip_prefix("/r")
            .unwrap()
            .to_string_lossy()
            .into_owned())
    }

    #[test]
    fn maildir_plus_plus_names() {
        let m = Layout::MaildirPlusPlus;
        assert_eq!(disk(m, "INBOX").unwrap(), "");
        assert_eq!(disk(m, "Work/Projects").unwrap(), ".Work.Projects");
        assert_eq!(disk(m, "Entwürfe").unwrap(), ".Entw&APw-rfe");
        assert_eq!(disk(m, "a.b/100%").unwrap(), ".a%2eb.100%25");
        assert_eq!(decode_part("a%2eb").unwrap(), "a.b");
        assert_eq!(decode_part("100%25").unwrap(), "100%");
        assert_eq!(decode_part("Entw&APw-rfe").unwrap(), "Entwürfe");
        // A plain UTF-8 directory (not modified UTF-7) keeps its name.
        assert_eq!(decode_part("Entwürfe").unwrap(), "Entwürfe");
    }

    #[test]
    fn fs_names() {
        let f = Layout::Fs;
        assert_eq!(disk(f, "Work/Projects").unwrap(), "Work/Projects");
        assert_eq!(disk(f, "a.b/.hidden").unwrap(), "a.b/%2ehidden");
        assert!(disk(f, "Work/cur").is_err());
        assert!(disk(f, "tmp").is_err());
    }

    #[test]
    fn hostile_names_stay_inside_the_root() {
        for layout in [Layout::MaildirPlusPlus, Layout::Fs] {
            for name in ["..", "a/..", ".", "a\0b", "a\r\nb", "\u{1b}x"] {
                assert!(disk(layout, name).is_err(), "{name:?} refused");
            }
            let deep = vec!["a"; MAX_LEVELS + 1].join("/");
            assert!(disk(layout, &deep).is_err());
            assert!(disk(layout, &"x".repeat(10_240)).is_err());
            // Names that are paths elsewhere are plain names here.
            for name in ["~root", "/etc", "a:2,S"] {
                if let Ok(dir) = dir_of(Path::new("/r"), layout, name) {
                    assert!(dir.starts_with("/r"), "{name:?} -> {dir:?}");
                    assert_ne!(dir, Path::new("/r"));
                }
            }
        }
        assert_eq!(decode_part("a\u{7}"), None);
        assert_eq!(decode_part("%zz"), None);
        // Base64 for printable ASCII is not canonical modified UTF-7: the
        // name stays literal and never becomes a delimiter.
        assert_eq!(decode_part("&AC8-").as_deref(), Some("&AC8-"));
    }
}
