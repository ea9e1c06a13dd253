//! CONDSTORE and QRESYNC (RFC 7162) over the wire, two sessions where a
//! change by one must reach the other with its modseq.

mod support;

use support::{backend, server, Client};

async fn append(client: &mut Client, tag: &str) {
    let lines = client
        .command(&format!("{tag} APPEND INBOX {{12+}}\r\nSubject: x\r\n"))
        .await;
    assert!(
        lines.last().unwrap().starts_with(&format!("{tag} OK")),
        "{lines:?}"
    );
}

/// The number in `[NAME n]` or `(NAME n)` of `line`.
fn number_after(line: &str, name: &str) -> u64 {
    let rest = &line[line.find(name).expect(name) + name.len()..];
    let digits: String = rest
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("a number")
}

#[tokio::test]
async fn enable_capability_and_highestmodseq() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    let lines = client.command("a CAPABILITY").await;
    assert!(lines[0].contains(" CONDSTORE QRESYNC"), "{lines:?}");
    let lines = client.command("b ENABLE QRESYNC").await;
    assert_eq!(lines, ["* ENABLED QRESYNC", "b OK ENABLE completed."]);
    let lines = client
        .command("b2 ENABLE CONDSTORE X-UNKNOWN QRESYNC CONDSTORE")
        .await;
    assert_eq!(
        lines,
        ["* ENABLED CONDSTORE QRESYNC", "b2 OK ENABLE completed."]
    );
    append(&mut client, "c").await;
    let lines = client.command("d STATUS INBOX (HIGHESTMODSEQ)").await;
    let status = number_after(&lines[0], "HIGHESTMODSEQ");
    assert!(status > 0, "{lines:?}");
    let lines = client.command("e SELECT INBOX").await;
    let select = lines
        .iter()
        .find(|l| l.starts_with("* OK [HIGHESTMODSEQ "))
        .expect("HIGHESTMODSEQ on SELECT");
    assert_eq!(number_after(select, "HIGHESTMODSEQ"), status);
    // RFC 7162 §3.2.11: re-selecting with QRESYNC on closes the old one.
    let lines = client.command("f EXAMINE INBOX").await;
    assert_eq!(lines[0], "* OK [CLOSED] Previous mailbox closed.");
}

#[tokio::test]
async fn fetch_modseq_changedsince_and_unsolicited_modseq() {
    let server = server(backend()).await;
    let mut alice = Client::alice(&server).await;
    let mut other = Client::alice(&server).await;
    append(&mut alice, "a").await;
    append(&mut alice, "b").await;
    alice.command("c SELECT INBOX").await;
    other.command("c SELECT INBOX").await;
    // FETCH MODSEQ enables CONDSTORE implicitly (RFC 7162 §3.1).
    let lines = alice.command("d FETCH 1:2 (MODSEQ)").await;
    assert_eq!(lines.len(), 3, "{lines:?}");
    let first = number_after(&lines[0], "MODSEQ");
    let second = number_after(&lines[1], "MODSEQ");
    assert!(second > first, "{lines:?}");

    let lines = other.command("e STORE 1 +FLAGS (\\Flagged)").await;
    assert_eq!(
        lines[0], "* 1 FETCH (FLAGS (\\Flagged))",
        "no CONDSTORE here"
    );
    let lines = alice.command("f NOOP").await;
    assert!(
        lines[0].starts_with("* 1 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ ("),
        "{lines:?}"
    );
    let changed = number_after(&lines[0], "MODSEQ");
    assert!(changed > second);

    let lines = alice
        .command(&format!("g FETCH 1:* (FLAGS) (CHANGEDSINCE {second})"))
        .await;
    assert_eq!(
        lines,
        [
            format!("* 1 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ ({changed}))"),
            "g OK FETCH completed.".to_owned()
        ]
    );
}

#[tokio::test]
async fn store_unchangedsince_reports_modified() {
    let server = server(backend()).await;
    let mut alice = Client::alice(&server).await;
    append(&mut alice, "a").await;
    append(&mut alice, "b").await;
    alice.command("c SELECT INBOX").await;
    let lines = alice.command("d FETCH 1:2 (MODSEQ)").await;
    let first = number_after(&lines[0], "MODSEQ");
    alice.command("e STORE 2 +FLAGS.SILENT (\\Seen)").await;
    let lines = alice
        .command(&format!(
            "f STORE 1:2 (UNCHANGEDSINCE {first}) +FLAGS (\\Flagged)"
        ))
        .await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("* 1 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ ("),
        "{lines:?}"
    );
    assert_eq!(
        lines[1],
        "f OK [MODIFIED 2] Conditional STORE failed for some messages"
    );
    let lines = alice.command("g SEARCH MODSEQ 1").await;
    assert!(lines[0].starts_with("* SEARCH 1 2 (MODSEQ "), "{lines:?}");
}

#[tokio::test]
async fn uid_fetch_vanished_earlier() {
    let server = server(backend()).await;
    let mut alice = Client::alice(&server).await;
    alice.command("a ENABLE QRESYNC").await;
    append(&mut alice, "b").await;
    append(&mut alice, "c").await;
    append(&mut alice, "d").await;
    let lines = alice.command("e SELECT INBOX").await;
    let highest = lines
        .iter()
        .find(|l| l.starts_with("* OK [HIGHESTMODSEQ "))
        .map(|l| number_after(l, "HIGHESTMODSEQ"))
        .expect("HIGHESTMODSEQ");
    alice.command("f STORE 2 +FLAGS.SILENT (\\Deleted)").await;
    alice.command("g EXPUNGE").await;
    let lines = alice
        .command(&format!(
            "h UID FETCH 1:* (FLAGS) (CHANGEDSINCE {highest} VANISHED)"
        ))
        .await;
    assert_eq!(lines[0], "* VANISHED (EARLIER) 2", "{lines:?}");
    assert_eq!(lines.last().unwrap(), "h OK FETCH completed.");
}

