//! A raw IMAP client over plain TCP or implicit TLS.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::{PASSWORD, USER};

/// What the untagged part of a command's answer held.
#[derive(Default)]
pub struct Reply {
    /// `* n FETCH` responses.
    pub fetches: usize,
    /// The numbers of `* SEARCH` responses.
    pub hits: usize,
    /// The last `* n EXISTS`.
    pub exists: usize,
}

/// The reading half of a connection, plain or TLS.
pub type Reader = BufReader<Box<dyn AsyncRead + Unpin + Send>>;
/// The writing half.
pub type Writer = Box<dyn AsyncWrite + Unpin + Send>;

/// A raw IMAP client: sends tagged commands, reads up to the tagged
/// answer (literals included), and counts what it needs of the rest.
pub struct Client {
    pub reader: Reader,
    pub writer: Writer,
    pub tag: u64,
    pub line: Vec<u8>,
    pub literal: Vec<u8>,
}

impl Client {
    /// Connects (with TLS when given a connector: implicit TLS, the
    /// server named localhost) and reads the greeting.
    pub async fn connect(addr: SocketAddr, tls: Option<&TlsConnector>) -> Client {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        let (read, writer): (Box<dyn AsyncRead + Unpin + Send>, Writer) = match tls {
            None => {
                let (read, write) = stream.into_split();
                (Box::new(read), Box::new(write))
            }
            Some(connector) => {
                let localhost = ServerName::try_from("localhost").expect("a name");
                let stream = connector
                    .connect(localhost, stream)
                    .await
                    .expect("TLS handshake");
                let (read, write) = tokio::io::split(stream);
                (Box::new(read), Box::new(write))
            }
        };
        let mut client = Client {
            reader: BufReader::with_capacity(256 * 1024, read),
            writer,
            tag: 0,
            line: Vec::new(),
            literal: Vec::new(),
        };
        client.read_line().await;
        assert!(
            client.line.starts_with(b"* OK"),
            "greeting: {}",
            client.text()
        );
        client
    }

    /// Connects (plain) and logs in as [`USER`].
    pub async fn login(addr: SocketAddr) -> Client {
        Client::login_over(addr, None).await
    }

    /// Connects, plain or TLS, and logs in as [`USER`].
    pub async fn login_over(addr: SocketAddr, tls: Option<&TlsConnector>) -> Client {
        let mut client = Client::connect(addr, tls).await;
        client.command(&format!("LOGIN {USER} {PASSWORD}")).await;
        client
    }

    /// Connects, logs in and selects INBOX.
    pub async fn inbox(addr: SocketAddr) -> Client {
        let mut client = Client::login(addr).await;
        client.command("SELECT INBOX").await;
        client
    }

    /// The current line, for messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.line).trim_end().to_owned()
    }

    /// Reads one line (up to LF) into `self.line`.
    pub async fn read_line(&mut self) {
        self.line.clear();
        let n = self
            .reader
            .read_until(b'\n', &mut self.line)
            .await
            .expect("read");
        assert!(n > 0, "the server closed the connection");
    }

    /// Reads the literals a line announces (`{n}` at its end) and the
    /// lines that continue the response after them; `self.line` ends as
    /// the last line of the response.
    pub async fn read_literals(&mut self) {
        while let Some(length) = literal_length(&self.line) {
            self.literal.resize(length, 0);
            self.reader
                .read_exact(&mut self.literal)
                .await
                .expect("read a literal");
            self.read_line().await;
        }
    }

    /// Sends a command with the next tag; returns the tag.
    pub async fn send(&mut self, command: &str) -> String {
        self.tag += 1;
        let tag = format!("t{}", self.tag);
        self.writer
            .write_all(format!("{tag} {command}\r\n").as_bytes())
            .await
            .expect("write");
        self.writer.flush().await.expect("flush");
        tag
    }

    /// Sends a command and reads its answer, which must be OK.
    pub async fn command(&mut self, command: &str) -> Reply {
        let tag = self.send(command).await;
        self.reply(&tag, command).await
    }

    /// Reads responses up to the tagged one for `tag`, which must be OK.
    pub async fn reply(&mut self, tag: &str, command: &str) -> Reply {
        let mut reply = Reply::default();
        loop {
            self.read_line().await;
            if self.line.starts_with(tag.as_bytes()) && self.line.get(tag.len()) == Some(&b' ') {
                let status = &self.line[tag.len() + 1..];
                assert!(status.starts_with(b"OK"), "{command}: {}", self.text());
                return reply;
            }
            let words: Vec<&[u8]> = self.line.split(|&b| b == b' ').take(3).collect();
            match words.as_slice() {
                [b"*", _, kind, ..] if kind.starts_with(b"FETCH") => reply.fetches += 1,
                [b"*", n, kind, ..] if kind.starts_with(b"EXISTS") => {
                    reply.exists = std::str::from_utf8(n)
                        .ok()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                }
                [b"*", kind, ..] if kind.starts_with(b"SEARCH") => {
                    reply.hits += self
                        .line
                        .split(|b| b.is_ascii_whitespace())
                        .filter(|w| !w.is_empty())
                        .count()
                        - 2;
                }
                _ => {}
            }
            self.read_literals().await;
        }
    }

    /// APPENDs `message` (CRLF line ends) to INBOX with a synchronizing
    /// literal, as most clients do.
    pub async fn append(&mut self, flags: &str, message: &[u8]) {
        let command = format!("APPEND INBOX ({flags}) {{{}}}", message.len());
        let tag = self.send(&command).await;
        loop {
            self.read_line().await;
            if self.line.starts_with(b"+") {
                break;
            }
            assert!(
                !self.line.starts_with(tag.as_bytes()),
                "{command}: {}",
                self.text()
            );
            self.read_literals().await;
        }
        self.writer.write_all(message).await.expect("write");
        self.writer.write_all(b"\r\n").await.expect("write");
        self.writer.flush().await.expect("flush");
        self.reply(&tag, &command).await;
    }

    /// LOGOUT, then waits until the server has closed the connection
    /// (Dovecot counts a session against its per-user limit until then).
    pub async fn logout(mut self) {
        self.command("LOGOUT").await;
        let mut rest = Vec::new();
        let _ = self.reader.read_to_end(&mut rest).await;
    }
}

/// The length of the literal that ends `line` (`{123}\r\n`), if any.
pub fn literal_length(line: &[u8]) -> Option<usize> {
    let line = line.strip_suffix(b"}\r\n")?;
    let open = line.iter().rposition(|&b| b == b'{')?;
    let digits = &line[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Trusts exactly the pinned server certificates, and checks the
/// handshake signatures as usual. Dovecot's reference certificate is
/// self-signed with `CA:TRUE`, which WebPKI refuses as a server's own.
#[derive(Debug)]
pub struct Pinned {
    pub certs: Vec<CertificateDer<'static>>,
    pub provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.certs.iter().any(|c| c.as_ref() == end_entity.as_ref()) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("not a pinned certificate".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A TLS client that trusts the certificates in these PEM files.
pub fn connector(certs: &[&Path]) -> TlsConnector {
    let certs = certs
        .iter()
        .map(|path| {
            CertificateDer::from_pem_file(path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(Pinned {
        certs,
        provider: provider.clone(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}
