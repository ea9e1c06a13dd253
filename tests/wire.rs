//! The engine over an in-memory stream: exact bytes in, exact lines out.

mod support;

use support::{backend, server, Client};

#[tokio::test]
async fn greeting_capability_noop_logout() {
    let server = server(backend()).await;
    let (mut client, greeting) = Client::connect(&server).await;
    assert!(
        greeting.starts_with("* OK [CAPABILITY IMAP4rev1 "),
        "{greeting}"
    );
    assert!(greeting.contains(" AUTH=PLAIN"), "{greeting}");
    let lines = client.command("a CAPABILITY").await;
    assert!(lines[0].starts_with("* CAPABILITY IMAP4rev1"), "{lines:?}");
    assert_eq!(lines[1], "a OK CAPABILITY completed.");
    assert_eq!(client.command("b NOOP").await, ["b OK NOOP completed."]);
    assert_eq!(
        client.command("c LOGOUT").await,
        ["* BYE Logging out.", "c OK LOGOUT completed."]
    );
    assert!(client.is_closed().await);
}

#[tokio::test]
async fn state_checks() {
    let server = server(backend()).await;
    let (mut client, _) = Client::connect(&server).await;
    let lines = client.command("a SELECT INBOX").await;
    assert!(lines[0].starts_with("a BAD "), "{lines:?}");
    let lines = client.command("b XYZZY").await;
    assert!(lines[0].starts_with("b BAD "), "{lines:?}");
    let lines = client.command("c LOGIN alice secret").await;
    assert!(
        lines[0].starts_with("c OK [CAPABILITY IMAP4rev1 "),
        "{lines:?}"
    );
    let lines = client.command("d LOGIN alice secret").await;
    assert!(lines[0].starts_with("d BAD "), "{lines:?}");
    let lines = client.command("e FETCH 1 FLAGS").await;
    assert!(lines[0].starts_with("e BAD "), "{lines:?}");
}

#[tokio::test]
async fn login_failures_then_bye() {
    let server = server(backend()).await;
    let (mut client, _) = Client::connect(&server).await;
    for tag in ["a", "b"] {
        let lines = client.command(&format!("{tag} LOGIN alice wrong")).await;
        assert_eq!(
            lines,
            [format!(
                "{tag} NO [AUTHENTICATIONFAILED] Authentication failed"
            )]
        );
    }
    let lines = client.command("c LOGIN alice wrong").await;
    assert_eq!(
        lines,
        [
            "* BYE Too many authentication failures.",
            "c NO [AUTHENTICATIONFAILED] Authentication failed"
        ]
    );
    assert!(client.is_closed().await);
}

#[tokio::test]
async fn authenticate_plain_with_and_without_initial_response() {
    let server = server(backend()).await;
    let (mut client, _) = Client::connect(&server).await;
    // "\0alice\0secret"
    let lines = client
        .command("a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==")
        .await;
    assert!(lines[0].starts_with("a OK [CAPABILITY "), "{lines:?}");

    let (mut client, _) = Client::connect(&server).await;
    client.send(b"b AUTHENTICATE PLAIN\r\n").await;
    assert_eq!(client.line().await, "+ ");
    client.send(b"AGFsaWNlAHNlY3JldA==\r\n").await;
    let lines = client.until_tagged("b").await;
    assert!(lines[0].starts_with("b OK "), "{lines:?}");

    let (mut client, _) = Client::connect(&server).await;
    client.send(b"c AUTHENTICATE PLAIN\r\n").await;
    assert_eq!(client.line().await, "+ ");
    client.send(b"*\r\n").await;
    assert_eq!(
        client.until_tagged("c").await,
        ["c BAD Authentication cancelled"]
    );
}

