//! The server: listeners, the accept loop, graceful shutdown.
//!
//! [`Server::builder`] takes the backend and the settings; [`ServerBuilder::bind`]
//! opens the listening sockets (so the caller learns the bound addresses
//! before serving, port 0 included); [`Server::serve`] accepts until the
//! shutdown future resolves. Each connection is one tokio task
//! ([`Server::serve_stream`] serves one stream, for embedding).
//!
//! Shutdown: a `watch` channel tells every connection to stop; each finishes
//! the command in flight, sends `* BYE` and closes. `serve` waits for them
//! up to [`Limits::shutdown_grace`], then aborts the rest.
//!
//! A panic inside a connection (a bug in a command or a backend) is caught
//! at the session boundary: logged, answered with `* BYE [SERVERBUG]`, and
//! only that connection ends.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::backend::{Backend, ConnectionInfo};
use crate::config::{Limits, PlaintextAuth};
use crate::connection::{self, Shutdown};
use crate::doorbell::{Doorbell, LocalDoorbell};
use crate::peers::Unauthenticated;
use crate::sasl::{self, Mechanism};
use crate::search::cache::TextCache;

/// Whether a listener speaks plain IMAP (with STARTTLS) or implicit TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenerKind {
    /// Plain IMAP; STARTTLS is offered when a TLS configuration is set.
    Plain,
    /// Implicit TLS (IMAPS, port 993): the TLS handshake comes first.
    Tls,
}

/// Everything a connection needs, shared by all of them.
pub(crate) struct Shared {
    /// The storage backend.
    pub(crate) backend: Arc<dyn Backend>,
    /// TLS for implicit-TLS listeners and STARTTLS; `None` means neither.
    pub(crate) tls: Option<TlsAcceptor>,
    /// Limits and timeouts.
    pub(crate) limits: Limits,
    /// When plaintext authentication is allowed.
    pub(crate) plaintext_auth: PlaintextAuth,
    /// The SASL mechanisms AUTHENTICATE offers, in advertising order.
    pub(crate) mechanisms: Vec<Arc<dyn Mechanism>>,
    /// Tells sessions that a mailbox changed.
    pub(crate) doorbell: Arc<dyn Doorbell>,
    /// Decoded message texts kept across searches.
    pub(crate) text_cache: TextCache,
    /// Connections not logged in yet, per client address.
    pub(crate) unauthenticated: Arc<Unauthenticated>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("backend", &self.backend)
            .field("tls", &self.tls.is_some())
            .field("limits", &self.limits)
            .field("plaintext_auth", &self.plaintext_auth)
            .field("mechanisms", &self.mechanisms)
            .field("doorbell", &self.doorbell)
            .field("text_cache", &self.text_cache)
            .field("unauthenticated", &self.unauthenticated)
            .finish()
    }
}

/// Builds a [`Server`].
#[derive(Debug)]
pub struct ServerBuilder {
    backend: Arc<dyn Backend>,
    listeners: Vec<(SocketAddr, ListenerKind)>,
    tls: Option<Arc<rustls::ServerConfig>>,
    limits: Limits,
    plaintext_auth: PlaintextAuth,
    mechanisms: Vec<Arc<dyn Mechanism>>,
    doorbell: Arc<dyn Doorbell>,
}

impl ServerBuilder {
    /// Sets how sessions learn of each other's changes (see
    /// [`crate::doorbell`]). Default is a [`LocalDoorbell`]: the sessions of
    /// this process.
    pub fn doorbell(&mut self, doorbell: Arc<dyn Doorbell>) -> &mut Self {
        self.doorbell = doorbell;
        self
    }

    /// Adds a SASL mechanism for AUTHENTICATE (e.g. an OAUTHBEARER of your
    /// own), or replaces the one of the same name. Default is PLAIN and LOGIN.
    pub fn sasl_mechanism(&mut self, mechanism: Arc<dyn Mechanism>) -> &mut Self {
        self.mechanisms.retain(|m| m.name() != mechanism.name());
        self.mechanisms.push(mechanism);
        self
    }

