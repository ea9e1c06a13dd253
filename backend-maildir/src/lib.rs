//! # imapkit-maildir
//!
//! The Maildir backend. Not built yet: it arrives with the Maildir issue.
