//! User lists in Dovecot's passwd-file format, for backends that keep their
//! users in a file (the memory and Maildir examples' `--users FILE`).
//!
//! One user per line, fields separated by `:`; only the first two are read:
//!
//! ```text
//! # comment
//! alice:{PLAIN}secret
//! bob:{PLAIN}hunter2:1000:1000::/home/bob::
//! ```
//!
//! The password field is `{SCHEME}value`. Schemes understood: `PLAIN` and
//! its Dovecot alias `CLEARTEXT`. A line with another scheme, or with none
//! (Dovecot would guess CRYPT), is an error rather than a user who can
//! never log in, so a typo shows at start-up. More schemes come later as
//! [`StoredPassword`] variants.

use imapkit_proto::Secret;

/// A password as a user list stores it, which can check a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoredPassword {
    /// The password in clear (`{PLAIN}`).
    Plain(Secret<String>),
}

impl StoredPassword {
    /// A clear-text password.
    pub fn plain(password: impl Into<String>) -> Self {
        Self::Plain(Secret::new(password.into()))
    }

    /// Whether `candidate` is this password. The comparison does not stop
    /// at the first differing byte, so its time does not tell how much of
    /// a guess was right.
    pub fn verify(&self, candidate: &str) -> bool {
        match self {
            Self::Plain(stored) => {
                constant_time_eq(stored.expose_secret().as_bytes(), candidate.as_bytes())
            }
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// One user of a passwd-file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    /// The login name.
    pub username: String,
    /// The password.
    pub password: StoredPassword,
}

/// Why a passwd-file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("passwd-file line {line}: {reason}")]
pub struct PasswdError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: PasswdErrorReason,
}

/// What is wrong with a passwd-file line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswdErrorReason {
    /// The user name is empty.
    #[error("empty user name")]
    EmptyUser,
    /// There is no password field.
    #[error("no password field")]
    MissingPassword,
    /// The password has no `{SCHEME}` prefix.
    #[error("password without a {{SCHEME}} prefix")]
    MissingScheme,
    /// The scheme is not supported.
    #[error("unsupported password scheme {0:?}")]
    UnsupportedScheme(String),
    /// The user appears twice.
    #[error("user {0:?} appears twice")]
    DuplicateUser(String),
}

/// Parses the text of a passwd-file.
///
/// # Errors
/// [`PasswdError`] naming the first bad line.
pub fn parse_passwd_file(text: &str) -> Result<Vec<PasswdEntry>, PasswdError> {
    let mut entries: Vec<PasswdEntry> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fail = |reason| PasswdError {
            line: index + 1,
            reason,
        };
        let mut fields = line.split(':');
        let username = fields.next().unwrap_or_default();
        if username.is_empty() {
            return Err(fail(PasswdErrorReason::EmptyUser));
        }
        let field = fields
            .next()
            .ok_or_else(|| fail(PasswdErrorReason::MissingPassword))?;
        let (scheme, value) = field
            .strip_prefix('{')
            .and_then(|rest| rest.split_once('}'))
            .ok_or_else(|| fail(PasswdErrorReason::MissingScheme))?;
        let password = match scheme.to_ascii_uppercase().as_str() {
            "PLAIN" | "CLEARTEXT" => StoredPassword::plain(value),
            _ => return Err(fail(PasswdErrorReason::UnsupportedScheme(scheme.into()))),
        };
        if entries.iter().any(|e| e.username == username) {
            return Err(fail(PasswdErrorReason::DuplicateUser(username.into())));
        }
        entries.push(PasswdEntry {
            username: username.into(),
            password,
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_users_and_skips_comments() {
        let text =
            "# users\n\nalice:{PLAIN}s3cret\r\nbob:{cleartext}a{b}c:1000:1000::/home/bob::\n";
        let users = parse_passwd_file(text).expect("valid file");
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].username, "alice");
        assert!(users[0].password.verify("s3cret"));
        assert!(!users[0].password.verify("s3cre"));
        assert!(!users[0].password.verify("s3creT"));
        assert!(users[1].password.verify("a{b}c"));
        assert!(!format!("{users:?}").contains("s3cret"));
    }

    #[test]
    fn rejects_bad_lines_with_their_number() {
        let err = |text: &str| parse_passwd_file(text).expect_err("invalid file");
        assert_eq!(err("a:{PLAIN}x\n:{PLAIN}y").line, 2);
        assert_eq!(err(":{PLAIN}y").reason, PasswdErrorReason::EmptyUser);
        assert_eq!(err("a").reason, PasswdErrorReason::MissingPassword);
        assert_eq!(err("a:plain").reason, PasswdErrorReason::MissingScheme);
        assert_eq!(
            err("a:{SHA512-CRYPT}$6$x").reason,
            PasswdErrorReason::UnsupportedScheme("SHA512-CRYPT".into())
        );
        assert_eq!(
            err("a:{PLAIN}x\na:{PLAIN}y").reason,
            PasswdErrorReason::DuplicateUser("a".into())
        );
    }
}
