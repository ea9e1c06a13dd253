//! The server's decoders of what a client sends: [`CommandCodec`] for
//! commands, [`AuthenticateDataCodec`] for the lines of an AUTHENTICATE
//! exchange, [`IdleDoneCodec`] for the `DONE` that ends IDLE.
//!
//! Each decodes one complete frame (as cut by the
//! [framer](crate::codec::frame)) or line, CRLF included; a partial input is
//! an error, never "need more".

use super::decode::command::{authenticate_line, command, idle_done};
use super::decode::core::imap_tag;
use super::decode::{parse_frame, DecodeError, ParseError, ParseErrorKind};
use crate::command::{AuthenticateData, Command, IdleDone};

/// The departures from the grammar that [`CommandCodec`] accepts.
///
/// The default, [`Leniencies::STRICT`], accepts none. See
/// [`CommandCodec`] for what is always accepted or refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Leniencies {
    /// Accept spaces before the CRLF that ends a command (`a1 NOOP  \r\n`),
    /// as some clients (Outlook, older Thunderbird) and hand-typed sessions
    /// send them. Default is `false`.
    pub trailing_spaces: bool,
}

impl Leniencies {
    /// Accept nothing beyond the grammar.
    pub const STRICT: Self = Self {
        trailing_spaces: false,
    };

    /// Accept every departure this crate knows.
    pub const ALL: Self = Self {
        trailing_spaces: true,
    };
}

/// Decodes client commands.
///
/// # Strictness and leniencies
///
/// Decoding follows the grammar of RFC 9051 §9 and the extensions. The
/// departures a server may need for real clients are listed here, in one
/// place, and each is named:
///
/// - Command names and keywords in any case (`a1 select inbox`, `. fetch 1
///   fast`): always accepted, as RFC 9051 §9 requires ("alphabetic
///   characters are case-insensitive"). Many clients write lowercase, and
///   `. fetch 1 fast` is what people type at a telnet prompt (`.` is a valid
///   tag).
/// - Spaces before the final CRLF (`a1 NOOP  `): refused by default, accepted
///   with [`Leniencies::trailing_spaces`]. Some clients (Outlook, older
///   Thunderbird) and hand-typed sessions send them.
///
/// Never accepted, whatever the settings:
///
/// - A line that ends with a bare LF (or CR): the framer ends lines only at
///   CRLF, and so does the parser, so that both agree on every byte.
/// - A NUL byte anywhere except inside a `literal8` (`~{n}`, APPEND with
///   BINARY, RFC 3516): RFC 9051 §9 forbids it everywhere else.
/// - An unknown command: the error carries the tag, for `tag BAD`.
///
/// # Example
/// ```
/// use imapkit_proto::codec::{CommandCodec, Leniencies};
/// use imapkit_proto::command::CommandBody;
///
/// let command = CommandCodec::decode(b"A1 SELECT INBOX\r\n").unwrap();
/// assert_eq!(command.name(), "SELECT");
///
/// // Errors carry the tag, for `A2 BAD ...`.
/// let error = CommandCodec::decode(b"A2 FROBNICATE\r\n").unwrap_err();
/// assert_eq!(error.tag().map(|tag| tag.as_str()), Some("A2"));
///
/// // Trailing spaces are refused unless asked for.
/// assert!(CommandCodec::decode(b"A3 NOOP \r\n").is_err());
/// let command = CommandCodec::decode_with(b"A3 NOOP \r\n", Leniencies::ALL).unwrap();
/// assert_eq!(command.body, CommandBody::Noop);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CommandCodec;

impl CommandCodec {
    /// Decodes one command strictly ([`Leniencies::STRICT`]): a whole
    /// frame, CRLF and literals included.
    ///
    /// # Errors
    /// Returns [`DecodeError`] when the frame is not exactly one valid
    /// command; the error carries the tag whenever the frame starts with
    /// one, so the server can answer `tag BAD` (else an untagged `* BAD`).
    pub fn decode(frame: &[u8]) -> Result<Command, DecodeError> {
        Self::decode_with(frame, Leniencies::STRICT)
    }

