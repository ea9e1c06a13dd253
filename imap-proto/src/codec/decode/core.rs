//! Parsers of the string kinds, numbers and separators (RFC 9051 §9).

use bytes::Bytes;
use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take, take_while1};
use nom::character::complete::digit1;
use nom::combinator::{map, opt, value};
use nom::sequence::{delimited, tuple};

use super::{IResult, ParseError, ParseErrorKind};
use crate::core::{
    is_astring_char, is_atom_char, is_text_byte, AString, Atom, AtomExt, Charset, IString, Literal,
    Literal8, LiteralMode, NString, Quoted, Tag, Text,
};

/// `SP`.
pub(crate) fn sp(input: &[u8]) -> IResult<'_, ()> {
    value((), tag(b" "))(input)
}

/// `CRLF`.
pub(crate) fn crlf(input: &[u8]) -> IResult<'_, ()> {
    value((), tag(b"\r\n"))(input)
}

/// `nil = "NIL"`.
pub(crate) fn nil(input: &[u8]) -> IResult<'_, ()> {
    value((), tag_no_case(b"NIL"))(input)
}

fn digits_to<T: TryFrom<u64>>(input: &[u8], max: u64) -> IResult<'_, T> {
    let (rest, digits) = digit1(input)?;
    let mut n: u64 = 0;
    for &d in digits {
        n = match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
        {
            Some(n) if n <= max => n,
            _ => return ParseError::fail(input, ParseErrorKind::NumberOverflow),
        };
    }
    match T::try_from(n) {
        Ok(n) => Ok((rest, n)),
        Err(_) => ParseError::fail(input, ParseErrorKind::NumberOverflow),
    }
}

/// `number = 1*DIGIT` (unsigned 32-bit; overflow is an error, never wrapped).
pub(crate) fn number(input: &[u8]) -> IResult<'_, u32> {
    digits_to(input, u64::from(u32::MAX))
}

/// `nz-number = digit-nz *DIGIT` (non-zero unsigned 32-bit).
pub(crate) fn nz_number(input: &[u8]) -> IResult<'_, std::num::NonZeroU32> {
    let (rest, n) = number(input)?;
    match std::num::NonZeroU32::new(n) {
        None => ParseError::fail(input, ParseErrorKind::Invalid("zero where nz-number")),
        Some(_) if input[0] == b'0' => {
            ParseError::fail(input, ParseErrorKind::Invalid("nz-number starts with 0"))
        }
        Some(n) => Ok((rest, n)),
    }
}

/// `number64 = 1*DIGIT` (unsigned 63-bit, RFC 9051 §9).
pub(crate) fn number64(input: &[u8]) -> IResult<'_, u64> {
    digits_to(input, i64::MAX as u64)
}

/// `nz-number64`: a non-zero `number64`.
pub(crate) fn nz_number64(input: &[u8]) -> IResult<'_, u64> {
    let (rest, n) = number64(input)?;
    if n == 0 {
        return ParseError::fail(input, ParseErrorKind::Invalid("zero where nz-number64"));
    }
    Ok((rest, n))
}

fn utf8(input: &[u8]) -> Result<&str, nom::Err<ParseError<'_>>> {
    std::str::from_utf8(input)
        .map_err(|_| nom::Err::Error(ParseError::new(input, ParseErrorKind::NotUtf8)))
}

/// `atom = 1*ATOM-CHAR`.
pub(crate) fn atom(input: &[u8]) -> IResult<'_, Atom> {
    let (rest, raw) = take_while1(is_atom_char)(input)?;
    Ok((rest, Atom::unvalidated(utf8(raw)?)))
}

/// `1*ASTRING-CHAR`, the atom form of `astring`.
pub(crate) fn atom_ext(input: &[u8]) -> IResult<'_, AtomExt> {
    let (rest, raw) = take_while1(is_astring_char)(input)?;
    Ok((rest, AtomExt::unvalidated(utf8(raw)?)))
}

/// `tag = 1*<any ASTRING-CHAR except "+">`.
pub(crate) fn imap_tag(input: &[u8]) -> IResult<'_, Tag> {
    let (rest, raw) = take_while1(|b| is_astring_char(b) && b != b'+')(input)?;
    Ok((rest, Tag::unvalidated(utf8(raw)?)))
}

/// `text = 1*(TEXT-CHAR / UTF8-2 / UTF8-3 / UTF8-4)`.
pub(crate) fn text(input: &[u8]) -> IResult<'_, Text> {
    let (rest, raw) = take_while1(is_text_byte)(input)?;
    Ok((rest, Text::unvalidated(utf8(raw)?)))
}

/// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`.
pub(crate) fn quoted(input: &[u8]) -> IResult<'_, Quoted> {
    let (mut rest, _) = tag(b"\"")(input)?;
    let mut content = Vec::new();
    loop {
        match rest.first() {
            Some(b'"') => break,
            Some(b'\\') => match rest.get(1) {
                Some(&b @ (b'"' | b'\\')) => {
                    content.push(b);
                    rest = &rest[2..];
                }
                _ => {
                    return ParseError::fail(rest, ParseErrorKind::Invalid("bad escape in quoted"))
                }
            },
            Some(0) => return ParseError::fail(rest, ParseErrorKind::Nul),
            Some(&b) if is_text_byte(b) => {
                content.push(b);
                rest = &rest[1..];
            }
            _ => return ParseError::fail(rest, ParseErrorKind::Invalid("unterminated quoted")),
        }
    }
    let content = String::from_utf8(content)
        .map_err(|_| nom::Err::Error(ParseError::new(input, ParseErrorKind::NotUtf8)))?;
    Ok((&rest[1..], Quoted::unvalidated(content)))
}

