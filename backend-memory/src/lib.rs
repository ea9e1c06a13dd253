//! # imapkit-memory
//!
//! The in-memory reference backend of imapkit: every rule of the
//! [backend contract](imapkit_server::backend), nothing on disk. For tests,
//! demos, and products that keep mail elsewhere and want an IMAP view of it.
//!
//! ```
//! use std::sync::Arc;
//!
//! use imapkit_memory::MemoryBackend;
//! use imapkit_server::backend::{ConnectionInfo, Credentials};
//! use imapkit_server::Backend;
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let backend = MemoryBackend::new();
//! backend.add_user("alice", "secret");
//! let backend: Arc<dyn Backend> = Arc::new(backend);
//!
//! let creds = Credentials::password("alice", "secret");
//! let session = backend.authenticate(&creds, &ConnectionInfo::default()).await.unwrap();
//! let inbox = session.lookup("INBOX").await.unwrap();
//! assert_eq!(session.status(&inbox.id).await.unwrap().messages, 0);
//! # });
//! ```
//!
//! # How it stores
//! - Users live in a map behind a std `Mutex`; each user has one store
//!   shared by all of that user's sessions, so a phone and a desktop see
//!   the same mail at once.
//! - Each mailbox has its own lock, so sessions working in different
//!   mailboxes never wait for each other; the user's tree lock is taken
//!   only by mailbox-level operations (list, create, rename...). No lock is
//!   ever held across an `.await` (see the `store` module).
//! - Message bodies are [`bytes::Bytes`]: a fetch hands out a reference,
//!   never a copy, and a copy or move shares the bytes.
//! - UIDVALIDITY comes from a counter seeded with the clock; modseqs count
//!   per mailbox; every expunge leaves a tombstone (kept for the life of
//!   the mailbox) so `changes_since` can report it.
//!
//! Nothing survives the process: a restart starts empty, with new
//! UIDVALIDITYs, so clients resynchronise instead of trusting stale caches.

#![forbid(unsafe_code)]

mod session;
mod store;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use imapkit_server::backend::{
    parse_passwd_file, AuthError, ConnectionInfo, Credentials, PasswdError, StoredPassword,
};
use imapkit_server::{Backend, Session};

use crate::session::MemorySession;
use crate::store::{lock, Settings, UserStore};

/// The in-memory backend: a cheap-to-clone handle on shared users and mail.
///
/// Clones share everything; users can be added while the server runs.
#[derive(Clone)]
pub struct MemoryBackend {
    shared: Arc<Shared>,
}

struct Shared {
    /// Users by login name. A std `Mutex`: held only to find or add a user,
    /// never across an `.await`.
    users: Mutex<HashMap<String, Arc<User>>>,
    settings: Arc<Settings>,
}

struct User {
    password: StoredPassword,
    store: Arc<UserStore>,
}

impl fmt::Debug for MemoryBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let users = lock(&self.shared.users).len();
        f.debug_struct("MemoryBackend")
            .field("users", &users)
            .field("append_limit", &self.shared.settings.append_limit())
            .finish_non_exhaustive()
    }
}

impl Default for MemoryBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryBackend {
    /// A backend without users.
    pub fn new() -> Self {
        Self {
            shared: Arc::new(Shared {
                users: Mutex::new(HashMap::new()),
                settings: Arc::new(Settings::new()),
            }),
        }
    }

    /// A backend with the users of a Dovecot passwd-file (`user:{PLAIN}secret`
    /// lines; see [`imapkit_server::backend::parse_passwd_file`]).
    ///
    /// # Errors
    /// [`PasswdError`] naming the first bad line.
    pub fn from_passwd_file_str(text: &str) -> Result<Self, PasswdError> {
        let backend = Self::new();
        for entry in parse_passwd_file(text)? {
            backend.add_user_with(entry.username, entry.password);
        }
        Ok(backend)
    }

    /// Adds a user with a clear-text password and an empty INBOX. For an
    /// existing user, only the password changes; the mail stays.
    pub fn add_user(&self, name: impl Into<String>, password: impl Into<String>) -> &Self {
        self.add_user_with(name.into(), StoredPassword::plain(password))
    }

    /// Adds a user with a stored password (as a passwd-file gives it).
    /// For an existing user, only the password changes; the mail stays.
    pub fn add_user_with(&self, name: impl Into<String>, password: StoredPassword) -> &Self {
        let mut users = lock(&self.shared.users);
        let name = name.into();
        let store = match users.get(&name) {
            Some(user) => Arc::clone(&user.store),
            None => Arc::new(UserStore::new(Arc::clone(&self.shared.settings))),
        };
        users.insert(name, Arc::new(User { password, store }));
        self
    }

    /// Whether sessions report modseqs as kept (default `true`). With
    /// `false` the backend acts as a store that cannot keep them across
    /// restarts: the engine then offers no CONDSTORE/QRESYNC and answers
    /// SELECT with `[NOMODSEQ]` (RFC 7162 §3.1.2.2), for testing engines
    /// and clients against such a store.
    pub fn set_modseq_support(&self, supported: bool) -> &Self {
        self.shared
            .settings
            .modseq
            .store(supported, Ordering::Relaxed);
        self
    }

    /// Sets the largest message an append accepts (APPENDLIMIT), for every
    /// user. Default is `None`: no limit of the backend's own.
    pub fn set_append_limit(&self, limit: Option<u64>) -> &Self {
        let value = limit.map_or(0, |l| l.max(1));
        self.shared
            .settings
            .append_limit
            .store(value, Ordering::Relaxed);
        self
    }
}

#[async_trait]
impl Backend for MemoryBackend {
    async fn authenticate(
        &self,
        credentials: &Credentials,
        _connection: &ConnectionInfo,
    ) -> Result<Box<dyn Session>, AuthError> {
        let username = credentials
            .check_password(|name| {
                let users = lock(&self.shared.users);
                let stored = users.get(name).map(|u| u.password.clone());
                let decoy = users.values().next().map(|u| u.password.clone());
                (stored, decoy)
            })
            .await?;
        let user = lock(&self.shared.users)
            .get(username)
            .cloned()
            .ok_or(AuthError::Rejected)?;
        Ok(Box::new(MemorySession {
            username: username.to_string(),
            store: Arc::clone(&user.store),
        }))
    }
}
