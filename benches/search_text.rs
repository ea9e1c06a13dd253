//! SEARCH over decoded text on a large folder: `BODY`, `TEXT`, `FROM` and
//! `SUBJECT`, cold (the first search decodes every message) and warm (the
//! engine's text cache answers), against the same engine with the cache
//! off (`Limits::search_text_cache = 0`, every search parses every
//! message, as before the cache) in the same run.
//!
//! ```sh
//! cargo bench --bench search_text                  # 100,000 messages
//! MESSAGES=20000 ROUNDS=3 cargo bench --bench search_text
//! ```
//!
//! The folder is filled through the memory backend (about 2 KB of text per
//! message, hundreds of senders); the searches go over an in-memory stream
//! to the engine, as a client's would, and each time is the whole command
//! until its tagged OK.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use imapkit::memory::MemoryBackend;
use imapkit::server::backend::{AppendMessage, ConnectionInfo, Credentials, Flags, InternalDate};
use imapkit::server::config::Limits;
use imapkit::server::Backend;

use support::{server_with, test_limits, Client};

/// About 2 KB of text with a few words to find.
fn message(n: usize) -> Bytes {
    let sender = n % 397;
    let mut text = format!(
        "From: Sender {sender} <sender{sender}@example.org>\r\nTo: you@example.org\r\n\
         Subject: Report {n} on topic {}\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n\
         Message-ID: <{n}@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
        n % 53
    );
    let words = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
    ];
    let mut i = n;
    while text.len() < 2000 {
        text.push_str(words[i % words.len()]);
        text.push(if i % 11 == 0 { '\n' } else { ' ' });
        i = i.wrapping_mul(31).wrapping_add(7);
    }
    if n % 1000 == 0 {
        text.push_str("\r\nthe needle zanzibar is here\r\n");
    }
    Bytes::from(text.replace("\r\n", "\n").replace('\n', "\r\n"))
}

async fn filled(messages: usize) -> Arc<MemoryBackend> {
    let backend = support::backend();
    let session = backend
        .authenticate(
            &Credentials::password("alice", "secret"),
            &ConnectionInfo::default(),
        )
        .await
        .expect("alice logs in");
    let inbox = session.lookup("INBOX").await.expect("INBOX").id;
    for start in (0..messages).step_by(1000) {
        let batch = (start..messages.min(start + 1000))
            .map(|n| AppendMessage::new(Flags::new(), InternalDate::now(), message(n)))
            .collect();
        session.append(&inbox, batch).await.expect("append");
    }
    backend
}

async fn time(client: &mut Client, command: &str) -> Duration {
    let started = Instant::now();
    client.send(format!("{command}\r\n").as_bytes()).await;
    let lines = client
        .until_tagged_within("S", Duration::from_secs(600))
        .await;
    let elapsed = started.elapsed();
    assert!(
        lines.last().is_some_and(|l| l.starts_with("S OK")),
        "{lines:?}"
    );
    elapsed
}

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main]
async fn main() {
    let messages = setting("MESSAGES", 100_000);
    let rounds = setting("ROUNDS", 5).max(1);
    let backend = filled(messages).await;
    let searches = [
        "S SEARCH BODY zanzibar",
        "S SEARCH TEXT zanzibar",
        "S SEARCH FROM sender17",
        "S SEARCH SUBJECT \"topic 7\"",
    ];
    println!("SEARCH on {messages} messages, median of {rounds} warm runs (ms)");
    println!(
        "{:<28} {:>10} {:>10} {:>14} {:>8}",
        "search", "cold", "warm", "cache off", "ratio"
    );
    let cached = server_with(Arc::clone(&backend) as Arc<dyn Backend>, test_limits()).await;
    let uncached = server_with(
        backend,
        Limits {
            search_text_cache: 0,
            ..test_limits()
        },
    )
    .await;
    let mut with_cache = Client::alice(&cached).await;
    let mut without = Client::alice(&uncached).await;
    with_cache.command("S EXAMINE INBOX").await;
    without.command("S EXAMINE INBOX").await;
    for search in searches {
        let cold = time(&mut with_cache, search).await;
        let mut warm = Vec::new();
        let mut off = Vec::new();
        for _ in 0..rounds {
            warm.push(time(&mut with_cache, search).await);
            off.push(time(&mut without, search).await);
        }
        let (warm, off) = (median(warm), median(off));
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:<28} {:>10.1} {:>10.1} {:>14.1} {:>7.0}x",
            &search[2..],
            ms(cold),
            ms(warm),
            ms(off),
            ms(off) / ms(warm).max(0.001)
        );
    }
}