    /// Decodes one command, accepting `leniencies`.
    ///
    /// # Errors
    /// As [`CommandCodec::decode`].
    pub fn decode_with(frame: &[u8], leniencies: Leniencies) -> Result<Command, DecodeError> {
        // The tag first, so that every later error carries it.
        let tag = imap_tag(frame).ok().map(|(_, tag)| tag);
        let layout = Layout::of(frame);
        if let Some(at) = layout.nul {
            return parse_frame(frame, tag, |input| {
                ParseError::fail(&input[at..], ParseErrorKind::Nul)
            });
        }
        let Some(mut end) = frame
            .len()
            .checked_sub(2)
            .filter(|&end| &frame[end..] == b"\r\n")
        else {
            return parse_frame(frame, tag, |input| {
                ParseError::fail(
                    &input[input.len()..],
                    ParseErrorKind::Invalid("command does not end with CRLF"),
                )
            });
        };
        if leniencies.trailing_spaces {
            // The one opt-in leniency (Outlook, older Thunderbird, telnet
            // users), applied to the last line only: the bytes of a
            // literal are data, never trimmed.
            while end > layout.last_line && frame[end - 1] == b' ' {
                end -= 1;
            }
        }
        // The parser sees the command without its line end; offsets in
        // errors are the same as in `frame`.
        parse_frame(&frame[..end], tag, command)
    }
}

/// What [`CommandCodec::decode`] needs to know about a frame's lines and
/// literals before parsing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    /// Where the last line starts: after the data of the last literal.
    last_line: usize,
    /// The first NUL outside literal8 data.
    nul: Option<usize>,
}

impl Layout {
    /// Follows the lines and literals of `frame` as the framer cut them: a
    /// line ends at CRLF, and a literal is announced (`{n}`, `{n+}`,
    /// `~{n}`, `~{n+}`) only right before a line's CRLF.
    fn of(frame: &[u8]) -> Self {
        let find_nul = |from: usize, to: usize| {
            frame[from..to]
                .iter()
                .position(|&b| b == 0)
                .map(|i| from + i)
        };
        let mut pos = 0;
        loop {
            let line_end = frame[pos..]
                .windows(2)
                .position(|pair| pair == b"\r\n")
                .map(|i| pos + i);
            let Some(line_end) = line_end else {
                return Self {
                    last_line: pos,
                    nul: find_nul(pos, frame.len()),
                };
            };
            if let Some(at) = find_nul(pos, line_end) {
                return Self {
                    last_line: pos,
                    nul: Some(at),
                };
            }
            let Some((length, binary)) = announcement(&frame[pos..line_end]) else {
                return Self {
                    last_line: pos,
                    nul: None,
                };
            };
            let data = line_end + 2;
            let data_end = data.saturating_add(length).min(frame.len());
            if !binary {
                if let Some(at) = find_nul(data, data_end) {
                    return Self {
                        last_line: data_end,
                        nul: Some(at),
                    };
                }
            }
            pos = data_end;
        }
    }
}

/// The literal announced at the end of `line` (CRLF excluded): its length
/// (saturated) and whether it is a literal8.
fn announcement(line: &[u8]) -> Option<(usize, bool)> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = &inner[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let length = digits.iter().fold(0usize, |n, &d| {
        n.saturating_mul(10).saturating_add(usize::from(d - b'0'))
    });
    let binary = open > 0 && inner[open - 1] == b'~';
    Some((length, binary))
}

/// Decodes the lines a client sends during AUTHENTICATE (RFC 9051 §6.2.2):
/// base64 data, or `*` to cancel.
///
/// # Example
/// ```
/// use imapkit_proto::codec::AuthenticateDataCodec;
/// use imapkit_proto::command::AuthenticateData;
///
/// let line = AuthenticateDataCodec::decode(b"AGFsaWNlAHB3\r\n").unwrap();
/// let AuthenticateData::Continue(data) = line else { panic!() };
/// assert_eq!(data.expose_secret().as_ref(), b"\0alice\0pw");
/// assert_eq!(AuthenticateDataCodec::decode(b"*\r\n").unwrap(), AuthenticateData::Cancel);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AuthenticateDataCodec;

