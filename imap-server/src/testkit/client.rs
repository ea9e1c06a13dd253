//! A small IMAP client over an in-memory stream, for engine-level checks
//! and the engine's own tests.
//!
//! [`Client::connect`] serves one end of a `tokio::io::duplex` with
//! [`Server::serve_stream`] and keeps the other; [`Client::command`] sends a
//! tagged command and collects every response up to its tagged completion.
//! Responses are cut with imapkit-proto's framer (literals inline) and kept
//! both raw (for messages) and decoded (for the checks).

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;

use bytes::Bytes;
use imapkit_proto::codec::frame::{FrameEvent, Framer, FramerLimits, FramerMode};
use imapkit_proto::codec::ResponseCodec;
use imapkit_proto::fetch::MessageDataItem;
use imapkit_proto::flag::FlagFetch;
use imapkit_proto::response::{Data, Response, Status, StatusKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

use crate::backend::ConnectionInfo;
use crate::config::{Limits, PlaintextAuth};
use crate::server::Server;

/// Bytes the in-memory stream buffers each way.
const DUPLEX_BUFFER: usize = 1 << 20;

/// What went wrong talking to the server.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Reading or writing the in-memory stream failed.
    #[error("the connection failed: {0}")]
    Io(#[from] std::io::Error),
    /// The server closed the connection while an answer was awaited.
    #[error("the server closed the connection; it had sent: {0}")]
    Closed(String),
    /// The server sent bytes that are not a response frame.
    #[error("the server sent an unframeable response: {0}")]
    Garbled(String),
    /// The server answered a command with `+` when no continuation was
    /// asked for, or did not ask for a literal it was offered.
    #[error("expected a continuation request (+), got: {0}")]
    NoContinuation(String),
}

/// One response as the server sent it: its bytes and, when imapkit-proto
/// can decode it, its meaning.
#[derive(Debug, Clone)]
pub struct Line {
    /// The exact bytes, literals and final CRLF included.
    pub raw: Bytes,
    /// The decoded response, `None` when it does not decode.
    pub parsed: Option<Response>,
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = String::from_utf8_lossy(&self.raw);
        f.write_str(text.trim_end_matches("\r\n"))
    }
}

/// The answer to one command: the responses before the tagged one, then it.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Untagged responses (and continuation requests), in order.
    pub untagged: Vec<Line>,
    /// The tagged completion.
    pub tagged: Line,
}

impl Reply {
    /// The completion's kind (`None` when it did not decode).
    pub fn status(&self) -> Option<StatusKind> {
        match &self.tagged.parsed {
            Some(Response::Status(Status::Tagged { kind, .. })) => Some(*kind),
            _ => None,
        }
    }

    /// Whether the command completed with `OK`.
    pub fn is_ok(&self) -> bool {
        self.status() == Some(StatusKind::Ok)
    }

    /// The decoded untagged data, in order.
    pub fn data(&self) -> impl Iterator<Item = &Data> {
        self.untagged.iter().filter_map(|line| match &line.parsed {
            Some(Response::Data(data)) => Some(data),
            _ => None,
        })
    }

    /// The last `* n EXISTS`, if any.
    pub fn exists(&self) -> Option<u32> {
        self.data()
            .filter_map(|d| match d {
                Data::Exists(n) => Some(*n),
                _ => None,
            })
            .last()
    }

