//! The Maildir backend behind the engine, on the wire: other programs'
//! changes reach an idling client, concurrent STOREs end in the union,
//! and a full disk answers `NO [OVERQUOTA]`, damages nothing, and the
//! session works again once space is freed.

mod support;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use imapkit::maildir::{Layout, MaildirBackend};
use imapkit::server::backend::StoredPassword;
use imapkit::server::config::Limits;

use support::{server_with, test_limits, Client};

async fn maildir_server(root: &Path) -> Arc<imapkit::server::Server> {
    let backend = MaildirBackend::new(Layout::MaildirPlusPlus);
    backend
        .add_user("alice", StoredPassword::plain("secret"), root)
        .expect("a Maildir");
    let limits = Limits {
        idle_recheck: Duration::from_millis(200),
        ..test_limits()
    };
    server_with(Arc::new(backend), limits).await
}

fn append_command(tag: &str, body: &[u8]) -> Vec<u8> {
    let mut command = format!("{tag} APPEND INBOX {{{}+}}\r\n", body.len()).into_bytes();
    command.extend_from_slice(body);
    command.extend_from_slice(b"\r\n");
    command
}

/// Reads lines until one contains `needle`, within `seconds`.
async fn wait_for(client: &mut Client, needle: &str, seconds: u64) -> String {
    let found = tokio::time::timeout(Duration::from_secs(seconds), async {
        loop {
            let line = client.line().await;
            if line.contains(needle) {
                return line;
            }
        }
    });
    found
        .await
        .unwrap_or_else(|_| panic!("{needle:?} within {seconds} s"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sees_delivery_rename_and_deletion_by_other_programs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let server = maildir_server(root).await;
    let mut client = Client::alice(&server).await;
    client.command("S SELECT INBOX").await;
    client.send(b"I IDLE\r\n").await;
    assert_eq!(client.line().await, "+ idling");

    // An MTA delivers: tmp/, then new/.
    let mail = b"From: mta@example.org\nSubject: delivered\n\nhello\n";
    std::fs::write(root.join("tmp/1796300000.P9.mta"), mail).unwrap();
    std::fs::rename(
        root.join("tmp/1796300000.P9.mta"),
        root.join("new/1796300000.P9.mta"),
    )
    .unwrap();
    wait_for(&mut client, "* 1 EXISTS", 3).await;

    // mutt marks it read: a rename in cur/.
    let cur = root.join("cur");
    let name = std::fs::read_dir(&cur)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name();
    let name = name.to_str().unwrap().to_string();
    std::fs::rename(cur.join(&name), cur.join(format!("{name}S"))).unwrap();
    let fetch = wait_for(&mut client, "FETCH", 3).await;
    assert!(fetch.contains("\\Seen"), "{fetch}");

    // Another program deletes it.
    std::fs::remove_file(cur.join(format!("{name}S"))).unwrap();
    wait_for(&mut client, "* 1 EXPUNGE", 3).await;
    client.send(b"DONE\r\n").await;
    let done = client.until_tagged("I").await;
    assert!(done.last().unwrap().starts_with("I OK"), "{done:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_stores_end_in_the_union() {
    let dir = tempfile::tempdir().unwrap();
    let server = maildir_server(dir.path()).await;
    let mut setup = Client::alice(&server).await;
    for n in 0..20 {
        let body = format!("Subject: {n}\r\n\r\nbody\r\n");
        setup.send(&append_command("A", body.as_bytes())).await;
        let answer = setup.until_tagged("A").await;
        assert!(answer.last().unwrap().starts_with("A OK"), "{answer:?}");
    }
    let mut a = Client::alice(&server).await;
    let mut b = Client::alice(&server).await;
    a.command("S SELECT INBOX").await;
    b.command("S SELECT INBOX").await;
    let (ra, rb) = tokio::join!(
        async {
            let mut all = Vec::new();
            for n in 1..=20 {
                all.extend(
                    a.command(&format!("T UID STORE {n} +FLAGS.SILENT (\\Seen)"))
                        .await,
                );
            }
            all
        },
        async {
            let mut all = Vec::new();
            for n in (1..=20).rev() {
                all.extend(
                    b.command(&format!("T UID STORE {n} +FLAGS.SILENT ($Work)"))
                        .await,
                );
            }
            all
        }
    );
    assert!(ra
        .iter()
        .chain(&rb)
        .filter(|l| l.starts_with("T "))
        .all(|l| l.starts_with("T OK")));
    setup.command("S EXAMINE INBOX").await;
    let lines = setup.command("F FETCH 1:* (FLAGS)").await;
    let fetched: Vec<&String> = lines.iter().filter(|l| l.starts_with("* ")).collect();
    assert_eq!(fetched.len(), 20, "{lines:?}");
    for line in fetched {
        assert!(line.contains("\\Seen") && line.contains("$Work"), "{line}");
    }
}

/// A small tmpfs, unmounted on drop.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> Option<Self> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self(dir.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[tokio::test]
async fn full_disk_answers_overquota_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_disk) = SmallDisk::mount(dir.path(), "2m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let root = dir.path().join("alice");
    let server = maildir_server(&root).await;
    let mut client = Client::alice(&server).await;
    let small = b"Subject: kept\r\n\r\nstill here\r\n".to_vec();
    client.send(&append_command("A1", &small)).await;
    assert!(client
        .until_tagged("A1")
        .await
        .last()
        .unwrap()
        .starts_with("A1 OK"));

    // Fill the disk, then ask for more than is left.
    let filler = dir.path().join("filler");
    let _ = std::fs::write(&filler, vec![b'x'; 1800 * 1024]);
    let big = vec![b'y'; 600 * 1024];
    client.send(&append_command("A2", &big)).await;
    let answer = client.until_tagged("A2").await;
    assert!(
        answer.last().unwrap().starts_with("A2 NO [OVERQUOTA]"),
        "{answer:?}"
    );
    // Nothing half written stays in tmp/ or cur/.
    assert_eq!(std::fs::read_dir(root.join("tmp")).unwrap().count(), 0);
    assert_eq!(std::fs::read_dir(root.join("cur")).unwrap().count(), 1);

    std::fs::remove_file(&filler).unwrap();
    client.send(&append_command("A3", &big)).await;
    let answer = client.until_tagged("A3").await;
    assert!(answer.last().unwrap().starts_with("A3 OK"), "{answer:?}");
    client.command("S SELECT INBOX").await;
    let lines = client.command("F FETCH 1 BODY.PEEK[]").await;
    assert!(lines.iter().any(|l| l.contains("still here")), "{lines:?}");
}
