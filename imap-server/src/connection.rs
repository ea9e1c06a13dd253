//! One client connection: the read loop, literal decisions, the dispatch of
//! each command, and the end of the connection (LOGOUT, EOF, timeouts,
//! shutdown, protocol violations).
//!
//! Commands are executed one after the other, in the order they arrived
//! (pipelined commands included, RFC 9051 §5.5 allows but never requires
//! concurrency); answers are flushed when the client has nothing more
//! buffered, so a pipeline gets its answers in few writes. Writing waits
//! when the client does not read, and reading waits meanwhile: a client
//! that never reads cannot grow the server's memory.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use bytes::Bytes;
use imapkit_proto::codec::frame::{FrameError, FrameEvent};
use imapkit_proto::codec::{CommandCodec, Encode};
use imapkit_proto::core::{LiteralMode, Text};
use imapkit_proto::response::{Code, Response};
use tokio::sync::watch;
use tracing::Instrument;

use crate::backend::{ConnectionInfo, MailboxId, Session};
use crate::capabilities;
use crate::commands;
use crate::doorbell::Ring;
use crate::outcome::Outcome;
use crate::peers::Slot;
use crate::server::Shared;
use crate::transport::{Stream, Transport};
use crate::view::Selected;

/// Tells a connection that the server is shutting down.
#[derive(Debug, Clone)]
pub(crate) struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    /// Wraps the server's shutdown channel.
    pub(crate) fn new(receiver: watch::Receiver<bool>) -> Self {
        Self(receiver)
    }

    /// Resolves once shutdown was requested (never, if the server is gone
    /// without asking).
    async fn requested(&mut self) {
        while !*self.0.borrow_and_update() {
            if self.0.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

/// The protocol state of RFC 9051 §3, with the data each state holds.
///
/// ```text
///  connection --> [not authenticated] --LOGIN/AUTHENTICATE--> [authenticated]
///                                             ^                   |  ^
///                                  CLOSE/UNSELECT/failed SELECT   SELECT/EXAMINE
///                                             |                   v  |
///                                             +------------- [selected]
///  LOGOUT, BYE or EOF in any state --> [logout] (the connection ends)
/// ```
#[derive(Debug)]
pub(crate) enum State {
    /// Before authentication.
    NotAuthenticated,
    /// Logged in, nothing selected.
    Authenticated(Arc<dyn Session>),
    /// Logged in with a mailbox selected.
    Selected(Arc<dyn Session>, Box<Selected>),
}

impl State {
    /// The logged-in session, in the authenticated and selected states.
    pub(crate) fn session(&self) -> Option<&Arc<dyn Session>> {
        match self {
            Self::NotAuthenticated => None,
            Self::Authenticated(session) | Self::Selected(session, _) => Some(session),
        }
    }
}

/// What happens after the tagged answer of the current command is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Read the next command.
    Continue,
    /// Start the TLS handshake (STARTTLS).
    StartTls,
    /// Close the connection (LOGOUT, too many failures).
    Close,
}

/// Extensions the client turned on with ENABLE (RFC 5161).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Enabled {
    /// `UTF8=ACCEPT` (RFC 6855): mailbox names in UTF-8 on the wire.
    pub(crate) utf8_accept: bool,
    /// CONDSTORE (RFC 7162 §3.1): MODSEQ in every FETCH answer, by ENABLE
    /// or by the first command that uses it.
    pub(crate) condstore: bool,
    /// QRESYNC (RFC 7162 §3.2): VANISHED instead of EXPUNGE; implies
    /// CONDSTORE.
    pub(crate) qresync: bool,
}

/// What the read loop got; `W` is what else may wake it (IDLE's doorbell).
pub(crate) enum Input<W = std::convert::Infallible> {
    /// A complete command.
    Frame(Bytes),
    /// The client closed its side.
    Eof,
    /// The server is shutting down.
    Stop,
    /// No command within the time allowed.
    Timeout,
    /// The stream cannot be resynchronised.
    Unrecoverable(FrameError),
    /// The caller's wake-up future resolved first.
    Woken(W),
}

/// Numbers connections in logs.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// One connection's state.
#[derive(Debug)]
pub(crate) struct Connection {
    /// The stream, its framer and output buffer.
    pub(crate) transport: Transport,
    /// Server-wide settings and the backend.
    pub(crate) shared: Arc<Shared>,
    /// Addresses and whether TLS is active.
    pub(crate) info: ConnectionInfo,
    /// The protocol state.
    pub(crate) state: State,
    /// Extensions turned on with ENABLE.
    pub(crate) enabled: Enabled,
    /// Failed authentications on this connection.
    pub(crate) auth_failures: u32,
    /// Commands answered BAD in a row.
    bad_commands: u32,
    /// What to do after the current answer.
    pub(crate) next: Next,
    /// This connection's place among its address's unauthenticated ones,
    /// freed at login.
    unauthenticated: Option<Slot>,
    stop: Shutdown,
    started: Instant,
}

