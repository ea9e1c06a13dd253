//! Durable file operations: atomic replacement, directory fsync, unique
//! Maildir base names, and the mapping of I/O errors to backend errors.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use imapkit_server::backend::BackendError;

/// `ENOSPC` and `EDQUOT` on Linux: a full disk or a quota, answered
/// `NO [OVERQUOTA]` so the client knows it is not a bug and may retry
/// once space is freed.
const NO_SPACE: [i32; 2] = [28, 122];

/// The backend error for a failed file operation.
pub(crate) fn backend_error(error: io::Error) -> BackendError {
    if error
        .raw_os_error()
        .is_some_and(|code| NO_SPACE.contains(&code))
    {
        BackendError::OverQuota
    } else {
        BackendError::internal(error)
    }
}

/// Makes the entries of `dir` (creations, renames, removals) durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Replaces `path` with `contents` atomically and durably: a reader sees
/// the old file or the new one, never a part, also after a crash.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.{}.tmp", unique_suffix()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Writes a new file durably (it must not exist yet).
pub(crate) fn write_new(path: &Path, contents: &[u8]) -> io::Result<File> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(contents)?;
    file.sync_all()?;
    Ok(file)
}

/// This process's counter, for names no two calls share.
fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}Q{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Seconds and microseconds since the Unix epoch.
pub(crate) fn now() -> (u64, u32) {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    (since.as_secs(), since.subsec_micros())
}

/// A new Maildir base name, unique across processes and hosts
/// (`<secs>.M<usecs>P<pid>Q<n>.<host>`, as Dovecot writes them, with a
/// per-process counter for two deliveries in one microsecond).
pub(crate) fn unique_base() -> String {
    let (secs, micros) = now();
    format!("{secs}.M{micros}P{}.{}", unique_suffix(), hostname())
}

/// The host name for base names, with `/` and `:` written as the Maildir
/// specification says (`\057`, `\072`), and `,` (our field separator) too.
fn hostname() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        let raw = fs::read_to_string("/proc/sys/kernel/hostname")
            .or_else(|_| fs::read_to_string("/etc/hostname"))
            .unwrap_or_default();
        let raw = raw.trim();
        let raw = if raw.is_empty() { "localhost" } else { raw };
        raw.chars()
            .map(|c| match c {
                '/' => "\\057".to_string(),
                ':' => "\\072".to_string(),
                ',' => "\\054".to_string(),
                c if c.is_control() => "_".to_string(),
                c => c.to_string(),
            })
            .collect()
    })
}

/// A 128-bit hex identifier (the `G` of a `dovecot-uidlist`, our mailbox
/// id): time, process and counter, mixed so neighbours differ everywhere.
pub(crate) fn new_guid() -> String {
    let (secs, micros) = now();
    let seed = format!("{secs}.{micros}.{}", unique_suffix());
    let a = fnv1a(seed.as_bytes(), 0xcbf2_9ce4_8422_2325);
    let b = fnv1a(seed.as_bytes(), a ^ 0x9e37_79b9_7f4a_7c15);
    format!("{a:016x}{b:016x}")
}

/// FNV-1a, 64 bits: a stable hash for ids derived from names.
pub(crate) fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    bytes.iter().fold(seed, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_names_are_unique_and_safe() {
        let a = unique_base();
        let b = unique_base();
        assert_ne!(a, b);
        assert!(!a.contains('/') && !a.contains(':') && !a.contains(','));
        assert_eq!(new_guid().len(), 32);
        assert_ne!(new_guid(), new_guid());
    }

    #[test]
    fn atomic_write_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn full_disk_is_over_quota() {
        let error = io::Error::from_raw_os_error(28);
        assert!(matches!(backend_error(error), BackendError::OverQuota));
    }
}