#[tokio::test]
async fn mailboxes_create_list_rename_delete() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    assert_eq!(
        client.command("a CREATE work/projects/").await,
        ["a OK CREATE completed."]
    );
    let lines = client.command("b CREATE work/projects").await;
    assert!(lines[0].starts_with("b NO [ALREADYEXISTS]"), "{lines:?}");
    let lines = client.command("c CREATE inbox").await;
    assert!(lines[0].starts_with("c NO [ALREADYEXISTS]"), "{lines:?}");
    let lines = client.command("d LIST \"\" *").await;
    assert!(
        lines.contains(&"* LIST (\\HasNoChildren) \"/\" INBOX".to_string()),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("* LIST (\\HasChildren) \"/\" work")),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"* LIST (\\HasNoChildren) \"/\" work/projects".to_string()),
        "{lines:?}"
    );
    assert_eq!(
        client.command("e LIST \"\" \"\"").await,
        ["* LIST (\\Noselect) \"/\" \"\"", "e OK LIST completed."]
    );
    let lines = client.command("f LIST work/ %").await;
    assert_eq!(
        lines,
        [
            "* LIST (\\HasNoChildren) \"/\" work/projects",
            "f OK LIST completed."
        ]
    );
    assert_eq!(
        client.command("g SUBSCRIBE work/projects").await,
        ["g OK SUBSCRIBE completed."]
    );
    assert_eq!(
        client.command("h RENAME work archive").await,
        ["h OK RENAME completed."]
    );
    let lines = client.command("i LSUB \"\" *").await;
    assert_eq!(
        lines,
        ["* LSUB () \"/\" archive/projects", "i OK LSUB completed."]
    );
    let lines = client.command("j LSUB \"\" %").await;
    assert_eq!(
        lines,
        ["* LSUB (\\Noselect) \"/\" archive", "j OK LSUB completed."]
    );
    assert_eq!(
        client.command("k DELETE archive/projects").await,
        ["k OK DELETE completed."]
    );
    let lines = client.command("l DELETE INBOX").await;
    assert!(lines[0].starts_with("l NO "), "{lines:?}");
}

#[tokio::test]
async fn utf7_names_round_trip() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    assert_eq!(
        client.command("a CREATE Entw&APw-rfe").await,
        ["a OK CREATE completed."]
    );
    let lines = client.command("b LIST \"\" Entw*").await;
    assert_eq!(
        lines,
        [
            "* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe",
            "b OK LIST completed."
        ]
    );
    let lines = client.command("c CREATE &AGE-").await;
    assert!(lines[0].starts_with("c BAD "), "{lines:?}");
}

#[tokio::test]
async fn append_select_status() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    client
        .send(b"a APPEND INBOX (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {12}\r\n")
        .await;
    assert_eq!(client.line().await, "+ Ready for literal data");
    client.send(b"Subject: x\r\n\r\n").await;
    let lines = client.until_tagged("a").await;
    assert!(lines[0].starts_with("a OK [APPENDUID "), "{lines:?}");
    client.send(b"b APPEND INBOX {5+}\r\nhello\r\n").await;
    let lines = client.until_tagged("b").await;
    assert!(lines[0].starts_with("b OK [APPENDUID "), "{lines:?}");
    let lines = client.command("c APPEND nowhere {1+}\r\nx").await;
    assert!(lines[0].starts_with("c NO [TRYCREATE]"), "{lines:?}");

    let lines = client
        .command("d STATUS INBOX (MESSAGES UNSEEN RECENT UIDNEXT)")
        .await;
    assert_eq!(
        lines[0],
        "* STATUS INBOX (MESSAGES 2 UNSEEN 1 RECENT 2 UIDNEXT 3)"
    );
    let lines = client.command("e SELECT INBOX").await;
    assert_eq!(
        lines[0],
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)"
    );
    assert_eq!(lines[1], "* 2 EXISTS");
    assert_eq!(lines[2], "* 2 RECENT");
    assert_eq!(lines[3], "* OK [UNSEEN 2] First unseen.");
    assert_eq!(lines[4], "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.");
    assert!(lines[5].starts_with("* OK [UIDVALIDITY "), "{lines:?}");
    assert_eq!(lines[6], "* OK [UIDNEXT 3] Predicted next UID.");
    assert!(lines[7].starts_with("* OK [HIGHESTMODSEQ "), "{lines:?}");
    assert_eq!(lines[8], "e OK [READ-WRITE] SELECT completed.");

    let lines = client.command("f APPEND INBOX {3+}\r\nabc").await;
    assert_eq!(lines[0], "* 3 EXISTS");
    assert_eq!(lines[1], "* 3 RECENT");
    assert!(lines[2].starts_with("f OK [APPENDUID "), "{lines:?}");

    let lines = client.command("g EXAMINE INBOX").await;
    assert_eq!(lines[2], "* 0 RECENT", "this session claimed them all");
    assert_eq!(lines.last().unwrap(), "g OK [READ-ONLY] EXAMINE completed.");
    let lines = client.command("h SELECT nowhere").await;
    assert!(lines[0].starts_with("h NO [NONEXISTENT]"), "{lines:?}");
    let lines = client.command("i CLOSE").await;
    assert!(
        lines[0].starts_with("i BAD "),
        "a failed SELECT deselects: {lines:?}"
    );
}

