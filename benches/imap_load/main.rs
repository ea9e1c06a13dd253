//! Load benchmark against the reference Dovecot (issue 9): the same
//! generated corpus, the same client and the same scenarios, on both
//! servers in one run, over loopback (plain IMAP; LOGIN cycles also over
//! implicit TLS, pinning the certificate `serve-maildir` generates and
//! Dovecot's, `DOVECOT_CERT`, at `DOVECOT_TLS`, default `127.0.0.1:10993`).
//!
//! ```sh
//! ../shared/reference/dovecot.sh start
//! cargo build --release --example serve-maildir
//! SERVER_BIN=target/release/examples/serve-maildir MESSAGES=10000 \
//!     JSON=target/imap_load.json cargo bench --bench imap_load
//! ```
//!
//! The corpus (`MESSAGES`, default 10,000) is written as Maildir files,
//! byte for byte the same, into a fresh Maildir served by `serve-maildir`
//! (`SERVER_BIN`, started here on port 0) and into Dovecot's Maildir of
//! `bench1` (`DOVECOT_MAIL`, default `/tmp/reference-dovecot/mail`; its
//! old contents and indexes are removed so Dovecot rescans). Dovecot is
//! reached at `DOVECOT` (default `127.0.0.1:10143`).
//!
//! Each scenario runs `ROUNDS` times (default 5), alternating between the
//! servers round by round; the table gives the median and the range of
//! the rounds, and the ratio of the medians as "x faster" or "x slower"
//! for imapkit. `JSON=FILE` also writes every sample there. `SCENARIOS`
//! (comma-separated: `login`, `login-tls`, `select`, `sync`, `headers`, `body`,
//! `search`, `store`, `append`; default all) picks some, to profile one;
//! the first SELECT always runs. Last, the
//! memory of each server is read while four sessions are logged in:
//! VmRSS and PSS of our process, and the sums over Dovecot's `imap`
//! processes serving `bench1` (those with its index open).

mod client;
mod corpus;
mod report;
mod scenarios;

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::client::{connector, Client};
use crate::corpus::{imap_date, write_corpus, NEEDLE, START};
use crate::report::{cell, json, memory, number, print_table, Memory};
use crate::scenarios::{millis, start_ours, Bench, Row, Scenario, Target};

/// The login name used on both servers (one of Dovecot's bench users).
pub const USER: &str = "bench1";
/// Its password.
pub const PASSWORD: &str = "bench";
/// Concurrent sessions of the multi-connection scenarios (the issue's 4).
pub const CONNECTIONS: usize = 4;
/// LOGIN+LOGOUT cycles per connection and round.
pub const LOGINS: usize = 25;
/// Fresh sessions per round of the warm SELECT scenario (their mean is the sample).
pub const SELECTS: usize = 10;
/// UIDs per header batch, as a desktop client fetches them.
pub const BATCH: usize = 500;
/// `BODY.PEEK[]` fetches per connection and round.
pub const BODIES: usize = 250;
/// STOREs per connection and round.
pub const STORES: usize = 100;
/// APPENDs per round.
pub const APPENDS: usize = 100;

