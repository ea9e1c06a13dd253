//! # imapkit-server
//!
//! The tokio IMAP engine and the storage backend contract. Not built yet: the
//! engine arrives with the server issue; this crate is a placeholder in the
//! workspace so that the crate map is complete.