#[tokio::test]
async fn pipelined_commands_answer_in_order() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    client
        .send(b"a NOOP\r\nb CREATE x\r\nc LIST \"\" x\r\nd NOOP\r\n")
        .await;
    assert_eq!(client.line().await, "a OK NOOP completed.");
    assert_eq!(client.line().await, "b OK CREATE completed.");
    assert_eq!(client.line().await, "* LIST (\\HasNoChildren) \"/\" x");
    assert_eq!(client.line().await, "c OK LIST completed.");
    assert_eq!(client.line().await, "d OK NOOP completed.");
}

#[tokio::test]
async fn namespace_and_id() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    assert_eq!(
        client.command("a NAMESPACE").await,
        [
            "* NAMESPACE ((\"\" \"/\")) NIL NIL",
            "a OK NAMESPACE completed."
        ]
    );
    let lines = client.command("b ID (\"name\" \"test\")").await;
    assert!(
        lines[0].starts_with("* ID (\"name\" \"imapkit\" \"version\" "),
        "{lines:?}"
    );
}

#[tokio::test]
async fn bad_input_gets_bad_and_the_session_goes_on() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    let lines = client.command("a FETCH 99999999999 FLAGS").await;
    assert!(lines[0].starts_with("a BAD "), "{lines:?}");
    client.send(b"\r\n").await;
    assert!(client.line().await.starts_with("* BAD "));
    assert_eq!(client.command("b NOOP").await, ["b OK NOOP completed."]);
}

/// Appends `n` small messages to INBOX and selects it.
async fn inbox_with(client: &mut Client, n: usize) {
    for i in 0..n {
        let body = format!("Subject: m{i}\r\n\r\nbody {i}\r\n");
        let lines = client
            .command(&format!("p{i} APPEND INBOX {{{}+}}\r\n{body}", body.len()))
            .await;
        assert!(lines.last().unwrap().contains(" OK "), "{lines:?}");
    }
    let lines = client.command("s SELECT INBOX").await;
    assert!(
        lines.last().unwrap().starts_with("s OK [READ-WRITE]"),
        "{lines:?}"
    );
}

#[tokio::test]
async fn store_expunge_renumbers() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    inbox_with(&mut client, 4).await;
    let lines = client.command("a STORE 2:3 +FLAGS (\\Deleted $Junk)").await;
    assert_eq!(lines[0], "* 2 FETCH (FLAGS (\\Deleted $Junk \\Recent))");
    assert_eq!(lines[1], "* 3 FETCH (FLAGS (\\Deleted $Junk \\Recent))");
    assert_eq!(lines[2], "a OK STORE completed.");
    let lines = client.command("b UID STORE 1 FLAGS.SILENT (\\Seen)").await;
    assert_eq!(lines, ["b OK STORE completed."]);
    let lines = client.command("c STORE 5 +FLAGS (\\Seen)").await;
    assert!(lines[0].starts_with("c BAD "), "{lines:?}");
    assert_eq!(
        client.command("d EXPUNGE").await,
        ["* 2 EXPUNGE", "* 2 EXPUNGE", "d OK EXPUNGE completed."]
    );
    let lines = client.command("e STATUS INBOX (MESSAGES)").await;
    assert_eq!(lines[0], "* STATUS INBOX (MESSAGES 2)");
}

