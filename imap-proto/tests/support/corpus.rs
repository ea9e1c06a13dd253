//! A large, deterministic set of client command frames: systematic
//! combinations per command, then mutations of each.
//!
//! Every input is one frame as the framer yields it: a tag, a command,
//! inline literals (`{n}` CRLF data) and a final CRLF (unless a mutation
//! removes it). Nothing here is random: the same set every run, so a new
//! difference is a change in a parser, not in the test.

use std::collections::HashSet;

/// Mailbox arguments: atoms, quoted strings, literals, and the edge cases of
/// `mailbox = "INBOX" / astring` (RFC 9051 §9).
const MAILBOXES: &[&str] = &[
    "INBOX",
    "inbox",
    "Drafts",
    "Foo/Bar",
    "\"Sent Items\"",
    "\"\"",
    "\"a\\\"b\"",
    "\"\\q\"",
    "{5}\r\nDraft",
    "{5+}\r\nDraft",
    "{0}\r\n",
    "~{5}\r\nDraft",
    "&AOQ-",
    "&Jjo-!",
    "a]b",
    "a%b",
    "a*b",
    "a(b",
    "a{b",
    "\"a\rb\"",
    "NIL",
];

/// Sequence sets (RFC 9051 §9 `sequence-set`, RFC 5182 `$`), valid and not.
const SEQUENCES: &[&str] = &[
    "1",
    "1:*",
    "*",
    "*:1",
    "1,2,3",
    "1:5,7,9:*",
    "4294967295",
    "$",
    "0",
    "1:0",
    "4294967296",
    "01",
    "1:",
    ":1",
    "1,",
    ",1",
    "1:2:3",
    "-1",
    "1:$",
    "$,1",
    "1,,2",
    "**",
];

/// Fetch attributes (RFC 9051 §6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ).
const FETCH_ATTS: &[&str] = &[
    "ALL",
    "FAST",
    "FULL",
    "FLAGS",
    "UID",
    "INTERNALDATE",
    "RFC822",
    "RFC822.HEADER",
    "RFC822.SIZE",
    "RFC822.TEXT",
    "ENVELOPE",
    "BODY",
    "BODYSTRUCTURE",
    "BODY[]",
    "BODY.PEEK[]",
    "BODY[]<0.200>",
    "BODY.PEEK[]<0.200>",
    "BODY[HEADER]",
    "BODY[TEXT]",
    "BODY[MIME]",
    "BODY[1]",
    "BODY[1.2.3]",
    "BODY[1.MIME]",
    "BODY[1.HEADER]",
    "BODY[1.TEXT]",
    "BODY[HEADER.FIELDS (From To)]",
    "BODY.PEEK[HEADER.FIELDS (From To Subject Date Message-ID)]",
    "BODY[HEADER.FIELDS.NOT (Date From)]",
    "BODY[HEADER.FIELDS (\"From\" {2}\r\nTo)]",
    "BODY[HEADER.FIELDS ()]",
    "BODY[0]",
    "BODY[1.0]",
    "BODY[]<0>",
    "BODY[]<0.0>",
    "BODY[]<4294967296.1>",
    "BODY[4294967296]",
    "BODY[",
    "BODY[]<1.>",
    "BINARY[1]",
    "BINARY.PEEK[1]",
    "BINARY.SIZE[1]",
    "BINARY[]",
    "BINARY[1]<0.10>",
    "BINARY[1.MIME]",
    "MODSEQ",
    "X-GM-MSGID",
];

