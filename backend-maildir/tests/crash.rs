//! `kill -9` while a process appends and stores: after a restart every
//! acknowledged message is there with its exact bytes and flags, nothing
//! partial is visible, UIDVALIDITY is unchanged and the next UID is above
//! every earlier one.
//!
//! The writer is this test binary itself, run again with
//! `CRASH_WRITER_DIR` set (the `writer` test then appends and stores in a
//! loop, printing each acknowledgement), and killed with SIGKILL by the
//! parent test at a moment of its choosing.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use bytes::Bytes;
use imapkit_maildir::{Layout, MaildirBackend};
use imapkit_server::backend::{
    AppendMessage, ConnectionInfo, Credentials, Flag, Flags, InternalDate, OpenMode, StoreOp,
    StoredPassword,
};
use imapkit_server::{Backend, Session};

const WRITER_ENV: &str = "CRASH_WRITER_DIR";

/// Message `i`: a subject naming it and a body whose size varies up to
/// a few hundred KiB, so some kills land inside a large write.
fn message(i: usize) -> Vec<u8> {
    let size = (i * 7919) % 300_000;
    let mut bytes = format!("Subject: message {i}\r\n\r\n").into_bytes();
    bytes.extend((0..size).map(|n| b'a' + (n % 26) as u8));
    bytes.extend_from_slice(b"\r\n");
    bytes
}

fn number_of(body: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(&body[..body.len().min(40)]).ok()?;
    text.strip_prefix("Subject: message ")?
        .split("\r\n")
        .next()?
        .parse()
        .ok()
}

async fn login(root: &Path) -> Box<dyn Session> {
    let backend = MaildirBackend::new(Layout::MaildirPlusPlus);
    backend
        .add_user("alice", StoredPassword::plain("secret"), root)
        .unwrap();
    let backend: Arc<dyn Backend> = Arc::new(backend);
    backend
        .authenticate(
            &Credentials::password("alice", "secret"),
            &ConnectionInfo::default(),
        )
        .await
        .unwrap()
}

/// The writer process (does nothing in a normal test run).
#[tokio::test]
async fn writer() {
    let Ok(dir) = std::env::var(WRITER_ENV) else {
        return;
    };
    let session = login(Path::new(&dir)).await;
    let inbox = session.lookup("INBOX").await.unwrap().id;
    let mailbox = session.open(&inbox, OpenMode::ReadWrite).await.unwrap();
    let mut out = std::io::stdout().lock();
    let start: usize = std::env::var("CRASH_WRITER_START")
        .unwrap()
        .parse()
        .unwrap();
    for i in start.. {
        let appended = session
            .append(
                &inbox,
                vec![AppendMessage::new(
                    Flags::new(),
                    InternalDate::now(),
                    Bytes::from(message(i)),
                )],
            )
            .await
            .unwrap();
        let uid = appended.uids[0];
        writeln!(out, "append {uid} {i} {}", appended.uidvalidity).unwrap();
        if i % 3 == 0 {
            mailbox
                .store(&[uid], StoreOp::Add, &[Flag::Flagged], None)
                .await
                .unwrap();
            writeln!(out, "flag {uid}").unwrap();
        }
        out.flush().unwrap();
    }
}

#[tokio::test]
async fn kill_9_loses_no_acknowledged_message() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut acked: Vec<(u32, usize)> = Vec::new();
    let mut flagged = Vec::new();
    let mut uidvalidity = None;
    for (round, acks_before_kill) in [3usize, 17, 40].into_iter().enumerate() {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "writer", "--nocapture", "--test-threads=1"])
            .env(WRITER_ENV, root)
            .env("CRASH_WRITER_START", (round * 1000).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = 0;
        while seen < acks_before_kill {
            let line = lines.next().expect("the writer runs").unwrap();
            let fields: Vec<&str> = line.split(' ').collect();
            match fields.as_slice() {
                ["append", uid, i, validity] => {
                    acked.push((uid.parse().unwrap(), i.parse().unwrap()));
                    let validity: u32 = validity.parse().unwrap();
                    assert_eq!(*uidvalidity.get_or_insert(validity), validity);
                    seen += 1;
                }
                ["flag", uid] => flagged.push(uid.parse::<u32>().unwrap()),
                _ => {}
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();

        let session = login(root).await;
        let inbox = session.lookup("INBOX").await.unwrap().id;
        let mailbox = session.open(&inbox, OpenMode::ReadOnly).await.unwrap();
        let snapshot = mailbox.snapshot().await.unwrap();
        assert_eq!(Some(snapshot.uidvalidity), uidvalidity, "UIDVALIDITY kept");
        let mut last_uid = 0;
        for meta in &snapshot.messages {
            let body = mailbox.fetch_message(meta.uid).await.unwrap();
            let i = number_of(&body).expect("a complete message");
            assert_eq!(&body[..], &message(i)[..], "uid {} is whole", meta.uid);
            last_uid = meta.uid;
        }
        for &(uid, i) in &acked {
            let meta = snapshot
                .messages
                .iter()
                .find(|m| m.uid == uid)
                .unwrap_or_else(|| panic!("acknowledged uid {uid} (message {i}) survives"));
            let body = mailbox.fetch_message(uid).await.unwrap();
            assert_eq!(number_of(&body), Some(i));
            // An acknowledged STORE stays (one cut off before its answer
            // may or may not have happened).
            if flagged.contains(&uid) {
                assert!(
                    meta.flags.contains(&Flag::Flagged),
                    "uid {uid} keeps \\Flagged"
                );
            }
        }
        assert!(snapshot.uidnext > last_uid, "the next UID is above all");
        // Nothing half written is visible in cur/ or new/.
        assert_eq!(snapshot.messages.len(), fs_count(root));
    }
}

fn fs_count(root: &Path) -> usize {
    ["cur", "new"]
        .iter()
        .map(|sub| std::fs::read_dir(root.join(sub)).unwrap().count())
        .sum()
}
