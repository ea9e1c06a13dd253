//! STARTTLS and implicit TLS over real sockets, with a rustls client.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use imapkit::server::config::PlaintextAuth;
use imapkit::server::tls::Identity;
use imapkit::server::{ListenerKind, Server};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// Starts a server with a plain and a TLS listener; returns their addresses
/// and a client TLS connector that trusts the generated certificate.
async fn start(policy: PlaintextAuth) -> (SocketAddr, SocketAddr, TlsConnector) {
    let identity = Identity::self_signed(&["localhost"]).unwrap();
    let cert =
        CertificateDer::from_pem_slice(identity.generated_cert_pem().unwrap().as_bytes()).unwrap();
    let mut builder = Server::builder(support::backend());
    builder
        .listen_plain("127.0.0.1:0".parse().unwrap())
        .listen_tls("127.0.0.1:0".parse().unwrap())
        .tls(identity.server_config().unwrap())
        .limits(support::test_limits())
        .plaintext_auth(policy);
    let server = builder.bind().await.unwrap();
    let addrs = server.local_addrs();
    assert_eq!(addrs[0].1, ListenerKind::Plain);
    assert_eq!(addrs[1].1, ListenerKind::Tls);
    tokio::spawn(server.serve(std::future::pending()));
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    (addrs[0].0, addrs[1].0, TlsConnector::from(Arc::new(config)))
}

async fn line<S: AsyncRead + Unpin>(reader: &mut BufReader<S>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).await.unwrap();
    line.trim_end().to_owned()
}

async fn command<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut BufReader<S>,
    tag: &str,
    text: &str,
) -> Vec<String> {
    stream
        .get_mut()
        .write_all(format!("{tag} {text}\r\n").as_bytes())
        .await
        .unwrap();
    let mut lines = Vec::new();
    loop {
        let l = line(stream).await;
        let done = l.starts_with(&format!("{tag} ")) || l.is_empty();
        lines.push(l);
        if done {
            return lines;
        }
    }
}

fn localhost() -> ServerName<'static> {
    ServerName::try_from("localhost").unwrap()
}

#[tokio::test]
async fn starttls_upgrades_and_drops_pipelined_bytes() {
    let (plain, _, connector) = start(PlaintextAuth::Never).await;
    let mut stream = BufReader::new(TcpStream::connect(plain).await.unwrap());
    let greeting = line(&mut stream).await;
    assert!(
        greeting.contains(" STARTTLS") && greeting.contains(" LOGINDISABLED"),
        "{greeting}"
    );
    assert!(!greeting.contains("AUTH=PLAIN"), "{greeting}");
    let lines = command(&mut stream, "a", "LOGIN alice secret").await;
    assert!(lines[0].starts_with("a NO [PRIVACYREQUIRED]"), "{lines:?}");
    // The injection: a command pipelined after STARTTLS, in the clear.
    stream
        .get_mut()
        .write_all(b"b STARTTLS\r\nc LOGOUT\r\n")
        .await
        .unwrap();
    assert_eq!(line(&mut stream).await, "b OK Begin TLS negotiation now.");
    let tls = connector
        .connect(localhost(), stream.into_inner())
        .await
        .unwrap();
    let mut tls = BufReader::new(tls);
    let lines = command(&mut tls, "d", "CAPABILITY").await;
    assert!(
        !lines[0].contains("STARTTLS") && lines[0].contains("AUTH=PLAIN"),
        "{lines:?}"
    );
    assert_eq!(
        lines[1], "d OK CAPABILITY completed.",
        "the pipelined LOGOUT must not have run"
    );
    let lines = command(&mut tls, "e", "LOGIN alice secret").await;
    assert!(lines[0].starts_with("e OK"), "{lines:?}");
}

#[tokio::test]
async fn implicit_tls() {
    let (_, tls_addr, connector) = start(PlaintextAuth::Never).await;
    let tcp = TcpStream::connect(tls_addr).await.unwrap();
    let mut tls = BufReader::new(connector.connect(localhost(), tcp).await.unwrap());
    let greeting = line(&mut tls).await;
    assert!(
        greeting.starts_with("* OK [CAPABILITY IMAP4rev1"),
        "{greeting}"
    );
    assert!(
        !greeting.contains("STARTTLS") && !greeting.contains("LOGINDISABLED"),
        "{greeting}"
    );
    let lines = command(&mut tls, "a", "LOGIN alice secret").await;
    assert!(lines[0].starts_with("a OK"), "{lines:?}");
    let lines = command(&mut tls, "b", "LOGOUT").await;
    assert_eq!(lines, ["* BYE Logging out.", "b OK LOGOUT completed."]);
}

#[tokio::test]
async fn loopback_counts_as_secure_by_default() {
    let (plain, _, _) = start(PlaintextAuth::Loopback).await;
    let mut stream = BufReader::new(TcpStream::connect(plain).await.unwrap());
    let greeting = line(&mut stream).await;
    assert!(
        !greeting.contains("LOGINDISABLED") && greeting.contains("AUTH=PLAIN"),
        "{greeting}"
    );
    let lines = command(&mut stream, "a", "LOGIN alice secret").await;
    assert!(lines[0].starts_with("a OK"), "{lines:?}");
}

#[tokio::test]
async fn shutdown_says_bye() {
    let mut builder = Server::builder(support::backend());
    builder.listen_plain("127.0.0.1:0".parse().unwrap());
    let server = builder.bind().await.unwrap();
    let addr = server.local_addrs()[0].0;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(async move {
        let _ = stopped.await;
    }));
    let mut stream = BufReader::new(TcpStream::connect(addr).await.unwrap());
    line(&mut stream).await;
    stop.send(()).unwrap();
    assert_eq!(line(&mut stream).await, "* BYE Server shutting down.");
    serving.await.unwrap().unwrap();
}
