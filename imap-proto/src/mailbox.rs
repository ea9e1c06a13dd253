//! Mailbox names and LIST patterns (RFC 9051 §5.1, §9 `mailbox`, `list-mailbox`).
//!
//! ```abnf
//! mailbox      = "INBOX" / astring   ; INBOX is case-insensitive
//! list-mailbox = 1*list-char / string
//! list-char    = ATOM-CHAR / list-wildcards / resp-specials
//! ```
//! On the wire a name is modified UTF-7 (RFC 3501 §5.1.3), or UTF-8 once a
//! client enabled UTF8=ACCEPT (RFC 6855 §3). These types keep the wire
//! form, so that decoding and encoding are exact; the engine converts with
//! [`Mailbox::to_utf8`] / [`Mailbox::from_utf8`], knowing which applies.

use bytes::Bytes;

use crate::core::{is_atom_char, AString, IString};
use crate::error::{ValidationError, ValidationReason};
use crate::utf7;

/// A mailbox name as sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mailbox {
    /// `INBOX`, in any case.
    Inbox,
    /// Any other name.
    Other(AString),
}

impl Mailbox {
    /// The mailbox whose wire name is `name` (`INBOX` case-insensitively).
    pub fn from_astring(name: AString) -> Self {
        if name.as_bytes().eq_ignore_ascii_case(b"INBOX") {
            Self::Inbox
        } else {
            Self::Other(name)
        }
    }

    /// The wire form of a UTF-8 name: modified UTF-7, or UTF-8 itself when
    /// `utf8` (UTF8=ACCEPT is enabled).
    ///
    /// # Errors
    /// Returns [`ValidationError`] for a name with NUL, CR or LF, which no
    /// mailbox may have.
    pub fn from_utf8(name: &str, utf8: bool) -> Result<Self, ValidationError> {
        if let Some(b) = name.bytes().find(|b| matches!(b, 0 | b'\r' | b'\n')) {
            return Err(ValidationError::new(
                "mailbox",
                ValidationReason::ByteNotAllowed(b),
            ));
        }
        let wire = if utf8 {
            name.to_owned()
        } else {
            utf7::encode(name)
        };
        Ok(Self::from_astring(AString::from_content(Bytes::from(
            wire,
        ))?))
    }

    /// The name in UTF-8 (`"INBOX"` for the inbox): decodes modified UTF-7,
    /// or, when `utf8` (UTF8=ACCEPT is enabled), takes UTF-8 as it is.
    ///
    /// # Errors
    /// Returns [`ValidationError`] for malformed modified UTF-7, invalid
    /// UTF-8, or control bytes.
    pub fn to_utf8(&self, utf8: bool) -> Result<String, ValidationError> {
        match self {
            Self::Inbox => Ok(String::from("INBOX")),
            Self::Other(name) => decode_wire(name.as_bytes(), utf8),
        }
    }

    /// The wire bytes (`INBOX` for the inbox).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Inbox => b"INBOX",
            Self::Other(name) => name.as_bytes(),
        }
    }
}

/// Decodes a wire name or pattern: modified UTF-7, or UTF-8 as it is when
/// `utf8`; control bytes are refused either way.
fn decode_wire(raw: &[u8], utf8: bool) -> Result<String, ValidationError> {
    if raw.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return Err(ValidationError::new("mailbox", ValidationReason::Malformed));
    }
    if utf8 && !raw.is_ascii() {
        return std::str::from_utf8(raw)
            .map(str::to_owned)
            .map_err(|_| ValidationError::new("mailbox", ValidationReason::NotUtf8));
    }
    utf7::decode(raw)
}

/// Whether `b` is a `list-char`.
pub(crate) fn is_list_char(b: u8) -> bool {
    is_atom_char(b) || matches!(b, b'%' | b'*' | b']')
}

/// A LIST/LSUB pattern: `list-mailbox`, `%` and `*` as wildcards.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListMailbox {
    /// `1*list-char`.
    Token(String),
    /// A quoted string or literal.
    String(IString),
}

impl ListMailbox {
    /// The canonical pattern for `pattern`: a token when it can be, else a string.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `pattern` holds NUL.
    pub fn from_content(pattern: &str) -> Result<Self, ValidationError> {
        if !pattern.is_empty() && pattern.bytes().all(is_list_char) {
            return Ok(Self::Token(pattern.to_owned()));
        }
        IString::from_content(Bytes::copy_from_slice(pattern.as_bytes())).map(Self::String)
    }

    /// The pattern in UTF-8, decoded as [`Mailbox::to_utf8`] decodes names
    /// (`%` and `*` are printable ASCII and stay as they are).
    ///
    /// # Errors
    /// Returns [`ValidationError`] for malformed modified UTF-7, invalid
    /// UTF-8, or control bytes.
    pub fn to_utf8(&self, utf8: bool) -> Result<String, ValidationError> {
        decode_wire(self.as_bytes(), utf8)
    }

    /// The pattern's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Token(token) => token.as_bytes(),
            Self::String(string) => string.as_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbox_is_case_insensitive() {
        let name = AString::from_content("iNbOx").unwrap();
        assert_eq!(Mailbox::from_astring(name), Mailbox::Inbox);
        assert_eq!(Mailbox::from_utf8("inbox", false).unwrap(), Mailbox::Inbox);
        assert_eq!(Mailbox::Inbox.to_utf8(false).unwrap(), "INBOX");
    }

    #[test]
    fn utf7_on_the_wire() {
        let mailbox = Mailbox::from_utf8("Entw\u{fc}rfe", false).unwrap();
        assert_eq!(mailbox.as_bytes(), b"Entw&APw-rfe");
        assert_eq!(mailbox.to_utf8(false).unwrap(), "Entw\u{fc}rfe");
        let mailbox = Mailbox::from_utf8("Entw\u{fc}rfe", true).unwrap();
        assert_eq!(mailbox.to_utf8(true).unwrap(), "Entw\u{fc}rfe");
    }

    #[test]
    fn refuses_bad_names() {
        assert!(Mailbox::from_utf8("a\r\nb", false).is_err());
        let bad = Mailbox::Other(AString::from_content("&AGE-").unwrap());
        assert!(bad.to_utf8(false).is_err());
        let esc = Mailbox::Other(AString::from_content("a\x1bb").unwrap());
        assert!(esc.to_utf8(true).is_err());
    }

    #[test]
    fn list_pattern_forms() {
        assert!(matches!(
            ListMailbox::from_content("%/*").unwrap(),
            ListMailbox::Token(_)
        ));
        assert!(matches!(
            ListMailbox::from_content("").unwrap(),
            ListMailbox::String(_)
        ));
        assert!(matches!(
            ListMailbox::from_content("a b").unwrap(),
            ListMailbox::String(_)
        ));
    }
}