    /// The numbers of the `SEARCH` responses, in order.
    pub fn search(&self) -> Vec<u32> {
        self.data()
            .filter_map(|d| match d {
                Data::Search(s) => Some(s.ids().iter().map(|n| n.get())),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// The `FETCH` responses, in order.
    pub fn fetches(&self) -> Vec<Fetched> {
        self.data()
            .filter_map(|d| match d {
                Data::Fetch(f) => Some(Fetched::from_items(f.seq, f.items.iter())),
                _ => None,
            })
            .collect()
    }

    /// Whether some response (untagged or tagged) contains `needle`.
    pub fn mentions(&self, needle: &str) -> bool {
        let needle = needle.to_ascii_lowercase();
        self.lines()
            .any(|l| l.to_string().to_ascii_lowercase().contains(&needle))
    }

    /// Every response, the tagged one last.
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.untagged.iter().chain(std::iter::once(&self.tagged))
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for line in self.lines() {
            if !first {
                f.write_str(" | ")?;
            }
            first = false;
            write!(f, "{line}")?;
        }
        Ok(())
    }
}

/// The parts of one `FETCH` response the checks look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The sequence number.
    pub seq: u32,
    /// `UID`, when sent.
    pub uid: Option<u32>,
    /// `FLAGS`, when sent, sorted, without `\Recent`.
    pub flags: Option<Vec<String>>,
    /// `BODY[]` (or `RFC822`), when sent.
    pub body: Option<Bytes>,
}

impl Fetched {
    pub(super) fn from_items<'a>(
        seq: NonZeroU32,
        items: impl Iterator<Item = &'a MessageDataItem>,
    ) -> Self {
        let mut fetched = Self {
            seq: seq.get(),
            uid: None,
            flags: None,
            body: None,
        };
        for item in items {
            match item {
                MessageDataItem::Uid(uid) => fetched.uid = Some(uid.get()),
                MessageDataItem::Flags(flags) => {
                    let mut names: Vec<String> = flags
                        .iter()
                        .filter_map(|f| match f {
                            FlagFetch::Flag(flag) => Some(flag.to_string()),
                            FlagFetch::Recent => None,
                        })
                        .collect();
                    names.sort();
                    fetched.flags = Some(names);
                }
                MessageDataItem::BodySection { data, .. } | MessageDataItem::Rfc822(data) => {
                    fetched.body = data.as_bytes().map(Bytes::copy_from_slice);
                }
                _ => {}
            }
        }
        fetched
    }
}

/// A server over `backend` for in-memory connections: no listeners, no
/// authentication delay, plaintext LOGIN allowed.
///
/// # Errors
/// Never in practice: binding no sockets cannot fail.
pub async fn engine(backend: Arc<dyn crate::Backend>) -> std::io::Result<Arc<Server>> {
    let mut builder = Server::builder(backend);
    builder
        .limits(Limits {
            auth_failure_delay: std::time::Duration::ZERO,
            ..Limits::default()
        })
        .plaintext_auth(PlaintextAuth::Always);
    Ok(Arc::new(builder.bind().await?))
}

/// One IMAP connection to an engine over an in-memory stream.
#[derive(Debug)]
pub struct Client {
    stream: DuplexStream,
    framer: Framer,
    next_tag: u32,
    greeting: Line,
}

impl Client {
    /// Connects to `server` (see [`engine`]) and reads the greeting.
    ///
    /// # Errors
    /// When the server closes the connection or sends no greeting.
    pub async fn connect(server: &Arc<Server>) -> Result<Self, ClientError> {
        let (ours, theirs) = tokio::io::duplex(DUPLEX_BUFFER);
        let server = Arc::clone(server);
        tokio::spawn(async move { server.serve_stream(theirs, ConnectionInfo::default()).await });
        let mut client = Self {
            stream: ours,
            framer: Framer::new(FramerMode::Response, FramerLimits::POST_AUTH),
            next_tag: 1,
            greeting: Line {
                raw: Bytes::new(),
                parsed: None,
            },
        };
        client.greeting = client.read().await?;
        Ok(client)
    }

    /// Connects and logs in with LOGIN.
    ///
    /// # Errors
    /// As [`connect`](Self::connect), and when LOGIN is not answered `OK`
    /// (the error then holds the answer).
    pub async fn login(
        server: &Arc<Server>,
        user: &str,
        password: &str,
    ) -> Result<Self, ClientError> {
        let mut client = Self::connect(server).await?;
        let reply = client
            .command(&format!("LOGIN {} {}", quote(user), quote(password)))
            .await?;
        if reply.is_ok() {
            Ok(client)
        } else {
            Err(ClientError::Closed(format!("LOGIN refused: {reply}")))
        }
    }

    /// The greeting the server sent.
    pub fn greeting(&self) -> &Line {
        &self.greeting
    }