#[tokio::test]
async fn uid_expunge_only_named() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    inbox_with(&mut client, 3).await;
    client
        .command("a STORE 1:3 +FLAGS.SILENT (\\Deleted)")
        .await;
    assert_eq!(
        client.command("b UID EXPUNGE 2").await,
        ["* 2 EXPUNGE", "b OK EXPUNGE completed."]
    );
    assert_eq!(
        client.command("c UID EXPUNGE 2").await,
        ["c OK EXPUNGE completed."]
    );
}

#[tokio::test]
async fn copy_and_move_report_copyuid() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    client.command("x CREATE Archive").await;
    inbox_with(&mut client, 3).await;
    let lines = client.command("a COPY 1:2 Archive").await;
    assert!(
        lines[0].starts_with("a OK [COPYUID ") && lines[0].ends_with(" 1:2 1:2] COPY completed."),
        "{lines:?}"
    );
    let lines = client.command("b COPY 1 Nowhere").await;
    assert!(lines[0].starts_with("b NO [TRYCREATE]"), "{lines:?}");
    let lines = client.command("c UID MOVE 2:3 Archive").await;
    assert!(
        lines[0].starts_with("* OK [COPYUID ") && lines[0].contains(" 2:3 3:4]"),
        "{lines:?}"
    );
    assert_eq!(
        &lines[1..],
        ["* 2 EXPUNGE", "* 2 EXPUNGE", "c OK MOVE completed."]
    );
    let lines = client.command("d STATUS Archive (MESSAGES)").await;
    assert_eq!(lines[0], "* STATUS Archive (MESSAGES 4)");
}

#[tokio::test]
async fn examine_refuses_changes() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    inbox_with(&mut client, 1).await;
    client.command("a EXAMINE INBOX").await;
    let lines = client.command("b STORE 1 +FLAGS (\\Seen)").await;
    assert!(lines[0].starts_with("b NO "), "{lines:?}");
    let lines = client.command("c EXPUNGE").await;
    assert!(lines[0].starts_with("c NO "), "{lines:?}");
}

#[tokio::test]
async fn another_session_sees_changes_after_a_command() {
    let server = server(backend()).await;
    let mut one = Client::alice(&server).await;
    inbox_with(&mut one, 2).await;
    let mut two = Client::alice(&server).await;
    two.command("s SELECT INBOX").await;
    one.command("a STORE 1 +FLAGS.SILENT (\\Flagged)").await;
    one.command("b APPEND INBOX {3+}\r\nxyz").await;
    // `one` has INBOX selected too and claimed the new message as \Recent.
    let lines = two.command("c NOOP").await;
    assert_eq!(
        lines,
        [
            "* 1 FETCH (FLAGS (\\Flagged))",
            "* 3 EXISTS",
            "c OK NOOP completed."
        ]
    );
    one.command("d STORE 2 +FLAGS.SILENT (\\Deleted)").await;
    one.command("e EXPUNGE").await;
    let lines = two.command("f NOOP").await;
    assert_eq!(lines, ["* 2 EXPUNGE", "f OK NOOP completed."]);
}

