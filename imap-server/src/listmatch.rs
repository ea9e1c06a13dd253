//! LIST/LSUB pattern matching (RFC 9051 §6.3.9): `*` matches anything,
//! `%` anything but the hierarchy delimiter.
//!
//! Matching simulates the pattern as an automaton, a set of positions
//! advanced once per character: O(name × pattern) whatever the wildcards,
//! where a backtracking matcher goes exponential on `%*%*%*...x`.

/// One element of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A character matched as itself.
    Char(char),
    /// `*`.
    Star,
    /// `%`.
    Percent,
}

/// A compiled LIST pattern.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    tokens: Vec<Token>,
    delimiter: char,
}

impl Pattern {
    /// Compiles `pattern`; a first part that is any case of `INBOX` matches
    /// `INBOX` (RFC 9051 §5.1: INBOX is case-insensitive).
    pub(crate) fn new(pattern: &str, delimiter: char) -> Self {
        let pattern = match pattern.get(..5) {
            Some(first) if first.eq_ignore_ascii_case("INBOX") => {
                let rest = &pattern[5..];
                if rest.is_empty() || rest.starts_with(delimiter) {
                    format!("INBOX{rest}")
                } else {
                    pattern.to_owned()
                }
            }
            _ => pattern.to_owned(),
        };
        let tokens = pattern
            .chars()
            .map(|c| match c {
                '*' => Token::Star,
                '%' => Token::Percent,
                c => Token::Char(c),
            })
            .collect();
        Self { tokens, delimiter }
    }

    /// Adds `state` and every state reachable from it without input
    /// (wildcards match the empty string).
    fn close(&self, states: &mut [bool], mut state: usize) {
        while state < self.tokens.len() && !states[state] {
            states[state] = true;
            if matches!(self.tokens[state], Token::Char(_)) {
                return;
            }
            state += 1;
        }
        if state == self.tokens.len() {
            states[state] = true;
        }
    }

    /// Whether `name` matches the whole pattern.
    pub(crate) fn matches(&self, name: &str) -> bool {
        let n = self.tokens.len();
        let mut current = vec![false; n + 1];
        self.close(&mut current, 0);
        let mut next = vec![false; n + 1];
        for c in name.chars() {
            next.iter_mut().for_each(|s| *s = false);
            for state in (0..n).filter(|&s| current[s]) {
                match self.tokens[state] {
                    Token::Char(p) if p == c => self.close(&mut next, state + 1),
                    Token::Char(_) => {}
                    Token::Star => self.close(&mut next, state),
                    Token::Percent if c != self.delimiter => self.close(&mut next, state),
                    Token::Percent => {}
                }
            }
            std::mem::swap(&mut current, &mut next);
            if !current.iter().any(|&s| s) {
                return false;
            }
        }
        current[n]
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn m(pattern: &str, name: &str) -> bool {
        Pattern::new(pattern, '/').matches(name)
    }

    #[test]
    fn wildcards() {
        assert!(m("*", "a/b/c"));
        assert!(m("%", "a"));
        assert!(!m("%", "a/b"));
        assert!(m("a/%", "a/b"));
        assert!(!m("a/%", "a/b/c"));
        assert!(m("a/*", "a/b/c"));
        assert!(m("a*c", "abc"));
        assert!(m("a*c", "ac"));
        assert!(!m("a*c", "acb"));
        assert!(m("%/%", "a/b"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("a%", "a"));
    }

    #[test]
    fn inbox_is_case_insensitive() {
        assert!(m("inbox", "INBOX"));
        assert!(m("Inbox/%", "INBOX/Sub"));
        assert!(!m("inboxes", "INBOXES"));
        assert!(!m("inbox", "Inbox2"));
    }

    #[test]
    fn no_exponential_blowup() {
        let pattern = "%*".repeat(200) + "x";
        let name = "a".repeat(2000);
        assert!(!m(&pattern, &name));
        assert!(m(&pattern, &(name + "x")));
    }
}