    /// Adds a plain IMAP listener (STARTTLS when [`tls`](Self::tls) is set).
    /// Default is none.
    pub fn listen_plain(&mut self, addr: SocketAddr) -> &mut Self {
        self.listeners.push((addr, ListenerKind::Plain));
        self
    }

    /// Adds an implicit-TLS listener; needs [`tls`](Self::tls). Default is none.
    pub fn listen_tls(&mut self, addr: SocketAddr) -> &mut Self {
        self.listeners.push((addr, ListenerKind::Tls));
        self
    }

    /// Sets the TLS configuration (see [`crate::tls::Identity`]). Default is
    /// none: no STARTTLS, and implicit-TLS listeners are refused by `bind`.
    pub fn tls(&mut self, config: Arc<rustls::ServerConfig>) -> &mut Self {
        self.tls = Some(config);
        self
    }

    /// Sets limits and timeouts. Default is [`Limits::default`].
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = limits;
        self
    }

    /// Sets when LOGIN/AUTHENTICATE work without TLS. Default is
    /// [`PlaintextAuth::Loopback`].
    pub fn plaintext_auth(&mut self, policy: PlaintextAuth) -> &mut Self {
        self.plaintext_auth = policy;
        self
    }

    /// Opens the listening sockets.
    ///
    /// # Errors
    /// Fails when a socket cannot be bound, or an implicit-TLS listener is
    /// asked for without a TLS configuration.
    pub async fn bind(&self) -> io::Result<Server> {
        let mut listeners = Vec::with_capacity(self.listeners.len());
        for &(addr, kind) in &self.listeners {
            if kind == ListenerKind::Tls && self.tls.is_none() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "TLS listener {addr} needs a TLS configuration: call ServerBuilder::tls"
                    ),
                ));
            }
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
            listeners.push((listener, kind));
        }
        let shared = Shared {
            backend: Arc::clone(&self.backend),
            tls: self.tls.clone().map(TlsAcceptor::from),
            limits: self.limits.clone(),
            plaintext_auth: self.plaintext_auth,
            mechanisms: self.mechanisms.clone(),
            doorbell: Arc::clone(&self.doorbell),
            text_cache: TextCache::new(self.limits.search_text_cache),
            unauthenticated: Unauthenticated::new(self.limits.max_unauthenticated_per_address),
        };
        Ok(Server {
            shared: Arc::new(shared),
            listeners,
        })
    }
}

/// A bound IMAP server, ready to [`serve`](Server::serve).
#[derive(Debug)]
pub struct Server {
    shared: Arc<Shared>,
    listeners: Vec<(TcpListener, ListenerKind)>,
}

impl Server {
    /// Starts building a server for `backend`.
    pub fn builder(backend: Arc<dyn Backend>) -> ServerBuilder {
        ServerBuilder {
            backend,
            listeners: Vec::new(),
            tls: None,
            limits: Limits::default(),
            plaintext_auth: PlaintextAuth::default(),
            mechanisms: vec![Arc::new(sasl::Plain), Arc::new(sasl::Login)],
            doorbell: Arc::new(LocalDoorbell::default()),
        }
    }

    /// The bound addresses and their kinds, in the order they were added.
    pub fn local_addrs(&self) -> Vec<(SocketAddr, ListenerKind)> {
        self.listeners
            .iter()
            .filter_map(|(l, kind)| l.local_addr().ok().map(|a| (a, *kind)))
            .collect()
    }

