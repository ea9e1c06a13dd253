//! Parse and encode throughput on a desktop client's sync, ours against
//! imap-codec in the same run.
//!
//! The mix is what a desktop client (Thunderbird, Apple Mail) sends while
//! syncing a folder: header fetches of 500 messages, `UID SEARCH`es, flag
//! stores, and an `APPEND` of a 20 KB message; and what the server sends
//! back: a `FETCH` with a 20 KB body literal and `LIST` lines. Each group
//! measures both implementations on the same bytes and reports commands/s
//! and MB/s (criterion's `thrpt` lines); the README quotes the ratio.
//!
//! Run: `cargo bench -p imapkit-proto --bench codec -- --measurement-time 3`.
//! Encoding starts from values each library parsed from the same bytes, and
//! counts the bytes of the fragments it yields (no concatenation).

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use imap_codec::decode::Decoder as _;
use imap_codec::encode::Encoder as _;
use imapkit_proto::codec::{CommandCodec, Encode, Fragment, ResponseCodec};

/// Size of the message in APPEND and in the FETCH response.
const MESSAGE_SIZE: usize = 20 * 1024;

/// A plain-text message of exactly `MESSAGE_SIZE` bytes, CRLF lines.
fn message() -> Vec<u8> {
    let mut m = b"From: Alice Example <alice@example.com>\r\n\
To: Bob Example <bob@example.org>\r\n\
Subject: Quarterly report, draft 3\r\n\
Date: Wed, 17 Jul 2024 02:44:25 +0000\r\n\
Message-ID: <20240717024425.1234@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\n"
        .to_vec();
    let line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\r\n";
    while m.len() + line.len() <= MESSAGE_SIZE {
        m.extend_from_slice(line);
    }
    m.resize(MESSAGE_SIZE - 2, b'x');
    m.extend_from_slice(b"\r\n");
    m
}

/// Command frames by kind, as a client sends them.
fn commands() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    let fetch = vec![
        b"A101 UID FETCH 1:500 (FLAGS BODY.PEEK[HEADER.FIELDS (From To Subject Date Message-ID)])\r\n".to_vec(),
        b"A102 UID FETCH 501:1000 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Subject Date Message-ID References In-Reply-To)])\r\n".to_vec(),
        b"A103 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)\r\n".to_vec(),
    ];
    let search = vec![
        b"A201 UID SEARCH UNSEEN\r\n".to_vec(),
        b"A202 UID SEARCH SINCE 1-Jul-2024 NOT DELETED\r\n".to_vec(),
        b"A203 UID SEARCH UID 1000:* MODSEQ 12345\r\n".to_vec(),
        b"A204 UID SEARCH CHARSET UTF-8 OR FROM alice SUBJECT \"quarterly report\"\r\n".to_vec(),
        b"A205 UID SEARCH NOT (OR (FROM a) (BEFORE 13-May-2019)) UNDELETED\r\n".to_vec(),
    ];
    let store = vec![
        b"A301 UID STORE 4827 +FLAGS (\\Seen)\r\n".to_vec(),
        b"A302 UID STORE 1:3,7,42,100:120 +FLAGS.SILENT (\\Seen)\r\n".to_vec(),
        b"A303 UID STORE 4828 -FLAGS (\\Seen \\Flagged)\r\n".to_vec(),
    ];
    let mut append =
        b"A401 APPEND Sent (\\Seen) \"17-Jul-2024 02:44:25 +0000\" {20480}\r\n".to_vec();
    append.extend_from_slice(&message());
    append.extend_from_slice(b"\r\n");
    vec![
        ("fetch", fetch),
        ("search", search),
        ("store", store),
        ("append", vec![append]),
    ]
}

/// Response frames by kind, as a server sends them.
fn responses() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    let mut fetch =
        b"* 12 FETCH (UID 4827 FLAGS (\\Seen) RFC822.SIZE 20480 BODY[] {20480}\r\n".to_vec();
    fetch.extend_from_slice(&message());
    fetch.extend_from_slice(b")\r\n");
    let list = [
        "* LIST (\\HasNoChildren) \"/\" INBOX",
        "* LIST (\\HasChildren \\Noselect) \"/\" Archive",
        "* LIST (\\HasNoChildren) \"/\" Archive/2023",
        "* LIST (\\HasNoChildren) \"/\" Archive/2024",
        "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
        "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\"",
        "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
        "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
        "* LIST (\\HasNoChildren) \"/\" \"Project &AOQ-\"",
        "* LIST (\\HasNoChildren) \"/\" Receipts",
    ]
    .iter()
    .map(|line| format!("{line}\r\n").into_bytes())
    .collect();
    vec![("fetch", vec![fetch]), ("list", list)]
}

