//! IDLE fan-out latency: how long after another session's APPEND is
//! answered OK each idling session hears `* n EXISTS` (issue 6; target
//! under 10 ms p50 on loopback).
//!
//! ```sh
//! cargo bench --bench idle_latency                # ours only
//! ../shared/reference/dovecot.sh start            # then, side by side:
//! DOVECOT=127.0.0.1:10143 cargo bench --bench idle_latency
//! ```
//!
//! Ours is the engine over the memory backend on a loopback port, started
//! in this process; Dovecot is the reference instance, as alice/secret.
//! `IDLERS` (default 9: Dovecot's default `mail_max_userip_connections`
//! is 10, the appender included) sessions IDLE on INBOX; `ROUNDS`
//! (default 50) appends follow, one at a time. For each, the delay of every
//! idler is the time from the APPEND's tagged OK to that idler's EXISTS
//! (0 when the EXISTS came first), and, since ours usually pushes EXISTS
//! before the appender has read its OK, also the time from sending the
//! APPEND. Prints p50/p99/max per server and, with Dovecot, the ratio of
//! the p50s from sending (Dovecot's over ours: above 1, we are faster).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use imapkit::memory::MemoryBackend;
use imapkit::server::config::{Limits, PlaintextAuth};
use imapkit::server::Server;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::TcpStream;
use tokio::sync::mpsc;

/// A line-oriented IMAP connection, enough for LOGIN, SELECT, IDLE, APPEND.
struct Conn {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Conn {
    async fn login(addr: SocketAddr) -> Conn {
        let (read, writer) = TcpStream::connect(addr)
            .await
            .expect("connect")
            .into_split();
        let mut conn = Conn {
            reader: BufReader::new(read),
            writer,
        };
        conn.line().await;
        conn.command("l LOGIN alice secret").await;
        conn.command("s SELECT INBOX").await;
        conn
    }

    async fn line(&mut self) -> String {
        let mut line = String::new();
        let n = self.reader.read_line(&mut line).await.expect("read");
        assert!(n > 0, "server closed the connection");
        line
    }

    async fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).await.expect("write");
    }

    /// Sends a command and reads up to its tagged completion, which must be OK.
    async fn command(&mut self, command: &str) {
        let tag = command.split(' ').next().unwrap_or_default().to_owned();
        self.send(&format!("{command}\r\n")).await;
        loop {
            let line = self.line().await;
            if line.starts_with(&format!("{tag} ")) {
                assert!(line.starts_with(&format!("{tag} OK")), "{command}: {line}");
                return;
            }
        }
    }
}

/// Starts our server on a loopback port.
async fn ours() -> SocketAddr {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "secret");
    let mut builder = Server::builder(Arc::new(backend));
    builder
        .listen_plain("127.0.0.1:0".parse().expect("address"))
        .plaintext_auth(PlaintextAuth::Always)
        .limits(Limits {
            auth_failure_delay: Duration::ZERO,
            ..Limits::default()
        });
    let server = builder.bind().await.expect("bind");
    let addr = server.local_addrs()[0].0;
    tokio::spawn(server.serve(std::future::pending()));
    addr
}

/// The delays of `idlers` sessions over `rounds` appends, sorted, in
/// microseconds: from the APPEND's tagged OK, and from the APPEND being
/// sent.
async fn measure(addr: SocketAddr, idlers: usize, rounds: usize) -> (Vec<u64>, Vec<u64>) {
    let (heard, mut exists) = mpsc::unbounded_channel::<Instant>();
    let mut idling = Vec::new();
    for i in 0..idlers {
        let mut conn = Conn::login(addr).await;
        conn.send(&format!("i{i} IDLE\r\n")).await;
        while !conn.line().await.starts_with('+') {}
        let heard = heard.clone();
        idling.push(tokio::spawn(async move {
            loop {
                let line = conn.line().await;
                if line.ends_with(" EXISTS\r\n") && heard.send(Instant::now()).is_err() {
                    return;
                }
            }
        }));
    }
    let mut appender = Conn::login(addr).await;
    let message = "From: bench@example.org\r\nSubject: idle\r\n\r\nping\r\n";
    let mut from_ok = Vec::with_capacity(idlers * rounds);
    let mut from_sent = Vec::with_capacity(idlers * rounds);
    for round in 0..rounds {
        let sent = Instant::now();
        appender
            .command(&format!(
                "a{round} APPEND INBOX {{{}+}}\r\n{message}",
                message.len()
            ))
            .await;
        let ok = Instant::now();
        for _ in 0..idlers {
            let at = exists.recv().await.expect("an idler");
            from_ok.push(at.saturating_duration_since(ok).as_micros() as u64);
            from_sent.push(at.saturating_duration_since(sent).as_micros() as u64);
        }
    }
    for task in idling {
        task.abort();
    }
    from_ok.sort_unstable();
    from_sent.sort_unstable();
    (from_ok, from_sent)
}

fn percentile(sorted: &[u64], p: usize) -> u64 {
    sorted[(sorted.len() - 1) * p / 100]
}

fn report(name: &str, (from_ok, from_sent): &(Vec<u64>, Vec<u64>)) {
    line(name, "from OK", from_ok);
    line(name, "from sent", from_sent);
}

fn line(name: &str, from: &str, delays: &[u64]) {
    println!(
        "{name:<8} {from:<9}  p50 {:>8} us   p99 {:>8} us   max {:>8} us   ({} deliveries)",
        percentile(delays, 50),
        percentile(delays, 99),
        delays.last().copied().unwrap_or(0),
        delays.len()
    );
}

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
    let idlers = setting("IDLERS", 9);
    let rounds = setting("ROUNDS", 50);
    println!("IDLE fan-out: {idlers} idlers, {rounds} appends");
    let ours = measure(ours().await, idlers, rounds).await;
    report("imapkit", &ours);
    if let Some(addr) = std::env::var("DOVECOT").ok().and_then(|a| a.parse().ok()) {
        let dovecot = measure(addr, idlers, rounds).await;
        report("dovecot", &dovecot);
        let ratio = percentile(&dovecot.1, 50) as f64 / percentile(&ours.1, 50).max(1) as f64;
        println!("p50 (from sent) ratio dovecot/imapkit: {ratio:.1}x");
    }
}
