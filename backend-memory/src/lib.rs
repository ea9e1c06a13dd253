//! # imapkit-memory
//!
//! The in-memory reference backend. Not built yet: it arrives with the
//! server issue together with the backend contract it implements.
