//! # imapkit
//!
//! An embeddable IMAP server framework. This umbrella crate re-exports the
//! workspace's crates under short names:
//!
//! | module | crate | what it holds |
//! |---|---|---|
//! | [`proto`] | `imapkit-proto` | IMAP types, framer, parser and encoder; no I/O |
//! | [`server`] | `imapkit-server` | the tokio engine and the storage backend contract |
//! | [`memory`] | `imapkit-memory` | the in-memory reference backend |
//! | [`maildir`] | `imapkit-maildir` | the Maildir backend |

pub use imapkit_maildir as maildir;
pub use imapkit_memory as memory;
pub use imapkit_proto as proto;
pub use imapkit_server as server;