/// The UIDVALIDITY and HIGHESTMODSEQ of a SELECT's answer.
fn select_state(lines: &[String]) -> (u64, u64) {
    let find = |name: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("* OK [{name} ")))
            .map(|l| number_after(l, name))
            .unwrap_or_else(|| panic!("{name} in {lines:?}"))
    };
    (find("UIDVALIDITY"), find("HIGHESTMODSEQ"))
}

#[tokio::test]
async fn select_qresync_reports_what_changed_since() {
    let server = server(backend()).await;
    let mut alice = Client::alice(&server).await;
    alice.command("a ENABLE QRESYNC").await;
    for tag in ["b", "c", "d", "e"] {
        append(&mut alice, tag).await;
    }
    let (uidvalidity, highest) = select_state(&alice.command("f SELECT INBOX").await);
    alice.command("g UNSELECT").await;

    let mut phone = Client::alice(&server).await;
    phone.command("a SELECT INBOX").await;
    phone.command("b STORE 1 +FLAGS (\\Flagged)").await;
    phone.command("c STORE 2,3 +FLAGS.SILENT (\\Deleted)").await;
    phone.command("d EXPUNGE").await;

    let lines = alice
        .command(&format!(
            "h SELECT INBOX (QRESYNC ({uidvalidity} {highest} 1:3))"
        ))
        .await;
    let vanished: Vec<&String> = lines.iter().filter(|l| l.contains("VANISHED")).collect();
    assert_eq!(vanished, ["* VANISHED (EARLIER) 2:3"], "{lines:?}");
    let fetches: Vec<&String> = lines.iter().filter(|l| l.contains(" FETCH ")).collect();
    assert_eq!(fetches.len(), 1, "only UID 1 changed: {lines:?}");
    assert!(
        fetches[0].starts_with("* 1 FETCH (FLAGS (\\Flagged")
            && fetches[0].contains("UID 1 MODSEQ ("),
        "{lines:?}"
    );
    assert!(lines.last().unwrap().starts_with("h OK [READ-WRITE]"));

    // A stale UIDVALIDITY gets a plain SELECT: the client must resync fully.
    let lines = alice
        .command(&format!(
            "i SELECT INBOX (QRESYNC ({} {highest}))",
            uidvalidity + 1
        ))
        .await;
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("VANISHED") || l.contains(" FETCH ")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn expunges_are_vanished_once_qresync_is_on() {
    let server = server(backend()).await;
    let mut alice = Client::alice(&server).await;
    for tag in ["a", "b", "c", "d", "e"] {
        append(&mut alice, tag).await;
    }
    alice.command("f CREATE Archive").await;
    alice.command("g ENABLE QRESYNC").await;
    alice.command("h SELECT INBOX").await;

    // Another session's expunge, seen on NOOP.
    let mut phone = Client::alice(&server).await;
    phone.command("a SELECT INBOX").await;
    phone.command("b STORE 1 +FLAGS.SILENT (\\Deleted)").await;
    phone.command("c EXPUNGE").await;
    let lines = alice.command("i NOOP").await;
    assert_eq!(lines, ["* VANISHED 1", "i OK NOOP completed."]);

    // Its own EXPUNGE and UID EXPUNGE.
    alice.command("j STORE 1:2 +FLAGS.SILENT (\\Deleted)").await;
    let lines = alice.command("k EXPUNGE").await;
    assert_eq!(lines, ["* VANISHED 2:3", "k OK EXPUNGE completed."]);

    // MOVE: COPYUID, then VANISHED, never EXPUNGE.
    let lines = alice.command("l UID MOVE 5 Archive").await;
    assert!(lines[0].starts_with("* OK [COPYUID "), "{lines:?}");
    assert_eq!(lines[1..], ["* VANISHED 5", "l OK MOVE completed."]);
    assert!(!lines.iter().any(|l| l.contains("EXPUNGE")), "{lines:?}");

    // Without QRESYNC, the same expunge is numbered.
    let mut desktop = Client::alice(&server).await;
    desktop.command("a SELECT INBOX").await;
    desktop.command("b STORE 1 +FLAGS.SILENT (\\Deleted)").await;
    let lines = desktop.command("c EXPUNGE").await;
    assert_eq!(lines, ["* 1 EXPUNGE", "c OK EXPUNGE completed."]);
}

#[tokio::test]
async fn a_store_without_modseqs_gets_nomodseq_and_no_condstore() {
    let store = backend();
    store.set_modseq_support(false);
    let server = server(store).await;
    let mut alice = Client::alice(&server).await;
    let lines = alice.command("a CAPABILITY").await;
    assert!(
        !lines[0].contains("CONDSTORE") && !lines[0].contains("QRESYNC"),
        "{lines:?}"
    );
    let lines = alice.command("b ENABLE CONDSTORE QRESYNC").await;
    assert_eq!(lines, ["* ENABLED", "b OK ENABLE completed."]);
    append(&mut alice, "c").await;
    let lines = alice.command("d SELECT INBOX").await;
    assert!(
        lines.iter().any(|l| l.starts_with("* OK [NOMODSEQ]")),
        "RFC 7162 §3.1.2.2: {lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("HIGHESTMODSEQ")),
        "{lines:?}"
    );
    let lines = alice.command("e SELECT INBOX (CONDSTORE)").await;
    assert!(lines.last().unwrap().starts_with("e BAD"), "{lines:?}");
    let lines = alice.command("f STATUS INBOX (HIGHESTMODSEQ)").await;
    assert!(lines[0].starts_with("f BAD "), "{lines:?}");
}
