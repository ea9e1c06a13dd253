//! # imapkit-maildir
//!
//! A Maildir backend for imapkit: serves the Maildir that Dovecot, mbsync,
//! offlineimap, mutt or notmuch already use, in place, keeping the UIDs
//! clients know, while other programs change it at the same time.
//!
//! ```no_run
//! use imapkit_maildir::{Layout, MaildirBackend};
//! use imapkit_server::backend::StoredPassword;
//!
//! let backend = MaildirBackend::new(Layout::MaildirPlusPlus);
//! backend.add_user("alice", StoredPassword::plain("secret"), "/home/alice/Maildir")?;
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # On disk
//! - **Layouts** ([`Layout`]): Maildir++ (INBOX is the root; `.Sent`,
//!   `.Work.Projects`, each with a `maildirfolder` file), as Dovecot and
//!   Courier write it, or `fs` (nested directories, as mbsync's
//!   `SubFolders Verbatim`; INBOX is the root there too). IMAP names use
//!   `/`; how names are written and which are refused is in [`names`].
//! - **Messages**: one file each, `tmp/` then `cur/`, named
//!   `<time>.M<usec>P<pid>Q<n>.<host>,S=<size>,W=<crlf size>:2,<flags>` (see
//!   [`filename`]); RFC822.SIZE comes from `W=` without a stat or read.
//!   Bytes are stored as the client sent them; a file with bare LF line
//!   ends (as Dovecot and MTAs write) is served with CRLF.
//! - **UIDs** in `dovecot-uidlist` version 3, under `dovecot-uidlist.lock`
//!   ([`uidlist`]); keywords `a`-`z` in `dovecot-keywords` ([`keywords`]).
//!   Dovecot can serve the Maildir before and after us with the same UIDs.
//! - **Our index** `imapkit-index` per folder ([`index`]): modseqs,
//!   tombstones for QRESYNC, keywords beyond 26. Losing it costs clients a
//!   resync, never mail or UIDs.
//! - **The engine's MIME metadata** in `imapkit-cache` per folder
//!   ([`cache`]), so a restart does not parse every message again.
//! - **Subscriptions** in Dovecot's `subscriptions` file (Courier's
//!   `courierimapsubscribed` is read when there is none); special-use
//!   attributes in `imapkit-special-use` per folder.
//!
//! # Other programs
//! A delivery into `new/`, a flag change by mutt (a rename), a deletion:
//! each is found by the next call on the folder (directory times tell when
//! to look, see [`folder`]). IDLE sessions see them at the engine's
//! periodic re-check (`Limits::idle_recheck`; the `serve-maildir` example
//! sets one second).
//!
//! # Durability
//! A call that returns `Ok` is on disk: files and directories are fsynced
//! before the answer. `kill -9` at any point loses no acknowledged
//! message, shows no half message (files become visible by rename only
//! when complete) and never reuses a UID (the list's next UID only grows).
//! A full disk answers `NO [OVERQUOTA]` and leaves nothing behind.
//!
//! # Why not the `maildir` crate
//! It writes names without `S=`/`W=`, does not fsync the file and the
//! directories before a delivery counts, and knows nothing of UIDs; the
//! file work here is small, so it is our own.
//!
//! # Polling rather than inotify
//! Other programs' changes are found by looking at two directory times
//! per call (and per idle re-check): two `stat`s, a few microseconds, with
//! no watch descriptors to run out of (inotify's per-user limit is 8192
//! watches by default, two per folder) and nothing to miss on network
//! file systems, where inotify sees no remote changes. The engine's
//! re-check interval bounds the delay an idling client sees.

#![forbid(unsafe_code)]

mod cache;
mod filename;
mod folder;
mod fsutil;
mod index;
mod keywords;
mod names;
mod session;
mod tree;
mod uidlist;

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use imapkit_server::backend::{AuthError, ConnectionInfo, Credentials, StoredPassword};
use imapkit_server::{Backend, Session};

use crate::folder::lock;
use crate::session::MaildirSession;
use crate::tree::UserStore;

/// How folders are laid out below a user's Maildir.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// `.Work.Projects` directories at the root (Dovecot's and Courier's
    /// default).
    #[default]
    MaildirPlusPlus,
    /// `Work/Projects` nested directories.
    Fs,
}

/// A layout name that is neither `maildir++` nor `fs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLayout(pub String);

impl fmt::Display for UnknownLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown Maildir layout {:?}: use maildir++ or fs",
            self.0
        )
    }
}

impl std::error::Error for UnknownLayout {}

impl FromStr for Layout {
    type Err = UnknownLayout;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "maildir++" | "maildirplusplus" => Ok(Self::MaildirPlusPlus),
            "fs" => Ok(Self::Fs),
            _ => Err(UnknownLayout(text.to_string())),
        }
    }
}

/// The Maildir backend: users, each with a Maildir directory.
///
/// Clones share everything; users can be added while the server runs.
#[derive(Clone)]
pub struct MaildirBackend {
    shared: Arc<Shared>,
}

struct Shared {
    layout: Layout,
    users: Mutex<HashMap<String, Arc<User>>>,
    append_limit: Mutex<Option<u64>>,
}

struct User {
    password: StoredPassword,
    store: Arc<UserStore>,
}

impl fmt::Debug for MaildirBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MaildirBackend")
            .field("layout", &self.shared.layout)
            .field("users", &lock(&self.shared.users).len())
            .finish_non_exhaustive()
    }
}

impl MaildirBackend {
    /// A backend without users, laying folders out as `layout`.
    pub fn new(layout: Layout) -> Self {
        Self {
            shared: Arc::new(Shared {
                layout,
                users: Mutex::new(HashMap::new()),
                append_limit: Mutex::new(None),
            }),
        }
    }

    /// The layout of every user's folders.
    pub fn layout(&self) -> Layout {
        self.shared.layout
    }

    /// Adds a user whose mail is the Maildir at `maildir` (created, with
    /// `cur/`, `new/` and `tmp/`, if missing). For an existing user, only
    /// the password changes.
    ///
    /// # Errors
    /// When the directory cannot be created.
    pub fn add_user(
        &self,
        name: impl Into<String>,
        password: StoredPassword,
        maildir: impl Into<PathBuf>,
    ) -> io::Result<&Self> {
        let name = name.into();
        let maildir = maildir.into();
        let mut users = lock(&self.shared.users);
        let store = match users.get(&name) {
            Some(user) => Arc::clone(&user.store),
            None => {
                UserStore::prepare(&maildir)?;
                Arc::new(UserStore::new(maildir, self.shared.layout))
            }
        };
        users.insert(name, Arc::new(User { password, store }));
        Ok(self)
    }

    /// Sets the largest message an append accepts (APPENDLIMIT), for every
    /// user. Default is `None`: no limit of the backend's own.
    pub fn set_append_limit(&self, limit: Option<u64>) -> &Self {
        *lock(&self.shared.append_limit) = limit;
        self
    }
}

#[async_trait]
impl Backend for MaildirBackend {
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
        Ok(Box::new(MaildirSession {
            username: username.to_string(),
            store: Arc::clone(&user.store),
            append_limit: *lock(&self.shared.append_limit),
        }))
    }
}