/// Search keys (RFC 9051 §6.4.4, RFC 5032 WITHIN, RFC 7162 MODSEQ,
/// RFC 5182 `$`), valid and not.
const SEARCH_KEYS: &[&str] = &[
    "ALL",
    "ANSWERED",
    "BCC a",
    "BEFORE 1-Feb-1994",
    "BODY \"hello world\"",
    "CC {3}\r\nabc",
    "DELETED",
    "DRAFT",
    "FLAGGED",
    "FROM a",
    "HEADER Subject x",
    "HEADER \"X-Spam\" \"\"",
    "KEYWORD $Forwarded",
    "KEYWORD \\Seen",
    "LARGER 100",
    "LARGER 4294967296",
    "NEW",
    "NOT SEEN",
    "NOT (FROM a)",
    "OLD",
    "OLDER 100",
    "OLDER 0",
    "ON 01-Feb-1994",
    "OR SEEN UNSEEN",
    "OR (FROM a) (BEFORE 13-May-2019)",
    "RECENT",
    "SEEN",
    "SENTBEFORE 1-Feb-1994",
    "SENTON 1-Feb-1994",
    "SENTSINCE 1-Feb-1994",
    "SINCE \"1-Feb-1994\"",
    "SINCE 1-feb-1994",
    "SINCE 31-Feb-1994",
    "SINCE 1-Foo-1994",
    "SMALLER 0",
    "SUBJECT {5}\r\nhello",
    "TEXT x",
    "TO \"\"",
    "UID 1:*",
    "UID $",
    "UNANSWERED",
    "UNDELETED",
    "UNDRAFT",
    "UNFLAGGED",
    "UNKEYWORD x",
    "UNSEEN",
    "YOUNGER 100",
    "MODSEQ 5",
    "MODSEQ \"/flags/\\\\draft\" all 620162338",
    "MODSEQ 9223372036854775808",
    "1:5",
    "*",
    "$",
    "(SEEN UNSEEN)",
    "()",
    "FROM",
    "FOO",
];

/// Store modes and flag lists (RFC 9051 §6.4.6).
const STORE_MODES: &[&str] = &[
    "FLAGS",
    "+FLAGS",
    "-FLAGS",
    "FLAGS.SILENT",
    "+FLAGS.SILENT",
    "-flags.silent",
    "FLAGS.LOUD",
    "*FLAGS",
];
const FLAG_LISTS: &[&str] = &[
    "(\\Seen)",
    "\\Seen",
    "(\\Seen \\Deleted)",
    "()",
    "(\\Recent)",
    "(\\*)",
    "($Forwarded)",
    "(\\Foo)",
    "(foo bar)",
    "(\\Seen",
    "(\\Seen  \\Draft)",
    "\\Seen \\Draft",
];

/// Status items (RFC 9051 §6.3.11, RFC 7162, RFC 8438, RFC 7889).
const STATUS_ITEMS: &[&str] = &[
    "(MESSAGES)",
    "(MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)",
    "(SIZE)",
    "(HIGHESTMODSEQ)",
    "(DELETED)",
    "(APPENDLIMIT)",
    "()",
    "(FOO)",
    "MESSAGES",
];

/// Commands without arguments, and a few with junk after them.
const BARE: &[&str] = &[
    "CAPABILITY",
    "NOOP",
    "LOGOUT",
    "STARTTLS",
    "NAMESPACE",
    "IDLE",
    "CHECK",
    "CLOSE",
    "UNSELECT",
    "EXPUNGE",
    "NOOP x",
    "FROBNICATE",
    "X-FOO",
    "",
];