/// A numeric setting from the environment.
fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    // `cargo test --benches` runs this with `--bench` absent: nothing to do.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let messages = setting("MESSAGES", 10_000).max(BATCH);
    let rounds = setting("ROUNDS", 5).max(1);
    let bin = PathBuf::from(
        std::env::var("SERVER_BIN")
            .unwrap_or_else(|_| "target/release/examples/serve-maildir".into()),
    );
    let dovecot_addr: SocketAddr = std::env::var("DOVECOT")
        .unwrap_or_else(|_| "127.0.0.1:10143".into())
        .parse()
        .expect("DOVECOT: an address");
    let dovecot_tls: SocketAddr = std::env::var("DOVECOT_TLS")
        .unwrap_or_else(|_| "127.0.0.1:10993".into())
        .parse()
        .expect("DOVECOT_TLS: an address");
    let dovecot_cert = std::env::var("DOVECOT_CERT")
        .unwrap_or_else(|_| "/tmp/reference-dovecot/ssl/cert.pem".into());
    let dovecot_mail = PathBuf::from(
        std::env::var("DOVECOT_MAIL").unwrap_or_else(|_| "/tmp/reference-dovecot/mail".into()),
    );

    let root = tempfile::Builder::new()
        .prefix("imapkit-load")
        .tempdir()
        .expect("a temporary directory");
    let ours_maildir = root.path().join(USER);
    let dovecot_maildir = dovecot_mail.join(USER);
    if dovecot_maildir.exists() {
        fs::remove_dir_all(&dovecot_maildir).expect("remove Dovecot's old bench Maildir");
    }
    let started = Instant::now();
    let corpus_bytes = write_corpus(&[&ours_maildir, &dovecot_maildir], messages);
    let status = Command::new("chown")
        .args(["-R", "vmail:vmail"])
        .arg(&dovecot_maildir)
        .status()
        .expect("run chown");
    assert!(status.success(), "chown -R vmail:vmail failed");
    println!(
        "corpus: {messages} messages, {:.1} MB, written twice in {:.1} s; {rounds} rounds",
        corpus_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let (addr, tls_addr, child, stdout) = start_ours(&bin, root.path());
    let mut targets = [
        Target {
            name: "imapkit",
            addr,
            tls_addr,
            maildir: ours_maildir,
            child: Some(child),
            _stdout: Some(stdout),
        },
        Target {
            name: "Dovecot",
            addr: dovecot_addr,
            tls_addr: dovecot_tls,
            maildir: dovecot_maildir,
            child: None,
            _stdout: None,
        },
    ];
    let bench = Bench {
        messages,
        rounds,
        tls: connector(&[
            &root.path().join("imapkit-cert.pem"),
            Path::new(&dovecot_cert),
        ]),
        searches: vec![
            ("FROM", "FROM \"grace.hopper\"".into()),
            ("SUBJECT", "SUBJECT \"invoice\"".into()),
            ("BODY", format!("BODY \"{NEEDLE}\"")),
            ("TEXT", format!("TEXT \"{NEEDLE}\"")),
            ("UNSEEN", "UNSEEN".into()),
            (
                "SINCE-BEFORE (30 days)",
                format!(
                    "SINCE {} BEFORE {}",
                    imap_date(START + 60 * 86_400),
                    imap_date(START + 90 * 86_400)
                ),
            ),
        ],
    };

    let mut rows = Vec::new();
    // The first SELECT of the fresh Maildir: one sample per server.
    let mut first = Row {
        name: "SELECT INBOX, first (fresh Maildir)".into(),
        unit: "ms",
        higher_is_better: false,
        samples: [Vec::new(), Vec::new()],
        checks: [0; 2],
    };
    for (i, target) in targets.iter().enumerate() {
        let mut client = Client::login(target.addr).await;
        let start = Instant::now();
        first.checks[i] = client.command("SELECT INBOX").await.exists;
        first.samples[i].push(millis(start.elapsed()));
        client.logout().await;
    }
    rows.push(first);

    let mut scenarios = vec![
        Scenario::Login { tls: false },
        Scenario::Login { tls: true },
        Scenario::SelectWarm,
        Scenario::FullSync,
        Scenario::Headers,
        Scenario::RandomBody,
    ];
    scenarios.extend((0..bench.searches.len()).map(Scenario::Search));
    scenarios.extend([Scenario::Store, Scenario::Append]);
    let only = std::env::var("SCENARIOS").unwrap_or_default();
    let wanted: Vec<&str> = only.split(',').filter(|k| !k.is_empty()).collect();
    scenarios.retain(|s| wanted.is_empty() || wanted.contains(&s.key()));
    for scenario in scenarios {
        let (name, unit, higher_is_better) = bench.describe(scenario);
        let mut row = Row {
            name,
            unit,
            higher_is_better,
            samples: [Vec::new(), Vec::new()],
            checks: [0; 2],
        };
        for round in 0..rounds {
            for (i, target) in targets.iter().enumerate() {
                let (sample, check) = bench.sample(scenario, target, round).await;
                row.samples[i].push(sample);
                row.checks[i] = check;
            }
        }
        eprintln!(
            "{:<46} {}",
            row.name,
            targets
                .iter()
                .zip(&row.samples)
                .map(|(t, s)| format!("{} {}", t.name, cell(s)))
                .collect::<Vec<_>>()
                .join("  ")
        );
        rows.push(row);
    }

    let mut memories = [Memory::default(); 2];
    for (i, target) in targets.iter().enumerate() {
        let mut sessions = Vec::new();
        for _ in 0..CONNECTIONS {
            let mut client = Client::inbox(target.addr).await;
            client.command("UID FETCH 1:* (FLAGS)").await;
            sessions.push(client);
        }
        memories[i] = memory(target);
        for client in sessions {
            client.logout().await;
        }
    }

    print_table(&rows);
    println!("\nmemory with {CONNECTIONS} sessions on INBOX:");
    for (target, memory) in targets.iter().zip(&memories) {
        println!(
            "{:<8} {} process(es), VmRSS {} MiB, PSS {} MiB",
            target.name,
            memory.processes,
            number(memory.rss as f64 / 1024.0),
            number(memory.pss as f64 / 1024.0)
        );
    }
    if let Ok(path) = std::env::var("JSON") {
        fs::write(&path, json(&bench, corpus_bytes, &rows, &memories)).expect("write JSON");
        println!("JSON written to {path}");
    }
    if let Some(child) = targets[0].child.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
}