/// Serves one connection until it ends.
pub(crate) async fn run(
    stream: Box<dyn Stream>,
    info: ConnectionInfo,
    shared: Arc<Shared>,
    stop: Shutdown,
) -> std::io::Result<()> {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let span = tracing::info_span!("conn", id, peer = ?info.peer, user = tracing::field::Empty);
    let limits = shared.limits.pre_auth_frame;
    let slot = info
        .peer
        .map(|peer| shared.unauthenticated.enter(peer.ip()));
    let admitted = !matches!(slot, Some(None));
    let mut connection = Connection {
        transport: Transport::new(stream, limits),
        shared,
        info,
        state: State::NotAuthenticated,
        enabled: Enabled::default(),
        auth_failures: 0,
        bad_commands: 0,
        next: Next::Continue,
        unauthenticated: slot.flatten(),
        stop,
        started: Instant::now(),
    };
    let served = {
        let serve = connection.serve(admitted).instrument(span.clone());
        tokio::pin!(serve);
        // The session boundary: a panic in a command (a bug, in the engine
        // or in a backend) ends this connection only. Tokio would contain
        // it in the task too, but silently for the client; here it is
        // logged, the client is told `* BYE`, and `serve_stream` callers
        // get an error instead of a panic of their own.
        std::future::poll_fn(|cx| {
            match std::panic::catch_unwind(AssertUnwindSafe(|| serve.as_mut().poll(cx))) {
                Ok(Poll::Pending) => Poll::Pending,
                Ok(Poll::Ready(result)) => Poll::Ready(Ok(result)),
                Err(payload) => Poll::Ready(Err(payload)),
            }
        })
        .await
    };
    match served {
        Ok(result) => result,
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            span.in_scope(|| tracing::error!(panic = message, "session panicked; closing it"));
            // Best effort: the client may not read, or the stream may be
            // what failed. Whatever was queued before the panic goes first;
            // responses are queued whole, so the BYE starts a line.
            let bye = connection.bye(Some(Code::ServerBug), "Internal server error.");
            let _ = tokio::time::timeout(PANIC_BYE_TIMEOUT, bye).await;
            Err(std::io::Error::other(format!(
                "session panicked: {message}"
            )))
        }
    }
}

/// How long the `* BYE` after a panic may take to write.
const PANIC_BYE_TIMEOUT: Duration = Duration::from_secs(5);

/// The text of a panic's payload (`panic!` with a literal or a format).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "a non-string payload"
    }
}

fn static_text(s: &'static str) -> Text {
    Text::unvalidated(s)
}

impl Connection {
    /// Greets the client and serves its commands; a connection not
    /// `admitted` (its address holds too many unauthenticated ones) is
    /// told `* BYE` instead.
    async fn serve(&mut self, admitted: bool) -> std::io::Result<()> {
        tracing::debug!(tls = self.info.tls, "connected");
        if !admitted {
            tracing::info!("refused: too many unauthenticated connections from the address");
            return self
                .bye(
                    Some(Code::Unavailable),
                    "Too many connections from your address are not logged in; try again later.",
                )
                .await;
        }
        let caps = capabilities::list(self);
        self.send(Response::untagged_ok(
            Some(Code::Capability(caps)),
            static_text("imapkit ready."),
        ))
        .await?;
        loop {
            match self.next_input().await? {
                Input::Frame(frame) => self.execute_frame(frame).await?,
                Input::Eof => {
                    tracing::debug!("client closed the connection");
                    return Ok(());
                }
                Input::Stop => {
                    return self.bye(None, "Server shutting down.").await;
                }
                Input::Timeout => {
                    return self.bye(None, "Autologout; idle for too long.").await;
                }
                Input::Woken(never) => match never {},
                Input::Unrecoverable(reason) => {
                    tracing::info!(%reason, "closing: stream cannot be resynchronised");
                    let text = format!("{reason}; closing the connection.");
                    return self.bye(Some(Code::TooBig), &text).await;
                }
            }
            match std::mem::replace(&mut self.next, Next::Continue) {
                Next::Continue => {}
                Next::Close => {
                    self.transport.shutdown().await?;
                    return Ok(());
                }
                Next::StartTls => {
                    let acceptor = self
                        .shared
                        .tls
                        .clone()
                        .expect("STARTTLS is offered only with TLS set up");
                    // A handshake that stalls is held to the login
                    // deadline, as an implicit-TLS one is: STARTTLS comes
                    // only before authentication (RFC 9051 §6.2.1), and
                    // without a bound a silent client held its connection
                    // for as long as TCP kept it.
                    let deadline = self.started + self.shared.limits.login_timeout;
                    let handshake = self.transport.start_tls(&acceptor);
                    match tokio::time::timeout_at(deadline.into(), handshake).await {
                        Ok(done) => done?,
                        Err(_) => {
                            return Err(std::io::Error::new(
                                std::io::ErrorKind::TimedOut,
                                "TLS handshake after STARTTLS timed out",
                            ))
                        }
                    }
                    self.info.tls = true;
                }
            }
            if self.bad_commands >= self.shared.limits.max_bad_commands {
                return self.bye(None, "Too many invalid commands.").await;
            }
        }
    }