impl AuthenticateDataCodec {
    /// Decodes one line, CRLF included.
    ///
    /// # Errors
    /// Returns [`DecodeError`] (without a tag) for anything but canonical,
    /// padded base64 or `*`; the server answers with the AUTHENTICATE
    /// command's tag and `BAD`.
    pub fn decode(line: &[u8]) -> Result<AuthenticateData, DecodeError> {
        parse_frame(line, None, authenticate_line)
    }
}

/// Decodes the `DONE` line that ends IDLE (RFC 9051 §6.3.13), in any case.
///
/// # Example
/// ```
/// use imapkit_proto::codec::IdleDoneCodec;
///
/// assert!(IdleDoneCodec::decode(b"DONE\r\n").is_ok());
/// assert!(IdleDoneCodec::decode(b"A2 NOOP\r\n").is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct IdleDoneCodec;

impl IdleDoneCodec {
    /// Decodes one line, CRLF included.
    ///
    /// # Errors
    /// Returns [`DecodeError`] (without a tag) for anything but `DONE`
    /// CRLF; RFC 9051 §6.3.13 leaves the answer to the server (typically
    /// `BAD` for the IDLE command, which ends).
    pub fn decode(line: &[u8]) -> Result<IdleDone, DecodeError> {
        parse_frame(line, None, idle_done)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::codec::encode::{Encode, Fragment};
    use crate::command::CommandBody;
    use crate::core::LiteralMode;
    use crate::testing::command::{arb_authenticate_data, arb_command};

    fn strict(frame: &[u8]) -> Result<Command, DecodeError> {
        CommandCodec::decode(frame)
    }

    fn tag_of(error: &DecodeError) -> Option<&str> {
        error.tag().map(|tag| tag.as_str())
    }

    #[test]
    fn errors_carry_the_tag() {
        for (frame, offset) in [
            (&b"A1 FROBNICATE\r\n"[..], 3),
            (b"A2 LOGIN alice\r\n", 14),
            (b"A3 NOOP extra\r\n", 7),
            (b"A4 SELECT\r\n", 9),
            (b"A5\r\n", 2),
        ] {
            let error = strict(frame).unwrap_err();
            assert_eq!(
                tag_of(&error),
                Some(std::str::from_utf8(&frame[..2]).unwrap()),
                "{error}"
            );
            assert_eq!(
                error.offset(),
                offset,
                "{:?}: {error}",
                String::from_utf8_lossy(frame)
            );
        }
        for frame in [&b"* NOOP\r\n"[..], b"+ x\r\n", b"\r\n", b"", b" A NOOP\r\n"] {
            assert_eq!(tag_of(&strict(frame).unwrap_err()), None);
        }
        let error = strict(b"A1 FROBNICATE\r\n").unwrap_err();
        assert_eq!(error.to_string(), "unknown command at byte 3");
    }

    #[test]
    fn overflow_and_depth_are_named() {
        for frame in [
            &b"A1 FETCH 4294967296 FLAGS\r\n"[..],
            b"A1 STORE 1 (UNCHANGEDSINCE 9223372036854775808) FLAGS ()\r\n",
            b"A1 SELECT INBOX (QRESYNC (4294967296 1))\r\n",
            b"A1 UID EXPUNGE 99999999999999999999\r\n",
        ] {
            let error = strict(frame).unwrap_err();
            assert!(error.is_number_overflow(), "{frame:?}: {error}");
            assert_eq!(tag_of(&error), Some("A1"));
        }
        let deep = format!("A1 SEARCH {}ALL{}\r\n", "(".repeat(200), ")".repeat(200));
        let error = strict(deep.as_bytes()).unwrap_err();
        assert!(error.is_too_deep(), "{error}");
        assert_eq!(tag_of(&error), Some("A1"));
        let deep = format!("A1 SEARCH {}ALL\r\n", "NOT ".repeat(200));
        assert!(strict(deep.as_bytes()).unwrap_err().is_too_deep());
    }

    #[test]
    fn line_must_end_with_crlf() {
        for frame in [
            &b"A1 NOOP"[..],
            b"A1 NOOP\n",
            b"A1 NOOP\r",
            b"A1 NOOP\nA2 NOOP\r\n",
            b"A1 NOOP\r\n\r\n",
            b"A1 NOOP\r\nA2 NOOP\r\n",
        ] {
            let error = strict(frame).unwrap_err();
            assert_eq!(tag_of(&error), Some("A1"), "{frame:?}");
        }
        // Even the lenient decoder refuses bare LF.
        assert!(CommandCodec::decode_with(b"A1 NOOP \n", Leniencies::ALL).is_err());
    }

    #[test]
    fn nul_is_refused_outside_literal8() {
        for (frame, at) in [
            (&b"A1 NO\0OP\r\n"[..], 5),
            (b"A1 LOGIN \"a\0\" b\r\n", 11),
            (b"A1 LOGIN {3}\r\na\0b c\r\n", 15),
            (b"A1 APPEND INBOX {3}\r\na\0b\r\n", 22),
            (b"A1 NOOP\0\r\n", 7),
            (b"A1 APPEND INBOX ~{1}\r\n\0 {1}\r\n\0\r\n", 29),
        ] {
            let error = strict(frame).unwrap_err();
            assert_eq!(error.offset(), at, "{frame:?}");
            assert_eq!(
                error.to_string(),
                format!("NUL byte not allowed at byte {at}")
            );
            assert_eq!(tag_of(&error), Some("A1"));
        }
        // A literal8 outside APPEND is refused by the grammar.
        assert!(strict(b"A1 LOGIN ~{3}\r\na\0b c\r\n").is_err());
        let command = strict(b"A1 APPEND INBOX ~{3}\r\na\0b\r\n").unwrap();
        let CommandBody::Append(append) = command.body else {
            panic!()
        };
        assert_eq!(append.messages.as_slice()[0].data.data().as_ref(), b"a\0b");
    }

    #[test]
    fn trailing_spaces_only_when_lenient() {
        let lenient = |frame: &[u8]| CommandCodec::decode_with(frame, Leniencies::ALL);
        for frame in [
            &b"A1 NOOP \r\n"[..],
            b"A1 SEARCH ALL  \r\n",
            b"A1 FETCH 1 FAST \r\n",
            b"A1 STORE 1 +FLAGS \\Seen \r\n",
            b"A1 LOGIN a {2}\r\nb  \r\n",
        ] {
            let error = strict(frame).unwrap_err();
            assert_eq!(tag_of(&error), Some("A1"));
            assert!(
                lenient(frame).is_ok(),
                "{:?}",
                String::from_utf8_lossy(frame)
            );
        }
        // The bytes of a literal are data, never trimmed.
        let command = lenient(b"A1 LOGIN a {2}\r\nb \r\n").unwrap();
        let CommandBody::Login { password, .. } = command.body else {
            panic!()
        };
        assert_eq!(password.expose_secret().as_bytes(), b"b ");
        // Spaces that are not trailing stay errors.
        assert!(lenient(b"A1  NOOP\r\n").is_err());
        assert!(lenient(b"A1 LOGIN a  b\r\n").is_err());
        // A trailing space cannot turn text into a literal announcement.
        assert!(lenient(b"A1 LOGIN a {0} \r\n").is_err());
        assert_eq!(Leniencies::default(), Leniencies::STRICT);
    }

    #[test]
    fn lowercase_and_telnet_style() {
        // What people type at a telnet prompt; RFC 9051 §9 makes it valid.
        let command = strict(b". fetch 1 fast\r\n").unwrap();
        assert_eq!(command.tag.as_str(), ".");
        assert_eq!(command.name(), "FETCH");
        assert_eq!(
            strict(b"a1 Uid Fetch 1:* flags\r\n").unwrap().name(),
            "UID FETCH"
        );
        assert_eq!(strict(b"a1 lOgOuT\r\n").unwrap().body, CommandBody::Logout);
    }

    #[test]
    fn layout_follows_literals() {
        let frame = b"A1 LOGIN {5}\r\nab\r\nc ~{2+}\r\n\0\0 x\r\n";
        let layout = Layout::of(frame);
        assert_eq!(layout.nul, None);
        assert_eq!(&frame[layout.last_line..], b" x\r\n");
        assert_eq!(Layout::of(b"A1 NOOP\r\n").last_line, 0);
        // A literal running past the end of the frame.
        assert_eq!(Layout::of(b"A1 LOGIN {99}\r\nab").last_line, 17);
        assert_eq!(announcement(b"A {5}"), Some((5, false)));
        assert_eq!(announcement(b"A ~{5+}"), Some((5, true)));
        assert_eq!(
            announcement(b"A {99999999999999999999999}"),
            Some((usize::MAX, false))
        );
        for line in [&b"A {}"[..], b"A {+}", b"A {5", b"A {a}", b"A 5}", b"{5}x"] {
            assert_eq!(announcement(line), None, "{line:?}");
        }
    }

    #[test]
    fn authenticate_data_codec() {
        let codec = AuthenticateDataCodec::decode;
        assert_eq!(codec(b"*\r\n").unwrap(), AuthenticateData::Cancel);
        assert!(codec(b"*").is_err());
        assert!(codec(b"AGE\r\n").is_err());
        let error = codec(b"AG E=\r\n").unwrap_err();
        assert_eq!((error.tag(), error.offset()), (None, 0));
    }

    #[test]
    fn idle_done_codec() {
        let codec = IdleDoneCodec::decode;
        assert_eq!(codec(b"done\r\n").unwrap(), IdleDone);
        for bad in [&b"DONE"[..], b"DONE \r\n", b"A1 DONE\r\n", b"\r\n"] {
            assert!(codec(bad).is_err(), "{bad:?}");
        }
        assert_eq!(IdleDone.encode().dump(), b"DONE\r\n");
    }

    /// Checks that a client can send `encoded`: each literal follows a line
    /// that announces it with its length and mode.
    fn assert_well_framed(fragments: &[Fragment]) {
        for pair in fragments.windows(2) {
            if let [Fragment::Line { data: line }, Fragment::Literal { data, mode }] = pair {
                let plus = if *mode == LiteralMode::NonSync {
                    "+"
                } else {
                    ""
                };
                let announcement = format!("{{{}{plus}}}\r\n", data.len());
                assert!(line.ends_with(announcement.as_bytes()), "{line:?}");
            }
        }
        assert!(
            matches!(fragments.last(), Some(Fragment::Line { data }) if data.ends_with(b"\r\n"))
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn command_round_trip(command in arb_command()) {
            let encoded = command.encode();
            assert_well_framed(encoded.fragments());
            let bytes = encoded.dump();
            let decoded = strict(&bytes);
            prop_assert_eq!(
                decoded.as_ref(),
                Ok(&command),
                "{:?}",
                String::from_utf8_lossy(&bytes)
            );
            // The lenient decoder reads canonical output the same way.
            let lenient = CommandCodec::decode_with(&bytes, Leniencies::ALL);
            prop_assert_eq!(lenient.as_ref(), Ok(&command));
        }

        #[test]
        fn authenticate_data_round_trip(data in arb_authenticate_data()) {
            let bytes = data.encode().dump();
            prop_assert_eq!(AuthenticateDataCodec::decode(&bytes), Ok(data));
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = CommandCodec::decode_with(&bytes, Leniencies::ALL);
            let _ = AuthenticateDataCodec::decode(&bytes);
            let _ = IdleDoneCodec::decode(&bytes);
        }
    }
}