/// Whole commands written out, for what the tables above do not cover.
const WRITTEN: &[&str] = &[
    // LOGIN (RFC 9051 §6.2.3).
    "LOGIN alice password",
    "LOGIN \"alice\" \"pass word\"",
    "LOGIN {5}\r\nalice {4}\r\npass",
    "LOGIN {5+}\r\nalice {4+}\r\npass",
    "LOGIN alice",
    "LOGIN alice pass extra",
    "LOGIN a]b c",
    "LOGIN \"\" \"\"",
    // AUTHENTICATE (RFC 9051 §6.2.2, RFC 4959 SASL-IR).
    "AUTHENTICATE PLAIN",
    "AUTHENTICATE PLAIN AGFsaWNlAHB3",
    "AUTHENTICATE PLAIN =",
    "AUTHENTICATE PLAIN AGFsaWNlAHB",
    "AUTHENTICATE PLAIN !!!!",
    "AUTHENTICATE \"PLAIN\"",
    "AUTHENTICATE X-FOO-BAR",
    "AUTHENTICATE",
    // ID (RFC 2971).
    "ID NIL",
    "ID (\"name\" \"mutt\")",
    "ID (\"name\" \"mutt\" \"version\" NIL)",
    "ID (\"name\" NIL)",
    "ID ()",
    "ID (\"name\")",
    "ID (name mutt)",
    "ID",
    // ENABLE (RFC 5161).
    "ENABLE CONDSTORE",
    "ENABLE QRESYNC UTF8=ACCEPT",
    "ENABLE X-FOO",
    "ENABLE",
    "ENABLE \"CONDSTORE\"",
    // SELECT / EXAMINE parameters (RFC 7162).
    "SELECT INBOX (CONDSTORE)",
    "EXAMINE INBOX (CONDSTORE)",
    "SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
    "SELECT INBOX (QRESYNC (67890007 20050715194045000))",
    "SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))",
    "SELECT INBOX (QRESYNC (0 1))",
    "SELECT INBOX (QRESYNC (1 0))",
    "SELECT INBOX ()",
    "SELECT INBOX (FOO)",
    "SELECT",
    // CREATE (RFC 6154 CREATE-SPECIAL-USE), RENAME.
    "CREATE Foo (USE (\\Drafts))",
    "CREATE Foo (USE (\\Drafts \\Sent))",
    "CREATE Foo (USE ())",
    "CREATE Foo ()",
    "RENAME Foo Bar",
    "RENAME \"Foo\" {3}\r\nBar",
    "RENAME Foo",
    "RENAME INBOX Old",
    // LIST / LSUB / XLIST (RFC 9051 §6.3.9, RFC 5258, RFC 5819, RFC 6154).
    "LIST \"\" *",
    "LIST \"\" %",
    "LIST \"\" INBOX",
    "LIST \"\" \"\"",
    "LIST ~/Mail/ %",
    "LIST \"\" a*b%c",
    "LIST \"\" {1}\r\n*",
    "LIST \"\" \"a*\"",
    "LIST \"\" a]b",
    "LIST Foo",
    "LIST (SUBSCRIBED) \"\" *",
    "LIST (REMOTE RECURSIVEMATCH SUBSCRIBED) \"\" *",
    "LIST (SPECIAL-USE) \"\" *",
    "LIST () \"\" *",
    "LIST \"\" (INBOX Drafts)",
    "LIST \"\" ()",
    "LIST \"\" * RETURN (CHILDREN)",
    "LIST \"\" * RETURN (SUBSCRIBED CHILDREN)",
    "LIST \"\" * RETURN (SPECIAL-USE)",
    "LIST \"\" * RETURN ()",
    "LIST \"\" * RETURN (STATUS (MESSAGES UNSEEN))",
    "LIST \"\" * RETURN (STATUS ())",
    "LIST \"\" % RETURN (CHILDREN STATUS (MESSAGES SIZE))",
    "LSUB \"\" *",
    "LSUB \"\" %",
    "LSUB (SUBSCRIBED) \"\" *",
    "XLIST \"\" *",
    "XLIST \"\" %",
    // APPEND (RFC 9051 §6.3.12, RFC 3502 MULTIAPPEND, RFC 3516, RFC 6855).
    "APPEND INBOX {5}\r\nhello",
    "APPEND INBOX {5+}\r\nhello",
    "APPEND INBOX (\\Seen) {5}\r\nhello",
    "APPEND INBOX () {5}\r\nhello",
    "APPEND INBOX \"17-Jul-1996 02:44:25 -0700\" {5}\r\nhello",
    "APPEND INBOX (\\Seen \\Draft) \" 7-Jul-1996 02:44:25 +0000\" {5}\r\nhello",
    "APPEND INBOX \"7-Jul-1996 02:44:25 -0700\" {5}\r\nhello",
    "APPEND INBOX \"17-Jul-1996 24:44:25 -0700\" {5}\r\nhello",
    "APPEND INBOX \"17-Jul-1996 02:44:25\" {5}\r\nhello",
    "APPEND INBOX ~{5}\r\nhe\0lo",
    "APPEND INBOX {5}\r\nhe\0lo",
    "APPEND INBOX {0}\r\n",
    "APPEND INBOX \"hello\"",
    "APPEND INBOX hello",
    "APPEND INBOX",
    "APPEND INBOX {5}\r\nhello {5}\r\nworld",
    "APPEND INBOX (\\Seen) {5}\r\nhello (\\Draft) \"17-Jul-1996 02:44:25 -0700\" {5}\r\nworld",
    "APPEND INBOX UTF8 (~{5}\r\nhello)",
    "APPEND INBOX UTF8 ({5}\r\nhello)",
    // COMPRESS (RFC 4978).
    "COMPRESS DEFLATE",
    "COMPRESS deflate",
    "COMPRESS FOO",
    "COMPRESS",
    // QUOTA (RFC 9208).
    "GETQUOTA \"\"",
    "GETQUOTA root",
    "GETQUOTAROOT INBOX",
    "SETQUOTA \"\" (STORAGE 512)",
    "SETQUOTA \"\" (STORAGE 512 MESSAGE 1000)",
    "SETQUOTA \"\" ()",
    "SETQUOTA \"\" (STORAGE -1)",
    "SETQUOTA \"\" (STORAGE 18446744073709551616)",
    "SETQUOTA \"\" (STORAGE)",
    "SETQUOTA \"\" STORAGE 512",
    // ACL (RFC 4314).
    "SETACL INBOX fred lrswipkxtecda",
    "SETACL INBOX fred +l",
    "SETACL INBOX fred -x",
    "SETACL INBOX fred \"\"",
    "DELETEACL INBOX fred",
    "DELETEACL INBOX",
    "GETACL INBOX",
    "LISTRIGHTS INBOX fred",
    "MYRIGHTS INBOX",
    // UID EXPUNGE (RFC 4315) and UID with a wrong command.
    "UID EXPUNGE 1:5",
    "UID EXPUNGE *",
    "UID EXPUNGE",
    "UID NOOP",
    "UID",
    // STORE with UNCHANGEDSINCE (RFC 7162 §3.1.3).
    "STORE 1 (UNCHANGEDSINCE 12345) +FLAGS (\\Seen)",
    "UID STORE 1:* (UNCHANGEDSINCE 0) FLAGS ()",
    "STORE 1 (UNCHANGEDSINCE 18446744073709551616) +FLAGS (\\Seen)",
    "STORE 1 () +FLAGS (\\Seen)",
    // FETCH modifiers (RFC 7162 §3.1.4, §3.2.6).
    "FETCH 1 (FLAGS) (CHANGEDSINCE 12345)",
    "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)",
    "FETCH 1 (FLAGS) (CHANGEDSINCE 0)",
    "FETCH 1 (FLAGS) (CHANGEDSINCE 9223372036854775807)",
    "FETCH 1 (FLAGS) (CHANGEDSINCE 18446744073709551616)",
    "FETCH 1 (FLAGS) ()",
    "FETCH 1 ()",
    "FETCH 1",
    "FETCH 1 (FLAGS",
    "FETCH 1 FLAGS UID",
    "FETCH 1 (FAST)",
    "FETCH 1 (BODYSTRUCTURE BODY.PEEK[]<0.200>)",
    "FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (Date From)]",
    // SEARCH forms (RFC 9051 §6.4.4, RFC 4731, RFC 5182, RFC 5267).
    "SEARCH OR OR FROM a FROM b FROM c",
    "SEARCH NOT (OR (FROM a) (BEFORE 13-May-2019))",
    "SEARCH RETURN (MIN COUNT) UNSEEN",
    "UID SEARCH OR (UID 1:*) (UNSEEN)",
    "SEARCH RETURN () ALL",
    "SEARCH RETURN (ALL SAVE) ALL",
    "SEARCH RETURN (MIN MAX COUNT ALL SAVE) CHARSET UTF-8 ALL",
    "SEARCH RETURN (PARTIAL 1:10) ALL",
    "SEARCH RETURN (FOO) ALL",
    "SEARCH RETURN ALL",
    "SEARCH CHARSET UTF-8 FROM a",
    "SEARCH CHARSET \"UTF-8\" FROM a",
    "SEARCH CHARSET {5}\r\nUTF-8 FROM a",
    "SEARCH CHARSET FROM a",
    "SEARCH",
    "SEARCH ",
    "SEARCH ALL ALL",
    "UID SEARCH 1:* UNSEEN SINCE 1-Feb-1994",
    "UID SEARCH UID 1:* NOT DELETED",
    "UID SEARCH RETURN (COUNT) MODSEQ 1234",
    // SORT / THREAD (RFC 5256, RFC 5267 ESORT).
    "SORT (ARRIVAL) UTF-8 ALL",
    "SORT (REVERSE DATE SUBJECT) UTF-8 UNSEEN",
    "SORT (CC FROM SIZE TO) US-ASCII ALL",
    "SORT (DISPLAYFROM DISPLAYTO) UTF-8 ALL",
    "SORT () UTF-8 ALL",
    "SORT (REVERSE) UTF-8 ALL",
    "SORT (FOO) UTF-8 ALL",
    "SORT (ARRIVAL) ALL",
    "SORT RETURN (MIN MAX) (ARRIVAL) UTF-8 ALL",
    "UID SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994",
    "THREAD ORDEREDSUBJECT UTF-8 ALL",
    "THREAD REFERENCES US-ASCII SINCE 1-Feb-1994",
    "THREAD FOO UTF-8 ALL",
    "THREAD REFERENCES ALL",
    "UID THREAD REFERENCES UTF-8 ALL",
];

