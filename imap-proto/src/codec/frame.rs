//! The framer: cuts a byte stream into complete commands (or responses).
//!
//! A [`Framer`] owns a receive buffer. The caller appends socket bytes to it
//! ([`Framer::push`] or [`Framer::buffer_mut`]) and calls
//! [`Framer::next_event`] in a loop until it answers `None` ("need more
//! bytes"). Each [`FrameEvent::Frame`] is one whole command: its line(s), its
//! literals and its final CRLF, split zero-copy from the buffer and ready for
//! the parser. The framer does no I/O and knows nothing of tokio.
//!
//! # Why frame before parsing
//!
//! An oversized or malformed command must be dropped as a whole, without
//! executing any of its bytes as a command. The bytes of a literal are
//! arbitrary data that may look like commands (`A2 LOGOUT`); if a server
//! refuses a non-synchronizing literal (RFC 7888) and then, instead of
//! skipping exactly the announced number of bytes, resumes parsing at the
//! next CRLF, the client (or whoever controls the data, e.g. the sender of an
//! appended mail) has injected commands. The same happens when a too-long
//! line is cut at a buffer boundary and its tail is parsed as a new command.
//! The framer therefore keeps track of line ends and literal lengths even
//! while discarding, and only ever resumes at the true start of the next
//! command (cf. the module doc of imap-codec's `fragmentizer`).
//!
//! # What is a frame
//!
//! ```abnf
//! frame        = *(line-part literal-ann CRLF literal-data) line-part CRLF
//! literal-ann  = ["~"] "{" 1*DIGIT ["+"] "}"   ; RFC 9051 §4.3, RFC 7888, RFC 3516
//! ```
//!
//! - Only CRLF ends a line. A bare CR or LF is part of the line (the parser
//!   rejects it); this keeps the framer and the parser agreeing on every
//!   byte.
//! - A literal is announced only at the end of a line: `{5}` in the middle
//!   of a line is text. Quoted strings cannot hold CRLF, so "the line ends
//!   with `{n}`" is a sufficient rule (as in every server).
//! - `~{n}` / `~{n+}` (literal8) are reported with `binary: true`.
//! - `{}`, `{-1}`, `{abc}`, `{5}x` are not announcements: the line is a
//!   plain line and the parser rejects it.
//! - The length is read with checked arithmetic: a number that does not fit
//!   a `u32` is never wrapped, it is a [`FrameError::LiteralLengthOverflow`].
//!
//! # Limits and what happens when one is exceeded
//!
//! [`FramerLimits`] bounds the length of one line, of one literal, of the
//! whole command, and the number of literals in it. When a limit is hit the
//! command is *poisoned*: its bytes are dropped and the rest of it is
//! skipped, following its line ends and literals exactly, until the command
//! ends. Then [`FrameEvent::Rejected`] is emitted (with the tag, when the
//! command started with a valid one) and framing goes on with the next
//! command. The event comes after the skip, so when it arrives the framer is
//! back in sync and the caller can answer `tag BAD` / `tag NO [TOOBIG]` (or
//! an untagged `BAD`) at once.
//!
//! - A line that reaches [`FramerLimits::max_line_len`] without a CRLF is
//!   not buffered further; the framer scans on for its CRLF, remembering
//!   only whether the line ends in a literal announcement (a few bytes of
//!   state, however long the number).
//! - A literal announcement is checked when its line ends: too many
//!   literals, a length over [`FramerLimits::max_literal_len`], or a command
//!   that would outgrow [`FramerLimits::max_command_len`]. The framer
//!   enforces `max_literal_len` itself (rather than announcing the literal
//!   and leaving the check to the caller): it is the memory bound. The
//!   caller still refuses smaller literals by its own policy (LITERAL- 4096,
//!   APPENDLIMIT) with [`Framer::reject_literal`].
//! - After a refused *synchronizing* literal the client sends nothing more
//!   of the command (it waits for `+`, receives the tagged answer and gives
//!   up), so the command ends right there. After a refused
//!   *non-synchronizing* literal exactly `n` bytes are skipped, then the rest
//!   of the command, including any further literals it announces.
//! - A non-synchronizing literal whose length overflows a `u32` cannot be
//!   skipped (the number of bytes to skip is unknown or absurd, more than
//!   4 GiB): [`FrameEvent::Unrecoverable`]; the caller sends `* BYE` and
//!   closes. The same announcement as a synchronizing literal is merely
//!   [`FrameEvent::Rejected`].
//!
//! # Memory
//!
//! The framer holds at most the current command (bounded by the limits) and
//! whatever the caller appended since the last `next_event` call. While a
//! poisoned command is skipped nothing of it is kept. So a caller that reads
//! a bounded chunk, then drains `next_event`, keeps the buffer under about
//! `max_line_len` (or the accepted part of a command) plus one chunk,
//! whatever the peer sends. A long pipeline of small commands is fine: each
//! `next_event` call yields one of them.
//!
//! # End of stream
//!
//! At EOF, drain `next_event` until it answers `None`. Then
//! [`Framer::is_idle`] tells whether the peer closed cleanly between
//! commands (`true`) or in the middle of one (`false`: the partial command is
//! dropped and must not be executed).
//!
//! # Example
//!
//! ```
//! use imapkit_proto::codec::frame::{FrameEvent, Framer, FramerLimits, FramerMode};
//!
//! let mut framer = Framer::new(FramerMode::Command, FramerLimits::PRE_AUTH);
//! framer.push(b"A1 LOGIN {5}\r\n");
//! match framer.next_event() {
//!     Some(FrameEvent::LiteralAnnounced { length: 5, .. }) => {
//!         framer.accept_literal(); // and send "+ Ready\r\n"
//!     }
//!     other => panic!("unexpected {other:?}"),
//! }
//! assert!(framer.next_event().is_none()); // waiting for the literal
//! framer.push(b"alice pw\r\nA2 NOOP\r\n");
//! let Some(FrameEvent::Frame(frame)) = framer.next_event() else { panic!() };
//! assert_eq!(&frame[..], b"A1 LOGIN {5}\r\nalice pw\r\n");
//! let Some(FrameEvent::Frame(frame)) = framer.next_event() else { panic!() };
//! assert_eq!(&frame[..], b"A2 NOOP\r\n");
//! assert!(framer.next_event().is_none());
//! assert!(framer.is_idle());
//! ```

use std::fmt;

use bytes::{Buf, Bytes, BytesMut};
use thiserror::Error;

use crate::core::{LiteralMode, Tag};

/// How many bytes at the start of a dropped command are searched for its tag.
///
/// Real clients use short tags (`A0001`, `a1b2`); a longer "tag" of a
/// rejected command is not worth echoing.
const TAG_SCAN_LEN: usize = 64;

/// The least a command needs after a literal: its final CRLF.
const CRLF_LEN: u64 = 2;

