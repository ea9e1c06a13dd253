//! The example engine over real TCP, driven by the third-party `async-imap`
//! client.
//!
//! `async-imap` returns `futures::Stream`s from LIST, FETCH and STORE; to
//! avoid another dev-dependency just for `StreamExt`, those commands go
//! through `run_command` + `read_response` and the responses are matched on
//! the re-exported `imap_proto` types.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use async_imap::imap_proto::{AttributeValue, MailboxDatum, RequestId, Response, Status};
use async_imap::types::Capability;
use async_imap::{Client, Session};
use imapkit::server::config::PlaintextAuth;
use imapkit::server::Server;
use tokio::net::TcpStream;
use tokio::time::timeout;

const MESSAGE: &[u8] = b"From: bob@example.org\r\n\
To: alice@example.org\r\n\
Subject: async-imap\r\n\
\r\n\
Hello from async-imap.\r\n";

/// Starts a plain-TCP server and returns its address.
async fn start() -> SocketAddr {
    let mut builder = Server::builder(support::backend());
    builder
        .listen_plain("127.0.0.1:0".parse().unwrap())
        .limits(support::test_limits())
        .plaintext_auth(PlaintextAuth::Always);
    let server = builder.bind().await.unwrap();
    let addr = server.local_addrs()[0].0;
    tokio::spawn(server.serve(std::future::pending()));
    addr
}

/// Connects, checks the greeting and logs in as alice.
async fn login(addr: SocketAddr) -> Session<TcpStream> {
    let stream = TcpStream::connect(addr).await.unwrap();
    let mut client = Client::new(stream);
    let greeting = timeout(Duration::from_secs(5), client.read_response())
        .await
        .expect("a greeting within 5 s")
        .expect("a greeting")
        .unwrap();
    assert!(
        matches!(
            greeting.parsed(),
            Response::Data {
                status: Status::Ok,
                ..
            }
        ),
        "{:?}",
        greeting.parsed()
    );
    client
        .login("alice", "secret")
        .await
        .map_err(|(e, _)| e)
        .expect("LOGIN alice")
}

/// One owned untagged response of interest.
#[derive(Debug)]
enum Untagged {
    List {
        name: String,
        delimiter: Option<String>,
    },
    Fetch(Fetched),
    /// Anything else, kept for assertion messages.
    #[allow(dead_code)] // Read only through `Debug`.
    Other(String),
}

/// The attributes of one FETCH response that the tests look at.
#[derive(Debug, Default)]
struct Fetched {
    seq: u32,
    flags: Option<Vec<String>>,
    uid: Option<u32>,
    size: Option<u32>,
    body: Option<Vec<u8>>,
}