/// Builds the whole set: every base command, then each mutation of it.
pub fn corpus() -> Vec<Vec<u8>> {
    let mut out = Set::default();
    for base in bases() {
        let frame = frame("A1", &base);
        for mutated in mutations(&frame) {
            out.push(mutated);
        }
        out.push(frame);
    }
    for depth in [1, 2, 8, 9, 10, 32, 63, 64, 65, 200] {
        let parens = format!("{}SEEN{}", "(".repeat(depth), ")".repeat(depth));
        out.push(frame("A1", &format!("SEARCH {parens}")));
        out.push(frame("A1", &format!("SEARCH {}SEEN", "NOT ".repeat(depth))));
        out.push(frame(
            "A1",
            &format!("SEARCH {}SEEN{}", "OR SEEN ".repeat(depth), ""),
        ));
        out.push(frame(
            "A1",
            &format!("FETCH 1 BODY[{}]", vec!["1"; depth].join(".")),
        ));
    }
    for tag in TAGS {
        out.push(frame(tag, "NOOP"));
        out.push(frame(tag, "FETCH 1 FLAGS"));
    }
    out.into_vec()
}

/// Tags (RFC 9051 §9 `tag = 1*<any ASTRING-CHAR except "+">`), valid and not.
const TAGS: &[&str] = &[
    "a", ".", "A001", "a]b", "*", "+", "a+", "\"A1\"", "A(", "A{1}", "A%", "A\\", "",
];