/// A FETCH, STORE or SEARCH by sequence number sees the flags another
/// session just stored, and new messages, but an expunge by the other
/// session waits for a command that may renumber (RFC 9051 §7.5.1).
#[tokio::test]
async fn sequence_commands_see_new_flags_but_hold_expunges() {
    let server = server(backend()).await;
    let mut one = Client::alice(&server).await;
    inbox_with(&mut one, 3).await;
    let mut two = Client::alice(&server).await;
    two.command("s SELECT INBOX").await;
    one.command("a STORE 1 +FLAGS.SILENT (\\Flagged)").await;
    let lines = two.command("b FETCH 1 FLAGS").await;
    assert_eq!(
        lines,
        [
            "* 1 FETCH (FLAGS (\\Flagged))",
            "* 1 FETCH (FLAGS (\\Flagged))",
            "b OK FETCH completed."
        ]
    );
    one.command("c STORE 2 +FLAGS.SILENT (\\Seen)").await;
    let lines = two.command("d SEARCH SEEN").await;
    assert_eq!(
        lines,
        [
            "* 2 FETCH (FLAGS (\\Seen))",
            "* SEARCH 2",
            "d OK SEARCH completed."
        ]
    );
    one.command("e STORE 2 +FLAGS.SILENT (\\Deleted)").await;
    one.command("f EXPUNGE").await;
    // Message 3 keeps its number under FETCH and STORE; 2 is held.
    let lines = two.command("g FETCH 3 UID").await;
    assert_eq!(lines, ["* 3 FETCH (UID 3)", "g OK FETCH completed."]);
    let lines = two.command("h STORE 3 +FLAGS (\\Answered)").await;
    assert_eq!(
        lines,
        ["* 3 FETCH (FLAGS (\\Answered))", "h OK STORE completed."]
    );
    let lines = two.command("i NOOP").await;
    assert_eq!(lines, ["* 2 EXPUNGE", "i OK NOOP completed."]);
    let lines = two.command("j FETCH 2 UID").await;
    assert_eq!(lines, ["* 2 FETCH (UID 3)", "j OK FETCH completed."]);
}

#[tokio::test]
async fn idle_sees_other_sessions_at_once() {
    let server = server(backend()).await;
    let mut other = Client::alice(&server).await;
    inbox_with(&mut other, 2).await;
    let mut idler = Client::alice(&server).await;
    idler.command("s SELECT INBOX").await;
    idler.send(b"i IDLE\r\n").await;
    assert_eq!(idler.line().await, "+ idling");
    other.command("a APPEND INBOX {3+}\r\nxyz").await;
    assert_eq!(idler.line().await, "* 3 EXISTS");
    other.command("b STORE 1 +FLAGS.SILENT (\\Answered)").await;
    assert_eq!(idler.line().await, "* 1 FETCH (FLAGS (\\Answered))");
    other.command("c STORE 2 +FLAGS.SILENT (\\Deleted)").await;
    other.command("d EXPUNGE").await;
    assert_eq!(idler.line().await, "* 2 FETCH (FLAGS (\\Deleted))");
    assert_eq!(idler.line().await, "* 2 EXPUNGE");
    idler.send(b"DONE\r\n").await;
    assert_eq!(idler.until_tagged("i").await, ["i OK IDLE terminated."]);
    assert_eq!(idler.command("n NOOP").await, ["n OK NOOP completed."]);
}

#[tokio::test]
async fn idle_wants_done() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    client.send(b"i IDLE\r\n").await;
    assert_eq!(client.line().await, "+ idling");
    client.send(b"j NOOP\r\n").await;
    assert_eq!(client.until_tagged("i").await, ["i BAD Expected DONE"]);
}

#[tokio::test]
async fn fetch_flags_uid_size_date_body() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    client.send(b"a APPEND INBOX (\\Flagged) \"17-Jul-1996 02:44:25 -0700\" {18+}\r\nSubject: x\r\n\r\nhi\r\n\r\n").await;
    let lines = client.until_tagged("a").await;
    assert!(lines[0].starts_with("a OK "), "{lines:?}");
    client.command("s SELECT INBOX").await;
    let lines = client
        .command("b FETCH 1 (FLAGS UID RFC822.SIZE INTERNALDATE)")
        .await;
    assert_eq!(
        lines[0],
        "* 1 FETCH (FLAGS (\\Flagged \\Recent) UID 1 RFC822.SIZE 18 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")"
    );
    client.send(b"c UID FETCH 1:* BODY.PEEK[]<0.7>\r\n").await;
    assert_eq!(client.line().await, "* 1 FETCH (BODY[]<0> {7}");
    assert_eq!(client.line().await, "Subject UID 1)");
    assert_eq!(client.line().await, "c OK FETCH completed.");
    client.send(b"d FETCH 1 BODY[]\r\n").await;
    assert_eq!(client.line().await, "* 1 FETCH (BODY[] {18}");
    assert_eq!(client.bytes(18).await, b"Subject: x\r\n\r\nhi\r\n");
    assert_eq!(client.line().await, " FLAGS (\\Seen \\Flagged \\Recent))");
    assert_eq!(client.line().await, "d OK FETCH completed.");
    let lines = client.command("e FETCH 2 FLAGS").await;
    assert!(lines[0].starts_with("e BAD "), "{lines:?}");
}

