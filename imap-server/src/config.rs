//! Settings of the engine: limits, timeouts and the authentication policy.
//!
//! Every limit a client could push against is a named field here, with a
//! safe default.

use std::time::Duration;

use imapkit_proto::codec::frame::FramerLimits;

/// When LOGIN and AUTHENTICATE are allowed without TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlaintextAuth {
    /// Only after TLS (implicit or STARTTLS); CAPABILITY says `LOGINDISABLED`.
    Never,
    /// Without TLS only from a loopback address, as Dovecot does
    /// (`disable_plaintext_auth` treats 127.0.0.1 and ::1 as secure).
    #[default]
    Loopback,
    /// Always (tests, or a transport secured otherwise).
    Always,
}

/// Limits and timeouts of every connection.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Framing limits before authentication. Default is
    /// [`FramerLimits::PRE_AUTH`] (8 KiB lines and literals).
    pub pre_auth_frame: FramerLimits,
    /// Framing limits after authentication. Default is
    /// [`FramerLimits::POST_AUTH`] (64 KiB lines, 64 MiB literals).
    pub post_auth_frame: FramerLimits,
    /// Largest non-synchronizing literal (LITERAL-, RFC 7888 §5). Default is 4096.
    pub max_nonsync_literal: u32,
    /// Connections served at once; further ones wait in the accept queue.
    /// Default is 10,000.
    pub max_connections: usize,
    /// Connections from one client address (IPv6: one /64) that may be
    /// open at once without having logged in; a further one is answered
    /// `* BYE [UNAVAILABLE]` and closed, so one address cannot take every
    /// connection of [`Limits::max_connections`] with sessions that never
    /// log in. Logged-in connections do not count. Default is 100.
    pub max_unauthenticated_per_address: usize,
    /// Time a client may take to log in. Default is 60 s.
    pub login_timeout: Duration,
    /// Inactivity after which a logged-in connection is closed. RFC 9051
    /// §5.4 asks for at least 30 minutes. Default is 30 min.
    pub idle_timeout: Duration,
    /// Failed authentications after which the connection is closed with
    /// `* BYE`. Default is 3.
    pub max_auth_failures: u32,
    /// Delay before answering the first failed authentication; it doubles
    /// with each further failure on the connection. Default is 1 s.
    pub auth_failure_delay: Duration,
    /// How often an idling session re-checks its mailbox even without a
    /// ring, so a lost ring heals itself. Default is 30 s.
    pub idle_recheck: Duration,
    /// How often an idling session sends `* OK Still here` (RFC 9051
    /// §6.3.13 lets a server send untagged data any time; NAT boxes drop
    /// silent connections). Default is 2 min.
    pub idle_keepalive: Duration,
    /// Commands answered `BAD` in a row after which the connection is
    /// closed with `* BYE` (a client that speaks another protocol, or an
    /// attack). Default is 20, as Dovecot.
    pub max_bad_commands: u32,
    /// Time the server waits for in-flight commands on shutdown before it
    /// closes connections anyway. Default is 10 s.
    pub shutdown_grace: Duration,
    /// Longest mailbox name a client may use, in bytes of its UTF-8 form
    /// (after modified UTF-7 decoding); longer ones get `NO [LIMIT]`.
    /// Default is 4096, as Dovecot's `MAILBOX_LIST_NAME_MAX_LENGTH`.
    pub max_mailbox_name_len: usize,
    /// Most hierarchy levels in a mailbox name (`a/b/c` has 3); deeper ones
    /// get `NO [LIMIT]`, so no backend is asked for thousands of nested
    /// folders. Default is 255, as Dovecot's `MAILBOX_MAX_HIERARCHY_LEVELS`.
    pub max_mailbox_levels: usize,
    /// Most keywords one message may carry; a STORE or APPEND that would
    /// give a message more gets `NO [LIMIT]` and changes nothing. It bounds
    /// every FETCH FLAGS answer and what a backend must store per message
    /// (Maildir has 26 keyword letters; Cyrus allows 128 per mailbox).
    /// Default is 256.
    pub max_keywords: usize,
    /// Bytes of a message body FETCH reads from the backend and writes at a
    /// time. A message no larger is read whole with one call; a larger one
    /// is sent in chunks of this size through `Mailbox::fetch_range`, each
    /// written (waiting while the client does not read) before the next
    /// is read, so a session holds about two chunks of a body, not the
    /// message (see the `fetch` command for what still reads more).
    /// Default is 256 KiB.
    pub fetch_chunk: usize,
    /// Bytes of decoded message text SEARCH keeps across searches, for the
    /// whole server (header values and text parts; attachments are not
    /// kept). A warm `SEARCH BODY` then compares strings instead of parsing
    /// every message; 0 turns the cache off. Default is 512 MiB, the text
    /// of about 200,000 typical messages (2 KB each).
    pub search_text_cache: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            pre_auth_frame: FramerLimits::PRE_AUTH,
            post_auth_frame: FramerLimits::POST_AUTH,
            max_nonsync_literal: 4096,
            max_connections: 10_000,
            max_unauthenticated_per_address: 100,
            login_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(30 * 60),
            max_auth_failures: 3,
            auth_failure_delay: Duration::from_secs(1),
            max_bad_commands: 20,
            idle_recheck: Duration::from_secs(30),
            idle_keepalive: Duration::from_secs(120),
            shutdown_grace: Duration::from_secs(10),
            max_mailbox_name_len: 4096,
            max_mailbox_levels: 255,
            max_keywords: 256,
            fetch_chunk: 256 << 10,
            search_text_cache: 512 << 20,
        }
    }
}
