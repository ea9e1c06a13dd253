//! Replays client sides of RFC sessions: each stream is cut by the framer in
//! command mode (accepting every literal), each frame decoded with the
//! public [`CommandCodec`], re-encoded, and decoded again.

use imapkit_proto::codec::frame::{FrameEvent, Framer, FramerLimits, FramerMode};
use imapkit_proto::codec::{AuthenticateDataCodec, CommandCodec, Encode, IdleDoneCodec};
use imapkit_proto::command::{AppendData, AuthenticateData, Command, CommandBody};
use imapkit_proto::search::SearchKey;

/// Frames `stream` and returns the frames.
#[track_caller]
fn frames(stream: &[u8]) -> Vec<Vec<u8>> {
    let mut framer = Framer::new(FramerMode::Command, FramerLimits::POST_AUTH);
    framer.push(stream);
    let mut frames = Vec::new();
    while let Some(event) = framer.next_event() {
        match event {
            FrameEvent::Frame(frame) => frames.push(frame.to_vec()),
            FrameEvent::LiteralAnnounced { .. } => framer.accept_literal(),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(framer.is_idle(), "stream ends mid-command");
    frames
}

/// Decodes one frame, checks that it re-encodes to something that decodes
/// to the same command, and returns it.
#[track_caller]
fn decode(frame: &[u8]) -> Command {
    let line = String::from_utf8_lossy(frame);
    let command = CommandCodec::decode(frame).unwrap_or_else(|e| panic!("{line:?}: {e}"));
    let encoded = command.encode().dump();
    let again = CommandCodec::decode(&encoded)
        .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(&encoded)));
    assert_eq!(again, command, "{line:?}");
    command
}

/// Replays `stream`; each command must have the name in `names`, in order.
#[track_caller]
fn replay(stream: &[u8], names: &[&str]) -> Vec<Command> {
    let commands: Vec<Command> = frames(stream).iter().map(|f| decode(f)).collect();
    let got: Vec<&str> = commands.iter().map(Command::name).collect();
    assert_eq!(got, names);
    commands
}

/// Decodes `line` and checks that it encodes back to exactly `line`.
#[track_caller]
fn canonical(line: &str) -> Command {
    let command = decode(line.as_bytes());
    assert_eq!(String::from_utf8_lossy(&command.encode().dump()), line);
    command
}

/// The client lines of the sample session of RFC 3501 §8.
#[test]
fn rfc3501_sample_session() {
    let commands = replay(
        b"a001 login mrc secret\r\n\
          a002 select inbox\r\n\
          a003 fetch 12 full\r\n\
          a004 fetch 12 body[header]\r\n\
          a005 store 12 +flags \\deleted\r\n\
          a006 logout\r\n",
        &["LOGIN", "SELECT", "FETCH", "FETCH", "STORE", "LOGOUT"],
    );
    assert_eq!(commands[0].tag.as_str(), "a001");
    let CommandBody::Login { username, password } = &commands[0].body else {
        panic!()
    };
    assert_eq!(username.as_bytes(), b"mrc");
    assert_eq!(password.expose_secret().as_bytes(), b"secret");
    // The canonical forms, as our client would send them.
    let encoded: Vec<String> = commands
        .iter()
        .skip(1)
        .map(|c| String::from_utf8(c.encode().dump()).unwrap())
        .collect();
    assert_eq!(
        encoded,
        [
            "a002 SELECT INBOX\r\n",
            "a003 FETCH 12 FULL\r\n",
            "a004 FETCH 12 (BODY[HEADER])\r\n",
            "a005 STORE 12 +FLAGS (\\Deleted)\r\n",
            "a006 LOGOUT\r\n",
        ]
    );
}

