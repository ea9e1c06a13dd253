//! SORT, ESORT and THREAD over the wire (RFC 5256, RFC 5267, RFC 5957):
//! exact bytes in, exact lines out.

mod support;

use support::{backend, server, Client};

/// Appends messages of (internal date, header lines), body `body i`.
async fn inbox_with(client: &mut Client, messages: &[(&str, &str)]) {
    for (i, (date, header)) in messages.iter().enumerate() {
        let message = format!("{header}\r\n\r\nbody {i}\r\n");
        let lines = client
            .command(&format!(
                "p{i} APPEND INBOX \"{date}\" {{{}+}}\r\n{message}",
                message.len()
            ))
            .await;
        assert!(lines[0].starts_with(&format!("p{i} OK ")), "{lines:?}");
    }
    client.command("s SELECT INBOX").await;
}

/// Four messages: arrival order differs from Date order and subject order;
/// 2 replies to 1 and 4 to 2, 3 stands alone. Every expected answer is
/// Dovecot 2.3's to the same commands over the same messages.
const MESSAGES: [(&str, &str); 4] = [
    (
        "03-Jan-2021 10:00:00 +0000",
        "From: Zed <zed@example.com>\r\nTo: amy@example.com\r\nSubject: Lunch\r\n\
         Date: Fri, 01 Jan 2021 09:00:00 +0000\r\nMessage-ID: <1@example.com>",
    ),
    (
        "01-Jan-2021 10:00:00 +0000",
        "From: amy@example.com\r\nTo: Zed <zed@example.com>\r\nSubject: Re: lunch\r\n\
         Date: Sat, 02 Jan 2021 09:00:00 +0000\r\nMessage-ID: <2@example.com>\r\n\
         In-Reply-To: <1@example.com>",
    ),
    (
        "02-Jan-2021 10:00:00 +0000",
        "From: Bob <bob@example.com>\r\nTo: amy@example.com\r\nSubject: [list] Agenda\r\n\
         Date: Sun, 03 Jan 2021 09:00:00 +0000\r\nMessage-ID: <3@example.com>",
    ),
    (
        "04-Jan-2021 10:00:00 +0000",
        "From: Carl <carl@example.com>\r\nTo: Bo <bo@example.com>\r\nSubject: Re: Lunch\r\n\
         Date: Mon, 04 Jan 2021 09:00:00 +0000\r\nMessage-ID: <4@example.com>\r\n\
         References: <1@example.com> <2@example.com>",
    ),
];

#[tokio::test]
async fn capabilities_are_advertised_after_login() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    let lines = client.command("a CAPABILITY").await;
    for cap in [
        " SORT ",
        " SORT=DISPLAY ",
        " ESORT ",
        " THREAD=ORDEREDSUBJECT ",
        " THREAD=REFERENCES ",
    ] {
        assert!(lines[0].contains(cap), "{cap} in {lines:?}");
    }
}

#[tokio::test]
async fn sort_by_each_key_and_by_uid() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    inbox_with(&mut client, &MESSAGES).await;
    let cases = [
        ("SORT (SUBJECT) UTF-8 ALL", "* SORT 3 1 2 4"),
        ("SORT (ARRIVAL) US-ASCII ALL", "* SORT 2 3 1 4"),
        ("SORT (REVERSE ARRIVAL) UTF-8 ALL", "* SORT 4 1 3 2"),
        ("SORT (DATE) UTF-8 ALL", "* SORT 1 2 3 4"),
        ("SORT (FROM) UTF-8 ALL", "* SORT 2 3 4 1"),
        ("SORT (TO) UTF-8 ALL", "* SORT 1 3 4 2"),
        ("SORT (DISPLAYFROM) UTF-8 ALL", "* SORT 2 3 4 1"),
        ("SORT (DISPLAYTO) UTF-8 ALL", "* SORT 1 3 4 2"),
        ("SORT (SUBJECT REVERSE DATE) UTF-8 ALL", "* SORT 3 4 2 1"),
        ("SORT (SIZE) UTF-8 SUBJECT lunch", "* SORT 1 2 4"),
        ("SORT (DATE) UTF-8 SUBJECT nothing", "* SORT"),
    ];
    for (i, (command, want)) in cases.iter().enumerate() {
        let lines = client.command(&format!("t{i} {command}")).await;
        assert_eq!(
            lines,
            [want.to_string(), format!("t{i} OK SORT completed.")],
            "{command}"
        );
    }
    client.command("x STORE 1 +FLAGS.SILENT (\\Deleted)").await;
    client.command("y EXPUNGE").await;
    assert_eq!(
        client
            .command("u UID SORT (REVERSE SUBJECT) UTF-8 1:*")
            .await,
        ["* SORT 2 4 3", "u OK SORT completed."]
    );
}

#[tokio::test]
async fn sort_refusals() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    let lines = client.command("a SORT (SUBJECT) UTF-8 ALL").await;
    assert!(lines[0].starts_with("a BAD "), "{lines:?}");
    inbox_with(&mut client, &MESSAGES[..1]).await;
    assert_eq!(
        client.command("b SORT (SUBJECT) KOI8-R ALL").await,
        ["b NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset"]
    );
    let lines = client.command("c SORT (NOPE) UTF-8 ALL").await;
    assert!(lines[0].starts_with("c BAD "), "{lines:?}");
    let lines = client.command("d SORT SUBJECT UTF-8 ALL").await;
    assert!(lines[0].starts_with("d BAD "), "{lines:?}");
    let lines = client.command("e SORT (SUBJECT) ALL").await;
    assert!(lines[0].starts_with("e BAD "), "{lines:?}");
}

