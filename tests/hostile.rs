//! Hostile input over the wire (issue 8): each class of attack gets a clear
//! answer (tagged `BAD`/`NO` with a response code, or `* BYE`), in bounded
//! time and memory, and the server still serves a fresh client afterwards.
//!
//! Classes already proven elsewhere are not repeated here: three failed
//! logins end in `* BYE` (`wire.rs`), STARTTLS injection (`tls.rs`), looping
//! THREAD references (`sort_thread.rs`), and the framer's and parser's own
//! unit tests in imap-proto.

mod support;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use imapkit::memory::MemoryBackend;
use imapkit::server::backend::{AuthError, ConnectionInfo, Credentials};
use imapkit::server::{Backend, Server, Session};
use support::{backend, Client};

/// A fresh client still gets its greeting, logs in and selects INBOX, all
/// within two seconds.
async fn still_serves(server: &Arc<Server>) {
    let started = Instant::now();
    let (mut client, greeting) = Client::connect(server).await;
    assert!(greeting.starts_with("* OK "), "{greeting}");
    let lines = client.command("z1 LOGIN bob secret").await;
    assert!(lines.last().unwrap().starts_with("z1 OK "), "{lines:?}");
    let lines = client.command("z2 SELECT INBOX").await;
    assert!(lines.last().unwrap().starts_with("z2 OK "), "{lines:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a fresh client took {:?}",
        started.elapsed()
    );
}

/// The memory backend, except that logging in as `boom` panics: a bug in a
/// backend, inside one session's task.
#[derive(Debug)]
struct PanickingBackend(Arc<MemoryBackend>);

// Written out as `#[async_trait]` expands it, so the tests need no macro
// crate of their own.
impl Backend for PanickingBackend {
    fn authenticate<'a, 'b, 'c, 'f>(
        &'a self,
        credentials: &'b Credentials,
        connection: &'c ConnectionInfo,
    ) -> Pin<Box<dyn Future<Output = Result<Box<dyn Session>, AuthError>> + Send + 'f>>
    where
        'a: 'f,
        'b: 'f,
        'c: 'f,
        Self: 'f,
    {
        Box::pin(async move {
            if matches!(credentials, Credentials::Password { username, .. } if username == "boom") {
                panic!("a backend bug");
            }
            self.0.authenticate(credentials, connection).await
        })
    }
}

#[tokio::test]
async fn a_panic_in_one_session_is_contained() {
    let mut builder = Server::builder(Arc::new(PanickingBackend(backend())));
    builder
        .limits(support::test_limits())
        .plaintext_auth(imapkit::server::config::PlaintextAuth::Always);
    let server = Arc::new(builder.bind().await.expect("no sockets"));
    let mut other = Client::alice(&server).await;
    let lines = other.command("a SELECT INBOX").await;
    assert!(lines.last().unwrap().starts_with("a OK "), "{lines:?}");

    let (mut victim, _) = Client::connect(&server).await;
    victim.send(b"b LOGIN boom secret\r\n").await;
    assert_eq!(
        victim.line().await,
        "* BYE [SERVERBUG] Internal server error."
    );
    assert!(victim.is_closed().await);

    // The other session and the process go on.
    assert_eq!(other.command("c NOOP").await, ["c OK NOOP completed."]);
    still_serves(&server).await;
}