/// The client lines of the examples of RFC 9051 §6.1 and §6.2.
#[test]
fn rfc9051_any_and_not_authenticated() {
    replay(
        b"abcd CAPABILITY\r\n\
          a002 NOOP\r\n\
          A023 LOGOUT\r\n\
          a001 CAPABILITY\r\n\
          a002 STARTTLS\r\n\
          A001 AUTHENTICATE GSSAPI\r\n\
          A01 AUTHENTICATE PLAIN\r\n\
          a001 LOGIN SMITH SESAME\r\n",
        &[
            "CAPABILITY",
            "NOOP",
            "LOGOUT",
            "CAPABILITY",
            "STARTTLS",
            "AUTHENTICATE",
            "AUTHENTICATE",
            "LOGIN",
        ],
    );
    // §6.2.2: the client's lines of the exchanges.
    for line in [
        &b"\r\n"[..],
        b"BQQF/////w==\r\n",
        b"dGVzdAB0ZXN0AHRlc3Q=\r\n",
    ] {
        let data = AuthenticateDataCodec::decode(line).unwrap();
        assert_eq!(data.encode().dump(), line);
    }
    let AuthenticateData::Continue(data) =
        AuthenticateDataCodec::decode(b"dGVzdAB0ZXN0AHRlc3Q=\r\n").unwrap()
    else {
        panic!()
    };
    assert_eq!(data.expose_secret().as_ref(), b"test\0test\0test");
    assert_eq!(
        AuthenticateDataCodec::decode(b"*\r\n").unwrap(),
        AuthenticateData::Cancel
    );
}

/// The client lines of the examples of RFC 9051 §6.3 (APPEND apart).
#[test]
fn rfc9051_authenticated() {
    for line in [
        "t2 ENABLE CONDSTORE X-GOOD-IDEA",
        "A142 SELECT INBOX",
        "A932 EXAMINE blurdybloop",
        "A003 CREATE owatagusiam/",
        "A004 CREATE owatagusiam/blurdybloop",
        "A682 LIST \"\" *",
        "A683 DELETE blurdybloop",
        "A685 DELETE foo/bar",
        "A86 LIST \"\" %",
        "A683 RENAME blurdybloop sarasoop",
        "Z433 RENAME INBOX old-mail",
        "A002 SUBSCRIBE #news.comp.mail.mime",
        "A002 UNSUBSCRIBE #news.comp.mail.mime",
        "A101 LIST \"\" \"\"",
        "A102 LIST #news.comp.mail.misc \"\"",
        "A103 LIST /usr/staff/jones \"\"",
        "A202 LIST ~/Mail/ %",
        "A02 LIST (SUBSCRIBED) \"\" *",
        "A03 LIST \"\" % RETURN (CHILDREN)",
        "A04 LIST (REMOTE) \"\" % RETURN (CHILDREN)",
        "A06 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %",
        "A10 LIST \"\" (\"foo\" \"foo/*\")",
        "A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))",
        "A001 NAMESPACE",
        "A042 STATUS blurdybloop (UIDNEXT MESSAGES)",
        "A002 IDLE",
    ] {
        canonical(&format!("{line}\r\n"));
    }
    // Forms that are read the same as a shorter canonical one.
    for (line, encoded) in [
        (
            "A03 LIST () \"\" \"%\" RETURN (CHILDREN)\r\n",
            "A03 LIST \"\" \"%\" RETURN (CHILDREN)\r\n",
        ),
        (
            "A05 LIST (REMOTE SUBSCRIBED) \"\" *\r\n",
            "A05 LIST (SUBSCRIBED REMOTE) \"\" *\r\n",
        ),
        ("a1 select inbox\r\n", "a1 SELECT INBOX\r\n"),
    ] {
        assert_eq!(decode(line.as_bytes()).encode().dump(), encoded.as_bytes());
    }
    assert!(IdleDoneCodec::decode(b"DONE\r\n").is_ok());
}

