//! BINARY (RFC 3516) over the wire: literal8 APPEND, decoded FETCH,
//! BINARY.SIZE, partials, `[UNKNOWN-CTE]`, and `\Seen`.

mod support;

use support::{backend, server, Client};

/// A multipart message: part 1 quoted-printable, part 2 base64 holding a
/// NUL, part 3 in an encoding nobody knows.
const MESSAGE: &str = "Subject: t\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n\
    --XX\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nh=C3=A9llo=\r\n wor=3Dld\r\n\
    --XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nYQBi\r\nYw==\r\n\
    --XX\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin\r\n\
    --XX--\r\n";

async fn inbox_with_message(client: &mut Client) {
    let lines = client
        .command(&format!(
            "a APPEND INBOX {{{}+}}\r\n{MESSAGE}",
            MESSAGE.len()
        ))
        .await;
    assert!(lines[0].starts_with("a OK "), "{lines:?}");
}

#[tokio::test]
async fn binary_is_advertised_once_authenticated() {
    let server = server(backend()).await;
    let (mut client, greeting) = Client::connect(&server).await;
    assert!(!greeting.contains(" BINARY"), "{greeting}");
    client.command("L LOGIN alice secret").await;
    let lines = client.command("c CAPABILITY").await;
    assert!(lines[0].contains(" BINARY"), "{lines:?}");
}

#[tokio::test]
async fn binary_decodes_each_part_as_dovecot_does() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    inbox_with_message(&mut client).await;
    client.command("s SELECT INBOX").await;
    client
        .send(b"b FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1] BINARY.PEEK[2]<1.2>)\r\n")
        .await;
    assert_eq!(client.line().await, "* 1 FETCH (BINARY[1] {13}");
    assert_eq!(client.bytes(13).await, "h\u{e9}llo wor=ld".as_bytes());
    // A NUL goes out in a literal8 (RFC 3516 §4.2).
    assert_eq!(client.line().await, " BINARY.SIZE[1] 13 BINARY[2]<1> ~{2}");
    assert_eq!(client.bytes(2).await, b"\0b");
    assert_eq!(
        client.until_tagged("b").await,
        [")", "b OK FETCH completed."]
    );
    assert_eq!(
        client.command("c FETCH 1 BINARY.SIZE[2]").await,
        ["* 1 FETCH (BINARY.SIZE[2] 4)", "c OK FETCH completed."]
    );
    assert_eq!(
        client.command("d FETCH 1 FLAGS").await,
        ["* 1 FETCH (FLAGS (\\Recent))", "d OK FETCH completed."]
    );
}

#[tokio::test]
async fn an_unknown_encoding_is_unknown_cte_and_the_rest_is_sent() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    inbox_with_message(&mut client).await;
    client.command("s SELECT INBOX").await;
    assert_eq!(
        client
            .command("b UID FETCH 1 (BINARY.PEEK[3] BINARY.SIZE[3])")
            .await,
        [
            "* 1 FETCH (UID 1)",
            "b NO [UNKNOWN-CTE] Unknown Content-Transfer-Encoding"
        ]
    );
    // A missing part is empty, as Dovecot answers.
    assert_eq!(
        client.command("c FETCH 1 BINARY.SIZE[9]").await,
        ["* 1 FETCH (BINARY.SIZE[9] 0)", "c OK FETCH completed."]
    );
}

#[tokio::test]
async fn binary_without_peek_sets_seen_and_literal8_appends() {
    let server = server(backend()).await;
    let mut client = Client::alice(&server).await;
    client
        .send(b"a APPEND INBOX ~{14+}\r\nSubject: \0\r\n\r\n\r\n")
        .await;
    let lines = client.until_tagged("a").await;
    assert!(lines[0].starts_with("a OK "), "{lines:?}");
    client.command("s SELECT INBOX").await;
    client.send(b"b FETCH 1 BINARY[]\r\n").await;
    assert_eq!(client.line().await, "* 1 FETCH (BINARY[] ~{14}");
    assert_eq!(client.bytes(14).await, b"Subject: \0\r\n\r\n");
    assert_eq!(
        client.until_tagged("b").await,
        [" FLAGS (\\Seen \\Recent))", "b OK FETCH completed."]
    );
}