/// Limits on what one command (or response) may hold.
///
/// Use [`FramerLimits::PRE_AUTH`] before authentication and switch to
/// [`FramerLimits::POST_AUTH`] (or your own) with [`Framer::set_limits`]
/// once a user is logged in. `Default` is `PRE_AUTH`, the safe choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FramerLimits {
    /// Longest line, counted from the start of the command or the end of a
    /// literal up to and including the CRLF (and the literal announcement).
    ///
    /// Default is 8 KiB before authentication, 64 KiB after (RFC 7162 §4
    /// asks servers to accept command lines of at least 8192 octets).
    pub max_line_len: usize,
    /// Largest literal, in bytes.
    ///
    /// Default is 8 KiB before authentication (LOGIN and AUTHENTICATE need
    /// only small ones), 64 MiB after (APPEND of a large message).
    pub max_literal_len: u32,
    /// Most literals in one command.
    ///
    /// Default is 4 before authentication, 1000 after (MULTIAPPEND, RFC 3502).
    pub max_literals: usize,
    /// Longest command, all lines and literals included.
    ///
    /// Default is 16 KiB before authentication, 64 MiB + 64 KiB after (one
    /// largest literal plus one longest line).
    pub max_command_len: usize,
}

impl FramerLimits {
    /// Limits for a connection that is not authenticated yet.
    pub const PRE_AUTH: Self = Self {
        max_line_len: 8 * 1024,
        max_literal_len: 8 * 1024,
        max_literals: 4,
        max_command_len: 16 * 1024,
    };

    /// Limits for an authenticated connection.
    pub const POST_AUTH: Self = Self {
        max_line_len: 64 * 1024,
        max_literal_len: 64 * 1024 * 1024,
        max_literals: 1000,
        max_command_len: 64 * 1024 * 1024 + 64 * 1024,
    };
}

impl Default for FramerLimits {
    fn default() -> Self {
        Self::PRE_AUTH
    }
}

/// Which side of the conversation the framed bytes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FramerMode {
    /// Client commands (a server's framer). Literal announcements are
    /// reported with [`FrameEvent::LiteralAnnounced`] and wait for
    /// [`Framer::accept_literal`] or [`Framer::reject_literal`].
    Command,
    /// Server responses (a client's or a test's framer). A server never waits
    /// for a continuation, so every literal is read at once and never
    /// announced. A continuation request (`+ ...`) is a frame of its own.
    Response,
}

/// Why a command was dropped.
///
/// The caller maps it to an answer: [`FrameError::LiteralTooLarge`] to
/// `NO [TOOBIG]`, the others to `BAD` (or `* BYE` after
/// [`FrameEvent::Unrecoverable`]). The wording of `Display` is not part of
/// the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum FrameError {
    /// A line reached [`FramerLimits::max_line_len`] without its CRLF.
    #[error("line too long (limit {limit} bytes)")]
    LineTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// A literal was announced longer than [`FramerLimits::max_literal_len`].
    #[error("literal of {length} bytes too large (limit {limit} bytes)")]
    LiteralTooLarge {
        /// The announced length.
        length: u32,
        /// The limit in force.
        limit: u32,
    },
    /// A literal length does not fit in 32 bits.
    #[error("literal length out of range")]
    LiteralLengthOverflow,
    /// The command announced more than [`FramerLimits::max_literals`] literals.
    #[error("too many literals (limit {limit})")]
    TooManyLiterals {
        /// The limit in force.
        limit: usize,
    },
    /// The command would exceed [`FramerLimits::max_command_len`].
    #[error("command too long (limit {limit} bytes)")]
    CommandTooLong {
        /// The limit in force.
        limit: usize,
    },
}

/// What [`Framer::next_event`] found.
///
/// `Debug` shows only the length of a [`FrameEvent::Frame`]: a frame may
/// hold a password (`LOGIN`, `AUTHENTICATE`).
#[derive(Clone, PartialEq, Eq)]
pub enum FrameEvent {
    /// One complete command (or response): its exact bytes, literals and
    /// final CRLF included, split from the buffer without copying.
    Frame(Bytes),
    /// The current command's line ended with a literal announcement
    /// ([`FramerMode::Command`] only).
    ///
    /// The framer delivers nothing more until the caller calls
    /// [`Framer::accept_literal`] (having sent `+ ...` for a synchronizing
    /// literal) or [`Framer::reject_literal`] (having answered with a tagged
    /// `NO`/`BAD`); until then `next_event` repeats this event.
    LiteralAnnounced {
        /// The command's tag, when it starts with a valid one.
        tag: Option<Tag>,
        /// The announced number of bytes; within [`FramerLimits::max_literal_len`].
        length: u32,
        /// Synchronizing (`{n}`) or not (`{n+}`).
        mode: LiteralMode,
        /// A `literal8` (`~{n}`, RFC 3516 BINARY).
        binary: bool,
    },
    /// A command was dropped for breaking a limit, and the framer has skipped
    /// all of it and is in sync again. Answer `tag BAD`/`tag NO [TOOBIG]`,
    /// or an untagged `BAD` when `tag` is `None`.
    Rejected {
        /// The command's tag, when it starts with a valid one.
        tag: Option<Tag>,
        /// The limit broken.
        reason: FrameError,
    },
    /// The stream cannot be resynchronised: the caller sends `* BYE` and
    /// closes. From now on `next_event` answers `None` and input is ignored.
    Unrecoverable {
        /// The command's tag, when it starts with a valid one.
        tag: Option<Tag>,
        /// What made resynchronisation impossible.
        reason: FrameError,
    },
}

impl fmt::Debug for FrameEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Frame(bytes) => write!(f, "Frame(<{} bytes>)", bytes.len()),
            Self::LiteralAnnounced {
                tag,
                length,
                mode,
                binary,
            } => f
                .debug_struct("LiteralAnnounced")
                .field("tag", tag)
                .field("length", length)
                .field("mode", mode)
                .field("binary", binary)
                .finish(),
            Self::Rejected { tag, reason } => f
                .debug_struct("Rejected")
                .field("tag", tag)
                .field("reason", reason)
                .finish(),
            Self::Unrecoverable { tag, reason } => f
                .debug_struct("Unrecoverable")
                .field("tag", tag)
                .field("reason", reason)
                .finish(),
        }
    }
}

/// Splits a byte stream into commands (or responses), enforcing limits.
///
/// See the [module documentation](self) for the rules and the security
/// reasons. `Debug` shows the state and the buffered length, never the
/// buffered bytes.
pub struct Framer {
    /// Commands or responses.
    mode: FramerMode,
    /// Limits in force, checked as bytes are scanned.
    limits: FramerLimits,
    /// Received bytes not yet handed out. While receiving, the current
    /// command occupies the front; while skipping, the front is the next
    /// byte to skip.
    buf: BytesMut,
    /// Where in the stream we are.
    state: State,
}

