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

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufRead, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant, UNIX_EPOCH};

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// The login name used on both servers (one of Dovecot's bench users).
const USER: &str = "bench1";
/// Its password.
const PASSWORD: &str = "bench";
/// Concurrent sessions of the multi-connection scenarios (the issue's 4).
const CONNECTIONS: usize = 4;
/// LOGIN+LOGOUT cycles per connection and round.
const LOGINS: usize = 25;
/// Fresh sessions per round of the warm SELECT scenario (their mean is the sample).
const SELECTS: usize = 10;
/// UIDs per header batch, as a desktop client fetches them.
const BATCH: usize = 500;
/// `BODY.PEEK[]` fetches per connection and round.
const BODIES: usize = 250;
/// STOREs per connection and round.
const STORES: usize = 100;
/// APPENDs per round.
const APPENDS: usize = 100;
/// The first message's date: 2026-01-01 00:00:00 UTC.
const START: i64 = 1_767_225_600;
/// The corpus spans 180 days.
const SPAN: i64 = 180 * 86_400;
/// A word in about one message in 200, for SEARCH BODY and TEXT.
const NEEDLE: &str = "zanzibar";

/// A small deterministic generator (SplitMix64): the corpus and the
/// random UIDs are the same in every run and for both servers.
struct Rng(u64);