    fn tag(&mut self) -> String {
        let tag = format!("T{}", self.next_tag);
        self.next_tag += 1;
        tag
    }

    /// Sends `tag command` and collects the answer up to its tagged
    /// completion. `command` has no tag and no CRLF.
    ///
    /// # Errors
    /// When the connection fails or closes first.
    pub async fn command(&mut self, command: &str) -> Result<Reply, ClientError> {
        let tag = self.tag();
        self.send(format!("{tag} {command}\r\n").as_bytes()).await?;
        self.until_tagged(&tag).await
    }

    /// Sends `tag before{n}`, waits for the continuation request, sends the
    /// literal and `after`, and collects the answer: e.g. APPEND with
    /// `before = "APPEND INBOX (\\Seen) "`, `after = ""`.
    ///
    /// # Errors
    /// As [`command`](Self::command), and [`ClientError::NoContinuation`]
    /// when the server does not ask for the literal.
    pub async fn command_with_literal(
        &mut self,
        before: &str,
        literal: &[u8],
        after: &str,
    ) -> Result<Reply, ClientError> {
        let tag = self.tag();
        let head = format!("{tag} {before}{{{}}}\r\n", literal.len());
        self.send(head.as_bytes()).await?;
        let answer = self.read().await?;
        if !answer.raw.starts_with(b"+") {
            return Err(ClientError::NoContinuation(answer.to_string()));
        }
        self.send(literal).await?;
        self.send(format!("{after}\r\n").as_bytes()).await?;
        self.until_tagged(&tag).await
    }

    /// Starts IDLE (RFC 2177): sends it and waits for the continuation
    /// request. Returns the tag for [`idle_done`](Self::idle_done).
    ///
    /// # Errors
    /// As [`command_with_literal`](Self::command_with_literal).
    pub async fn idle(&mut self) -> Result<String, ClientError> {
        let tag = self.tag();
        self.send(format!("{tag} IDLE\r\n").as_bytes()).await?;
        loop {
            let line = self.read().await?;
            if line.raw.starts_with(b"+") {
                return Ok(tag);
            }
            if line.raw.starts_with(tag.as_bytes()) {
                return Err(ClientError::NoContinuation(line.to_string()));
            }
        }
    }

    /// Ends IDLE with `DONE` and collects everything sent during and after
    /// it up to the completion of `tag`.
    ///
    /// # Errors
    /// When the connection fails or closes first.
    pub async fn idle_done(&mut self, tag: &str) -> Result<Reply, ClientError> {
        self.send(b"DONE\r\n").await?;
        self.until_tagged(tag).await
    }

    /// Sends raw bytes.
    ///
    /// # Errors
    /// When the stream fails.
    pub async fn send(&mut self, bytes: &[u8]) -> Result<(), ClientError> {
        self.stream.write_all(bytes).await?;
        Ok(())
    }

    /// Reads responses up to and including the tagged one for `tag`.
    ///
    /// # Errors
    /// When the connection fails or closes first.
    pub async fn until_tagged(&mut self, tag: &str) -> Result<Reply, ClientError> {
        let prefix = format!("{tag} ");
        let mut untagged = Vec::new();
        loop {
            let line = self.read().await?;
            if line.raw.starts_with(prefix.as_bytes()) {
                return Ok(Reply {
                    untagged,
                    tagged: line,
                });
            }
            untagged.push(line);
        }
    }

    /// Reads the next response.
    ///
    /// # Errors
    /// When the connection fails or closes first.
    pub async fn read(&mut self) -> Result<Line, ClientError> {
        loop {
            match self.framer.next_event() {
                Some(FrameEvent::Frame(raw)) => {
                    let parsed = ResponseCodec::decode(&raw).ok();
                    return Ok(Line { raw, parsed });
                }
                Some(other) => return Err(ClientError::Garbled(format!("{other:?}"))),
                None => {}
            }
            let read = self.stream.read_buf(self.framer.buffer_mut()).await?;
            if read == 0 {
                let left = String::from_utf8_lossy(self.framer.buffer_mut()).into_owned();
                return Err(ClientError::Closed(left));
            }
        }
    }
}

/// `text` as an IMAP quoted string.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}