impl fmt::Debug for Framer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Framer")
            .field("mode", &self.mode)
            .field("limits", &self.limits)
            .field("buffered", &self.buf.len())
            .field("state", &self.state)
            .finish()
    }
}

/// Where the framer is in the stream.
#[derive(Debug, Clone)]
enum State {
    /// Receiving a command that is within limits so far.
    Receiving(Progress),
    /// Skipping the rest of a poisoned command; its bytes are not kept.
    Skipping(Skip),
    /// [`FrameEvent::Unrecoverable`] was emitted; all input is ignored.
    Closed,
}

/// How far the command at the front of the buffer has been received.
#[derive(Debug, Clone, Copy)]
struct Progress {
    /// Bytes at the front of the buffer that belong to the command and were
    /// examined (never rescanned).
    scanned: usize,
    /// Offset in the buffer where the current line started.
    line_start: usize,
    /// Literals accepted so far.
    literals: usize,
    /// What the next bytes are.
    part: Part,
}

impl Progress {
    /// The start of a command.
    const FRESH: Self = Self {
        scanned: 0,
        line_start: 0,
        literals: 0,
        part: Part::Line(Tail::Other),
    };
}

/// What the next bytes of a command being received are.
#[derive(Debug, Clone, Copy)]
enum Part {
    /// Line text; the tail tells whether it ends with an announcement so far.
    Line(Tail),
    /// An announced literal awaits the caller's decision.
    Pending(Pending),
    /// Accepted literal data.
    Literal {
        /// Bytes still to come.
        remaining: u32,
    },
}

/// A literal announcement that passed the limits and awaits a decision.
#[derive(Debug, Clone, Copy)]
struct Pending {
    /// Announced length.
    length: u32,
    /// Synchronizing or not.
    mode: LiteralMode,
    /// `~{n}`.
    binary: bool,
}

/// The rest of a poisoned command being skipped.
#[derive(Debug, Clone)]
struct Skip {
    /// The command's tag, read before its bytes were dropped.
    tag: Option<Tag>,
    /// What to report when the command ends; `None` when the caller has
    /// already answered (after [`Framer::reject_literal`]).
    report: Option<FrameError>,
    /// What the next bytes are.
    part: SkipPart,
}

/// What the next bytes of a skipped command are.
#[derive(Debug, Clone, Copy)]
enum SkipPart {
    /// Line text.
    Line(Tail),
    /// Literal data, to be skipped exactly.
    Literal {
        /// Bytes still to skip.
        remaining: u32,
    },
}

/// A literal announcement at the end of a line, as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Announcement {
    /// The length, `None` when it does not fit a `u32`.
    length: Option<u32>,
    /// `{n}` or `{n+}`.
    mode: LiteralMode,
    /// `~{n}`.
    binary: bool,
}

/// What the line read so far ends with: a few bytes of state that replace
/// keeping the line, so an announcement is recognised even at the end of a
/// line too long to buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// Nothing of interest.
    Other,
    /// `~`.
    Tilde,
    /// `{` or `~{`.
    Open {
        /// Preceded by `~`.
        binary: bool,
    },
    /// `{` and at least one digit.
    Digits {
        /// Preceded by `~`.
        binary: bool,
        /// The number so far; `None` once it overflowed.
        length: Option<u32>,
    },
    /// `{` digits `+`.
    Plus {
        /// Preceded by `~`.
        binary: bool,
        /// The number.
        length: Option<u32>,
    },
    /// A complete announcement.
    Close(Announcement),
    /// CR, right after an announcement or not.
    Cr(Option<Announcement>),
}

impl Tail {
    /// The state after one more byte, or the end of the line (CRLF) with the
    /// announcement that preceded it.
    fn step(self, byte: u8) -> Result<Self, Option<Announcement>> {
        Ok(match (self, byte) {
            (Self::Cr(announcement), b'\n') => return Err(announcement),
            (Self::Close(announcement), b'\r') => Self::Cr(Some(announcement)),
            (_, b'\r') => Self::Cr(None),
            (_, b'~') => Self::Tilde,
            (Self::Tilde, b'{') => Self::Open { binary: true },
            (_, b'{') => Self::Open { binary: false },
            (Self::Open { binary }, b'0'..=b'9') => Self::Digits {
                binary,
                length: Some(u32::from(byte - b'0')),
            },
            (Self::Digits { binary, length }, b'0'..=b'9') => Self::Digits {
                binary,
                // Checked: "{99999999999}" must not wrap to a small number.
                length: length
                    .and_then(|n| n.checked_mul(10))
                    .and_then(|n| n.checked_add(u32::from(byte - b'0'))),
            },
            (Self::Digits { binary, length }, b'+') => Self::Plus { binary, length },
            (Self::Digits { binary, length }, b'}') => Self::Close(Announcement {
                length,
                mode: LiteralMode::Sync,
                binary,
            }),
            (Self::Plus { binary, length }, b'}') => Self::Close(Announcement {
                length,
                mode: LiteralMode::NonSync,
                binary,
            }),
            _ => Self::Other,
        })
    }
}

/// The result of scanning line bytes.
#[derive(Debug)]
enum Scan {
    /// The line ended after `len` bytes (CRLF included).
    Ended {
        /// Bytes of the line in the scanned slice.
        len: usize,
        /// The announcement before the CRLF, if any.
        announcement: Option<Announcement>,
    },
    /// All bytes were line text; the line goes on.
    Partial(Tail),
}

/// Scans `bytes` as the continuation of a line in state `tail`.
fn scan_line(mut tail: Tail, bytes: &[u8]) -> Scan {
    for (i, &byte) in bytes.iter().enumerate() {
        match tail.step(byte) {
            Ok(next) => tail = next,
            Err(announcement) => {
                return Scan::Ended {
                    len: i + 1,
                    announcement,
                }
            }
        }
    }
    Scan::Partial(tail)
}

/// The tag at the start of `command`, when it has a valid one followed by SP.
fn read_tag(command: &[u8]) -> Option<Tag> {
    let window = &command[..command.len().min(TAG_SCAN_LEN)];
    let end = window.iter().position(|&b| b == b' ')?;
    Tag::try_from(&window[..end]).ok()
}

/// Whether the data of a literal follows without waiting for `+`.
fn follows_at_once(mode: FramerMode, literal: LiteralMode) -> bool {
    mode == FramerMode::Response || literal == LiteralMode::NonSync
}

/// One step of [`Framer::next_event`].
enum Flow {
    /// Deliver this event.
    Event(FrameEvent),
    /// Nothing to deliver until more bytes arrive.
    NeedMore,
    /// The state changed; go on.
    Continue,
}

impl Framer {
    /// Creates a framer with an empty buffer.
    pub fn new(mode: FramerMode, limits: FramerLimits) -> Self {
        Self {
            mode,
            limits,
            buf: BytesMut::new(),
            state: State::Receiving(Progress::FRESH),
        }
    }

