//! The generated corpus: deterministic messages written as Maildir files.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

/// The first message's date: 2026-01-01 00:00:00 UTC.
pub const START: i64 = 1_767_225_600;
/// The corpus spans 180 days.
pub const SPAN: i64 = 180 * 86_400;
/// A word in about one message in 200, for SEARCH BODY and TEXT.
pub const NEEDLE: &str = "zanzibar";

/// A small deterministic generator (SplitMix64): the corpus and the
/// random UIDs are the same in every run and for both servers.
pub struct Rng(u64);

impl Rng {
    /// A generator for one stream (a message, a connection's round).
    pub fn new(stream: u64) -> Rng {
        let mut rng = Rng(stream.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x1a2b_3c4d);
        rng.next();
        rng
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Senders' first names; with [`LAST`], 400 distinct senders.
pub const FIRST: [&str; 20] = [
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
pub const LAST: [&str; 20] = [
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
pub const DOMAINS: [&str; 8] = [
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
pub const TOPICS: [&str; 24] = [
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
pub const WORDS: [&str; 48] = [
    "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "with", "was", "on", "be",
    "at", "by", "this", "had", "not", "are", "but", "from", "or", "have", "an", "they", "which",
    "you", "were", "her", "all", "she", "there", "would", "their", "we", "him", "been", "has",
    "when", "who", "will", "more", "server", "mailbox", "message", "folder", "client",
];

/// One generated message: its date (INTERNALDATE, the file's mtime),
/// its Maildir flag letters, and its text with LF line ends.
pub struct Message {
    pub date: i64,
    pub flags: String,
    pub text: Vec<u8>,
}

/// Message `index` of a corpus of `total` (indexes from `total` on are
/// the APPEND scenario's). Most are ~2 KB text/plain, 13% ~20 KB
/// multipart/alternative, 1.9% carry a ~200 KB attachment, 0.1% ~2 MB;
/// 90% are \Seen.
pub fn message(index: usize, total: usize) -> Message {
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
pub fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// About `size` bytes of paragraphs of words, lines under 80 columns;
/// with `needle`, [`NEEDLE`] is one of the words.
pub fn prose(rng: &mut Rng, size: usize, needle: bool) -> String {
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
pub fn base64_lines(bytes: &[u8]) -> String {
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
pub fn civil(days: i64) -> (i64, usize, i64) {
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
pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A Unix time as an RFC 5322 date in UTC.
pub fn rfc2822(time: i64) -> String {
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
pub fn imap_date(time: i64) -> String {
    let (year, month, day) = civil(time.div_euclid(86_400));
    format!("{day}-{}-{year}", MONTHS[month - 1])
}

/// Writes the corpus into the `cur/` of each Maildir, with Dovecot's
/// file names (`,S=` and `,W=` sizes, `:2,` flags) and the date as mtime.
/// Returns the total size in bytes.
pub fn write_corpus(maildirs: &[&Path], total: usize) -> u64 {
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
