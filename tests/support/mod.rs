//! A raw-wire IMAP client for tests: send exact bytes, read exact lines.

#![allow(dead_code)] // Each test file uses a different part of the support module.

use std::sync::Arc;
use std::time::Duration;

use imapkit::memory::MemoryBackend;
use imapkit::server::backend::ConnectionInfo;
use imapkit::server::config::{Limits, PlaintextAuth};
use imapkit::server::{Backend, Server};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// A memory backend with alice/secret and bob/secret.
pub fn backend() -> Arc<MemoryBackend> {
    let backend = MemoryBackend::new();
    backend
        .add_user("alice", "secret")
        .add_user("bob", "secret");
    Arc::new(backend)
}

/// Limits for tests: no authentication delay.
pub fn test_limits() -> Limits {
    Limits {
        auth_failure_delay: Duration::ZERO,
        ..Limits::default()
    }
}

/// A bound server without listeners, for [`Client::connect`].
pub async fn server(backend: Arc<MemoryBackend>) -> Arc<Server> {
    server_with(backend, test_limits()).await
}

/// A bound server of any backend, with `limits`.
pub async fn server_with(backend: Arc<dyn Backend>, limits: Limits) -> Arc<Server> {
    let mut builder = Server::builder(backend);
    builder.limits(limits).plaintext_auth(PlaintextAuth::Always);
    Arc::new(builder.bind().await.expect("no sockets to bind"))
}

/// One connection: over an in-memory stream to a [`Server`] of the test,
/// or over TCP to any IMAP server.
pub struct Client {
    reader: BufReader<Box<dyn AsyncRead + Unpin + Send>>,
    writer: Box<dyn AsyncWrite + Unpin + Send>,
}

impl Client {
    /// Connects to `server` and reads the greeting.
    pub async fn connect(server: &Arc<Server>) -> (Self, String) {
        let (ours, theirs) = tokio::io::duplex(1 << 20);
        let server = Arc::clone(server);
        tokio::spawn(async move { server.serve_stream(theirs, ConnectionInfo::default()).await });
        Self::over(ours).await
    }

    /// Connects to the IMAP server at `addr` and reads the greeting.
    pub async fn tcp(addr: std::net::SocketAddr) -> (Self, String) {
        let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        Self::over(stream).await
    }

    async fn over(stream: impl AsyncRead + AsyncWrite + Send + 'static) -> (Self, String) {
        let (read, write) = tokio::io::split(stream);
        let mut client = Self {
            reader: BufReader::new(Box::new(read)),
            writer: Box::new(write),
        };
        let greeting = client.line().await;
        (client, greeting)
    }

    /// Connects and logs in as alice.
    pub async fn alice(server: &Arc<Server>) -> Self {
        let (mut client, _) = Self::connect(server).await;
        let lines = client.command("L1 LOGIN alice secret").await;
        assert!(lines.last().unwrap().starts_with("L1 OK"), "{lines:?}");
        client
    }

    /// Sends raw bytes.
    pub async fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("write");
    }

    /// Reads one line (without CRLF), failing after 5 s.
    pub async fn line(&mut self) -> String {
        self.line_within(Duration::from_secs(5)).await
    }

    /// Reads one line (without CRLF), failing after `limit`.
    pub async fn line_within(&mut self, limit: Duration) -> String {
        let mut line = Vec::new();
        let read = tokio::time::timeout(limit, self.reader.read_until(b'\n', &mut line));
        read.await.expect("a line in time").expect("read");
        assert!(line.ends_with(b"\r\n"), "line without CRLF: {line:?}");
        line.truncate(line.len() - 2);
        String::from_utf8(line).expect("UTF-8 line")
    }

    /// Reads exactly `n` bytes.
    pub async fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut buf = vec![0; n];
        self.reader.read_exact(&mut buf).await.expect("read");
        buf
    }

    /// Reads lines up to and including the one starting with `tag `.
    pub async fn until_tagged(&mut self, tag: &str) -> Vec<String> {
        self.until_tagged_within(tag, Duration::from_secs(5)).await
    }

    /// As [`Client::until_tagged`], allowing `limit` per line.
    pub async fn until_tagged_within(&mut self, tag: &str, limit: Duration) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            let line = self.line_within(limit).await;
            let done = line.starts_with(&format!("{tag} "));
            lines.push(line);
            if done {
                return lines;
            }
        }
    }

    /// Sends `line` + CRLF and reads up to its tagged answer.
    pub async fn command(&mut self, line: &str) -> Vec<String> {
        let tag = line.split(' ').next().expect("a tag");
        self.send(format!("{line}\r\n").as_bytes()).await;
        self.until_tagged(tag).await
    }

    /// Whether the server closed the connection (EOF within 5 s).
    pub async fn is_closed(&mut self) -> bool {
        let mut buf = [0u8; 1];
        matches!(
            tokio::time::timeout(Duration::from_secs(5), self.reader.read(&mut buf)).await,
            Ok(Ok(0))
        )
    }
}