/// The announcement and data of a literal: `"{" number64 ["+"] "}" CRLF`,
/// then the bytes.
fn literal_data(input: &[u8]) -> IResult<'_, (&[u8], LiteralMode)> {
    let (rest, (length, plus)) = tuple((
        delimited(tag(b"{"), tuple((number64, opt(tag(b"+")))), tag(b"}")),
        crlf,
    ))(input)
    .map(|(rest, (announcement, ()))| (rest, announcement))?;
    let length = usize::try_from(length)
        .map_err(|_| nom::Err::Error(ParseError::new(input, ParseErrorKind::NumberOverflow)))?;
    let (rest, data) = take(length)(rest)?;
    let mode = if plus.is_some() {
        LiteralMode::NonSync
    } else {
        LiteralMode::Sync
    };
    Ok((rest, (data, mode)))
}

/// `literal = "{" number64 ["+"] "}" CRLF *CHAR8` (no NUL).
pub(crate) fn literal(input: &[u8]) -> IResult<'_, Literal> {
    let (rest, (data, mode)) = literal_data(input)?;
    if data.contains(&0) {
        return ParseError::fail(input, ParseErrorKind::Nul);
    }
    Ok((
        rest,
        Literal::unvalidated(Bytes::copy_from_slice(data), mode),
    ))
}

/// `literal8 = "~{" number64 ["+"] "}" CRLF *OCTET` (RFC 3516).
pub(crate) fn literal8(input: &[u8]) -> IResult<'_, Literal8> {
    let (rest, _) = tag(b"~")(input)?;
    let (rest, (data, mode)) = literal_data(rest)?;
    Ok((
        rest,
        Literal8 {
            data: Bytes::copy_from_slice(data),
            mode,
        },
    ))
}

/// `string = quoted / literal`.
pub(crate) fn string(input: &[u8]) -> IResult<'_, IString> {
    alt((map(quoted, IString::Quoted), map(literal, IString::Literal)))(input)
}

/// `nstring = string / nil`.
pub(crate) fn nstring(input: &[u8]) -> IResult<'_, NString> {
    alt((
        map(string, |s| NString(Some(s))),
        map(nil, |()| NString::NIL),
    ))(input)
}

/// `astring = 1*ASTRING-CHAR / string`.
pub(crate) fn astring(input: &[u8]) -> IResult<'_, AString> {
    alt((map(atom_ext, AString::Atom), map(string, AString::String)))(input)
}

/// `charset = atom / quoted`.
pub(crate) fn charset(input: &[u8]) -> IResult<'_, Charset> {
    alt((map(atom, Charset::Atom), map(quoted, Charset::Quoted)))(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_refuse_overflow() {
        assert_eq!(number(b"4294967295 ").unwrap(), (&b" "[..], u32::MAX));
        assert!(number(b"4294967296").is_err());
        assert!(number(b"99999999999999999999999").is_err());
        assert!(nz_number(b"0").is_err());
        assert!(nz_number(b"01").is_err());
        assert_eq!(number64(b"9223372036854775807").unwrap().1, i64::MAX as u64);
        assert!(number64(b"9223372036854775808").is_err());
    }

    #[test]
    fn quoted_unescapes() {
        let (rest, q) = quoted(b"\"a\\\"b\\\\c\" x").unwrap();
        assert_eq!(q.as_str(), "a\"b\\c");
        assert_eq!(rest, b" x");
        assert!(quoted(b"\"a\\b\"").is_err());
        assert!(quoted(b"\"a\0\"").is_err());
        assert!(quoted(b"\"a\r\n\"").is_err());
        assert!(quoted(b"\"abc").is_err());
    }

    #[test]
    fn literal_takes_exact_bytes() {
        let (rest, lit) = literal(b"{5}\r\nhello world").unwrap();
        assert_eq!(lit.data().as_ref(), b"hello");
        assert_eq!(lit.mode(), LiteralMode::Sync);
        assert_eq!(rest, b" world");
        let (_, lit) = literal(b"{2+}\r\nhi").unwrap();
        assert_eq!(lit.mode(), LiteralMode::NonSync);
        assert!(literal(b"{5}\r\nhi").is_err());
        assert!(literal(b"{3}\r\na\0b").is_err());
        let (_, lit8) = literal8(b"~{3}\r\na\0b").unwrap();
        assert_eq!(lit8.data.as_ref(), b"a\0b");
    }

    #[test]
    fn astring_forms() {
        assert!(
            matches!(astring(b"INBOX]x").unwrap().1, AString::Atom(a) if a.as_str() == "INBOX]x")
        );
        assert!(matches!(
            astring(b"\"a b\"").unwrap().1,
            AString::String(IString::Quoted(_))
        ));
        assert!(matches!(
            astring(b"{1}\r\na").unwrap().1,
            AString::String(IString::Literal(_))
        ));
        assert!(astring(b"(").is_err());
    }

    #[test]
    fn tag_stops_at_plus() {
        assert_eq!(imap_tag(b"a1+ x").unwrap().1.as_str(), "a1");
        assert!(imap_tag(b"+").is_err());
    }
}
