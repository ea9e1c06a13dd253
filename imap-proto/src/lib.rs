//! # imapkit-proto
//!
//! IMAP protocol types, framer, parser and encoder. No I/O.
