//! ENVELOPE from a message header (RFC 9051 §7.5.2, RFC 3501 §7.4.2),
//! with Dovecot's choices where the RFCs leave room: strings are the
//! header text as sent, unfolded and not decoded; an address without a
//! domain gets host `MISSING_DOMAIN`, one whose domain is cut off
//! `SYNTAX_ERROR`; a comment after a bare address is its name.

use imapkit_proto::body::{Address, Envelope};
use imapkit_proto::core::{IString, Literal, LiteralMode, NString, Quoted};

use super::scan::header_fields;

/// Longest value written as a quoted string; longer ones are literals.
const QUOTED_MAX: usize = 1024;

/// `bytes` as an IMAP string: quoted when printable ASCII, else a literal
/// (8-bit text goes out as a literal, as Dovecot sends it: a quoted string
/// holds 7-bit text only in IMAP4rev1). NUL, which neither may hold, is
/// dropped.
pub(super) fn istring(bytes: &[u8]) -> IString {
    let data: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
    if data.len() <= QUOTED_MAX
        && data
            .iter()
            .all(|&b| b == b'\t' || (0x20..0x7f).contains(&b))
    {
        let text = data.iter().map(|&b| char::from(b)).collect::<String>();
        return IString::Quoted(Quoted::unvalidated(text));
    }
    IString::Literal(Literal::unvalidated(data, LiteralMode::Sync))
}

/// `bytes` as an nstring, `NIL` for `None`.
pub(super) fn nstring(bytes: Option<&[u8]>) -> NString {
    NString(bytes.map(istring))
}

/// The envelope of the message whose header is `header`.
pub(super) fn envelope(header: &[u8]) -> Envelope {
    let fields = header_fields(header);
    let first = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v.as_slice())
    };
    let addresses = |name: &str| first(name).map(address_list).unwrap_or_default();
    let from = addresses("From");
    let mut sender = addresses("Sender");
    if sender.is_empty() {
        sender = from.clone();
    }
    let mut reply_to = addresses("Reply-To");
    if reply_to.is_empty() {
        reply_to = from.clone();
    }
    Envelope {
        date: nstring(first("Date")),
        subject: nstring(first("Subject")),
        from,
        sender,
        reply_to,
        to: addresses("To"),
        cc: addresses("Cc"),
        bcc: addresses("Bcc"),
        in_reply_to: nstring(first("In-Reply-To")),
        message_id: nstring(first("Message-ID")),
    }
}

/// A lexical token of an address list (RFC 5322 §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// An atom, dots included (`dot-atom` and `obs-phrase` alike).
    Atom(Vec<u8>),
    /// A quoted string, unescaped.
    Quoted(Vec<u8>),
    /// A comment's text, unescaped.
    Comment(Vec<u8>),
    /// A domain literal, brackets included.
    Literal(Vec<u8>),
    /// One of `<>@,;:`.
    Special(u8),
}

/// Splits `value` into tokens; never fails (stray bytes become atoms).
fn tokens(value: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(&b) = value.get(pos) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'<' | b'>' | b'@' | b',' | b';' | b':' => {
                out.push(Token::Special(b));
                pos += 1;
            }
            b'"' => {
                let mut text = Vec::new();
                pos += 1;
                while let Some(&c) = value.get(pos) {
                    pos += 1;
                    match c {
                        b'"' => break,
                        b'\\' => {
                            if let Some(&next) = value.get(pos) {
                                text.push(next);
                                pos += 1;
                            }
                        }
                        b'\r' | b'\n' => {}
                        _ => text.push(c),
                    }
                }
                out.push(Token::Quoted(text));
            }
            b'(' => {
                let mut text = Vec::new();
                let mut depth = 0usize;
                while let Some(&c) = value.get(pos) {
                    pos += 1;
                    match c {
                        b'(' => {
                            if depth > 0 {
                                text.push(c);
                            }
                            depth += 1;
                        }
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            text.push(c);
                        }
                        b'\\' => {
                            if let Some(&next) = value.get(pos) {
                                text.push(next);
                                pos += 1;
                            }
                        }
                        _ => text.push(c),
                    }
                }
                out.push(Token::Comment(text));
            }
            b'[' => {
                let end = value[pos..]
                    .iter()
                    .position(|&c| c == b']')
                    .map_or(value.len(), |e| pos + e + 1);
                out.push(Token::Literal(value[pos..end].to_vec()));
                pos = end;
            }
            _ => {
                let end = value[pos..]
                    .iter()
                    .position(|&c| b" \t\r\n<>@,;:\"([".contains(&c))
                    .map_or(value.len(), |e| pos + e);
                // A stray `)` or `]` alone still moves on.
                let end = end.max(pos + 1);
                out.push(Token::Atom(value[pos..end].to_vec()));
                pos = end;
            }
        }
    }
    out
}

