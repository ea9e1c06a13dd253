//! The scenarios measured round by round on both servers.

use std::fs::{self, File};
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use tokio_rustls::TlsConnector;

use crate::client::Client;
use crate::corpus::{message, Rng};
use crate::{APPENDS, BATCH, BODIES, CONNECTIONS, LOGINS, PASSWORD, SELECTS, STORES, USER};

/// A server under test.
pub struct Target {
    /// Its name in the table.
    pub name: &'static str,
    /// Its plain IMAP address.
    pub addr: SocketAddr,
    /// Its implicit-TLS address.
    pub tls_addr: SocketAddr,
    /// The Maildir of [`USER`].
    pub maildir: PathBuf,
    /// Our server process (None for Dovecot, which runs on its own).
    pub child: Option<Child>,
    /// Our server's stdout, kept open while it runs.
    pub _stdout: Option<ChildStdout>,
}

/// Starts `serve-maildir` on the users file and mail root, and reads its
/// `listening on` lines; returns the plain and TLS addresses, the process
/// and its stdout.
pub fn start_ours(bin: &Path, root: &Path) -> (SocketAddr, SocketAddr, Child, ChildStdout) {
    let users = root.join("users");
    fs::write(&users, format!("{USER}:{{PLAIN}}{PASSWORD}\n")).expect("write the users file");
    let log = File::create(root.join("server.log")).expect("create the server log");
    let mut child = Command::new(bin)
        .arg("--mail-root")
        .arg(root)
        .arg("--users")
        .arg(&users)
        .args(["--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0"])
        .args(["--log", "warn"])
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufReader::new(stdout);
    let mut addrs = Vec::new();
    while addrs.len() < 2 {
        let mut line = String::new();
        if lines.read_line(&mut line).expect("read stdout") == 0 {
            panic!(
                "{} exited; see {}",
                bin.display(),
                root.join("server.log").display()
            );
        }
        if let Some(addr) = line.trim().strip_prefix("listening on ") {
            addrs.push(addr.parse::<SocketAddr>().expect("a listening address"));
        }
    }
    (addrs[0], addrs[1], child, lines.into_inner())
}

/// The scenarios, each one number per round and server.
#[derive(Clone, Copy)]
pub enum Scenario {
    /// LOGIN+LOGOUT cycles on [`CONNECTIONS`] connections, plain or
    /// implicit TLS (a full handshake each time).
    Login {
        /// Over TLS.
        tls: bool,
    },
    /// SELECT INBOX on a fresh session of an already indexed folder.
    SelectWarm,
    /// A desktop client's first sync of the whole folder.
    FullSync,
    /// Header fields in batches of [`BATCH`] UIDs over the whole folder.
    Headers,
    /// Random whole messages on [`CONNECTIONS`] connections.
    RandomBody,
    /// One of [`Bench::searches`].
    Search(usize),
    /// Random flag changes on [`CONNECTIONS`] connections.
    Store,
    /// APPENDs on one connection.
    Append,
}

impl Scenario {
    /// The scenario's name in `SCENARIOS`.
    pub fn key(self) -> &'static str {
        match self {
            Scenario::Login { tls: false } => "login",
            Scenario::Login { tls: true } => "login-tls",
            Scenario::SelectWarm => "select",
            Scenario::FullSync => "sync",
            Scenario::Headers => "headers",
            Scenario::RandomBody => "body",
            Scenario::Search(_) => "search",
            Scenario::Store => "store",
            Scenario::Append => "append",
        }
    }
}

/// The run's settings.
pub struct Bench {
    /// Messages in the corpus.
    pub messages: usize,
    /// Rounds per scenario.
    pub rounds: usize,
    /// The SEARCH scenarios: a label and the search key.
    pub searches: Vec<(&'static str, String)>,
    /// A TLS client trusting both servers' certificates.
    pub tls: TlsConnector,
}

/// One table row: a scenario's samples on both servers.
pub struct Row {
    pub name: String,
    pub unit: &'static str,
    pub higher_is_better: bool,
    /// Samples of imapkit, then of Dovecot.
    pub samples: [Vec<f64>; 2],
    /// What each server answered (messages fetched, search hits), to
    /// check they did the same work.
    pub checks: [usize; 2],
}

impl Bench {
    /// The scenario's name, unit, and whether a higher number is better.
    pub fn describe(&self, scenario: Scenario) -> (String, &'static str, bool) {
        match scenario {
            Scenario::Login { tls } => {
                let over = if tls { "TLS" } else { "plain" };
                (
                    format!("LOGIN+LOGOUT, {over}, {CONNECTIONS} conns"),
                    "/s",
                    true,
                )
            }
            Scenario::SelectWarm => ("SELECT INBOX, warm".into(), "ms", false),
            Scenario::FullSync => (
                "UID FETCH 1:* ENVELOPE BODYSTRUCTURE..".into(),
                "msg/s",
                true,
            ),
            Scenario::Headers => (
                format!("UID FETCH {BATCH}-UID batches HEADER.FIELDS"),
                "msg/s",
                true,
            ),
            Scenario::RandomBody => (
                format!("random BODY.PEEK[], {CONNECTIONS} conns"),
                "msg/s",
                true,
            ),
            Scenario::Search(i) => (format!("SEARCH {}", self.searches[i].0), "ms", false),
            Scenario::Store => (format!("random STORE, {CONNECTIONS} conns"), "op/s", true),
            Scenario::Append => ("APPEND, 1 conn".into(), "msg/s", true),
        }
    }