    /// Sends `* BYE text` and closes.
    async fn bye(&mut self, code: Option<Code>, text: &str) -> std::io::Result<()> {
        self.send(Response::bye_with_code(code, crate::outcome::text(text)))
            .await?;
        self.transport.shutdown().await
    }

    /// Queues a response.
    pub(crate) async fn send(&mut self, response: Response) -> std::io::Result<()> {
        self.transport.send(response.encode()).await
    }

    /// Waits for the next complete command, deciding on announced literals
    /// and answering refused commands on the way.
    async fn next_input(&mut self) -> std::io::Result<Input> {
        self.next_input_until(std::future::pending()).await
    }

    /// [`next_input`](Self::next_input), or `Woken` when `wake` resolves
    /// first (bytes read meanwhile stay buffered).
    pub(crate) async fn next_input_until<W>(
        &mut self,
        wake: impl std::future::Future<Output = W>,
    ) -> std::io::Result<Input<W>> {
        tokio::pin!(wake);
        loop {
            while let Some(event) = self.transport.framer.next_event() {
                match event {
                    FrameEvent::Frame(frame) => return Ok(Input::Frame(frame)),
                    FrameEvent::LiteralAnnounced { mode, .. } => {
                        if mode == LiteralMode::Sync {
                            let ready =
                                Response::continue_text(static_text("Ready for literal data"));
                            self.send(ready).await?;
                            self.transport.flush().await?;
                        }
                        self.transport.framer.accept_literal();
                    }
                    FrameEvent::Rejected { tag, reason } => {
                        self.bad_commands += 1;
                        let outcome = refused_frame(&reason);
                        let response = match tag {
                            Some(tag) => outcome.into_response(tag),
                            None => outcome.into_untagged(),
                        };
                        self.send(response).await?;
                    }
                    FrameEvent::Unrecoverable { reason, .. } => {
                        return Ok(Input::Unrecoverable(reason));
                    }
                }
            }
            self.transport.flush().await?;
            let limits = &self.shared.limits;
            let deadline = match self.state {
                State::NotAuthenticated => self.started + limits.login_timeout,
                _ => Instant::now() + limits.idle_timeout,
            };
            tokio::select! {
                read = self.transport.read_more() => {
                    if read? == 0 {
                        return Ok(Input::Eof);
                    }
                }
                () = self.stop.requested() => return Ok(Input::Stop),
                () = tokio::time::sleep_until(deadline.into()) => return Ok(Input::Timeout),
                woken = &mut wake => return Ok(Input::Woken(woken)),
            }
        }
    }

    /// Reads one more line from the client inside a command (an
    /// AUTHENTICATE response); `None` when the connection ended or must end.
    pub(crate) async fn read_line(&mut self) -> std::io::Result<Option<Bytes>> {
        match self.next_input().await? {
            Input::Frame(frame) => Ok(Some(frame)),
            other => {
                self.end_inside_command(other).await?;
                Ok(None)
            }
        }
    }

    /// Ends the connection after the current command, because `input` (EOF,
    /// a timeout, shutdown, a broken stream) arrived in the middle of it.
    pub(crate) async fn end_inside_command<W>(
        &mut self,
        input: Input<W>,
    ) -> std::io::Result<Outcome> {
        self.next = Next::Close;
        if let Input::Stop = input {
            self.send(Response::bye(static_text("Server shutting down.")))
                .await?;
        }
        Ok(Outcome::bad(None, "Connection ending"))
    }

    async fn execute_frame(&mut self, frame: Bytes) -> std::io::Result<()> {
        match CommandCodec::decode(&frame) {
            Ok(command) => {
                let ok = commands::execute(self, command).await?;
                if ok {
                    self.bad_commands = 0;
                }
                Ok(())
            }
            Err(error) => {
                self.bad_commands += 1;
                tracing::debug!(%error, "unparsable command");
                let outcome = Outcome::bad(
                    error.is_too_deep().then_some(Code::Limit),
                    format!("Error in IMAP command: {error}"),
                );
                let response = match error.tag() {
                    Some(tag) => outcome.into_response(tag.clone()),
                    None => outcome.into_untagged(),
                };
                self.send(response).await
            }
        }
    }

    /// Tells every session (this one's too) that `mailbox` of the logged-in
    /// user changed.
    pub(crate) fn ring(&self, mailbox: &MailboxId) {
        if let Some(session) = self.state.session() {
            let ring = Ring {
                account: session.username().into(),
                mailbox: mailbox.clone(),
            };
            self.shared.doorbell.ring(ring);
        }
    }

    /// Switches to the authenticated state.
    pub(crate) fn logged_in(&mut self, session: Arc<dyn Session>) {
        tracing::Span::current().record("user", session.username());
        tracing::info!("logged in");
        self.transport
            .framer
            .set_limits(self.shared.limits.post_auth_frame);
        self.state = State::Authenticated(session);
        self.unauthenticated = None;
    }
}

/// The answer to a command the framer refused.
fn refused_frame(reason: &FrameError) -> Outcome {
    match reason {
        FrameError::LiteralTooLarge { .. } => Outcome::no(Some(Code::TooBig), reason.to_string()),
        _ => Outcome::bad(Some(Code::Limit), reason.to_string()),
    }
}