/// RFC 9051 §6.3.12 and MULTIAPPEND (RFC 3502 §6), BINARY (RFC 3516 §4.3)
/// and LITERAL+ (RFC 7888 §4).
#[test]
fn append() {
    let message = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n\
                   From: Fred Foobar <foobar@Blurdybloop.example>\r\n\
                   Subject: afternoon meeting\r\n\
                   To: mooch@owatagu.siam.edu.example\r\n\
                   Message-Id: <B27397-0100000@Blurdybloop.example>\r\n\
                   MIME-Version: 1.0\r\n\
                   Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
                   \r\n\
                   Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
    let stream = format!(
        "A003 APPEND saved-messages (\\Seen) {{{}}}\r\n{message}\r\n\
         A004 APPEND saved-messages (\\Seen) {{{}}}\r\n{message} (\\Seen) \" 1-Aug-2002 22:00:00 -0700\" {{{}}}\r\n{message}\r\n\
         A005 APPEND Drafts (\\Seen \\Draft $MDNSent) ~{{5}}\r\nab\0cd\r\n\
         A006 APPEND Drafts {{3+}}\r\nxyz\r\n",
        message.len(),
        message.len(),
        message.len()
    );
    let commands = replay(stream.as_bytes(), &["APPEND"; 4]);
    let messages = |i: usize| match &commands[i].body {
        CommandBody::Append(append) => append.messages.as_slice().to_vec(),
        other => panic!("{other:?}"),
    };
    assert_eq!(messages(0)[0].data.data().as_ref(), message.as_bytes());
    assert_eq!(messages(1).len(), 2);
    assert!(messages(1)[1].date_time.is_some());
    assert!(
        matches!(&messages(2)[0].data, AppendData::Literal8(l) if l.data.as_ref() == b"ab\0cd")
    );
    assert_eq!(
        commands[3].encode().dump(),
        b"A006 APPEND Drafts {3+}\r\nxyz\r\n"
    );
    // NUL is allowed only in the literal8.
    assert!(CommandCodec::decode(b"A005 APPEND Drafts {5}\r\nab\0cd\r\n").is_err());
}

/// The client lines of the examples of RFC 9051 §6.4 and §6.5.
#[test]
fn rfc9051_selected() {
    for line in [
        "A341 CLOSE",
        "A342 UNSELECT",
        "A202 EXPUNGE",
        "A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
        "A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
        "A284 SEARCH TEXT \"string not in mailbox\"",
        "A301 SEARCH RETURN (SAVE) SINCE 19-Mar-2007 NOT SEEN",
        "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
        "A003 STORE 2:4 +FLAGS (\\Deleted)",
        "A003 COPY 2:4 MEETING",
        "a UID MOVE 42:69 foo",
        "A999 UID FETCH 4827313:4828442 (FLAGS)",
        "A003 UID EXPUNGE 3000:3002",
    ] {
        canonical(&format!("{line}\r\n"));
    }
    // §6.4.4: a charset and a literal search string, §6.4.9: a bare item.
    let commands = replay(
        "A285 SEARCH CHARSET UTF-8 TEXT {12}\r\n\u{41a}\u{43e}\u{440}\u{43e}\u{442}\u{43a}\r\n\
         A999 UID FETCH 4827313:4828442 FLAGS\r\n"
            .as_bytes(),
        &["SEARCH", "UID FETCH"],
    );
    assert_eq!(
        commands[1].encode().dump(),
        b"A999 UID FETCH 4827313:4828442 (FLAGS)\r\n"
    );
    // §6.5.1: an unknown X-command is a tagged error.
    let error = CommandCodec::decode(b"A442 XPIG-LATIN\r\n").unwrap_err();
    assert_eq!(error.tag().map(|t| t.as_str()), Some("A442"));
}

