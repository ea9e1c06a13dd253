//! The base subject of RFC 5256 §2.1, used by SORT (SUBJECT) and by both
//! THREAD algorithms.
//!
//! ```abnf
//! subj-refwd   = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
//! subj-blob    = "[" *BLOBCHAR "]" *WSP
//! subj-fwd-hdr = "[fwd:"
//! subj-fwd-trl = "]"
//! subj-leader  = (*subj-blob subj-refwd) / WSP
//! subj-trailer = "(fwd)" / WSP
//! ```
//! Every marker is ASCII, so the text is cut at ASCII positions only and
//! stays valid UTF-8.

use super::text::decode_unstructured;

/// A message's base subject, with what the extraction saw on the way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct BaseSubject {
    /// The base subject, ASCII upper-cased: equal keys are equal under the
    /// `i;ascii-casemap` collation (RFC 4790 §9.2), and their byte order is
    /// the collation's order.
    pub key: String,
    /// Whether a `Re:`/`Fwd:` leader, a `(fwd)` trailer or a `[fwd: ...]`
    /// wrapper was removed: the message is a reply or forward (RFC 5256
    /// §2.1, used by REFERENCES step 5).
    pub reply_or_forward: bool,
}

impl BaseSubject {
    /// The base subject of a raw `Subject:` value (RFC 2047 words and
    /// folding as sent); `None` is an empty subject.
    pub(crate) fn of(raw: Option<&[u8]>) -> Self {
        let decoded = raw.map(decode_unstructured).unwrap_or_default();
        Self::of_text(&decoded)
    }

    /// The base subject of decoded text (RFC 5256 §2.1 steps 1-7).
    pub(crate) fn of_text(text: &str) -> Self {
        // Step 1: tabs and line ends become spaces, runs of spaces one.
        let mut subject = String::with_capacity(text.len());
        for c in text.chars() {
            let c = if matches!(c, '\t' | '\r' | '\n') {
                ' '
            } else {
                c
            };
            if c != ' ' || !subject.ends_with(' ') {
                subject.push(c);
            }
        }
        let mut reply_or_forward = false;
        let mut rest: &str = &subject;
        loop {
            // Step 2: trailing `(fwd)` and spaces.
            loop {
                let trimmed = rest.trim_end_matches(' ');
                match strip_suffix_no_case(trimmed, "(fwd)") {
                    Some(shorter) => {
                        rest = shorter;
                        reply_or_forward = true;
                    }
                    None => {
                        rest = trimmed;
                        break;
                    }
                }
            }
            // Steps 3 to 5: leaders, then a leading blob unless it is all
            // that is left, until neither applies.
            loop {
                if let Some((after, refwd)) = leader(rest) {
                    reply_or_forward |= refwd;
                    rest = after;
                    continue;
                }
                match blob(rest) {
                    Some(after) if !after.is_empty() => rest = after,
                    _ => break,
                }
            }
            // Step 6: a `[fwd: ...]` wrapper, then again from step 2.
            match strip_prefix_no_case(rest, "[fwd:").and_then(|r| r.strip_suffix(']')) {
                Some(inner) => {
                    rest = inner;
                    reply_or_forward = true;
                }
                None => break,
            }
        }
        Self {
            key: rest.to_ascii_uppercase(),
            reply_or_forward,
        }
    }
}

/// One `subj-leader` at the start of `text`: what follows it, and whether
/// it was a `subj-refwd` (rather than a space).
fn leader(text: &str) -> Option<(&str, bool)> {
    if let Some(rest) = text.strip_prefix(' ') {
        return Some((rest, false));
    }
    let mut rest = text;
    while let Some(after) = blob(rest) {
        rest = after;
    }
    refwd(rest).map(|after| (after, true))
}

/// A `subj-refwd` at the start of `text`: what follows it.
fn refwd(text: &str) -> Option<&str> {
    let rest = strip_prefix_no_case(text, "re").or_else(|| {
        let rest = strip_prefix_no_case(text, "fw")?;
        Some(strip_prefix_no_case(rest, "d").unwrap_or(rest))
    })?;
    let rest = rest.trim_start_matches(' ');
    let rest = blob(rest).unwrap_or(rest);
    rest.strip_prefix(':')
}

/// A `subj-blob` at the start of `text`: what follows it and its spaces.
fn blob(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('[')?;
    let end = inner.find(['[', ']'])?;
    inner[end..]
        .strip_prefix(']')
        .map(|rest| rest.trim_start_matches(' '))
}

/// `text` without the ASCII `prefix`, compared case-insensitively.
fn strip_prefix_no_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `text` without the ASCII `suffix`, compared case-insensitively.
fn strip_suffix_no_case<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let at = text.len().checked_sub(suffix.len())?;
    let tail = text.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(subject: &str) -> (String, bool) {
        let base = BaseSubject::of_text(subject);
        (base.key, base.reply_or_forward)
    }

    #[test]
    fn rfc_5256_leaders_trailers_and_blobs() {
        let cases = [
            ("Hello", "HELLO", false),
            ("Re: Hello", "HELLO", true),
            ("RE:Hello", "HELLO", true),
            ("Re: re: Fwd: Hello", "HELLO", true),
            ("Fw: Hello", "HELLO", true),
            ("Re [2]: Hello", "HELLO", true),
            ("[list] Re: Hello", "HELLO", true),
            ("[list] Hello", "HELLO", false),
            ("[list]", "[LIST]", false),
            ("[a][b] Hello", "HELLO", false),
            ("Hello (fwd)", "HELLO", true),
            ("Hello (FWD) (fwd)  ", "HELLO", true),
            ("[fwd: Re: Hello]", "HELLO", true),
            ("[Fwd: [fwd: Hello] (fwd)]", "HELLO", true),
            ("  Hello\t  world  ", "HELLO WORLD", false),
            ("Re: ", "", true),
            ("", "", false),
            ("Reply needed", "REPLY NEEDED", false),
            ("Re[: Hello", "RE[: HELLO", false),
            ("[unclosed Hello", "[UNCLOSED HELLO", false),
        ];
        for (subject, key, reply) in cases {
            assert_eq!(base(subject), (key.to_owned(), reply), "{subject:?}");
        }
    }

    #[test]
    fn encoded_words_are_decoded_first() {
        let raw = b"=?utf-8?b?UmU6IEdyw7zDn2U=?= aus =?utf-8?q?M=C3=BCnchen?=";
        let base = BaseSubject::of(Some(raw));
        assert_eq!(base.key, "GRüßE AUS MüNCHEN");
        assert!(base.reply_or_forward);
        assert_eq!(BaseSubject::of(None), BaseSubject::default());
    }

    #[test]
    fn non_ascii_text_is_cut_safely() {
        assert_eq!(base("Re: ü (fwd)"), ("ü".to_owned(), true));
        assert_eq!(base("[ü] ü"), ("ü".to_owned(), false));
        assert_eq!(base("üé"), ("üé".to_owned(), false));
    }
}