#[tokio::test]
async fn esort_return_options_answer_esearch_in_sort_order() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    inbox_with(&mut client, &MESSAGES).await;
    assert_eq!(
        client
            .command("a SORT RETURN (MIN MAX ALL COUNT) (SUBJECT) UTF-8 ALL")
            .await,
        [
            "* ESEARCH (TAG \"a\") MIN 3 MAX 4 ALL 3,1:2,4 COUNT 4",
            "a OK SORT completed."
        ]
    );
    assert_eq!(
        client
            .command("b UID SORT RETURN () (REVERSE ARRIVAL) UTF-8 ALL")
            .await,
        [
            "* ESEARCH (TAG \"b\") UID ALL 4,1,3,2",
            "b OK SORT completed."
        ]
    );
    assert_eq!(
        client
            .command("c SORT RETURN (COUNT MIN) (DATE) UTF-8 SUBJECT nothing")
            .await,
        ["* ESEARCH (TAG \"c\") COUNT 0", "c OK SORT completed."]
    );
}

/// `RETURN (SAVE)` keeps the sorted result as `$` (RFC 5182 §2.4): in
/// UID order for FETCH, the first in sort order for `SAVE MIN`.
#[tokio::test]
async fn esort_save_keeps_the_result() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    inbox_with(&mut client, &MESSAGES).await;
    assert_eq!(
        client
            .command("a SORT RETURN (SAVE) (REVERSE ARRIVAL) UTF-8 SUBJECT lunch")
            .await,
        ["a OK SORT completed."]
    );
    assert_eq!(
        client.command("b FETCH $ (UID)").await,
        [
            "* 1 FETCH (UID 1)",
            "* 2 FETCH (UID 2)",
            "* 4 FETCH (UID 4)",
            "b OK FETCH completed."
        ]
    );
    assert_eq!(
        client
            .command("c SORT RETURN (SAVE MIN) (REVERSE ARRIVAL) UTF-8 SUBJECT lunch")
            .await,
        ["* ESEARCH (TAG \"c\") MIN 4", "c OK SORT completed."]
    );
    assert_eq!(
        client.command("d SORT (DATE) UTF-8 $").await,
        ["* SORT 4", "d OK SORT completed."]
    );
}

#[tokio::test]
async fn thread_references_and_orderedsubject() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    inbox_with(&mut client, &MESSAGES).await;
    let cases = [
        ("THREAD REFERENCES UTF-8 ALL", "* THREAD (1 2 4)(3)"),
        ("THREAD ORDEREDSUBJECT UTF-8 ALL", "* THREAD (1 (2)(4))(3)"),
        (
            "THREAD REFERENCES US-ASCII NOT SUBJECT agenda",
            "* THREAD (1 2 4)",
        ),
        ("THREAD references UTF-8 2,3", "* THREAD (2)(3)"),
        ("THREAD ORDEREDSUBJECT UTF-8 SUBJECT nothing", "* THREAD"),
    ];
    for (i, (command, want)) in cases.iter().enumerate() {
        let lines = client.command(&format!("t{i} {command}")).await;
        assert_eq!(
            lines,
            [want.to_string(), format!("t{i} OK THREAD completed.")],
            "{command}"
        );
    }
    client.command("x STORE 1 +FLAGS.SILENT (\\Deleted)").await;
    client.command("y EXPUNGE").await;
    // The root is gone: its dummy has one child, which takes its place.
    assert_eq!(
        client.command("u UID THREAD REFERENCES UTF-8 ALL").await,
        ["* THREAD (2 4)(3)", "u OK THREAD completed."]
    );
    let lines = client.command("v THREAD FOO UTF-8 ALL").await;
    assert_eq!(lines, ["v BAD Unknown threading algorithm FOO"]);
    assert_eq!(
        client.command("w THREAD REFERENCES KOI8-R ALL").await,
        ["w NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset"]
    );
}

/// References that loop, name the message itself, or repeat, answer a
/// thread and the session goes on.
#[tokio::test]
async fn thread_survives_looping_references() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    let messages = [
        (
            "01-Jan-2021 10:00:00 +0000",
            "Subject: a\r\nMessage-ID: <a@x>\r\nReferences: <b@x> <a@x>",
        ),
        (
            "02-Jan-2021 10:00:00 +0000",
            "Subject: b\r\nMessage-ID: <b@x>\r\nReferences: <a@x> <b@x> <a@x>",
        ),
        (
            "03-Jan-2021 10:00:00 +0000",
            "Subject: c\r\nMessage-ID: <c@x>\r\nReferences: <c@x>",
        ),
    ];
    inbox_with(&mut client, &messages).await;
    assert_eq!(
        client.command("a THREAD REFERENCES UTF-8 ALL").await,
        ["* THREAD (1 2)(3)", "a OK THREAD completed."]
    );
    assert_eq!(client.command("b NOOP").await, ["b OK NOOP completed."]);
}