/// All frames of `kinds` in one list: the "mix" group.
fn mix(kinds: &[(&'static str, Vec<Vec<u8>>)]) -> Vec<Vec<u8>> {
    kinds
        .iter()
        .flat_map(|(_, frames)| frames.clone())
        .collect()
}

/// Sets the group's throughput to `frames` per iteration.
fn throughput(group: &mut BenchmarkGroup<'_, WallTime>, frames: &[Vec<u8>]) {
    group.throughput(Throughput::ElementsAndBytes {
        elements: frames.len() as u64,
        bytes: frames.iter().map(|f| f.len() as u64).sum(),
    });
}

/// The bytes of our encoding of a value, fragment by fragment.
fn our_len(value: &impl Encode) -> usize {
    value
        .encode()
        .fragments()
        .iter()
        .map(|fragment| match fragment {
            Fragment::Line { data } | Fragment::Literal { data, .. } => data.len(),
            Fragment::Streamed { len } => *len as usize,
        })
        .sum()
}

/// The bytes of imap-codec's encoding, fragment by fragment.
fn their_len(encoded: imap_codec::encode::Encoded) -> usize {
    encoded
        .map(|fragment| match fragment {
            imap_codec::encode::Fragment::Line { data }
            | imap_codec::encode::Fragment::Literal { data, .. } => data.len(),
        })
        .sum()
}

fn parse_commands(c: &mut Criterion) {
    let kinds = commands();
    let all = mix(&kinds);
    for (kind, frames) in kinds.iter().map(|(k, f)| (*k, f)).chain([("mix", &all)]) {
        let mut group = c.benchmark_group(format!("parse_command/{kind}"));
        throughput(&mut group, frames);
        group.bench_function("imapkit", |b| {
            b.iter(|| {
                for frame in frames {
                    black_box(CommandCodec::decode(black_box(frame)).unwrap());
                }
            })
        });
        let codec = imap_codec::CommandCodec::default();
        group.bench_function("imap-codec", |b| {
            b.iter(|| {
                for frame in frames {
                    black_box(codec.decode(black_box(frame)).unwrap());
                }
            })
        });
        group.finish();
    }
}

fn encode_commands(c: &mut Criterion) {
    let kinds = commands();
    let all = mix(&kinds);
    for (kind, frames) in kinds.iter().map(|(k, f)| (*k, f)).chain([("mix", &all)]) {
        let mut group = c.benchmark_group(format!("encode_command/{kind}"));
        throughput(&mut group, frames);
        let ours: Vec<_> = frames
            .iter()
            .map(|f| CommandCodec::decode(f).unwrap())
            .collect();
        group.bench_function("imapkit", |b| {
            b.iter(|| ours.iter().map(|c| our_len(black_box(c))).sum::<usize>())
        });
        let codec = imap_codec::CommandCodec::default();
        let theirs: Vec<_> = frames.iter().map(|f| codec.decode(f).unwrap().1).collect();
        group.bench_function("imap-codec", |b| {
            b.iter(|| {
                theirs
                    .iter()
                    .map(|c| their_len(codec.encode(black_box(c))))
                    .sum::<usize>()
            })
        });
        group.finish();
    }
}

fn encode_responses(c: &mut Criterion) {
    for (kind, frames) in responses() {
        let mut group = c.benchmark_group(format!("encode_response/{kind}"));
        throughput(&mut group, &frames);
        let ours: Vec<_> = frames
            .iter()
            .map(|f| ResponseCodec::decode(f).unwrap())
            .collect();
        group.bench_function("imapkit", |b| {
            b.iter(|| ours.iter().map(|r| our_len(black_box(r))).sum::<usize>())
        });
        let codec = imap_codec::ResponseCodec::default();
        let theirs: Vec<_> = frames.iter().map(|f| codec.decode(f).unwrap().1).collect();
        group.bench_function("imap-codec", |b| {
            b.iter(|| {
                theirs
                    .iter()
                    .map(|r| their_len(codec.encode(black_box(r))))
                    .sum::<usize>()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, parse_commands, encode_commands, encode_responses);
criterion_main!(benches);
