//! # imapkit-server
//!
//! The tokio IMAP engine and the storage backend contract.
//!
//! A product adds an IMAP endpoint by implementing the [`backend`] traits
//! (or using a backend crate such as `imapkit-memory`) and handing the
//! backend to the engine. The engine owns everything IMAP: syntax, the
//! state machine, sequence numbers, each session's view of its selected
//! mailbox, MIME parsing and search. The backend only stores.
//!
//! # Layout
//! - [`backend`]: the traits a backend implements ([`Backend`] ->
//!   [`Session`] -> [`Mailbox`]), the values they exchange, their errors,
//!   and the rules a backend keeps. Also a Dovecot passwd-file parser for
//!   backends that keep users in a file.
//! - [`server`]: [`Server::builder`], listeners, the accept loop and
//!   graceful shutdown. [`config`] holds every limit and timeout, [`tls`]
//!   the certificates, [`sasl`] the AUTHENTICATE mechanisms.
//! - Private: `connection` (one client: read loop, state, dispatch),
//!   `transport` (framing in, back-pressured writes out, STARTTLS),
//!   `commands` (one file per command), `view` (the selected mailbox as a
//!   session sees it), `mime` (ENVELOPE, BODYSTRUCTURE and section
//!   offsets, parsed once per message and cached), `capabilities`, `names`
//!   (mailbox names between the wire and the backend), `listmatch` (LIST
//!   wildcards), `search` (SEARCH evaluation), `flags`, `outcome`. [`doorbell`] carries "mailbox changed"
//!   between sessions (IDLE).
//! - `testkit` (feature `testkit`): a contract checker a backend crate runs
//!   from its tests.
//! - `fuzz` (feature `fuzzing`): entry points of the fuzz targets in
//!   `imap-server/fuzz`; not a stable API.
//!
//! # Example
//! ```no_run
//! # async fn run(backend: std::sync::Arc<dyn imapkit_server::Backend>) -> std::io::Result<()> {
//! use imapkit_server::tls::Identity;
//! use imapkit_server::Server;
//!
//! let identity = Identity::self_signed(&["localhost"]).expect("certificate");
//! let mut builder = Server::builder(backend);
//! builder
//!     .listen_plain("127.0.0.1:1143".parse().unwrap())
//!     .listen_tls("127.0.0.1:1993".parse().unwrap())
//!     .tls(identity.server_config().expect("TLS config"));
//! let server = builder.bind().await?;
//! server.serve(async { tokio::signal::ctrl_c().await.ok(); }).await
//! # }
//! ```
//!
//! # Not built yet
//! BINARY, CONDSTORE/QRESYNC, COMPRESS, QUOTA and ACL
//! answer `NO [CANNOT]` or `BAD` and are not advertised; they come with
//! the next issues.

#![forbid(unsafe_code)]

pub mod backend;
mod capabilities;
mod commands;
pub mod config;
mod connection;
pub mod doorbell;
mod flags;
#[cfg(feature = "fuzzing")]
pub mod fuzz;
mod listmatch;
mod mime;
mod names;
mod outcome;
mod peers;
pub mod sasl;
mod search;
pub mod server;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod tls;
mod transport;
mod view;

pub use crate::backend::{Backend, BackendError, Mailbox, Session};
pub use crate::server::{ListenerKind, Server, ServerBuilder};
