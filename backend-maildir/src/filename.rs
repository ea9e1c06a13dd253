//! Maildir file names: `<base>[,S=<size>][,W=<vsize>][:2,<flags>]`.
//!
//! The base is unique and never changes; the info after `:2,` holds the
//! flags as letters in ASCII order: `D` draft, `F` flagged, `P` passed
//! (kept as found: IMAP has no such flag), `R` replied, `S` seen, `T`
//! trashed (`\Deleted`), and `a`-`z` keywords through `dovecot-keywords`.
//! `S=` is the file size and `W=` the size with CRLF line ends (RFC822.SIZE),
//! as Dovecot writes them, so sizes need neither a stat nor a read.

use imapkit_server::backend::{Flag, Flags};

use crate::keywords::Keywords;

/// A file name split into its unchanging base and its flag letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileName {
    /// Everything before `:2,` (the whole name for mail fresh in `new/`).
    pub(crate) base: String,
    /// The letters after `:2,`; empty when there are none.
    pub(crate) info: String,
}

impl FileName {
    /// Splits a name found on disk.
    pub(crate) fn parse(name: &str) -> Self {
        match name.rsplit_once(":2,") {
            Some((base, info)) => Self {
                base: base.to_string(),
                info: info.to_string(),
            },
            None => Self {
                // Experimental `:1,` infos and bare names keep their whole name.
                base: name.to_string(),
                info: String::new(),
            },
        }
    }

    /// The name in `cur/`: always with `:2,`.
    pub(crate) fn cur_name(&self) -> String {
        format!("{}:2,{}", self.base, self.info)
    }

    /// A field of the base (`S` or `W`), as Dovecot's `,S=123,W=130`.
    pub(crate) fn size_field(&self, field: char) -> Option<u64> {
        self.base
            .split(',')
            .skip(1)
            .find_map(|part| part.strip_prefix(field)?.strip_prefix('='))
            .and_then(|value| value.parse().ok())
    }

    /// The flags the letters stand for; letters of unknown keywords are
    /// ignored (and kept on disk by [`FileName::with_flags`]).
    pub(crate) fn flags(&self, keywords: &Keywords) -> Flags {
        let mut flags = Flags::new();
        for letter in self.info.chars() {
            let flag = match letter {
                'D' => Some(Flag::Draft),
                'F' => Some(Flag::Flagged),
                'R' => Some(Flag::Answered),
                'S' => Some(Flag::Seen),
                'T' => Some(Flag::Deleted),
                'a'..='z' => keywords.name(letter).map(|k| Flag::Keyword(k.to_string())),
                _ => None,
            };
            if let Some(flag) = flag {
                flags.insert(flag);
            }
        }
        flags
    }

    /// The same base with the letters for `flags`. Letters IMAP has no
    /// flag for (`P`, unknown uppercase, keywords missing from the table)
    /// stay. Keywords without a letter are left out (the caller keeps
    /// them elsewhere).
    pub(crate) fn with_flags(&self, flags: &Flags, keywords: &Keywords) -> Self {
        let mut letters: Vec<char> = self
            .info
            .chars()
            .filter(|&c| match c {
                'D' | 'F' | 'R' | 'S' | 'T' => false,
                'a'..='z' => keywords.name(c).is_none(),
                c => c.is_ascii_graphic(),
            })
            .collect();
        for flag in flags.iter() {
            let letter = match &flag {
                Flag::Draft => Some('D'),
                Flag::Flagged => Some('F'),
                Flag::Answered => Some('R'),
                Flag::Seen => Some('S'),
                Flag::Deleted => Some('T'),
                Flag::Keyword(word) => keywords.letter(word),
            };
            letters.extend(letter);
        }
        letters.sort_unstable();
        letters.dedup();
        Self {
            base: self.base.clone(),
            info: letters.into_iter().collect(),
        }
    }
}

/// The size of `bytes` with every bare LF counted as CRLF (RFC822.SIZE).
pub(crate) fn crlf_size(bytes: &[u8]) -> u64 {
    let bare = bytes
        .iter()
        .enumerate()
        .filter(|&(at, &b)| b == b'\n' && (at == 0 || bytes[at - 1] != b'\r'))
        .count();
    (bytes.len() + bare) as u64
}

/// `bytes` with bare LFs made CRLF, as IMAP requires (RFC 9051 §2.3.1.1
/// sizes and literals count CRLF); borrowed when there are none.
pub(crate) fn to_crlf(bytes: Vec<u8>) -> Vec<u8> {
    if crlf_size(&bytes) == bytes.len() as u64 {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    // Line by line: a copy per line, not a push per byte (this runs on
    // every message FETCH reads).
    let mut rest = bytes.as_slice();
    while let Some(lf) = rest.iter().position(|&b| b == b'\n') {
        let line = &rest[..lf];
        out.extend_from_slice(line);
        if line.last() != Some(&b'\r') {
            out.push(b'\r');
        }
        out.push(b'\n');
        rest = &rest[lf + 1..];
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dovecot_names_parse() {
        let name = FileName::parse("1796281365.M676110P7271.vm,S=30,W=34:2,STab");
        assert_eq!(name.base, "1796281365.M676110P7271.vm,S=30,W=34");
        assert_eq!(name.info, "STab");
        assert_eq!(name.size_field('S'), Some(30));
        assert_eq!(name.size_field('W'), Some(34));
        let fresh = FileName::parse("1796281365.M1P2.host");
        assert_eq!(fresh.info, "");
        assert_eq!(fresh.size_field('W'), None);
        assert_eq!(fresh.cur_name(), "1796281365.M1P2.host:2,");
    }

    #[test]
    fn flags_round_trip_through_letters() {
        let mut keywords = Keywords::default();
        keywords.assign("$Forwarded");
        let name = FileName::parse("b:2,PSa");
        let flags = name.flags(&keywords);
        assert!(flags.contains(&Flag::Seen));
        assert!(flags.contains(&Flag::Keyword("$forwarded".into())));
        let mut changed = flags.clone();
        changed.insert(Flag::Deleted);
        changed.remove(&Flag::Seen);
        let renamed = name.with_flags(&changed, &keywords);
        // P (passed) has no IMAP flag and is kept.
        assert_eq!(renamed.info, "PTa");
        assert_eq!(renamed.cur_name(), "b:2,PTa");
    }

    #[test]
    fn keyword_like_flag_syntax_stays_a_keyword() {
        let mut keywords = Keywords::default();
        keywords.assign("a:2,S");
        let flags: Flags = [Flag::Keyword("a:2,S".into())].into_iter().collect();
        let name = FileName::parse("b:2,").with_flags(&flags, &keywords);
        assert_eq!(name.info, "a");
        assert!(!name.flags(&keywords).contains(&Flag::Seen));
    }

    #[test]
    fn bare_lf_counts_as_crlf() {
        assert_eq!(crlf_size(b"a\nb\r\nc\n"), 9);
        assert_eq!(to_crlf(b"a\nb\r\n".to_vec()), b"a\r\nb\r\n");
        assert_eq!(to_crlf(b"\n".to_vec()), b"\r\n");
        assert_eq!(to_crlf(b"\n\r\n\nend".to_vec()), b"\r\n\r\n\r\nend");
    }
}