/// The extensions' examples: SASL-IR, CONDSTORE/QRESYNC, COMPRESS, ID,
/// QUOTA, ACL, CREATE-SPECIAL-USE, SORT/THREAD, LSUB, XLIST.
#[test]
fn extensions() {
    for (line, name) in [
        ("a AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=", "AUTHENTICATE"),
        ("a AUTHENTICATE EXTERNAL =", "AUTHENTICATE"),
        ("a SELECT INBOX (CONDSTORE)", "SELECT"),
        (
            "A03 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
            "SELECT",
        ),
        (
            "B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973)))",
            "SELECT",
        ),
        (
            "a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)",
            "UID STORE",
        ),
        ("s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)", "UID FETCH"),
        ("a COMPRESS DEFLATE", "COMPRESS"),
        (
            "a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")",
            "ID",
        ),
        ("a042 ID NIL", "ID"),
        ("G0001 GETQUOTAROOT INBOX", "GETQUOTAROOT"),
        ("G0002 GETQUOTA \"!partition/sda4\"", "GETQUOTA"),
        ("S0000 SETQUOTA \"\" (STORAGE 512)", "SETQUOTA"),
        ("A001 GETACL INBOX", "GETACL"),
        ("A002 SETACL INBOX/Drafts Chris +cda", "SETACL"),
        ("A003 DELETEACL INBOX/Drafts Chris", "DELETEACL"),
        ("a LISTRIGHTS ~/Mail/saved smith", "LISTRIGHTS"),
        ("a MYRIGHTS INBOX", "MYRIGHTS"),
        ("t1 CREATE MySpecial (USE (\\Drafts \\Sent))", "CREATE"),
        ("A282 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994", "SORT"),
        ("A283 SORT (SUBJECT REVERSE DATE) UTF-8 ALL", "SORT"),
        ("A283 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-Mar-2000", "THREAD"),
        ("A284 UID THREAD REFERENCES US-ASCII TEXT \"gewp\"", "UID THREAD"),
        ("A002 LSUB \"#news.\" comp.mail.*", "LSUB"),
        ("a XLIST \"\" *", "XLIST"),
    ] {
        assert_eq!(canonical(&format!("{line}\r\n")).name(), name, "{line}");
    }
    // LITERAL+ (RFC 7888 §4).
    let commands = replay(
        b"A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n",
        &["LOGIN"],
    );
    let CommandBody::Login { username, password } = &commands[0].body else {
        panic!()
    };
    assert_eq!(username.as_bytes(), b"FRED FOOBAR");
    assert_eq!(password.expose_secret().as_bytes(), b"fat man");
}

/// Seed cases: nested and extended search criteria, partial and header
/// sections. Each encodes to itself, but a bare FETCH item, which is
/// written as a list.
#[test]
fn seed_cases() {
    for (line, encoded) in [
        ("A SEARCH OR OR FROM a FROM b FROM c", None),
        ("A SEARCH NOT (OR (FROM a) (BEFORE 13-May-2019))", None),
        ("A SEARCH RETURN (MIN COUNT) UNSEEN", None),
        ("A UID SEARCH OR (UID 1:*) (UNSEEN)", None),
        ("A FETCH 1 (BODYSTRUCTURE BODY.PEEK[]<0.200>)", None),
        (
            "A FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (Date From)]",
            Some("A FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (Date From)])"),
        ),
    ] {
        let command = decode(format!("{line}\r\n").as_bytes());
        let expected = format!("{}\r\n", encoded.unwrap_or(line));
        assert_eq!(String::from_utf8_lossy(&command.encode().dump()), expected);
    }
    // OR binds to the next two keys: `OR (OR FROM a FROM b) FROM c`.
    let command = decode(b"A SEARCH OR OR FROM a FROM b FROM c\r\n");
    let CommandBody::Search { uid: false, search } = command.body else {
        panic!()
    };
    assert!(matches!(
        search.criteria,
        SearchKey::Or(left, right)
            if matches!(*left, SearchKey::Or(..)) && matches!(*right, SearchKey::From(_))
    ));
    let command = decode(b"A UID SEARCH OR (UID 1:*) (UNSEEN)\r\n");
    assert!(matches!(
        command.body,
        CommandBody::Search { uid: true, .. }
    ));
}

/// Errors carry the tag; `Debug` of a LOGIN hides the password.
#[test]
fn errors_and_secrets() {
    for frame in [
        &b"A1 FROBNICATE\r\n"[..],
        b"A1 LOGIN onlyuser\r\n",
        b"A1 SEARCH OR FROM a\r\n",
        b"A1 FETCH 1 (FLAGS\r\n",
        b"A1 NOOP\n",
        b"A1 NOOP \r\n",
        b"A1 N\0OP\r\n",
    ] {
        let error = CommandCodec::decode(frame).unwrap_err();
        assert_eq!(error.tag().map(|t| t.as_str()), Some("A1"), "{frame:?}");
    }
    let command = CommandCodec::decode(b"a1 LOGIN alice \"hunter2 secret\"\r\n").unwrap();
    let debug = format!("{command:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("alice"), "{debug}");
}