/// The systematic combinations, as command text after the tag.
fn bases() -> Vec<String> {
    let mut v: Vec<String> = BARE.iter().chain(WRITTEN).map(|s| s.to_string()).collect();
    for &m in MAILBOXES {
        for command in [
            "SELECT",
            "EXAMINE",
            "CREATE",
            "DELETE",
            "SUBSCRIBE",
            "UNSUBSCRIBE",
            "GETQUOTAROOT",
            "GETACL",
            "MYRIGHTS",
        ] {
            v.push(format!("{command} {m}"));
        }
        v.push(format!("RENAME {m} Other"));
        v.push(format!("RENAME Other {m}"));
        v.push(format!("STATUS {m} (MESSAGES)"));
        v.push(format!("LIST \"\" {m}"));
        v.push(format!("LIST {m} \"\""));
        v.push(format!("LSUB {m} %"));
        v.push(format!("APPEND {m} {{5}}\r\nhello"));
        v.push(format!("COPY 1:5 {m}"));
        v.push(format!("UID MOVE 1:5 {m}"));
        v.push(format!("SETACL {m} fred lr"));
    }
    for &items in STATUS_ITEMS {
        v.push(format!("STATUS INBOX {items}"));
    }
    for &s in SEQUENCES {
        for prefix in ["", "UID "] {
            v.push(format!("{prefix}FETCH {s} FLAGS"));
            v.push(format!("{prefix}STORE {s} +FLAGS (\\Seen)"));
            v.push(format!("{prefix}COPY {s} Trash"));
            v.push(format!("{prefix}MOVE {s} Trash"));
            v.push(format!("{prefix}SEARCH {s}"));
            v.push(format!("{prefix}SEARCH UID {s}"));
        }
        v.push(format!("UID EXPUNGE {s}"));
    }
    for (i, &att) in FETCH_ATTS.iter().enumerate() {
        v.push(format!("FETCH 1 {att}"));
        v.push(format!("UID FETCH 1:* ({att})"));
        let next = FETCH_ATTS[(i * 7 + 3) % FETCH_ATTS.len()];
        v.push(format!("FETCH 1:5 ({att} {next})"));
        v.push(format!("FETCH 1 ({att} UID FLAGS)"));
    }
    for &mode in STORE_MODES {
        for &flags in FLAG_LISTS {
            v.push(format!("STORE 1:3 {mode} {flags}"));
        }
    }
    for &flags in FLAG_LISTS {
        v.push(format!("APPEND INBOX {flags} {{5}}\r\nhello"));
    }
    for (i, &key) in SEARCH_KEYS.iter().enumerate() {
        let other = SEARCH_KEYS[(i * 11 + 5) % SEARCH_KEYS.len()];
        v.push(format!("SEARCH {key}"));
        v.push(format!("UID SEARCH {key} {other}"));
        v.push(format!("SEARCH NOT {key}"));
        v.push(format!("SEARCH OR {key} {other}"));
        v.push(format!("SEARCH ({key} {other})"));
        v.push(format!("SEARCH CHARSET UTF-8 {key}"));
        v.push(format!("SEARCH RETURN (COUNT) {key}"));
        v.push(format!("SORT (DATE) UTF-8 {key}"));
        v.push(format!("THREAD REFERENCES UTF-8 {key}"));
    }
    v
}

