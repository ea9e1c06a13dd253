//! The string kinds of IMAP (RFC 9051 §4) as validated newtypes.
//!
//! Each type holds a private value that satisfies its ABNF rule; every
//! constructor goes through one `validate` function, so a value that would
//! produce invalid output cannot be built. Smart constructors
//! ([`AString::from_content`], [`IString::from_content`]) pick the canonical
//! representation (atom, quoted or literal) for a given content.
//!
//! ```abnf
//! ATOM-CHAR       = <any CHAR except atom-specials>
//! atom-specials   = "(" / ")" / "{" / SP / CTL / list-wildcards /
//!                   quoted-specials / resp-specials
//! list-wildcards  = "%" / "*"
//! quoted-specials = DQUOTE / "\"
//! resp-specials   = "]"
//! ASTRING-CHAR    = ATOM-CHAR / resp-specials
//! ```

use std::fmt;

use bytes::Bytes;

use crate::error::{ValidationError, ValidationReason};

/// Whether `b` is an `ATOM-CHAR`.
pub(crate) fn is_atom_char(b: u8) -> bool {
    matches!(b, 0x21..=0x7e) && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']')
}

/// Whether `b` is an `ASTRING-CHAR`.
pub(crate) fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// Whether `b` is a `TEXT-CHAR` or a byte of a UTF-8 sequence (RFC 9051 `text`).
pub(crate) fn is_text_byte(b: u8) -> bool {
    !matches!(b, 0 | b'\r' | b'\n')
}

/// Whether `b` may stand in a quoted string, escaped or not (NUL, CR and LF may not).
pub(crate) fn is_quoted_byte(b: u8) -> bool {
    is_text_byte(b)
}

fn validate_all(
    kind: &'static str,
    value: &[u8],
    allowed: impl Fn(u8) -> bool,
) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::new(kind, ValidationReason::Empty));
    }
    match value.iter().find(|&&b| !allowed(b)) {
        Some(&b) => Err(ValidationError::new(
            kind,
            ValidationReason::ByteNotAllowed(b),
        )),
        None => Ok(()),
    }
}