impl Fetched {
    fn new(seq: u32, attrs: &[AttributeValue<'_>]) -> Self {
        let mut fetched = Self {
            seq,
            ..Self::default()
        };
        for attr in attrs {
            match attr {
                AttributeValue::Flags(f) => {
                    fetched.flags = Some(f.iter().map(|f| f.to_string()).collect());
                }
                AttributeValue::Uid(u) => fetched.uid = Some(*u),
                AttributeValue::Rfc822Size(s) => fetched.size = Some(*s),
                AttributeValue::BodySection {
                    section: None,
                    data: Some(data),
                    ..
                } => fetched.body = Some(data.to_vec()),
                _ => {}
            }
        }
        fetched
    }
}

/// Runs `command` and collects its untagged responses; asserts a tagged OK.
async fn run(session: &mut Session<TcpStream>, command: &str) -> Vec<Untagged> {
    let id: RequestId = session.run_command(command).await.unwrap();
    let mut out = Vec::new();
    loop {
        let response = timeout(Duration::from_secs(5), session.read_response())
            .await
            .unwrap_or_else(|_| panic!("{command}: no answer within 5 s"))
            .expect("connection open")
            .unwrap();
        match response.parsed() {
            Response::Done { tag, status, .. } if *tag == id => {
                assert_eq!(*status, Status::Ok, "{command}: {:?}", response.parsed());
                return out;
            }
            Response::MailboxData(MailboxDatum::List {
                name, delimiter, ..
            }) => out.push(Untagged::List {
                name: name.to_string(),
                delimiter: delimiter.as_ref().map(|d| d.to_string()),
            }),
            Response::Fetch(seq, attrs) => out.push(Untagged::Fetch(Fetched::new(*seq, attrs))),
            other => out.push(Untagged::Other(format!("{other:?}"))),
        }
    }
}

/// LIST "" * as (name, delimiter) pairs, sorted by name.
async fn list_all(session: &mut Session<TcpStream>) -> Vec<(String, Option<String>)> {
    let mut names: Vec<_> = run(session, "LIST \"\" *")
        .await
        .into_iter()
        .filter_map(|u| match u {
            Untagged::List { name, delimiter } => Some((name, delimiter)),
            _ => None,
        })
        .collect();
    names.sort();
    names
}

fn slash(name: &str) -> (String, Option<String>) {
    (name.to_owned(), Some("/".to_owned()))
}

/// The only FETCH response in `responses`, for message 1.
fn only_fetch(responses: &[Untagged]) -> &Fetched {
    let fetches: Vec<_> = responses
        .iter()
        .filter_map(|u| match u {
            Untagged::Fetch(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(fetches.len(), 1, "{responses:?}");
    assert_eq!(fetches[0].seq, 1, "{responses:?}");
    fetches[0]
}

#[tokio::test]
async fn session_round_trip() {
    let addr = start().await;
    let mut session = login(addr).await;

    let caps = session.capabilities().await.unwrap();
    assert!(caps.has(&Capability::Imap4rev1));
    assert!(caps.has_str("IDLE"));

    session.create("Work/Projects").await.unwrap();
    assert_eq!(
        list_all(&mut session).await,
        vec![slash("INBOX"), slash("Work"), slash("Work/Projects")]
    );

    session
        .append("INBOX", Some("(\\Seen)"), None, MESSAGE)
        .await
        .unwrap();

    let mailbox = session.select("INBOX").await.unwrap();
    assert_eq!(mailbox.exists, 1);
    assert!(mailbox.uid_validity.is_some(), "{mailbox:?}");
    let uid_next = mailbox.uid_next;

    let fetched = run(&mut session, "FETCH 1 (FLAGS UID RFC822.SIZE BODY.PEEK[])").await;
    let fetch = only_fetch(&fetched);
    assert_eq!(fetch.body.as_deref(), Some(MESSAGE));
    assert_eq!(fetch.size, Some(MESSAGE.len() as u32));
    let uid = fetch.uid.expect("a UID");
    if let Some(next) = uid_next {
        assert!(uid < next, "UID {uid} vs UIDNEXT {next}");
    }
    let flags = fetch.flags.as_ref().expect("FLAGS");
    assert!(flags.iter().any(|f| f == "\\Seen"), "{flags:?}");

    let stored = run(&mut session, "STORE 1 +FLAGS (\\Flagged)").await;
    let flags = only_fetch(&stored).flags.as_ref().expect("FLAGS");
    assert!(flags.iter().any(|f| f == "\\Flagged"), "{flags:?}");
    assert!(flags.iter().any(|f| f == "\\Seen"), "{flags:?}");

    session.rename("Work", "Archive").await.unwrap();
    assert_eq!(
        list_all(&mut session).await,
        vec![slash("Archive"), slash("Archive/Projects"), slash("INBOX")]
    );

    let status = session.status("INBOX", "(MESSAGES)").await.unwrap();
    assert_eq!(status.exists, 1);

    session.logout().await.unwrap();
}

#[tokio::test]
async fn idle_sees_append_from_another_session() {
    let addr = start().await;
    let mut idler = login(addr).await;
    let mailbox = idler.select("INBOX").await.unwrap();
    assert_eq!(mailbox.exists, 0);

    let mut handle = idler.idle();
    handle.init().await.unwrap();

    let mut other = login(addr).await;
    other.append("INBOX", None, None, MESSAGE).await.unwrap();

    let (wait, _stop) = handle.wait_with_timeout(Duration::from_secs(10));
    let response = timeout(Duration::from_secs(5), wait)
        .await
        .expect("an IDLE update within 5 s")
        .unwrap();
    match response {
        IdleResponse::NewData(data) => assert!(
            matches!(
                data.parsed(),
                Response::MailboxData(MailboxDatum::Exists(1))
            ),
            "{:?}",
            data.parsed()
        ),
        other => panic!("{other:?}"),
    }

    let mut idler = handle.done().await.unwrap();
    idler.logout().await.unwrap();
    other.logout().await.unwrap();
}