    /// Runs one round of `scenario` against `target`; returns the sample
    /// and the check number.
    pub async fn sample(&self, scenario: Scenario, target: &Target, round: usize) -> (f64, usize) {
        let addr = target.addr;
        match scenario {
            Scenario::Login { tls } => {
                let (addr, connector) = if tls {
                    (target.tls_addr, Some(self.tls.clone()))
                } else {
                    (addr, None)
                };
                let start = Instant::now();
                let tasks: Vec<_> = (0..CONNECTIONS)
                    .map(|_| {
                        let connector = connector.clone();
                        tokio::spawn(async move {
                            for _ in 0..LOGINS {
                                Client::login_over(addr, connector.as_ref())
                                    .await
                                    .logout()
                                    .await;
                            }
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.expect("a login task");
                }
                let cycles = CONNECTIONS * LOGINS;
                (rate(cycles, start), cycles)
            }
            Scenario::SelectWarm => {
                let mut total = Duration::ZERO;
                let mut exists = 0;
                for _ in 0..SELECTS {
                    let mut client = Client::login(addr).await;
                    let start = Instant::now();
                    exists = client.command("SELECT INBOX").await.exists;
                    total += start.elapsed();
                    client.logout().await;
                }
                (millis(total) / SELECTS as f64, exists)
            }
            Scenario::FullSync => {
                let mut client = Client::inbox(addr).await;
                let start = Instant::now();
                let reply = client
                    .command(
                        "UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)",
                    )
                    .await;
                let sample = rate(reply.fetches, start);
                client.logout().await;
                (sample, reply.fetches)
            }
            Scenario::Headers => {
                let mut client = Client::inbox(addr).await;
                let start = Instant::now();
                let mut fetched = 0;
                for first in (1..=self.messages).step_by(BATCH) {
                    let command = format!(
                        "UID FETCH {first}:{} (FLAGS BODY.PEEK[HEADER.FIELDS (From To Subject Date Message-ID)])",
                        first + BATCH - 1
                    );
                    fetched += client.command(&command).await.fetches;
                }
                let sample = rate(fetched, start);
                client.logout().await;
                (sample, fetched)
            }
            Scenario::RandomBody => {
                let messages = self.messages;
                self.on_connections(addr, round, BODIES, move |rng| {
                    format!("UID FETCH {} BODY.PEEK[]", 1 + rng.below(messages))
                })
                .await
            }
            Scenario::Store => {
                let messages = self.messages;
                let (sample, _) = self
                    .on_connections(addr, round, STORES, move |rng| {
                        let sign = if rng.below(2) == 0 { '+' } else { '-' };
                        format!(
                            "UID STORE {} {sign}FLAGS (\\Flagged)",
                            1 + rng.below(messages)
                        )
                    })
                    .await;
                // The FETCH responses include other sessions' changes.
                (sample, CONNECTIONS * STORES)
            }
            Scenario::Search(i) => {
                let mut client = Client::inbox(addr).await;
                let start = Instant::now();
                let reply = client
                    .command(&format!("UID SEARCH {}", self.searches[i].1))
                    .await;
                let sample = millis(start.elapsed());
                client.logout().await;
                (sample, reply.hits)
            }
            Scenario::Append => {
                let mut client = Client::login(addr).await;
                let messages: Vec<(String, Vec<u8>)> = (0..APPENDS)
                    .map(|k| {
                        let m = message(self.messages + round * APPENDS + k, self.messages);
                        let flags = if m.flags.contains('S') { "\\Seen" } else { "" };
                        let text = String::from_utf8(m.text).expect("ASCII");
                        (flags.to_owned(), text.replace('\n', "\r\n").into_bytes())
                    })
                    .collect();
                let start = Instant::now();
                for (flags, text) in &messages {
                    client.append(flags, text).await;
                }
                let sample = rate(APPENDS, start);
                client.logout().await;
                (sample, APPENDS)
            }
        }
    }

    /// [`CONNECTIONS`] sessions on INBOX, logged in before the clock
    /// starts, each sending `count` commands that `command` makes from its
    /// own deterministic stream, one at a time; returns commands per
    /// second and the FETCH responses seen.
    pub async fn on_connections(
        &self,
        addr: SocketAddr,
        round: usize,
        count: usize,
        command: impl Fn(&mut Rng) -> String + Copy + Send + 'static,
    ) -> (f64, usize) {
        let mut clients = Vec::new();
        for _ in 0..CONNECTIONS {
            clients.push(Client::inbox(addr).await);
        }
        let start = Instant::now();
        let tasks: Vec<_> = clients
            .into_iter()
            .enumerate()
            .map(|(c, mut client)| {
                tokio::spawn(async move {
                    let mut rng = Rng::new(((round * CONNECTIONS + c) as u64) << 32);
                    let mut fetched = 0;
                    for _ in 0..count {
                        fetched += client.command(&command(&mut rng)).await.fetches;
                    }
                    (client, fetched)
                })
            })
            .collect();
        let mut done = Vec::new();
        for task in tasks {
            done.push(task.await.expect("a session task"));
        }
        let sample = rate(CONNECTIONS * count, start);
        let mut fetched = 0;
        for (client, n) in done {
            fetched += n;
            client.logout().await;
        }
        (sample, fetched)
    }
}

/// `count` per second since `start`.
pub fn rate(count: usize, start: Instant) -> f64 {
    count as f64 / start.elapsed().as_secs_f64()
}

/// A duration in milliseconds.
pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