/// Variations of one valid-looking frame: case, spaces, line ends, numbers,
/// `*` and `$`, parentheses, literal lengths, truncation.
fn mutations(frame: &[u8]) -> Vec<Vec<u8>> {
    let body = &frame[..frame.len() - 2];
    let spaces: Vec<usize> = positions(body, b' ');
    let mut out = vec![
        // Case: everything lower, the command name alternating.
        frame.to_ascii_lowercase(),
        alternate_case(frame),
        // Line ends: trailing space, bare LF, no line end, CR only.
        [body, b" \r\n"].concat(),
        [body, b"\n"].concat(),
        body.to_vec(),
        [body, b"\r"].concat(),
        // Junk after the command, and a NUL in it.
        [body, b" X\r\n"].concat(),
        [body, b"\0\r\n"].concat(),
        [body, b")\r\n"].concat(),
    ];
    // Spaces: doubled, missing, or a tab, at the first, a middle and the
    // last space.
    for at in pick(&spaces) {
        out.push(splice(frame, at, 1, b"  "));
        out.push(splice(frame, at, 1, b""));
        out.push(splice(frame, at, 1, b"\t"));
    }
    // Numbers (after the tag): zero, leading zero, overflow of 32 and 64
    // bits, negative.
    let tag_end = spaces.first().map_or(body.len(), |&at| at);
    if let Some((at, len)) = last_number(&body[tag_end..]).map(|(at, len)| (tag_end + at, len)) {
        for replacement in [
            &b"0"[..],
            b"007",
            b"4294967296",
            b"18446744073709551616",
            b"-1",
        ] {
            out.push(splice(frame, at, len, replacement));
        }
    }
    // `*` and `$` swapped, and moved to where they do not belong.
    for (from, to) in [(b'*', b'$'), (b'$', b'*'), (b'*', b'0')] {
        for at in pick(&positions(body, from)) {
            out.push(splice(frame, at, 1, &[to]));
        }
    }
    // Parentheses: one more opened, one closed too early, one dropped.
    for at in pick(&positions(body, b'(')) {
        out.push(splice(frame, at, 1, b"(("));
        out.push(splice(frame, at, 1, b""));
    }
    for at in pick(&positions(body, b')')) {
        out.push(splice(frame, at, 1, b""));
    }
    // Literals: announced one byte too long or too short, or with a sign.
    for at in pick(&positions(body, b'}')) {
        out.push(splice(frame, at, 1, b"+}"));
        out.push(splice(frame, at, 1, b"0}"));
        out.push(splice(frame, at, 0, b"-"));
    }
    // Truncated in the middle (still ending with CRLF).
    out.push([&body[..body.len() / 2], b"\r\n"].concat());
    out
}