/// Parses an address list (`From`, `To`, ...) into envelope addresses,
/// groups spread as RFC 3501 §7.4.2 says. Lenient: anything that is not
/// an address is skipped up to the next comma.
fn address_list(value: &[u8]) -> Vec<Address> {
    let tokens = tokens(value);
    let mut out = Vec::new();
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
    };
    while parser.pos < tokens.len() {
        let before = parser.pos;
        parser.entry(&mut out, false);
        if parser.pos == before {
            parser.pos += 1;
        }
    }
    out
}

/// A cursor over the tokens of an address list.
struct Parser<'t> {
    /// The tokens.
    tokens: &'t [Token],
    /// The next token.
    pos: usize,
}

/// An envelope address from its parts; empty strings are `NIL` for the
/// name and adl.
fn address(name: &[u8], adl: &[u8], mailbox: Option<&[u8]>, host: Option<&[u8]>) -> Address {
    Address {
        name: nstring(Some(name).filter(|n| !n.is_empty())),
        adl: nstring(Some(adl).filter(|a| !a.is_empty())),
        mailbox: nstring(mailbox),
        host: nstring(host),
    }
}

impl<'t> Parser<'t> {
    /// The next token, if any.
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }

    /// Whether the next token is `special`.
    fn at(&self, special: u8) -> bool {
        self.peek() == Some(&Token::Special(special))
    }

    /// Words of a phrase (atoms and quoted strings, comments skipped),
    /// joined by one space.
    fn phrase(&mut self) -> Vec<u8> {
        let mut words: Vec<u8> = Vec::new();
        while let Some(token) = self.peek() {
            match token {
                Token::Atom(word) | Token::Quoted(word) => {
                    if !words.is_empty() {
                        words.push(b' ');
                    }
                    words.extend_from_slice(word);
                }
                Token::Comment(_) => {}
                _ => break,
            }
            self.pos += 1;
        }
        words
    }

    /// One mailbox or group, and the comma after it.
    fn entry(&mut self, out: &mut Vec<Address>, in_group: bool) {
        while self.at(b',') {
            self.pos += 1;
        }
        let start = self.pos;
        let phrase = self.phrase();
        match self.peek() {
            Some(Token::Special(b':')) if !in_group => {
                self.pos += 1;
                out.push(address(b"", b"", Some(&phrase), None));
                while self.pos < self.tokens.len() && !self.at(b';') {
                    let before = self.pos;
                    self.entry(out, true);
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
                if self.at(b';') {
                    self.pos += 1;
                }
                out.push(address(b"", b"", None, None));
            }
            Some(Token::Special(b'<')) => {
                self.pos += 1;
                let mut adl = Vec::new();
                if self.at(b'@') {
                    // obs-route: "@a,@b:" before the address.
                    while let Some(token) = self.peek() {
                        self.pos += 1;
                        match token {
                            Token::Special(b':') => break,
                            Token::Special(b'>') => {
                                self.pos -= 1;
                                break;
                            }
                            Token::Special(c) => adl.push(*c),
                            Token::Atom(t) | Token::Literal(t) => adl.extend_from_slice(t),
                            _ => {}
                        }
                    }
                }
                let (mailbox, host) = self.addr_spec();
                if self.at(b'>') {
                    self.pos += 1;
                }
                out.push(address(&phrase, &adl, Some(&mailbox), Some(&host)));
            }
            Some(Token::Special(b'@')) => {
                // The phrase was the local part of a bare addr-spec.
                self.pos = start;
                let (mailbox, host) = self.addr_spec();
                let comment = match self.peek() {
                    Some(Token::Comment(text)) => {
                        self.pos += 1;
                        text.clone()
                    }
                    _ => Vec::new(),
                };
                out.push(address(&comment, b"", Some(&mailbox), Some(&host)));
            }
            _ if !phrase.is_empty() => {
                out.push(address(b"", b"", Some(&phrase), Some(b"MISSING_DOMAIN")));
            }
            _ => {}
        }
        // Skip what is left of a malformed entry.
        while let Some(token) = self.peek() {
            match token {
                Token::Special(b',') => {
                    self.pos += 1;
                    break;
                }
                Token::Special(b';') if in_group => break,
                _ => self.pos += 1,
            }
        }
    }

    /// `local-part "@" domain`, with Dovecot's stand-ins for missing bits.
    fn addr_spec(&mut self) -> (Vec<u8>, Vec<u8>) {
        let mut local = Vec::new();
        while let Some(token) = self.peek() {
            match token {
                Token::Atom(t) | Token::Quoted(t) => local.extend_from_slice(t),
                Token::Comment(_) => {}
                _ => break,
            }
            self.pos += 1;
        }
        if local.is_empty() {
            local = b"MISSING_MAILBOX".to_vec();
        }
        if !self.at(b'@') {
            return (local, b"MISSING_DOMAIN".to_vec());
        }
        self.pos += 1;
        let mut domain = Vec::new();
        while let Some(token) = self.peek() {
            match token {
                Token::Atom(t) | Token::Literal(t) => domain.extend_from_slice(t),
                Token::Comment(_) if domain.is_empty() => {}
                _ => break,
            }
            self.pos += 1;
        }
        if domain.is_empty() {
            domain = b"SYNTAX_ERROR".to_vec();
        }
        (local, domain)
    }
}