impl Rng {
    /// A generator for one stream (a message, a connection's round).
    fn new(stream: u64) -> Rng {
        let mut rng = Rng(stream.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x1a2b_3c4d);
        rng.next();
        rng
    }

    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `items`.
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Senders' first names; with [`LAST`], 400 distinct senders.
const FIRST: [&str; 20] = [
    "ada",
    "alan",
    "barbara",
    "claude",
    "donald",
    "edsger",
    "frances",
    "grace",
    "hedy",
    "ivan",
    "john",
    "katherine",
    "leslie",
    "margaret",
    "niklaus",
    "olga",
    "peter",
    "radia",
    "shafi",
    "tony",
];
/// Senders' last names.
const LAST: [&str; 20] = [
    "lovelace",
    "turing",
    "liskov",
    "shannon",
    "knuth",
    "dijkstra",
    "allen",
    "hopper",
    "lamarr",
    "sutherland",
    "backus",
    "johnson",
    "lamport",
    "hamilton",
    "wirth",
    "taussky",
    "naur",
    "perlman",
    "goldwasser",
    "hoare",
];
/// Senders' domains.
const DOMAINS: [&str; 8] = [
    "example.org",
    "example.com",
    "mail.example.net",
    "lists.example.org",
    "corp.example",
    "uni.example.edu",
    "shop.example",
    "news.example.com",
];
/// Subject topics; "invoice" is the SUBJECT search.
const TOPICS: [&str; 24] = [
    "meeting",
    "invoice",
    "report",
    "release",
    "lunch",
    "review",
    "budget",
    "travel",
    "offer",
    "newsletter",
    "schedule",
    "contract",
    "patch",
    "backup",
    "holiday",
    "survey",
    "order",
    "ticket",
    "workshop",
    "update",
    "minutes",
    "agenda",
    "deadline",
    "feedback",
];
/// Body words.
const WORDS: [&str; 48] = [
    "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "with", "was", "on", "be",
    "at", "by", "this", "had", "not", "are", "but", "from", "or", "have", "an", "they", "which",
    "you", "were", "her", "all", "she", "there", "would", "their", "we", "him", "been", "has",
    "when", "who", "will", "more", "server", "mailbox", "message", "folder", "client",
];

/// One generated message: its date (INTERNALDATE, the file's mtime),
/// its Maildir flag letters, and its text with LF line ends.
struct Message {
    date: i64,
    flags: String,
    text: Vec<u8>,
}

/// Message `index` of a corpus of `total` (indexes from `total` on are
/// the APPEND scenario's). Most are ~2 KB text/plain, 13% ~20 KB
/// multipart/alternative, 1.9% carry a ~200 KB attachment, 0.1% ~2 MB;
/// 90% are \Seen.
fn message(index: usize, total: usize) -> Message {
    let mut rng = Rng::new(index as u64);
    let date =
        START + (index.min(total) as i64 * SPAN) / total.max(1) as i64 + rng.below(3600) as i64;
    let sender = rng.below(FIRST.len() * LAST.len());
    let (first, last) = (FIRST[sender % FIRST.len()], LAST[sender / FIRST.len()]);
    let domain = DOMAINS[sender % DOMAINS.len()];
    let topic = rng.pick(&TOPICS);
    let reply = if rng.below(10) < 4 { "Re: " } else { "" };
    let needle = rng.below(200) == 0;
    let kind = rng.below(1000);
    let mut text = String::new();
    let _ = write!(
        text,
        "Return-Path: <{first}.{last}@{domain}>\n\
         Received: from mx.{domain} by imap.bench.example; {date}\n\
         Message-ID: <{index}.{sender}@{domain}>\n\
         Date: {date}\n\
         From: {first_cap} {last_cap} <{first}.{last}@{domain}>\n\
         To: Bench One <bench1@bench.example>\n\
         Subject: {reply}{topic_cap} {word} #{index}\n\
         MIME-Version: 1.0\n",
        date = rfc2822(date),
        first_cap = capitalized(first),
        last_cap = capitalized(last),
        topic_cap = capitalized(topic),
        word = rng.pick(&WORDS),
    );
    match kind {
        0..=849 => {
            let size = 1200 + rng.below(1600);
            text.push_str("Content-Type: text/plain; charset=us-ascii\n\n");
            text.push_str(&prose(&mut rng, size, needle));
        }
        850..=979 => {
            let boundary = format!("=_alt_{index}");
            let _ = write!(
                text,
                "Content-Type: multipart/alternative; boundary=\"{boundary}\"\n\n\
                 --{boundary}\nContent-Type: text/plain; charset=us-ascii\n\n{}\n\
                 --{boundary}\nContent-Type: text/html; charset=us-ascii\n\n\
                 <html><body><p>{}</p></body></html>\n--{boundary}--\n",
                prose(&mut rng, 7000, needle),
                prose(&mut rng, 12000, false).replace("\n\n", "</p>\n<p>"),
            );
        }
        _ => {
            let size = if kind == 999 { 1_500_000 } else { 150_000 };
            let boundary = format!("=_mixed_{index}");
            let bytes: Vec<u8> = (0..size).map(|_| rng.next() as u8).collect();
            let _ = write!(
                text,
                "Content-Type: multipart/mixed; boundary=\"{boundary}\"\n\n\
                 --{boundary}\nContent-Type: text/plain; charset=us-ascii\n\n{}\n\
                 --{boundary}\nContent-Type: application/pdf; name=\"report-{index}.pdf\"\n\
                 Content-Disposition: attachment; filename=\"report-{index}.pdf\"\n\
                 Content-Transfer-Encoding: base64\n\n{}--{boundary}--\n",
                prose(&mut rng, 800, needle),
                base64_lines(&bytes),
            );
        }
    }
    let mut flags = String::new();
    let seen = rng.below(10) < 9;
    if rng.below(100) < 3 {
        flags.push('F');
    }
    if seen && rng.below(100) < 8 {
        flags.push('R');
    }
    if seen {
        flags.push('S');
    }
    Message {
        date,
        flags,
        text: text.into_bytes(),
    }
}

/// `word` with its first letter in upper case.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// About `size` bytes of paragraphs of words, lines under 80 columns;
/// with `needle`, [`NEEDLE`] is one of the words.
fn prose(rng: &mut Rng, size: usize, needle: bool) -> String {
    let mut text = String::with_capacity(size + 80);
    let mut column = 0;
    let needle_at = needle.then(|| rng.below(size.max(1)));
    while text.len() < size {
        let word = match needle_at {
            Some(at) if text.len() <= at && at < text.len() + 16 => NEEDLE,
            _ => rng.pick(&WORDS),
        };
        if column + word.len() > 72 {
            text.push('\n');
            column = 0;
            if rng.below(8) == 0 {
                text.push('\n');
            }
        } else if column > 0 {
            text.push(' ');
            column += 1;
        }
        text.push_str(word);
        column += word.len();
    }
    text.push('\n');
    text
}

/// `bytes` in base64, 76 columns a line, each line ended by LF.
fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + bytes.len() / 57 + 4);
    for line in bytes.chunks(57) {
        for group in line.chunks(3) {
            let n = (u32::from(group[0]) << 16)
                | (u32::from(*group.get(1).unwrap_or(&0)) << 8)
                | u32::from(*group.get(2).unwrap_or(&0));
            for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
                if i <= group.len() {
                    out.push(char::from(ALPHABET[(n >> shift) as usize & 63]));
                } else {
                    out.push('=');
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Year, month (1-12) and day of a day count since 1970-01-01 (Howard
/// Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, usize, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month as usize, day)
}

/// Month abbreviations, as RFC 5322 and IMAP dates spell them.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A Unix time as an RFC 5322 date in UTC.
fn rfc2822(time: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let days = time.div_euclid(86_400);
    let seconds = time.rem_euclid(86_400);
    let (year, month, day) = civil(days);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[month - 1],
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// A Unix time's day as an IMAP search date (`1-Mar-2026`).
fn imap_date(time: i64) -> String {
    let (year, month, day) = civil(time.div_euclid(86_400));
    format!("{day}-{}-{year}", MONTHS[month - 1])
}

/// Writes the corpus into the `cur/` of each Maildir, with Dovecot's
/// file names (`,S=` and `,W=` sizes, `:2,` flags) and the date as mtime.
/// Returns the total size in bytes.
fn write_corpus(maildirs: &[&Path], total: usize) -> u64 {
    for maildir in maildirs {
        for sub in ["cur", "new", "tmp"] {
            fs::create_dir_all(maildir.join(sub)).expect("create the Maildir");
        }
    }
    let mut bytes = 0;
    for index in 0..total {
        let message = message(index, total);
        let size = message.text.len();
        let crlf_size = size + message.text.iter().filter(|&&b| b == b'\n').count();
        let name = format!(
            "{}.M{index}P1.bench,S={size},W={crlf_size}:2,{}",
            message.date, message.flags
        );
        for maildir in maildirs {
            let mut file = File::create(maildir.join("cur").join(&name)).expect("create a message");
            file.write_all(&message.text).expect("write a message");
            file.set_modified(UNIX_EPOCH + Duration::from_secs(message.date as u64))
                .expect("set the mtime");
        }
        bytes += size as u64;
    }
    bytes
}

/// What the untagged part of a command's answer held.
#[derive(Default)]
struct Reply {
    /// `* n FETCH` responses.
    fetches: usize,
    /// The numbers of `* SEARCH` responses.
    hits: usize,
    /// The last `* n EXISTS`.
    exists: usize,
}

/// The reading half of a connection, plain or TLS.
type Reader = BufReader<Box<dyn AsyncRead + Unpin + Send>>;
/// The writing half.
type Writer = Box<dyn AsyncWrite + Unpin + Send>;

/// A raw IMAP client: sends tagged commands, reads up to the tagged
/// answer (literals included), and counts what it needs of the rest.
struct Client {
    reader: Reader,
    writer: Writer,
    tag: u64,
    line: Vec<u8>,
    literal: Vec<u8>,
}

impl Client {
    /// Connects (with TLS when given a connector: implicit TLS, the
    /// server named localhost) and reads the greeting.
    async fn connect(addr: SocketAddr, tls: Option<&TlsConnector>) -> Client {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        let (read, writer): (Box<dyn AsyncRead + Unpin + Send>, Writer) = match tls {
            None => {
                let (read, write) = stream.into_split();
                (Box::new(read), Box::new(write))
            }
            Some(connector) => {
                let localhost = ServerName::try_from("localhost").expect("a name");
                let stream = connector
                    .connect(localhost, stream)
                    .await
                    .expect("TLS handshake");
                let (read, write) = tokio::io::split(stream);
                (Box::new(read), Box::new(write))
            }
        };
        let mut client = Client {
            reader: BufReader::with_capacity(256 * 1024, read),
            writer,
            tag: 0,
            line: Vec::new(),
            literal: Vec::new(),
        };
        client.read_line().await;
        assert!(
            client.line.starts_with(b"* OK"),
            "greeting: {}",
            client.text()
        );
        client
    }

    /// Connects (plain) and logs in as [`USER`].
    async fn login(addr: SocketAddr) -> Client {
        Client::login_over(addr, None).await
    }

    /// Connects, plain or TLS, and logs in as [`USER`].
    async fn login_over(addr: SocketAddr, tls: Option<&TlsConnector>) -> Client {
        let mut client = Client::connect(addr, tls).await;
        client.command(&format!("LOGIN {USER} {PASSWORD}")).await;
        client
    }

    /// Connects, logs in and selects INBOX.
    async fn inbox(addr: SocketAddr) -> Client {
        let mut client = Client::login(addr).await;
        client.command("SELECT INBOX").await;
        client
    }

    /// The current line, for messages.
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.line).trim_end().to_owned()
    }

    /// Reads one line (up to LF) into `self.line`.
    async fn read_line(&mut self) {
        self.line.clear();
        let n = self
            .reader
            .read_until(b'\n', &mut self.line)
            .await
            .expect("read");
        assert!(n > 0, "the server closed the connection");
    }

    /// Reads the literals a line announces (`{n}` at its end) and the
    /// lines that continue the response after them; `self.line` ends as
    /// the last line of the response.
    async fn read_literals(&mut self) {
        while let Some(length) = literal_length(&self.line) {
            self.literal.resize(length, 0);
            self.reader
                .read_exact(&mut self.literal)
                .await
                .expect("read a literal");
            self.read_line().await;
        }
    }

    /// Sends a command with the next tag; returns the tag.
    async fn send(&mut self, command: &str) -> String {
        self.tag += 1;
        let tag = format!("t{}", self.tag);
        self.writer
            .write_all(format!("{tag} {command}\r\n").as_bytes())
            .await
            .expect("write");
        self.writer.flush().await.expect("flush");
        tag
    }

    /// Sends a command and reads its answer, which must be OK.
    async fn command(&mut self, command: &str) -> Reply {
        let tag = self.send(command).await;
        self.reply(&tag, command).await
    }

    /// Reads responses up to the tagged one for `tag`, which must be OK.
    async fn reply(&mut self, tag: &str, command: &str) -> Reply {
        let mut reply = Reply::default();
        loop {
            self.read_line().await;
            if self.line.starts_with(tag.as_bytes()) && self.line.get(tag.len()) == Some(&b' ') {
                let status = &self.line[tag.len() + 1..];
                assert!(status.starts_with(b"OK"), "{command}: {}", self.text());
                return reply;
            }
            let words: Vec<&[u8]> = self.line.split(|&b| b == b' ').take(3).collect();
            match words.as_slice() {
                [b"*", _, kind, ..] if kind.starts_with(b"FETCH") => reply.fetches += 1,
                [b"*", n, kind, ..] if kind.starts_with(b"EXISTS") => {
                    reply.exists = std::str::from_utf8(n)
                        .ok()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                }
                [b"*", kind, ..] if kind.starts_with(b"SEARCH") => {
                    reply.hits += self
                        .line
                        .split(|b| b.is_ascii_whitespace())
                        .filter(|w| !w.is_empty())
                        .count()
                        - 2;
                }
                _ => {}
            }
            self.read_literals().await;
        }
    }

    /// APPENDs `message` (CRLF line ends) to INBOX with a synchronizing
    /// literal, as most clients do.
    async fn append(&mut self, flags: &str, message: &[u8]) {
        let command = format!("APPEND INBOX ({flags}) {{{}}}", message.len());
        let tag = self.send(&command).await;
        loop {
            self.read_line().await;
            if self.line.starts_with(b"+") {
                break;
            }
            assert!(
                !self.line.starts_with(tag.as_bytes()),
                "{command}: {}",
                self.text()
            );
            self.read_literals().await;
        }
        self.writer.write_all(message).await.expect("write");
        self.writer.write_all(b"\r\n").await.expect("write");
        self.writer.flush().await.expect("flush");
        self.reply(&tag, &command).await;
    }

    /// LOGOUT, then waits until the server has closed the connection
    /// (Dovecot counts a session against its per-user limit until then).
    async fn logout(mut self) {
        self.command("LOGOUT").await;
        let mut rest = Vec::new();
        let _ = self.reader.read_to_end(&mut rest).await;
    }
}

/// The length of the literal that ends `line` (`{123}\r\n`), if any.
fn literal_length(line: &[u8]) -> Option<usize> {
    let line = line.strip_suffix(b"}\r\n")?;
    let open = line.iter().rposition(|&b| b == b'{')?;
    let digits = &line[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// A server under test.
struct Target {
    /// Its name in the table.
    name: &'static str,
    /// Its plain IMAP address.
    addr: SocketAddr,
    /// Its implicit-TLS address.
    tls_addr: SocketAddr,
    /// The Maildir of [`USER`].
    maildir: PathBuf,
    /// Our server process (None for Dovecot, which runs on its own).
    child: Option<Child>,
    /// Our server's stdout, kept open while it runs.
    _stdout: Option<ChildStdout>,
}

/// Starts `serve-maildir` on the users file and mail root, and reads its
/// `listening on` lines; returns the plain and TLS addresses, the process
/// and its stdout.
fn start_ours(bin: &Path, root: &Path) -> (SocketAddr, SocketAddr, Child, ChildStdout) {
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
enum Scenario {
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
    fn key(self) -> &'static str {
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
struct Bench {
    /// Messages in the corpus.
    messages: usize,
    /// Rounds per scenario.
    rounds: usize,
    /// The SEARCH scenarios: a label and the search key.
    searches: Vec<(&'static str, String)>,
    /// A TLS client trusting both servers' certificates.
    tls: TlsConnector,
}

/// One table row: a scenario's samples on both servers.
struct Row {
    name: String,
    unit: &'static str,
    higher_is_better: bool,
    /// Samples of imapkit, then of Dovecot.
    samples: [Vec<f64>; 2],
    /// What each server answered (messages fetched, search hits), to
    /// check they did the same work.
    checks: [usize; 2],
}

impl Bench {
    /// The scenario's name, unit, and whether a higher number is better.
    fn describe(&self, scenario: Scenario) -> (String, &'static str, bool) {
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
    async fn sample(&self, scenario: Scenario, target: &Target, round: usize) -> (f64, usize) {
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
    async fn on_connections(
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
fn rate(count: usize, start: Instant) -> f64 {
    count as f64 / start.elapsed().as_secs_f64()
}

/// A duration in milliseconds.
fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The median, minimum and maximum of samples.
fn stats(samples: &[f64]) -> (f64, f64, f64) {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    (median, sorted[0], sorted[n - 1])
}

/// A number with three significant digits or so.
fn number(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// How much faster imapkit is (above 1) than Dovecot, by the medians.
fn speedup(row: &Row) -> f64 {
    let (ours, _, _) = stats(&row.samples[0]);
    let (dovecot, _, _) = stats(&row.samples[1]);
    if row.higher_is_better {
        ours / dovecot
    } else {
        dovecot / ours
    }
}

/// The ratio as the README words it.
fn verdict(speedup: f64) -> String {
    if speedup >= 1.0 {
        format!("{} x faster", number(speedup))
    } else {
        format!("{} x slower", number(1.0 / speedup))
    }
}

/// A median with the range of the rounds, for the table.
fn cell(samples: &[f64]) -> String {
    let (median, min, max) = stats(samples);
    if samples.len() == 1 {
        number(median)
    } else {
        format!("{} ({}-{})", number(median), number(min), number(max))
    }
}

/// Prints the table.
fn print_table(rows: &[Row]) {
    println!(
        "\n{:<46} {:<6} {:<26} {:<26} imapkit vs Dovecot",
        "scenario", "unit", "imapkit (min-max)", "Dovecot (min-max)"
    );
    for row in rows {
        let mut ratio = verdict(speedup(row));
        if row.checks[0] != row.checks[1] {
            let _ = write!(
                ratio,
                "  (answers differ: {} vs {})",
                row.checks[0], row.checks[1]
            );
        }
        println!(
            "{:<46} {:<6} {:<26} {:<26} {ratio}",
            row.name,
            row.unit,
            cell(&row.samples[0]),
            cell(&row.samples[1])
        );
    }
}

/// Memory of a server's processes while sessions are open.
#[derive(Clone, Copy, Default)]
struct Memory {
    /// Processes counted.
    processes: usize,
    /// Sum of VmRSS, KiB.
    rss: u64,
    /// Sum of Pss, KiB.
    pss: u64,
}

/// A `Name:   123 kB` field of a /proc file, in KiB.
fn proc_field(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Adds a process's VmRSS and PSS to `memory`.
fn add_process(memory: &mut Memory, pid: u32) {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    memory.processes += 1;
    memory.rss += proc_field(&status, "VmRSS:");
    memory.pss += proc_field(&rollup, "Pss:");
}

/// The memory of the target's processes: ours, or Dovecot's `imap`
/// processes with a file of the bench user's Maildir open (its index),
/// which are this benchmark's sessions.
fn memory(target: &Target) -> Memory {
    let mut memory = Memory::default();
    if let Some(child) = &target.child {
        add_process(&mut memory, child.id());
        return memory;
    }
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse().ok()) else {
            continue;
        };
        let comm = fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        let open_in_maildir = fs::read_dir(entry.path().join("fd"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|fd| fs::read_link(fd.path()).is_ok_and(|file| file.starts_with(&target.maildir)));
        if comm.trim() == "imap" && open_in_maildir {
            add_process(&mut memory, pid);
        }
    }
    memory
}

/// The JSON document of the run.
fn json(bench: &Bench, corpus_bytes: u64, rows: &[Row], memory: &[Memory; 2]) -> String {
    let list = |samples: &[f64]| {
        samples
            .iter()
            .map(|s| format!("{s:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!(
        "{{\n  \"messages\": {},\n  \"corpus_bytes\": {corpus_bytes},\n  \"rounds\": {},\n  \"scenarios\": [\n",
        bench.messages, bench.rounds
    );
    for (i, row) in rows.iter().enumerate() {
        let (ours, _, _) = stats(&row.samples[0]);
        let (dovecot, _, _) = stats(&row.samples[1]);
        let _ = writeln!(
            out,
            "    {{\"name\": \"{}\", \"unit\": \"{}\", \"higher_is_better\": {}, \
             \"imapkit\": {{\"median\": {ours:.3}, \"samples\": [{}], \"check\": {}}}, \
             \"dovecot\": {{\"median\": {dovecot:.3}, \"samples\": [{}], \"check\": {}}}, \
             \"speedup\": {:.3}}}{}",
            row.name.replace('"', "\\\""),
            row.unit,
            row.higher_is_better,
            list(&row.samples[0]),
            row.checks[0],
            list(&row.samples[1]),
            row.checks[1],
            speedup(row),
            if i + 1 < rows.len() { "," } else { "" }
        );
    }
    let object = |m: &Memory| {
        format!(
            "{{\"processes\": {}, \"rss_kib\": {}, \"pss_kib\": {}}}",
            m.processes, m.rss, m.pss
        )
    };
    let _ = write!(
        out,
        "  ],\n  \"memory_with_{CONNECTIONS}_sessions\": {{\"imapkit\": {}, \"dovecot\": {}}}\n}}\n",
        object(&memory[0]),
        object(&memory[1])
    );
    out
}

/// Trusts exactly the pinned server certificates, and checks the
/// handshake signatures as usual. Dovecot's reference certificate is
/// self-signed with `CA:TRUE`, which WebPKI refuses as a server's own.
#[derive(Debug)]
struct Pinned {
    certs: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.certs.iter().any(|c| c.as_ref() == end_entity.as_ref()) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("not a pinned certificate".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A TLS client that trusts the certificates in these PEM files.
fn connector(certs: &[&Path]) -> TlsConnector {
    let certs = certs
        .iter()
        .map(|path| {
            CertificateDer::from_pem_file(path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(Pinned {
        certs,
        provider: provider.clone(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

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