/// Wraps command text in a frame: tag, space, text, CRLF.
fn frame(tag: &str, text: &str) -> Vec<u8> {
    format!("{tag} {text}\r\n").into_bytes()
}

/// Upper- and lowercase letters in turn (`aPpEnD`), literal data included
/// (which changes no verdict: data is opaque).
fn alternate_case(frame: &[u8]) -> Vec<u8> {
    let mut upper = false;
    frame
        .iter()
        .map(|&b| {
            if b.is_ascii_alphabetic() {
                upper = !upper;
                if upper {
                    b.to_ascii_uppercase()
                } else {
                    b.to_ascii_lowercase()
                }
            } else {
                b
            }
        })
        .collect()
}

/// The offsets of `byte` in `input`.
fn positions(input: &[u8], byte: u8) -> Vec<usize> {
    (0..input.len()).filter(|&i| input[i] == byte).collect()
}

/// The first, middle and last entries (fewer if `all` is short): enough to
/// reach the tag, the arguments and the end without multiplying the set.
fn pick(all: &[usize]) -> Vec<usize> {
    let mut picked: Vec<usize> = [0, all.len() / 2, all.len().wrapping_sub(1)]
        .into_iter()
        .filter_map(|i| all.get(i).copied())
        .collect();
    picked.dedup();
    picked
}

/// `input` with `len` bytes at `at` replaced by `with`.
fn splice(input: &[u8], at: usize, len: usize, with: &[u8]) -> Vec<u8> {
    [&input[..at], with, &input[at + len..]].concat()
}

/// The last run of digits in `input`: offset and length.
fn last_number(input: &[u8]) -> Option<(usize, usize)> {
    let end = input.iter().rposition(u8::is_ascii_digit)? + 1;
    let start = input[..end]
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    Some((start, end - start))
}

/// Inputs in first-seen order, without duplicates.
#[derive(Default)]
struct Set {
    seen: HashSet<Vec<u8>>,
    order: Vec<Vec<u8>>,
}

impl Set {
    fn push(&mut self, input: Vec<u8>) {
        if self.seen.insert(input.clone()) {
            self.order.push(input);
        }
    }

    fn into_vec(self) -> Vec<Vec<u8>> {
        self.order
    }
}