/// Declares a validated string newtype with the usual conversions.
macro_rules! validated_string {
    ($(#[$meta:meta])* $name:ident, $kind:literal, $validate:expr) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Checks that `value` satisfies this type's grammar.
            ///
            /// # Errors
            /// Returns [`ValidationError`] naming the first offending byte.
            pub fn validate(value: &str) -> Result<(), ValidationError> {
                let check: fn(&str) -> Result<(), ValidationError> = $validate;
                check(value)
            }

            /// Builds the value without checking it in release builds.
            ///
            /// For values known to be valid (constants, parser output).
            ///
            /// # Panics
            /// In debug builds, when `value` is not valid.
            pub fn unvalidated(value: impl Into<String>) -> Self {
                let value = value.into();
                debug_assert!(Self::validate(&value).is_ok(), "invalid {}: {value:?}", $kind);
                Self(value)
            }

            /// The value as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The value, unwrapped.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl TryFrom<&str> for $name {
            type Error = ValidationError;

            fn try_from(value: &str) -> Result<Self, ValidationError> {
                Self::validate(value)?;
                Ok(Self(value.to_owned()))
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;

            fn try_from(value: String) -> Result<Self, ValidationError> {
                Self::validate(&value)?;
                Ok(Self(value))
            }
        }

        impl TryFrom<&[u8]> for $name {
            type Error = ValidationError;

            fn try_from(value: &[u8]) -> Result<Self, ValidationError> {
                let value = std::str::from_utf8(value)
                    .map_err(|_| ValidationError::new($kind, ValidationReason::NotUtf8))?;
                Self::try_from(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

validated_string!(
    /// A command tag: `tag = 1*<any ASTRING-CHAR except "+">`.
    Tag,
    "tag",
    |v| validate_all("tag", v.as_bytes(), |b| is_astring_char(b) && b != b'+')
);

validated_string!(
    /// An atom: `atom = 1*ATOM-CHAR`. Cannot hold a space, `(`, `]` or a wildcard.
    Atom,
    "atom",
    |v| validate_all("atom", v.as_bytes(), is_atom_char)
);

validated_string!(
    /// The atom form of an astring: `1*ASTRING-CHAR` (an atom that may hold `]`).
    AtomExt,
    "astring atom",
    |v| validate_all("astring atom", v.as_bytes(), is_astring_char)
);

validated_string!(
    /// Human-readable text: `text = 1*(TEXT-CHAR / UTF8-2 / UTF8-3 / UTF8-4)`.
    ///
    /// Cannot hold CR, LF or NUL, and is never empty.
    Text,
    "text",
    |v| validate_all("text", v.as_bytes(), is_text_byte)
);

/// The content of a quoted string, unescaped.
///
/// ```abnf
/// quoted      = DQUOTE *QUOTED-CHAR DQUOTE
/// QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> /
///               "\" quoted-specials / UTF8-2 / UTF8-3 / UTF8-4
/// ```
/// Cannot hold CR, LF or NUL; may be empty.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quoted(String);

impl Quoted {
    /// Checks that `value` can be written as a quoted string.
    ///
    /// # Errors
    /// Returns [`ValidationError`] for CR, LF or NUL.
    pub fn validate(value: &str) -> Result<(), ValidationError> {
        match value.bytes().find(|&b| !is_quoted_byte(b)) {
            Some(b) => Err(ValidationError::new(
                "quoted",
                ValidationReason::ByteNotAllowed(b),
            )),
            None => Ok(()),
        }
    }

    /// Builds the value without checking it in release builds.
    ///
    /// # Panics
    /// In debug builds, when `value` is not valid.
    pub fn unvalidated(value: impl Into<String>) -> Self {
        let value = value.into();
        debug_assert!(Self::validate(&value).is_ok(), "invalid quoted: {value:?}");
        Self(value)
    }

    /// The unescaped content.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The content, unwrapped.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl TryFrom<&str> for Quoted {
    type Error = ValidationError;

    fn try_from(value: &str) -> Result<Self, ValidationError> {
        Self::validate(value)?;
        Ok(Self(value.to_owned()))
    }
}

impl TryFrom<String> for Quoted {
    type Error = ValidationError;

    fn try_from(value: String) -> Result<Self, ValidationError> {
        Self::validate(&value)?;
        Ok(Self(value))
    }
}

impl fmt::Debug for Quoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quoted({:?})", self.0)
    }
}

/// How a literal is announced (RFC 9051 §4.3, RFC 7888).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiteralMode {
    /// `{n}`: the client waits for a continuation request before sending the data.
    Sync,
    /// `{n+}` (LITERAL+ / LITERAL-): the data follows at once.
    NonSync,
}

/// A literal string: `literal = "{" number64 ["+"] "}" CRLF *CHAR8`.
///
/// Cannot hold NUL (`CHAR8 = %x01-ff`); binary data uses [`Literal8`].
/// The data is a shared [`Bytes`], so a message body is never copied.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Literal {
    data: Bytes,
    mode: LiteralMode,
}

impl Literal {
    /// Checks that `data` can be sent as a literal (no NUL).
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `data` holds a NUL byte.
    pub fn validate(data: &[u8]) -> Result<(), ValidationError> {
        if data.contains(&0) {
            return Err(ValidationError::new(
                "literal",
                ValidationReason::ByteNotAllowed(0),
            ));
        }
        Ok(())
    }

    /// Builds a literal.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `data` holds a NUL byte.
    pub fn new(data: impl Into<Bytes>, mode: LiteralMode) -> Result<Self, ValidationError> {
        let data = data.into();
        Self::validate(&data)?;
        Ok(Self { data, mode })
    }

    /// Builds a literal without checking in release builds.
    ///
    /// # Panics
    /// In debug builds, when `data` holds a NUL byte.
    pub fn unvalidated(data: impl Into<Bytes>, mode: LiteralMode) -> Self {
        let data = data.into();
        debug_assert!(Self::validate(&data).is_ok(), "literal with NUL");
        Self { data, mode }
    }

    /// The literal's bytes.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// How the literal is announced.
    pub fn mode(&self) -> LiteralMode {
        self.mode
    }

    /// The literal's bytes, unwrapped.
    pub fn into_data(self) -> Bytes {
        self.data
    }
}

impl fmt::Debug for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Literal({:?}, {} bytes", self.mode, self.data.len())?;
        if self.data.len() <= 64 {
            write!(f, ", {:?}", String::from_utf8_lossy(&self.data))?;
        }
        f.write_str(")")
    }
}

/// A binary literal: `literal8 = "~{" number64 ["+"] "}" CRLF *OCTET` (RFC 3516).
///
/// May hold any byte, NUL included.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Literal8 {
    /// The bytes.
    pub data: Bytes,
    /// How the literal is announced.
    pub mode: LiteralMode,
}

impl fmt::Debug for Literal8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Literal8({:?}, {} bytes)", self.mode, self.data.len())
    }
}

/// A string: `string = quoted / literal`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IString {
    /// A literal.
    Literal(Literal),
    /// A quoted string.
    Quoted(Quoted),
}

impl IString {
    /// The canonical string for `content`: quoted when it can be, else a
    /// synchronizing literal.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `content` holds NUL.
    pub fn from_content(content: impl Into<Bytes>) -> Result<Self, ValidationError> {
        let content = content.into();
        if content.len() <= QUOTED_MAX && content.iter().all(|&b| is_quoted_byte(b)) {
            if let Ok(s) = std::str::from_utf8(&content) {
                return Ok(Self::Quoted(Quoted(s.to_owned())));
            }
        }
        Literal::new(content, LiteralMode::Sync).map(Self::Literal)
    }

    /// The string's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Literal(literal) => literal.data(),
            Self::Quoted(quoted) => quoted.as_str().as_bytes(),
        }
    }
}

/// Longest content that [`IString::from_content`] writes as a quoted string.
const QUOTED_MAX: usize = 1024;