    /// Serves one connection over any byte stream: a socket accepted
    /// elsewhere, a TLS stream, or a `tokio::io::duplex` in tests. `info`
    /// says whether the stream is already encrypted. Returns when the
    /// connection ends.
    ///
    /// # Errors
    /// When reading or writing the stream fails, or the session panicked
    /// (a bug; the panic is caught, logged and answered with `* BYE`).
    pub async fn serve_stream<S>(&self, stream: S, info: ConnectionInfo) -> io::Result<()>
    where
        S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        // A shutdown channel that never fires: this connection ends on its own.
        let (_never, stop) = watch::channel(false);
        connection::run(
            Box::new(stream),
            info,
            Arc::clone(&self.shared),
            Shutdown::new(stop),
        )
        .await
    }

    /// Accepts and serves connections until `shutdown` resolves; then stops
    /// accepting, lets every connection finish its command and say `* BYE`,
    /// and returns when all are closed (or the grace period ran out).
    ///
    /// # Errors
    /// Only for errors of the listening sockets themselves; a failing
    /// connection is logged and does not stop the server.
    pub async fn serve(self, shutdown: impl Future<Output = ()>) -> io::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        // Caps the number of connections served at once; a permit moves into
        // each connection task and is released when it ends.
        let permits = Arc::new(Semaphore::new(self.shared.limits.max_connections));
        // One accept loop per listener; each owns and drains its connections.
        let mut accepts = JoinSet::new();
        for (listener, kind) in self.listeners {
            let shared = Arc::clone(&self.shared);
            let permits = Arc::clone(&permits);
            let stop_rx = stop_rx.clone();
            accepts.spawn(accept_loop(listener, kind, shared, permits, stop_rx));
        }
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                Some(done) = accepts.join_next() => {
                    if let Ok(Err(e)) = done {
                        tracing::error!(error = %e, "listener failed");
                    }
                    if accepts.is_empty() {
                        break;
                    }
                }
            }
        }
        let _ = stop_tx.send(true);
        while accepts.join_next().await.is_some() {}
        Ok(())
    }
}

/// Accepts on one listener until told to stop; each accept loop owns its
/// connection tasks and waits for them (up to the grace period) at the end.
async fn accept_loop(
    listener: TcpListener,
    kind: ListenerKind,
    shared: Arc<Shared>,
    permits: Arc<Semaphore>,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let mut connections = JoinSet::new();
    let mut backoff = std::time::Duration::from_millis(5);
    loop {
        let permit = tokio::select! {
            _ = stop.changed() => break,
            permit = Arc::clone(&permits).acquire_owned() => permit.expect("semaphore never closed"),
        };
        let accepted = tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => accepted,
            Some(done) = connections.join_next(), if !connections.is_empty() => {
                report_end(done);
                continue;
            }
        };
        let (tcp, peer) = match accepted {
            Ok(accepted) => {
                backoff = std::time::Duration::from_millis(5);
                accepted
            }
            Err(e) => {
                // Out of file descriptors and the like: back off, don't spin.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(std::time::Duration::from_secs(1));
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        let stop = Shutdown::new(stop.clone());
        connections.spawn(async move {
            let _permit = permit;
            serve_tcp(tcp, peer, kind, shared, stop).await;
        });
        while let Some(done) = connections.try_join_next() {
            report_end(done);
        }
    }
    let grace = shared.limits.shutdown_grace;
    let drained = tokio::time::timeout(grace, async {
        while let Some(done) = connections.join_next().await {
            report_end(done);
        }
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            left = connections.len(),
            "shutdown grace period over; closing connections"
        );
        connections.abort_all();
    }
    Ok(())
}

fn report_end(done: Result<(), tokio::task::JoinError>) {
    if let Err(e) = done {
        if e.is_panic() {
            tracing::error!(error = %e, "connection task panicked");
        }
    }
}

async fn serve_tcp(
    tcp: TcpStream,
    peer: SocketAddr,
    kind: ListenerKind,
    shared: Arc<Shared>,
    stop: Shutdown,
) {
    let _ = tcp.set_nodelay(true);
    let info = ConnectionInfo::new(Some(peer), tcp.local_addr().ok(), kind == ListenerKind::Tls);
    let result = match (kind, &shared.tls) {
        (ListenerKind::Tls, Some(acceptor)) => {
            match tokio::time::timeout(shared.limits.login_timeout, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => connection::run(Box::new(tls), info, shared, stop).await,
                Ok(Err(e)) => Err(e),
                Err(_) => Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "TLS handshake timed out",
                )),
            }
        }
        _ => connection::run(Box::new(tcp), info, shared, stop).await,
    };
    if let Err(e) = result {
        tracing::debug!(%peer, error = %e, "connection ended with an error");
    }
}
