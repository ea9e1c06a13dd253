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
//! - `testkit` (feature `testkit`): a contract checker a backend crate runs
//!   from its tests.
//!
//! The engine (listeners, sessions, commands) is not built yet.
//!
//! # Features
//! | feature   | default | what it adds |
//! |-----------|---------|--------------|
//! | `testkit` | no      | `testkit::run_contract`, the backend contract checker |

#![forbid(unsafe_code)]

pub mod backend;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use crate::backend::{Backend, BackendError, Mailbox, Session};