/// `nstring = string / nil`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NString(pub Option<IString>);

impl NString {
    /// `NIL`.
    pub const NIL: Self = Self(None);

    /// The string's bytes, or `None` for `NIL`.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        self.0.as_ref().map(IString::as_bytes)
    }

    /// The canonical nstring for `content`.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `content` holds NUL.
    pub fn from_content(content: impl Into<Bytes>) -> Result<Self, ValidationError> {
        IString::from_content(content).map(|s| Self(Some(s)))
    }
}

/// `astring = 1*ASTRING-CHAR / string`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AString {
    /// The atom form.
    Atom(AtomExt),
    /// A quoted string or a literal.
    String(IString),
}

impl AString {
    /// The canonical astring for `content`: an atom when it can be, else
    /// quoted, else a literal.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `content` holds NUL.
    pub fn from_content(content: impl Into<Bytes>) -> Result<Self, ValidationError> {
        let content = content.into();
        if !content.is_empty() && content.iter().all(|&b| is_astring_char(b)) {
            let atom = std::str::from_utf8(&content).expect("ASTRING-CHAR is ASCII");
            return Ok(Self::Atom(AtomExt(atom.to_owned())));
        }
        IString::from_content(content).map(Self::String)
    }

    /// The astring's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Atom(atom) => atom.as_str().as_bytes(),
            Self::String(string) => string.as_bytes(),
        }
    }
}

/// A list that is never empty (`1*x` in the ABNF).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Vec1<T>(Vec<T>);

impl<T> Vec1<T> {
    /// A list of one element.
    pub fn one(item: T) -> Self {
        Self(vec![item])
    }

    /// The elements.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// The elements, unwrapped.
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }

    /// Iterates over the elements.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<T> TryFrom<Vec<T>> for Vec1<T> {
    type Error = ValidationError;

    fn try_from(value: Vec<T>) -> Result<Self, ValidationError> {
        if value.is_empty() {
            return Err(ValidationError::new(
                "non-empty list",
                ValidationReason::Empty,
            ));
        }
        Ok(Self(value))
    }
}

impl<'a, T> IntoIterator for &'a Vec1<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// A charset name as SEARCH and friends take it: `charset = atom / quoted`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Charset {
    /// The atom form, e.g. `UTF-8`.
    Atom(Atom),
    /// The quoted form.
    Quoted(Quoted),
}

impl Charset {
    /// The charset's name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Atom(atom) => atom.as_str(),
            Self::Quoted(quoted) => quoted.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_refuses_specials() {
        for bad in [
            "", "a b", "a(", "a)", "a{", "a%", "a*", "a\"", "a\\", "a]", "a\r", "\u{7f}",
        ] {
            assert!(Atom::try_from(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Atom::try_from("FLAGS").unwrap().as_str(), "FLAGS");
    }

    #[test]
    fn tag_refuses_plus_but_takes_bracket() {
        assert!(Tag::try_from("a+1").is_err());
        assert!(Tag::try_from("*").is_err());
        assert!(Tag::try_from("a]1").is_ok());
        assert!(Tag::try_from(&b"\xc3\xa9"[..]).is_err());
    }

    #[test]
    fn quoted_refuses_line_ends_and_nul() {
        for bad in ["a\r", "a\n", "a\0"] {
            assert!(Quoted::try_from(bad).is_err(), "{bad:?}");
        }
        assert!(Quoted::try_from("").is_ok());
        assert!(Quoted::try_from("a \"b\" \\ é").is_ok());
    }

    #[test]
    fn text_refuses_empty_and_line_ends() {
        assert!(Text::try_from("").is_err());
        assert!(Text::try_from("a\nb").is_err());
        assert!(Text::try_from("Logged in, café").is_ok());
    }

    #[test]
    fn literal_refuses_nul() {
        assert!(Literal::new(&b"a\0b"[..], LiteralMode::Sync).is_err());
        assert!(Literal::new(&b"a\r\nb"[..], LiteralMode::NonSync).is_ok());
    }

    #[test]
    fn astring_picks_canonical_form() {
        assert!(matches!(
            AString::from_content("INBOX"),
            Ok(AString::Atom(_))
        ));
        assert!(matches!(AString::from_content("a]b"), Ok(AString::Atom(_))));
        assert!(matches!(
            AString::from_content("a b"),
            Ok(AString::String(IString::Quoted(_)))
        ));
        assert!(matches!(
            AString::from_content(""),
            Ok(AString::String(IString::Quoted(_)))
        ));
        assert!(matches!(
            AString::from_content("a\r\nb"),
            Ok(AString::String(IString::Literal(_)))
        ));
        assert!(matches!(
            AString::from_content(&b"\xff"[..]),
            Ok(AString::String(IString::Literal(_)))
        ));
        assert!(AString::from_content(&b"\0"[..]).is_err());
    }

    #[test]
    fn vec1_refuses_empty() {
        assert!(Vec1::<u8>::try_from(vec![]).is_err());
        assert_eq!(Vec1::try_from(vec![1]).unwrap().as_slice(), &[1]);
    }
}
