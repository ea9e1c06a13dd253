//! The nom parsers, one per ABNF rule (crate-private).
//!
//! Parsers run on one complete frame cut by the [framer](crate::codec::frame),
//! so they use nom's `complete` combinators: running out of input is an
//! error, never "incomplete". Literals inside the frame are plain bytes here.
//!
//! Recursive rules (search keys, body structures, nested lists) take a
//! `depth` and fail with [`ParseErrorKind::TooDeep`] past [`NESTING_LIMIT`],
//! so no input can recurse without bound.

pub(crate) mod acl;
pub(crate) mod body;
pub(crate) mod capability;
pub(crate) mod command;
pub(crate) mod common;
pub(crate) mod core;
pub(crate) mod fetch;
pub(crate) mod id;
pub(crate) mod list;
pub(crate) mod namespace;
pub(crate) mod quota;
pub(crate) mod response;
pub(crate) mod search;
pub(crate) mod sort;
pub(crate) mod status;

use nom::error::{ErrorKind, FromExternalError};
use thiserror::Error;

use crate::core::Tag;

/// Deepest nesting of parentheses (search keys, body structures, lists)
/// that parsers accept.
///
/// Dovecot allows 100 MIME levels; real clients nest search keys a few
/// levels. 64 keeps the parser's stack small whatever the input.
pub const NESTING_LIMIT: usize = 64;

/// The result type of every parser.
pub(crate) type IResult<'a, O> = nom::IResult<&'a [u8], O, ParseError<'a>>;

/// Why a parser failed, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError<'a> {
    /// The input at the point of failure.
    pub(crate) input: &'a [u8],
    /// What went wrong.
    pub(crate) kind: ParseErrorKind,
}

/// What went wrong in a parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseErrorKind {
    /// A grammar rule did not match.
    Nom(ErrorKind),
    /// A number does not fit its type (32 bits, or 63 bits for modseq).
    NumberOverflow,
    /// Nesting beyond [`NESTING_LIMIT`].
    TooDeep,
    /// A NUL byte where none may stand.
    Nul,
    /// Bytes that must be UTF-8 are not.
    NotUtf8,
    /// A value that parses but is not allowed (e.g. `0` where `nz-number`).
    Invalid(&'static str),
}

impl<'a> ParseError<'a> {
    /// A failure of `kind` at `input`.
    pub(crate) fn new(input: &'a [u8], kind: ParseErrorKind) -> Self {
        Self { input, kind }
    }

    /// The same failure as a nom error, ready to return.
    pub(crate) fn fail<O>(input: &'a [u8], kind: ParseErrorKind) -> IResult<'a, O> {
        Err(nom::Err::Error(Self::new(input, kind)))
    }

    /// The same failure as a nom failure (no alternative is tried).
    pub(crate) fn cut<O>(input: &'a [u8], kind: ParseErrorKind) -> IResult<'a, O> {
        Err(nom::Err::Failure(Self::new(input, kind)))
    }
}

impl<'a> nom::error::ParseError<&'a [u8]> for ParseError<'a> {
    fn from_error_kind(input: &'a [u8], kind: ErrorKind) -> Self {
        Self::new(input, ParseErrorKind::Nom(kind))
    }

    fn append(_: &'a [u8], _: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        // Keep the most specific of two failures: ours over nom's.
        match (self.kind, other.kind) {
            (ParseErrorKind::Nom(_), _) => other,
            _ => self,
        }
    }
}

impl<'a, E> FromExternalError<&'a [u8], E> for ParseError<'a> {
    fn from_external_error(input: &'a [u8], kind: ErrorKind, _: E) -> Self {
        Self::new(input, ParseErrorKind::Nom(kind))
    }
}

/// Fails when `depth` reached [`NESTING_LIMIT`]; recursive parsers call it
/// before each level.
pub(crate) fn check_depth(input: &[u8], depth: usize) -> IResult<'_, ()> {
    if depth >= NESTING_LIMIT {
        return ParseError::cut(input, ParseErrorKind::TooDeep);
    }
    Ok((input, ()))
}

/// A frame that could not be decoded.
///
/// Carries the tag whenever one was read, so the server can answer
/// `tag BAD ...` (or an untagged `* BAD` without one).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind} at byte {offset}")]
pub struct DecodeError {
    tag: Option<Tag>,
    offset: usize,
    kind: DecodeErrorKind,
}

/// What went wrong, as far as callers may ask (see the `is_*` methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
enum DecodeErrorKind {
    #[error("syntax error")]
    Syntax,
    #[error("number too large")]
    NumberOverflow,
    #[error("nesting too deep")]
    TooDeep,
    #[error("NUL byte not allowed")]
    Nul,
    #[error("invalid UTF-8")]
    NotUtf8,
    #[error("{0}")]
    Invalid(&'static str),
}

impl DecodeError {
    /// The command's tag, when one could be read.
    pub fn tag(&self) -> Option<&Tag> {
        self.tag.as_ref()
    }

    /// Where in the frame decoding failed.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Whether the frame nested deeper than [`NESTING_LIMIT`].
    pub fn is_too_deep(&self) -> bool {
        self.kind == DecodeErrorKind::TooDeep
    }

    /// Whether a number did not fit its type.
    pub fn is_number_overflow(&self) -> bool {
        self.kind == DecodeErrorKind::NumberOverflow
    }
}

/// Runs `parser` over a whole frame; leftover bytes are an error.
///
/// `tag` is what the caller already read of the frame, for the error.
pub(crate) fn parse_frame<'a, O>(
    frame: &'a [u8],
    tag: Option<Tag>,
    parser: impl FnOnce(&'a [u8]) -> IResult<'a, O>,
) -> Result<O, DecodeError> {
    let error = |input: &[u8], kind: ParseErrorKind| DecodeError {
        tag: tag.clone(),
        offset: frame.len() - input.len(),
        kind: match kind {
            ParseErrorKind::Nom(_) => DecodeErrorKind::Syntax,
            ParseErrorKind::NumberOverflow => DecodeErrorKind::NumberOverflow,
            ParseErrorKind::TooDeep => DecodeErrorKind::TooDeep,
            ParseErrorKind::Nul => DecodeErrorKind::Nul,
            ParseErrorKind::NotUtf8 => DecodeErrorKind::NotUtf8,
            ParseErrorKind::Invalid(what) => DecodeErrorKind::Invalid(what),
        },
    };
    match parser(frame) {
        Ok(([], value)) => Ok(value),
        Ok((rest, _)) => Err(error(rest, ParseErrorKind::Invalid("unexpected bytes"))),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(error(e.input, e.kind)),
        Err(nom::Err::Incomplete(_)) => {
            Err(error(&[], ParseErrorKind::Invalid("frame ends early")))
        }
    }
}