#[tokio::test]
async fn fetch_sections_envelope_bodystructure() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    let message = "From: A <a@example.com>\r\nSubject: hi\r\nTo: b@example.com\r\n\r\nbody\r\n";
    client
        .command(&format!(
            "a APPEND INBOX {{{}+}}\r\n{message}",
            message.len()
        ))
        .await;
    client.command("s EXAMINE INBOX").await;
    client.send(b"b FETCH 1 (BODY.PEEK[HEADER.FIELDS (subject)] BODY.PEEK[1] BODY.PEEK[TEXT]<2.10>)\r\n").await;
    assert_eq!(
        client.line().await,
        "* 1 FETCH (BODY[HEADER.FIELDS (subject)] {15}"
    );
    assert_eq!(client.bytes(15).await, b"Subject: hi\r\n\r\n");
    assert_eq!(client.line().await, " BODY[1] {6}");
    assert_eq!(client.bytes(6).await, b"body\r\n");
    assert_eq!(client.line().await, " BODY[TEXT]<2> {4}");
    assert_eq!(client.line().await, "dy");
    let lines = client.until_tagged("b").await;
    assert_eq!(lines, [")", "b OK FETCH completed."]);
    let lines = client.command("c FETCH 1 (ENVELOPE BODYSTRUCTURE)").await;
    assert!(
        lines[0].starts_with("* 1 FETCH (ENVELOPE (NIL \"hi\" ((\"A\" NIL \"a\" \"example.com\"))"),
        "{lines:?}"
    );
    assert!(
        lines[0].contains(
            " BODYSTRUCTURE (\"TEXT\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 6 1"
        ),
        "{lines:?}"
    );
    let lines = client.command("d FETCH 1 FLAGS").await;
    // Unclaimed, so \Recent for EXAMINE too; PEEK and EXAMINE never set \Seen.
    assert_eq!(lines[0], "* 1 FETCH (FLAGS (\\Recent))");
}

#[tokio::test]
async fn search_esearch_and_saved_result() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    for (i, subject) in ["apples", "pears", "apples and pears"].iter().enumerate() {
        let body = format!("Subject: {subject}\r\n\r\nbody {i}\r\n");
        client
            .command(&format!("p{i} APPEND INBOX {{{}+}}\r\n{body}", body.len()))
            .await;
    }
    client.command("s SELECT INBOX").await;
    client.command("f STORE 2 +FLAGS.SILENT (\\Seen)").await;
    assert_eq!(
        client.command("a SEARCH SUBJECT apples").await,
        ["* SEARCH 1 3", "a OK SEARCH completed."]
    );
    assert_eq!(
        client.command("b UID SEARCH NOT SEEN").await,
        ["* SEARCH 1 3", "b OK SEARCH completed."]
    );
    let lines = client
        .command("c SEARCH RETURN (MIN COUNT) OR SEEN BODY \"body 2\"")
        .await;
    assert_eq!(
        lines,
        [
            "* ESEARCH (TAG \"c\") MIN 2 COUNT 2",
            "c OK SEARCH completed."
        ]
    );
    assert_eq!(
        client.command("d SEARCH RETURN (SAVE) SUBJECT pears").await,
        ["d OK SEARCH completed."]
    );
    let lines = client.command("e FETCH $ (UID)").await;
    assert_eq!(
        lines,
        [
            "* 2 FETCH (UID 2)",
            "* 3 FETCH (UID 3)",
            "e OK FETCH completed."
        ]
    );
    let lines = client.command("g SEARCH CHARSET KOI8-R SUBJECT x").await;
    assert_eq!(
        lines,
        ["g NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset"]
    );
}