    /// Replaces the limits, e.g. with [`FramerLimits::POST_AUTH`] after a
    /// successful login.
    ///
    /// They apply at once, also to a partly received command; call it
    /// between commands.
    pub fn set_limits(&mut self, limits: FramerLimits) {
        self.limits = limits;
    }

    /// The limits in force.
    pub fn limits(&self) -> &FramerLimits {
        &self.limits
    }

    /// Appends received bytes. Ignored after [`FrameEvent::Unrecoverable`].
    pub fn push(&mut self, bytes: &[u8]) {
        if !matches!(self.state, State::Closed) {
            self.buf.extend_from_slice(bytes);
        }
    }

    /// The receive buffer, to read socket data into (e.g. with
    /// `AsyncReadExt::read_buf`) without an extra copy.
    ///
    /// Only append to it: bytes already in it belong to the framer.
    pub fn buffer_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }

    /// Advances the framer as far as the buffered bytes allow.
    ///
    /// Returns `None` when more bytes are needed (never an error). Call it in
    /// a loop after each read: several pipelined commands come out one per
    /// call. After [`FrameEvent::LiteralAnnounced`] it repeats that event
    /// until [`Framer::accept_literal`] or [`Framer::reject_literal`] is
    /// called; after [`FrameEvent::Unrecoverable`] it answers `None` forever.
    pub fn next_event(&mut self) -> Option<FrameEvent> {
        loop {
            let flow = match &mut self.state {
                State::Closed => {
                    self.buf.clear();
                    Flow::NeedMore
                }
                State::Receiving(progress) => {
                    let progress = *progress;
                    self.receive(progress)
                }
                State::Skipping(_) => self.skip(),
            };
            match flow {
                Flow::Event(event) => return Some(event),
                Flow::NeedMore => return None,
                Flow::Continue => {}
            }
        }
    }

    /// Accepts the announced literal: its data becomes part of the frame.
    ///
    /// For a synchronizing literal, send the continuation request (`+ Ready`)
    /// too. Does nothing unless [`FrameEvent::LiteralAnnounced`] is pending.
    pub fn accept_literal(&mut self) {
        if let State::Receiving(progress) = &mut self.state {
            if let Part::Pending(pending) = progress.part {
                progress.literals += 1;
                progress.part = Part::Literal {
                    remaining: pending.length,
                };
            }
        }
    }

    /// Refuses the announced literal; the caller has answered the command
    /// with a tagged `NO`/`BAD` and the whole command is dropped silently.
    ///
    /// A synchronizing literal is never sent by the client, so the command
    /// ends here. The data of a non-synchronizing one is already on its way:
    /// exactly its announced length is skipped, then the rest of the
    /// command, whatever it holds. Does nothing unless
    /// [`FrameEvent::LiteralAnnounced`] is pending.
    pub fn reject_literal(&mut self) {
        let State::Receiving(progress) = &self.state else {
            return;
        };
        let Part::Pending(pending) = progress.part else {
            return;
        };
        let tag = read_tag(&self.buf);
        self.drop_front(progress.scanned);
        self.state = match pending.mode {
            LiteralMode::Sync => State::Receiving(Progress::FRESH),
            LiteralMode::NonSync => State::Skipping(Skip {
                tag,
                report: None,
                part: SkipPart::Literal {
                    remaining: pending.length,
                },
            }),
        };
    }

    /// Drops every buffered byte after the last frame and returns how many.
    ///
    /// For STARTTLS (RFC 9051 §6.2.1, RFC 3207 §6 "STARTTLS injection"):
    /// call it right after the STARTTLS frame, before the TLS handshake, so
    /// that nothing sent in plaintext is read as coming over TLS. Framing
    /// starts afresh with the next byte appended.
    pub fn discard_buffered(&mut self) -> usize {
        let dropped = self.buf.len();
        self.buf.clear();
        if !matches!(self.state, State::Closed) {
            self.state = State::Receiving(Progress::FRESH);
        }
        dropped
    }

    /// Whether no part of a command is buffered, awaited or being skipped.
    ///
    /// Ask after `next_event` answered `None`. At EOF, `true` means the peer
    /// closed cleanly between commands, `false` that it closed in the middle
    /// of one (which is dropped). For graceful shutdown, `true` means no
    /// command is cut by closing now. Also `true` after
    /// [`FrameEvent::Unrecoverable`], when nothing is kept any more.
    pub fn is_idle(&self) -> bool {
        match self.state {
            State::Receiving(_) => self.buf.is_empty(),
            State::Skipping(_) => false,
            State::Closed => true,
        }
    }

    /// Drops `n` bytes from the front of the buffer (fewer if a caller took
    /// some through `buffer_mut`, which must not happen).
    fn drop_front(&mut self, n: usize) {
        self.buf.advance(n.min(self.buf.len()));
    }

    /// One step of receiving a command that is within limits so far.
    fn receive(&mut self, mut progress: Progress) -> Flow {
        match progress.part {
            Part::Pending(pending) => Flow::Event(FrameEvent::LiteralAnnounced {
                tag: read_tag(&self.buf),
                length: pending.length,
                mode: pending.mode,
                binary: pending.binary,
            }),
            Part::Literal { remaining } => {
                let available = self.buf.len().saturating_sub(progress.scanned);
                let take = u32::try_from(available).unwrap_or(u32::MAX).min(remaining);
                progress.scanned += take as usize;
                let remaining = remaining - take;
                let flow = if remaining == 0 {
                    progress.part = Part::Line(Tail::Other);
                    progress.line_start = progress.scanned;
                    Flow::Continue
                } else {
                    progress.part = Part::Literal { remaining };
                    Flow::NeedMore
                };
                self.state = State::Receiving(progress);
                flow
            }
            Part::Line(tail) => {
                // The line may grow up to the nearer of the two limits.
                let line_limit = progress.line_start.saturating_add(self.limits.max_line_len);
                let (limit, reason) = if line_limit <= self.limits.max_command_len {
                    let limit = self.limits.max_line_len;
                    (line_limit, FrameError::LineTooLong { limit })
                } else {
                    let limit = self.limits.max_command_len;
                    (limit, FrameError::CommandTooLong { limit })
                };
                let end = self.buf.len().min(limit).max(progress.scanned);
                let bytes = self.buf.get(progress.scanned..end).unwrap_or_default();
                match scan_line(tail, bytes) {
                    Scan::Ended { len, announcement } => {
                        progress.scanned += len;
                        match announcement {
                            None => {
                                let frame = self.buf.split_to(progress.scanned).freeze();
                                self.state = State::Receiving(Progress::FRESH);
                                Flow::Event(FrameEvent::Frame(frame))
                            }
                            Some(announcement) => self.announced(progress, announcement),
                        }
                    }
                    Scan::Partial(tail) => {
                        progress.scanned = end;
                        if progress.scanned >= limit {
                            // The line cannot end within the limit: stop buffering.
                            self.poison(progress.scanned, SkipPart::Line(tail), reason);
                            Flow::Continue
                        } else {
                            progress.part = Part::Line(tail);
                            self.state = State::Receiving(progress);
                            Flow::NeedMore
                        }
                    }
                }
            }
        }
    }

    /// Checks a literal announcement that ended the current line.
    fn announced(&mut self, mut progress: Progress, announcement: Announcement) -> Flow {
        let limits = self.limits;
        let violation = match announcement.length {
            None => Some(FrameError::LiteralLengthOverflow),
            Some(_) if progress.literals >= limits.max_literals => {
                Some(FrameError::TooManyLiterals {
                    limit: limits.max_literals,
                })
            }
            Some(length) if length > limits.max_literal_len => Some(FrameError::LiteralTooLarge {
                length,
                limit: limits.max_literal_len,
            }),
            Some(length)
                if progress.scanned as u64 + u64::from(length) + CRLF_LEN
                    > limits.max_command_len as u64 =>
            {
                Some(FrameError::CommandTooLong {
                    limit: limits.max_command_len,
                })
            }
            Some(_) => None,
        };
        let at_once = follows_at_once(self.mode, announcement.mode);
        match (violation, announcement.length) {
            (Some(reason), length) => {
                let tag = read_tag(&self.buf);
                self.drop_front(progress.scanned);
                match (at_once, length) {
                    // The client waits for "+": the command ends here.
                    (false, _) => {
                        self.state = State::Receiving(Progress::FRESH);
                        Flow::Event(FrameEvent::Rejected { tag, reason })
                    }
                    (true, Some(remaining)) => {
                        self.state = State::Skipping(Skip {
                            tag,
                            report: Some(reason),
                            part: SkipPart::Literal { remaining },
                        });
                        Flow::Continue
                    }
                    // Data follows, and we cannot tell how much.
                    (true, None) => self.close(tag, reason),
                }
            }
            (None, Some(length)) if self.mode == FramerMode::Command => {
                progress.part = Part::Pending(Pending {
                    length,
                    mode: announcement.mode,
                    binary: announcement.binary,
                });
                self.state = State::Receiving(progress);
                Flow::Continue
            }
            (None, length) => {
                progress.literals += 1;
                progress.part = Part::Literal {
                    remaining: length.unwrap_or_default(),
                };
                self.state = State::Receiving(progress);
                Flow::Continue
            }
        }
    }

    /// Drops the command's `scanned` bytes and skips the rest of it.
    fn poison(&mut self, scanned: usize, part: SkipPart, reason: FrameError) {
        let tag = read_tag(&self.buf);
        self.drop_front(scanned);
        self.state = State::Skipping(Skip {
            tag,
            report: Some(reason),
            part,
        });
    }

    /// Enters the closed state and reports why.
    fn close(&mut self, tag: Option<Tag>, reason: FrameError) -> Flow {
        self.buf.clear();
        self.state = State::Closed;
        Flow::Event(FrameEvent::Unrecoverable { tag, reason })
    }

    /// One step of skipping a poisoned command; nothing of it is kept.
    fn skip(&mut self) -> Flow {
        let State::Skipping(skip) = &mut self.state else {
            return Flow::Continue;
        };
        match skip.part {
            SkipPart::Literal { remaining } => {
                let take = u32::try_from(self.buf.len())
                    .unwrap_or(u32::MAX)
                    .min(remaining);
                self.buf.advance(take as usize);
                let remaining = remaining - take;
                if remaining == 0 {
                    skip.part = SkipPart::Line(Tail::Other);
                    Flow::Continue
                } else {
                    skip.part = SkipPart::Literal { remaining };
                    Flow::NeedMore
                }
            }
            SkipPart::Line(tail) => match scan_line(tail, &self.buf) {
                Scan::Partial(tail) => {
                    self.buf.clear();
                    skip.part = SkipPart::Line(tail);
                    Flow::NeedMore
                }
                Scan::Ended { len, announcement } => {
                    self.buf.advance(len);
                    match announcement {
                        Some(announcement) if follows_at_once(self.mode, announcement.mode) => {
                            match announcement.length {
                                Some(remaining) => {
                                    skip.part = SkipPart::Literal { remaining };
                                    Flow::Continue
                                }
                                None => {
                                    let tag = skip.tag.take();
                                    self.close(tag, FrameError::LiteralLengthOverflow)
                                }
                            }
                        }
                        // A plain CRLF, or a synchronizing literal the client
                        // will not send after our answer: the command is over.
                        _ => {
                            let tag = skip.tag.take();
                            let report = skip.report.take();
                            self.state = State::Receiving(Progress::FRESH);
                            match report {
                                Some(reason) => Flow::Event(FrameEvent::Rejected { tag, reason }),
                                None => Flow::Continue,
                            }
                        }
                    }
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command_framer() -> Framer {
        Framer::new(FramerMode::Command, FramerLimits::PRE_AUTH)
    }

    fn tag(s: &str) -> Option<Tag> {
        Some(Tag::try_from(s).unwrap())
    }

    /// Drains events, accepting every announced literal; returns the frames.
    fn frames_accepting(framer: &mut Framer) -> Vec<Bytes> {
        let mut frames = Vec::new();
        while let Some(event) = framer.next_event() {
            match event {
                FrameEvent::Frame(frame) => frames.push(frame),
                FrameEvent::LiteralAnnounced { .. } => framer.accept_literal(),
                other => panic!("unexpected {other:?}"),
            }
        }
        frames
    }

    fn expect_frame(framer: &mut Framer) -> Bytes {
        match framer.next_event() {
            Some(FrameEvent::Frame(frame)) => frame,
            other => panic!("expected a frame, got {other:?}"),
        }
    }

    fn expect_announced(framer: &mut Framer) -> (Option<Tag>, u32, LiteralMode, bool) {
        match framer.next_event() {
            Some(FrameEvent::LiteralAnnounced {
                tag,
                length,
                mode,
                binary,
            }) => (tag, length, mode, binary),
            other => panic!("expected an announcement, got {other:?}"),
        }
    }

    #[test]
    fn frame_simple_line() {
        let mut framer = command_framer();
        framer.push(b"A1 NOOP\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A1 NOOP\r\n");
        assert_eq!(framer.next_event(), None);
        assert!(framer.is_idle());
    }

    #[test]
    fn frame_partial_line_needs_more() {
        let mut framer = command_framer();
        framer.push(b"A1 NOOP\r");
        assert_eq!(framer.next_event(), None);
        assert!(!framer.is_idle());
        framer.push(b"\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A1 NOOP\r\n");
    }

    #[test]
    fn frame_bare_lf_and_cr_are_line_text() {
        let mut framer = command_framer();
        framer.push(b"A1 NOOP\nA2 X\rY\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A1 NOOP\nA2 X\rY\r\n");
    }

    #[test]
    fn frame_pipelined_in_one_push() {
        let mut framer = command_framer();
        framer.push(b"A1 NOOP\r\nA2 CAPABILITY\r\nA3 LOGOUT\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A1 NOOP\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 CAPABILITY\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A3 LOGOUT\r\n");
        assert_eq!(framer.next_event(), None);
        assert!(framer.is_idle());
    }

    #[test]
    fn frame_byte_at_a_time_same_frames() {
        let input: &[u8] =
            b"A1 LOGIN {5+}\r\nalice {3}\r\npw!\r\nA2 APPEND x ~{4+}\r\n\0\r\n\xff\r\nA3 NOOP\r\n";
        let mut whole = command_framer();
        whole.push(input);
        let expected = frames_accepting(&mut whole);
        assert_eq!(expected.len(), 3);

        let mut bytewise = command_framer();
        let mut frames = Vec::new();
        for &byte in input {
            bytewise.push(&[byte]);
            frames.extend(frames_accepting(&mut bytewise));
        }
        assert_eq!(frames, expected);
        assert_eq!(&frames[0][..], b"A1 LOGIN {5+}\r\nalice {3}\r\npw!\r\n");
        assert_eq!(&frames[1][..], b"A2 APPEND x ~{4+}\r\n\0\r\n\xff\r\n");
        assert_eq!(&frames[2][..], b"A3 NOOP\r\n");
        assert!(bytewise.is_idle());
    }

    #[test]
    fn frame_sync_literal_flow() {
        let mut framer = command_framer();
        framer.push(b"A1 LOGIN {5}\r\n");
        let announced = expect_announced(&mut framer);
        assert_eq!(announced, (tag("A1"), 5, LiteralMode::Sync, false));
        // Repeated until decided.
        assert_eq!(expect_announced(&mut framer), announced);
        framer.accept_literal();
        assert_eq!(framer.next_event(), None);
        framer.push(b"alice {2}\r\n");
        assert_eq!(
            expect_announced(&mut framer),
            (tag("A1"), 2, LiteralMode::Sync, false)
        );
        framer.accept_literal();
        framer.push(b"pw\r\n");
        assert_eq!(
            &expect_frame(&mut framer)[..],
            b"A1 LOGIN {5}\r\nalice {2}\r\npw\r\n"
        );
        assert!(framer.is_idle());
    }

    #[test]
    fn frame_non_sync_literal() {
        let mut framer = command_framer();
        framer.push(b"A1 LOGIN {5+}\r\nalice pw\r\n");
        assert_eq!(
            expect_announced(&mut framer),
            (tag("A1"), 5, LiteralMode::NonSync, false)
        );
        framer.accept_literal();
        assert_eq!(
            &expect_frame(&mut framer)[..],
            b"A1 LOGIN {5+}\r\nalice pw\r\n"
        );
    }

    #[test]
    fn frame_literal_data_with_crlf_and_braces() {
        let mut framer = command_framer();
        framer.push(b"A1 X {7+}\r\n{1}\r\n\r\n\r\n");
        expect_announced(&mut framer);
        framer.accept_literal();
        assert_eq!(
            &expect_frame(&mut framer)[..],
            b"A1 X {7+}\r\n{1}\r\n\r\n\r\n"
        );
    }

    #[test]
    fn frame_zero_length_literal() {
        let mut framer = command_framer();
        framer.push(b"A1 LOGIN {0+}\r\n {0}\r\n\r\n");
        assert_eq!(expect_announced(&mut framer).1, 0);
        framer.accept_literal();
        assert_eq!(expect_announced(&mut framer).1, 0);
        framer.accept_literal();
        assert_eq!(
            &expect_frame(&mut framer)[..],
            b"A1 LOGIN {0+}\r\n {0}\r\n\r\n"
        );
    }

    #[test]
    fn frame_literal8() {
        let mut framer = command_framer();
        framer.push(b"A1 APPEND INBOX ~{3}\r\n");
        assert_eq!(
            expect_announced(&mut framer),
            (tag("A1"), 3, LiteralMode::Sync, true)
        );
        framer.accept_literal();
        framer.push(b"a\0b\r\nA2 APPEND INBOX ~{1+}\r\n\0\r\n");
        assert_eq!(
            &expect_frame(&mut framer)[..],
            b"A1 APPEND INBOX ~{3}\r\na\0b\r\n"
        );
        assert_eq!(
            expect_announced(&mut framer),
            (tag("A2"), 1, LiteralMode::NonSync, true)
        );
        framer.accept_literal();
        assert_eq!(
            &expect_frame(&mut framer)[..],
            b"A2 APPEND INBOX ~{1+}\r\n\0\r\n"
        );
    }

    #[test]
    fn frame_two_literals_in_one_command() {
        let mut framer = command_framer();
        framer.push(b"A1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\nA2 NOOP\r\n");
        let frames = frames_accepting(&mut framer);
        assert_eq!(frames.len(), 2);
        assert_eq!(&frames[0][..], b"A1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n");
        assert_eq!(&frames[1][..], b"A2 NOOP\r\n");
    }

    #[test]
    fn frame_braces_mid_line_are_not_a_literal() {
        let mut framer = command_framer();
        framer.push(b"A1 LOGIN {5} x\r\nA2 SEARCH ~{3}x\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A1 LOGIN {5} x\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 SEARCH ~{3}x\r\n");
    }

    #[test]
    fn frame_malformed_announcements_are_plain_lines() {
        let mut framer = command_framer();
        framer.push(
            b"A1 X {}\r\nA2 X {-1}\r\nA3 X {abc}\r\nA4 X {+}\r\nA5 X {5++}\r\nA6 X {5}\r\r\n",
        );
        for line in [
            &b"A1 X {}\r\n"[..],
            b"A2 X {-1}\r\n",
            b"A3 X {abc}\r\n",
            b"A4 X {+}\r\n",
            b"A5 X {5++}\r\n",
            b"A6 X {5}\r\r\n",
        ] {
            assert_eq!(&expect_frame(&mut framer)[..], line);
        }
    }

    #[test]
    fn frame_leading_zeros_do_not_overflow() {
        let mut framer = command_framer();
        framer.push(b"A1 X {00000000000000000003+}\r\nabc\r\n");
        assert_eq!(expect_announced(&mut framer).1, 3);
        framer.accept_literal();
        assert_eq!(
            &expect_frame(&mut framer)[..],
            b"A1 X {00000000000000000003+}\r\nabc\r\n"
        );
    }

    #[test]
    fn frame_reject_sync_literal_then_next_command() {
        let mut framer = command_framer();
        framer.push(b"A1 APPEND x {20}\r\nA2 NOOP\r\n");
        assert_eq!(expect_announced(&mut framer).2, LiteralMode::Sync);
        framer.reject_literal();
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 NOOP\r\n");
        assert!(framer.is_idle());
    }

    #[test]
    fn frame_reject_non_sync_literal_skips_exactly() {
        let mut framer = command_framer();
        framer.push(b"A1 APPEND x {11+}\r\nA2 LOGOUT\r\n\r\nA3 NOOP\r\n");
        assert_eq!(
            expect_announced(&mut framer),
            (tag("A1"), 11, LiteralMode::NonSync, false)
        );
        framer.reject_literal();
        assert_eq!(&expect_frame(&mut framer)[..], b"A3 NOOP\r\n");
        assert_eq!(framer.next_event(), None);
        assert!(framer.is_idle());
    }

    #[test]
    fn frame_reject_non_sync_literal_skips_later_literals() {
        let mut framer = command_framer();
        framer.push(b"A1 APPEND x {3+}\r\nabc {9+}\r\nA2 LOGOUT y {4}\r\n");
        expect_announced(&mut framer);
        framer.reject_literal();
        // The sync literal at the end of the skipped command is never sent:
        // the command is over.
        assert_eq!(framer.next_event(), None);
        assert!(framer.is_idle());
        framer.push(b"A3 NOOP\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A3 NOOP\r\n");
    }

    #[test]
    fn frame_reject_non_sync_literal_split_reads() {
        let mut framer = command_framer();
        framer.push(b"A1 APPEND x {11+}\r\nA2 LO");
        expect_announced(&mut framer);
        framer.reject_literal();
        assert_eq!(framer.next_event(), None);
        framer.push(b"GOUT\r");
        assert_eq!(framer.next_event(), None);
        framer.push(b"\n\r\nA3 NOOP\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A3 NOOP\r\n");
    }

    #[test]
    fn frame_overlong_line_rejected_with_tag_and_resync() {
        let mut framer = command_framer();
        let mut input = b"A1 LOGIN ".to_vec();
        input.extend(std::iter::repeat_n(b'x', 10_000));
        input.extend_from_slice(b"\r\nA2 NOOP\r\n");
        framer.push(&input);
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: tag("A1"),
                reason: FrameError::LineTooLong { limit: 8192 },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 NOOP\r\n");
        assert!(framer.is_idle());
    }

    #[test]
    fn frame_line_exactly_at_limit_is_accepted() {
        let limits = FramerLimits {
            max_line_len: 10,
            ..FramerLimits::PRE_AUTH
        };
        let mut framer = Framer::new(FramerMode::Command, limits);
        framer.push(b"A1 NOOPX\r\nA2 NOOPXY\r\nA3 NOOP\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A1 NOOPX\r\n");
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: tag("A2"),
                reason: FrameError::LineTooLong { limit: 10 },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A3 NOOP\r\n");
    }

    #[test]
    fn frame_overlong_line_without_tag() {
        let mut framer = command_framer();
        framer.push(&[b'x'; 9000]);
        assert_eq!(framer.next_event(), None);
        framer.push(b"\r\nA2 NOOP\r\n");
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: None,
                reason: FrameError::LineTooLong { limit: 8192 },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 NOOP\r\n");
    }

    #[test]
    fn frame_overlong_line_ending_in_non_sync_literal_skipped() {
        let mut framer = command_framer();
        let mut input = b"A1 APPEND ".to_vec();
        input.extend(std::iter::repeat_n(b'x', 10_000));
        input.extend_from_slice(b" {11+}\r\nA2 LOGOUT\r\n more {2+}\r\n\r\n\r\nA3 NOOP\r\n");
        framer.push(&input);
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: tag("A1"),
                reason: FrameError::LineTooLong { limit: 8192 },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A3 NOOP\r\n");
    }

    #[test]
    fn frame_overlong_line_ending_in_sync_literal_ends_command() {
        let mut framer = command_framer();
        let mut input = b"A1 APPEND ".to_vec();
        input.extend(std::iter::repeat_n(b'x', 10_000));
        input.extend_from_slice(b" {11}\r\nA2 NOOP\r\n");
        framer.push(&input);
        assert!(matches!(
            framer.next_event(),
            Some(FrameEvent::Rejected { .. })
        ));
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 NOOP\r\n");
    }

    #[test]
    fn frame_too_many_literals() {
        let mut framer = command_framer();
        // PRE_AUTH allows 4 literals; the fifth (non-sync) is skipped exactly.
        framer
            .push(b"A1 X {1+}\r\na {1+}\r\nb {1+}\r\nc {1+}\r\nd {9+}\r\nA2 LOGOUT\r\nA3 NOOP\r\n");
        for _ in 0..4 {
            expect_announced(&mut framer);
            framer.accept_literal();
        }
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: tag("A1"),
                reason: FrameError::TooManyLiterals { limit: 4 },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A3 NOOP\r\n");
    }

    #[test]
    fn frame_literal_too_large_non_sync_skipped() {
        let mut framer = command_framer();
        let mut input = b"A1 LOGIN {9000+}\r\n".to_vec();
        input.extend(b"A2 LOGOUT\r\n".iter().cycle().take(9000));
        input.extend_from_slice(b" x\r\nA3 NOOP\r\n");
        framer.push(&input);
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: tag("A1"),
                reason: FrameError::LiteralTooLarge {
                    length: 9000,
                    limit: 8192
                },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A3 NOOP\r\n");
    }

    #[test]
    fn frame_literal_too_large_sync_dropped() {
        let mut framer = command_framer();
        framer.push(b"A1 LOGIN {9000}\r\nA2 NOOP\r\n");
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: tag("A1"),
                reason: FrameError::LiteralTooLarge {
                    length: 9000,
                    limit: 8192
                },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 NOOP\r\n");
    }

    #[test]
    fn frame_command_too_long() {
        let mut framer = command_framer();
        // 16 KiB command limit: two 8190-byte literals fit the literal limit
        // but not the command limit.
        let mut input = b"A1 X {8190+}\r\n".to_vec();
        input.extend(std::iter::repeat_n(b'a', 8190));
        input.extend_from_slice(b" {8190+}\r\n");
        input.extend(std::iter::repeat_n(b'b', 8190));
        input.extend_from_slice(b"\r\nA2 NOOP\r\n");
        framer.push(&input);
        expect_announced(&mut framer);
        framer.accept_literal();
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: tag("A1"),
                reason: FrameError::CommandTooLong { limit: 16 * 1024 },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 NOOP\r\n");
    }

    #[test]
    fn frame_command_too_long_by_lines() {
        let limits = FramerLimits {
            max_command_len: 30,
            ..FramerLimits::PRE_AUTH
        };
        let mut framer = Framer::new(FramerMode::Command, limits);
        framer.push(b"A1 X {1+}\r\na 0123456789012345\r\nA2 NOOP\r\n");
        expect_announced(&mut framer);
        framer.accept_literal();
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: tag("A1"),
                reason: FrameError::CommandTooLong { limit: 30 },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 NOOP\r\n");
    }

    #[test]
    fn frame_literal_length_overflow_non_sync_unrecoverable() {
        let mut framer = command_framer();
        framer.push(b"A1 APPEND x {4294967296+}\r\nA2 NOOP\r\n");
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Unrecoverable {
                tag: tag("A1"),
                reason: FrameError::LiteralLengthOverflow,
            })
        );
        framer.push(b"A3 NOOP\r\n");
        assert_eq!(framer.next_event(), None);
        assert_eq!(framer.next_event(), None);
        assert!(framer.is_idle());
    }

    #[test]
    fn frame_literal_length_overflow_sync_rejected() {
        let mut framer = command_framer();
        framer.push(b"A1 APPEND x {99999999999999999999999}\r\nA2 NOOP\r\n");
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: tag("A1"),
                reason: FrameError::LiteralLengthOverflow,
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 NOOP\r\n");
    }

    #[test]
    fn frame_max_u32_literal_is_announced_not_overflow() {
        let mut framer = Framer::new(
            FramerMode::Command,
            FramerLimits {
                max_literal_len: u32::MAX,
                max_command_len: usize::MAX,
                ..FramerLimits::POST_AUTH
            },
        );
        framer.push(b"A1 APPEND x {4294967295}\r\n");
        assert_eq!(expect_announced(&mut framer).1, u32::MAX);
    }

    #[test]
    fn frame_overflow_in_skipped_command_unrecoverable() {
        let mut framer = command_framer();
        framer.push(b"A1 APPEND x {1+}\r\na {4294967296+}\r\nA2 NOOP\r\n");
        expect_announced(&mut framer);
        framer.reject_literal();
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Unrecoverable {
                tag: tag("A1"),
                reason: FrameError::LiteralLengthOverflow,
            })
        );
        assert_eq!(framer.next_event(), None);
    }

    #[test]
    fn frame_memory_bound_without_crlf() {
        let mut framer = command_framer();
        let chunk = [b'a'; 4096];
        let mut peak = 0;
        for _ in 0..(10 * 1024 * 1024 / chunk.len()) {
            framer.push(&chunk);
            assert_eq!(framer.next_event(), None);
            peak = peak.max(framer.buffer_mut().capacity());
        }
        assert!(peak <= 32 * 1024, "buffer grew to {peak} bytes");
        assert!(!framer.is_idle());
        framer.push(b"\r\nA2 NOOP\r\n");
        assert!(matches!(
            framer.next_event(),
            Some(FrameEvent::Rejected { tag: None, .. })
        ));
        assert_eq!(&expect_frame(&mut framer)[..], b"A2 NOOP\r\n");
    }

    #[test]
    fn frame_memory_bound_long_digit_run() {
        // An announcement whose number alone is megabytes long is still
        // recognised (and overflows) without buffering it.
        let mut framer = command_framer();
        framer.push(b"A1 APPEND x {1");
        for _ in 0..1024 {
            framer.push(&[b'0'; 1024]);
            assert_eq!(framer.next_event(), None);
            assert!(framer.buffer_mut().capacity() <= 32 * 1024);
        }
        framer.push(b"+}\r\n");
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Unrecoverable {
                tag: tag("A1"),
                reason: FrameError::LiteralLengthOverflow,
            })
        );
    }

    #[test]
    fn frame_discard_buffered_after_starttls() {
        let mut framer = command_framer();
        framer.push(b"A1 STARTTLS\r\nA2 LOGIN a b\r\nA3 {5}\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A1 STARTTLS\r\n");
        assert_eq!(framer.discard_buffered(), 22);
        assert_eq!(framer.next_event(), None);
        assert!(framer.is_idle());
        framer.push(b"A4 NOOP\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A4 NOOP\r\n");
    }

    #[test]
    fn frame_response_mode() {
        let mut framer = Framer::new(FramerMode::Response, FramerLimits::POST_AUTH);
        framer.push(b"* 1 FETCH (BODY[] {5}\r\nhello)\r\n+ Ready\r\nA1 OK done\r\n* 2 FETCH (BODY[] ~{2}\r\n\0\0)\r\n");
        assert_eq!(
            &expect_frame(&mut framer)[..],
            b"* 1 FETCH (BODY[] {5}\r\nhello)\r\n"
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"+ Ready\r\n");
        assert_eq!(&expect_frame(&mut framer)[..], b"A1 OK done\r\n");
        assert_eq!(
            &expect_frame(&mut framer)[..],
            b"* 2 FETCH (BODY[] ~{2}\r\n\0\0)\r\n"
        );
        assert_eq!(framer.next_event(), None);
        assert!(framer.is_idle());
    }

    #[test]
    fn frame_response_mode_literal_too_large_skipped() {
        let limits = FramerLimits {
            max_literal_len: 3,
            ..FramerLimits::PRE_AUTH
        };
        let mut framer = Framer::new(FramerMode::Response, limits);
        framer.push(b"* 1 FETCH (BODY[] {5}\r\nhello)\r\n* 2 EXISTS\r\n");
        assert_eq!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                tag: None,
                reason: FrameError::LiteralTooLarge {
                    length: 5,
                    limit: 3
                },
            })
        );
        assert_eq!(&expect_frame(&mut framer)[..], b"* 2 EXISTS\r\n");
    }

    #[test]
    fn frame_eof_semantics() {
        let mut framer = command_framer();
        assert!(framer.is_idle());
        framer.push(b"A1 NOOP\r\nA2 APPEND x {3}\r\n");
        expect_frame(&mut framer);
        expect_announced(&mut framer);
        // EOF now: a command is half received.
        assert!(!framer.is_idle());
        framer.reject_literal();
        assert!(framer.is_idle());
    }

    #[test]
    fn frame_set_limits_after_auth() {
        let mut framer = command_framer();
        framer.push(b"A1 APPEND x {10000}\r\n");
        assert!(matches!(
            framer.next_event(),
            Some(FrameEvent::Rejected {
                reason: FrameError::LiteralTooLarge { .. },
                ..
            })
        ));
        framer.set_limits(FramerLimits::POST_AUTH);
        framer.push(b"A2 APPEND x {10000}\r\n");
        assert_eq!(expect_announced(&mut framer).1, 10000);
    }

    #[test]
    fn frame_debug_redacts_frame_bytes() {
        let event = FrameEvent::Frame(Bytes::from_static(b"A1 LOGIN alice secret\r\n"));
        assert_eq!(format!("{event:?}"), "Frame(<23 bytes>)");
        let mut framer = command_framer();
        framer.push(b"A1 LOGIN alice secret");
        assert!(!format!("{framer:?}").contains("secret"));
    }
}
