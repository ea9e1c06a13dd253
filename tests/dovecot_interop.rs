//! Dovecot serves a Maildir after imapkit changed it, with the same
//! UIDVALIDITY, UIDs, flags, keywords, bodies and subscriptions; then
//! imapkit serves it again after Dovecot changed it (issue 7).
//!
//! The test starts a private Debian Dovecot of its own through
//! `../shared/reference/dovecot.sh` (which installs `dovecot-imapd` when
//! missing), in its own directory and on free ports, and stops it at the
//! end. Where that script is absent (outside this project's machines) the
//! test says so and passes without checking anything.

mod support;

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use imapkit::maildir::{Layout, MaildirBackend};
use imapkit::server::backend::StoredPassword;
use support::{server_with, test_limits, Client};

/// The mailboxes compared, with their messages.
const MAILBOXES: [&str; 2] = ["INBOX", "Work/Projects"];

/// A private Dovecot instance, stopped and removed when dropped.
struct Dovecot {
    script: PathBuf,
    dir: PathBuf,
    port: u16,
    tls_port: u16,
}

impl Dovecot {
    /// Installs (when needed) and starts it; `None` without the script.
    fn start() -> Option<Self> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/dovecot.sh");
        if !script.exists() {
            eprintln!("SKIP: {} is not there", script.display());
            return None;
        }
        let dovecot = Self {
            script,
            dir: std::env::temp_dir().join(format!("imapkit-interop-{}", std::process::id())),
            port: free_port(),
            tls_port: free_port(),
        };
        dovecot.run("start");
        Some(dovecot)
    }

    fn run(&self, action: &str) {
        let status = Command::new("bash")
            .arg(&self.script)
            .arg(action)
            .env("DIR", &self.dir)
            .env("PORT", self.port.to_string())
            .env("TLSPORT", self.tls_port.to_string())
            .status()
            .expect("run dovecot.sh");
        assert!(status.success(), "dovecot.sh {action}: {status}");
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// alice's Maildir, which this Dovecot serves.
    fn maildir(&self) -> PathBuf {
        self.dir.join("mail").join("alice")
    }

    /// Hands alice's Maildir to Dovecot's mail user.
    fn chown(&self) {
        let status = Command::new("chown")
            .args(["-R", "vmail:vmail"])
            .arg(self.maildir())
            .status()
            .expect("chown");
        assert!(status.success(), "chown: {status}");
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.run("stop");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// What a client sees of one mailbox.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    uidvalidity: u32,
    /// Flags (without `\Recent`, which is the session's) and body by UID.
    messages: BTreeMap<u32, (Vec<String>, Vec<u8>)>,
}

/// Sends `line` and asserts a tagged OK.
async fn ok(client: &mut Client, line: &str) -> Vec<String> {
    let lines = client.command(line).await;
    let tag = line.split(' ').next().expect("a tag");
    assert!(
        lines.last().unwrap().starts_with(&format!("{tag} OK")),
        "{line}: {lines:?}"
    );
    lines
}

/// APPENDs `body` to `mailbox` with `flags`.
async fn append(client: &mut Client, mailbox: &str, flags: &str, body: &str) {
    client
        .send(format!("A APPEND \"{mailbox}\" ({flags}) {{{}}}\r\n", body.len()).as_bytes())
        .await;
    let go = client.line().await;
    assert!(go.starts_with('+'), "{go}");
    client.send(format!("{body}\r\n").as_bytes()).await;
    let lines = client.until_tagged("A").await;
    assert!(lines.last().unwrap().starts_with("A OK"), "{lines:?}");
}

/// The number after `key` in `line`.
fn number_after(line: &str, key: &str) -> Option<u32> {
    let rest = &line[line.find(key)? + key.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Everything `client` (logged in) sees of `mailbox`.
async fn look(client: &mut Client, mailbox: &str) -> Seen {
    let lines = ok(client, &format!("S EXAMINE \"{mailbox}\"")).await;
    let uidvalidity = lines
        .iter()
        .find_map(|l| number_after(l, "[UIDVALIDITY "))
        .expect("UIDVALIDITY");
    let mut messages = BTreeMap::new();
    for line in ok(client, "F UID FETCH 1:* FLAGS").await {
        let (Some(uid), Some(start)) = (number_after(&line, "UID "), line.find("FLAGS (")) else {
            continue;
        };
        let flags = &line[start + "FLAGS (".len()..];
        let flags = &flags[..flags.find(')').expect("the end of FLAGS")];
        let mut flags: Vec<String> = flags
            .split_whitespace()
            .filter(|f| *f != "\\Recent")
            .map(str::to_string)
            .collect();
        flags.sort();
        messages.insert(uid, (flags, Vec::new()));
    }
    for (uid, (_, body)) in &mut messages {
        client
            .send(format!("B UID FETCH {uid} BODY.PEEK[]\r\n").as_bytes())
            .await;
        let first = client.line().await;
        let size = number_after(&first, "BODY[] {").expect("a literal");
        *body = client.bytes(size as usize).await;
        let rest = client.until_tagged("B").await;
        assert!(rest.last().unwrap().starts_with("B OK"), "{rest:?}");
    }
    Seen {
        uidvalidity,
        messages,
    }
}

/// The subscribed names.
async fn subscriptions(client: &mut Client) -> Vec<String> {
    let mut names: Vec<String> = ok(client, "L LSUB \"\" \"*\"")
        .await
        .iter()
        .filter(|l| l.starts_with("* LSUB"))
        .map(|l| l.rsplit(' ').next().unwrap().trim_matches('"').to_string())
        .collect();
    names.sort();
    names
}

/// What `client` sees of every compared mailbox, and its subscriptions.
async fn look_all(client: &mut Client) -> (Vec<Seen>, Vec<String>) {
    let mut seen = Vec::new();
    for mailbox in MAILBOXES {
        seen.push(look(client, mailbox).await);
    }
    (seen, subscriptions(client).await)
}

async fn imapkit(maildir: &Path) -> Client {
    let backend = MaildirBackend::new(Layout::MaildirPlusPlus);
    backend
        .add_user("alice", StoredPassword::plain("secret"), maildir)
        .expect("a Maildir");
    let server = server_with(Arc::new(backend), test_limits()).await;
    Client::alice(&server).await
}

async fn dovecot_client(dovecot: &Dovecot) -> Client {
    let (mut client, greeting) = Client::tcp(dovecot.addr()).await;
    assert!(greeting.starts_with("* OK"), "{greeting}");
    ok(&mut client, "L1 LOGIN alice secret").await;
    client
}

#[tokio::test]
async fn dovecot_and_imapkit_serve_each_others_changes() {
    let Some(dovecot) = Dovecot::start() else {
        return;
    };
    let maildir = dovecot.maildir();
    std::fs::create_dir_all(&maildir).expect("alice's Maildir");

    // imapkit writes: folders, subscriptions, flags, keywords, an expunge.
    let mut ours = imapkit(&maildir).await;
    ok(&mut ours, "C1 CREATE Work/Projects").await;
    ok(&mut ours, "C2 CREATE Sent").await;
    ok(&mut ours, "C3 SUBSCRIBE Work/Projects").await;
    ok(&mut ours, "C4 SUBSCRIBE Sent").await;
    for (flags, n) in [
        ("\\Seen", 1),
        ("\\Flagged $Forwarded NonJunk", 2),
        ("", 3),
        ("\\Answered \\Draft", 4),
    ] {
        let body = format!("From: a@example.org\r\nSubject: m{n}\r\n\r\nbody {n}\r\n");
        append(&mut ours, "INBOX", flags, &body).await;
    }
    append(
        &mut ours,
        "Work/Projects",
        "\\Seen",
        "Subject: p\r\n\r\nplan\r\n",
    )
    .await;
    ok(&mut ours, "S1 SELECT INBOX").await;
    ok(&mut ours, "S2 STORE 3 +FLAGS.SILENT (\\Deleted)").await;
    ok(&mut ours, "S3 EXPUNGE").await;
    ok(&mut ours, "S4 STORE 1 +FLAGS.SILENT ($Junk)").await;
    let by_imapkit = look_all(&mut ours).await;
    ok(&mut ours, "Z LOGOUT").await;
    assert_eq!(by_imapkit.0[0].messages.len(), 3, "{by_imapkit:?}");

    // Dovecot serves it as imapkit left it.
    dovecot.chown();
    let mut theirs = dovecot_client(&dovecot).await;
    assert_eq!(look_all(&mut theirs).await, by_imapkit);

    // Dovecot changes it; imapkit serves what Dovecot left.
    append(
        &mut theirs,
        "INBOX",
        "\\Seen Custom1",
        "Subject: d\r\n\r\nby Dovecot\r\n",
    )
    .await;
    ok(&mut theirs, "S1 SELECT INBOX").await;
    ok(&mut theirs, "S2 UID STORE 2 -FLAGS.SILENT (\\Flagged)").await;
    ok(&mut theirs, "S3 UID STORE 2 +FLAGS.SILENT (\\Seen)").await;
    let by_dovecot = look_all(&mut theirs).await;
    ok(&mut theirs, "Z LOGOUT").await;
    assert_eq!(by_dovecot.0[0].messages.len(), 4, "{by_dovecot:?}");
    let mut ours = imapkit(&maildir).await;
    assert_eq!(look_all(&mut ours).await, by_dovecot);
}
