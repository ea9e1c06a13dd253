//! Message flags and keywords (RFC 9051 §2.3.2, §9 `flag`).
//!
//! ```abnf
//! flag           = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" /
//!                  flag-keyword / flag-extension
//! flag-keyword   = "$MDNSent" / "$Forwarded" / "$Junk" / "$NotJunk" / "$Phishing" / atom
//! flag-extension = "\" atom
//! flag-fetch     = flag / obsolete-flag-recent
//! flag-perm      = flag / "\*"
//! ```

use std::fmt;

use crate::core::Atom;

/// A flag that can be stored on a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// `\Answered`.
    Answered,
    /// `\Flagged`.
    Flagged,
    /// `\Deleted`.
    Deleted,
    /// `\Seen`.
    Seen,
    /// `\Draft`.
    Draft,
    /// A keyword such as `$Forwarded` or `NonJunk` (case-insensitive in IMAP;
    /// kept as sent).
    Keyword(Atom),
    /// A future system flag `\atom` this crate does not know.
    Extension(Atom),
}

impl Flag {
    /// Parses the text of a flag (`\Seen`, `$Junk`), case-insensitively for
    /// system flags.
    ///
    /// Returns `None` when the text is not a flag (empty, specials, `\*`, `\Recent`).
    pub fn from_text(text: &str) -> Option<Self> {
        if let Some(name) = text.strip_prefix('\\') {
            let system = match name.to_ascii_lowercase().as_str() {
                "answered" => Self::Answered,
                "flagged" => Self::Flagged,
                "deleted" => Self::Deleted,
                "seen" => Self::Seen,
                "draft" => Self::Draft,
                "recent" => return None,
                _ => Self::Extension(Atom::try_from(name).ok()?),
            };
            return Some(system);
        }
        Atom::try_from(text).ok().map(Self::Keyword)
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Answered => f.write_str("\\Answered"),
            Self::Flagged => f.write_str("\\Flagged"),
            Self::Deleted => f.write_str("\\Deleted"),
            Self::Seen => f.write_str("\\Seen"),
            Self::Draft => f.write_str("\\Draft"),
            Self::Keyword(atom) => f.write_str(atom.as_str()),
            Self::Extension(atom) => write!(f, "\\{atom}"),
        }
    }
}

/// A flag as FETCH reports it: `flag-fetch = flag / "\Recent"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FlagFetch {
    /// A stored flag.
    Flag(Flag),
    /// `\Recent` (RFC 3501; obsolete in RFC 9051).
    Recent,
}

/// A flag as PERMANENTFLAGS lists it: `flag-perm = flag / "\*"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FlagPerm {
    /// A flag that can be stored.
    Flag(Flag),
    /// `\*`: new keywords can be created.
    Asterisk,
}

/// How STORE changes flags: `["+" / "-"] "FLAGS"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreType {
    /// `FLAGS`: replace.
    Replace,
    /// `+FLAGS`: add.
    Add,
    /// `-FLAGS`: remove.
    Remove,
}

/// Whether STORE answers with the new flags: `[".SILENT"]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreResponse {
    /// Send untagged FETCH responses with the new flags.
    Answer,
    /// `.SILENT`.
    Silent,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_text() {
        assert_eq!(Flag::from_text("\\SEEN"), Some(Flag::Seen));
        assert_eq!(Flag::from_text("\\Recent"), None);
        assert_eq!(Flag::from_text("$label1").unwrap().to_string(), "$label1");
        assert_eq!(Flag::from_text("\\Foo").unwrap().to_string(), "\\Foo");
        assert_eq!(Flag::from_text("a b"), None);
        assert_eq!(Flag::from_text(""), None);
    }
}
