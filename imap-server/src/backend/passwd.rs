//! User lists in Dovecot's passwd-file format, for backends that keep their
//! users in a file (the memory and Maildir examples' `--users FILE`).
//!
//! One user per line, as Dovecot's passwd-file reads it
//! (`user:password:uid:gid:gecos:home:shell:extra_fields`); fields after
//! the password may be left out:
//!
//! ```text
//! # comment
//! alice:{PLAIN}secret
//! bob:{SHA512-CRYPT}$6$…:1000:1000::/home/bob::userdb_mail=maildir:~/Maildir
//! carol:{ARGON2ID}$argon2id$…::::::mail=maildir:/srv/mail/%u:LAYOUT=fs
//! ```
//!
//! Read: the user name, the password (see [`StoredPassword`] for the
//! schemes), the home directory (field 6, or the `home=` extra field) and
//! the mail location (the `mail=` or `userdb_mail=` extra field). uid, gid,
//! gecos and shell are ignored. Extra fields are separated by spaces; the
//! mail location is `FORMAT:PATH[:OPTION=VALUE…]` with `~` standing for
//! the home directory and `%u` (user), `%n` (user without `@domain`),
//! `%d` (domain), `%h` (home) and `%%` expanded as Dovecot does.
//!
//! A bad line (an unknown scheme, a malformed hash, a `~` without a home)
//! is an error naming its line, rather than a user who can never log in.

use std::path::PathBuf;

use super::password::{PasswordError, StoredPassword};

/// One user of a passwd-file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PasswdEntry {
    /// The login name.
    pub username: String,
    /// The password.
    pub password: StoredPassword,
    /// The home directory (field 6, or the `home=` extra field).
    pub home: Option<PathBuf>,
    /// The mail location (`mail=` or `userdb_mail=`), expanded.
    pub mail: Option<MailLocation>,
}

/// A Dovecot mail location, `FORMAT:PATH[:OPTION=VALUE…]`, with `~` and the
/// `%` variables expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MailLocation {
    /// The mailbox format, lower case (`maildir`, `mbox`, `sdbox`, …).
    pub format: String,
    /// The root directory, absolute.
    pub path: PathBuf,
    /// The options after the path (`LAYOUT=fs`, `INBOX=…`), names upper case.
    pub options: Vec<(String, String)>,
}

impl MailLocation {
    /// The value of option `name` (e.g. `LAYOUT`), if given.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
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
    /// The password field cannot be used.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// The user appears twice.
    #[error("user {0:?} appears twice")]
    DuplicateUser(String),
    /// The mail location is not `FORMAT:PATH`.
    #[error("mail location {0:?}: want FORMAT:PATH, e.g. maildir:~/Maildir")]
    BadMailLocation(String),
    /// The mail location uses `~` or `%h` and the user has no home.
    #[error("mail location {0:?} uses ~ or %h, but the user has no home directory (field 6)")]
    NoHome(String),
    /// A path is relative.
    #[error("{0:?} is not an absolute path (Dovecot needs absolute paths too)")]
    RelativePath(String),
    /// A `%` variable this parser does not expand.
    #[error("mail location {0:?}: only %u, %n, %d, %h and %% are expanded")]
    UnknownVariable(String),
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
        let entry = parse_line(line).map_err(|reason| PasswdError {
            line: index + 1,
            reason,
        })?;
        if entries.iter().any(|e| e.username == entry.username) {
            return Err(PasswdError {
                line: index + 1,
                reason: PasswdErrorReason::DuplicateUser(entry.username),
            });
        }
        entries.push(entry);
    }
    Ok(entries)
}

fn parse_line(line: &str) -> Result<PasswdEntry, PasswdErrorReason> {
    // The extra fields (8th on) may hold `:` (mail=maildir:~/Maildir).
    let fields: Vec<&str> = line.splitn(8, ':').collect();
    let username = fields[0];
    if username.is_empty() {
        return Err(PasswdErrorReason::EmptyUser);
    }
    let password: StoredPassword = fields
        .get(1)
        .ok_or(PasswdErrorReason::MissingPassword)?
        .parse()?;
    let extra: Vec<(&str, &str)> = fields
        .get(7)
        .map(|extra| {
            extra
                .split_whitespace()
                .map(|field| field.split_once('=').unwrap_or((field, "")))
                .map(|(name, value)| (name.strip_prefix("userdb_").unwrap_or(name), value))
                .collect()
        })
        .unwrap_or_default();
    let extra_field = |name: &str| {
        extra
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    };
    let home = extra_field("home")
        .or(fields.get(5).copied())
        .filter(|home| !home.is_empty())
        .map(|home| {
            if home.starts_with('/') {
                Ok(PathBuf::from(home))
            } else {
                Err(PasswdErrorReason::RelativePath(home.into()))
            }
        })
        .transpose()?;
    let mail = extra_field("mail")
        .map(|mail| parse_mail_location(mail, username, home.as_ref()))
        .transpose()?;
    Ok(PasswdEntry {
        username: username.into(),
        password,
        home,
        mail,
    })
}

fn parse_mail_location(
    text: &str,
    username: &str,
    home: Option<&PathBuf>,
) -> Result<MailLocation, PasswdErrorReason> {
    let bad = || PasswdErrorReason::BadMailLocation(text.into());
    let mut parts = text.split(':');
    let format = parts.next().unwrap_or_default();
    let path = parts.next().filter(|p| !p.is_empty()).ok_or_else(bad)?;
    if format.is_empty() || !format.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    let options = parts
        .map(|option| {
            let (name, value) = option.split_once('=').unwrap_or((option, ""));
            if name.is_empty() {
                return Err(bad());
            }
            Ok((name.to_ascii_uppercase(), value.to_owned()))
        })
        .collect::<Result<_, _>>()?;
    let home_str = home.and_then(|h| h.to_str());
    let no_home = || PasswdErrorReason::NoHome(text.into());
    let mut expanded = String::new();
    let mut rest = match path.strip_prefix('~') {
        Some(after) => {
            expanded.push_str(home_str.ok_or_else(no_home)?);
            after
        }
        None => path,
    };
    while let Some(at) = rest.find('%') {
        expanded.push_str(&rest[..at]);
        let (name, value) = username.split_once('@').unwrap_or((username, ""));
        let var = rest[at + 1..].chars().next();
        let substitute = match var {
            Some('u') => username,
            Some('n') => name,
            Some('d') => value,
            Some('h') => home_str.ok_or_else(no_home)?,
            Some('%') => "%",
            _ => return Err(PasswdErrorReason::UnknownVariable(text.into())),
        };
        expanded.push_str(substitute);
        rest = &rest[at + 1 + var.map_or(0, char::len_utf8)..];
    }
    expanded.push_str(rest);
    if !expanded.starts_with('/') {
        return Err(PasswdErrorReason::RelativePath(expanded));
    }
    Ok(MailLocation {
        format: format.to_ascii_lowercase(),
        path: expanded.into(),
        options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written with Dovecot 2.3's `doveadm pw`; every password is "correct horse".
    const DOVECOT: &str = include_str!("../../tests/fixtures/dovecot-passwd");

    #[test]
    fn reads_the_users_doveadm_made() {
        let users = parse_passwd_file(DOVECOT).expect("valid file");
        let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(
            names,
            [
                "plain", "sha512", "sha512r", "sha256", "blf", "argon2id", "argon2i", "crypt",
                "noscheme"
            ]
        );
        for user in &users {
            assert!(user.password.verify("correct horse"), "{}", user.username);
            assert!(!user.password.verify("correct horsE"), "{}", user.username);
            assert!(!user.password.verify(""), "{}", user.username);
        }
        let kinds: Vec<&str> = users
            .iter()
            .map(|u| match u.password {
                StoredPassword::Plain(_) => "plain",
                StoredPassword::ShaCrypt(_) => "sha",
                StoredPassword::Bcrypt(_) => "bcrypt",
                StoredPassword::Argon2(_) => "argon2",
            })
            .collect();
        assert_eq!(
            kinds,
            ["plain", "sha", "sha", "sha", "bcrypt", "argon2", "argon2", "sha", "sha"]
        );
        assert!(!format!("{users:?}").contains("correct horse"));
    }

    #[test]
    fn reads_home_and_mail_location() {
        let users = parse_passwd_file(DOVECOT).expect("valid file");
        let user = |name: &str| users.iter().find(|u| u.username == name).expect(name);
        assert_eq!(user("plain").home, Some(PathBuf::from("/home/plain")));
        assert_eq!(user("plain").mail, None);
        let sha512 = user("sha512").mail.as_ref().expect("userdb_mail=");
        assert_eq!(sha512.format, "maildir");
        assert_eq!(sha512.path, PathBuf::from("/home/sha512/Maildir"));
        assert!(sha512.options.is_empty());
        let fs = user("sha512r").mail.as_ref().expect("mail=");
        assert_eq!(fs.path, PathBuf::from("/srv/mail/sha512r"));
        assert_eq!(fs.option("layout"), Some("fs"));
        assert_eq!(user("sha512r").home, None);
        assert_eq!(
            user("argon2id").mail.as_ref().map(|m| m.path.clone()),
            Some(PathBuf::from("/home/argon2id/Maildir"))
        );
    }

    #[test]
    fn expands_variables_and_home_extra_field() {
        let users = parse_passwd_file(
            "a@example.org:{PLAIN}x::::::home=/h/a mail=MAILDIR:%h/%d/%n/%%:INBOX=/i\n",
        )
        .expect("valid");
        let mail = users[0].mail.as_ref().expect("mail");
        assert_eq!(mail.format, "maildir");
        assert_eq!(mail.path, PathBuf::from("/h/a/example.org/a/%"));
        assert_eq!(mail.option("INBOX"), Some("/i"));
        assert_eq!(users[0].home, Some(PathBuf::from("/h/a")));
    }

    #[test]
    fn rejects_bad_lines_with_their_number() {
        let err = |text: &str| parse_passwd_file(text).expect_err("invalid file");
        assert_eq!(err("a:{PLAIN}x\n:{PLAIN}y").line, 2);
        assert_eq!(err(":{PLAIN}y").reason, PasswdErrorReason::EmptyUser);
        assert_eq!(err("a").reason, PasswdErrorReason::MissingPassword);
        assert_eq!(
            err("a:plain").reason,
            PasswdErrorReason::Password(PasswordError::MissingScheme)
        );
        assert_eq!(
            err("a:{MD5}x").reason,
            PasswdErrorReason::Password(PasswordError::UnsupportedScheme("MD5".into()))
        );
        assert_eq!(
            err("a:{PLAIN}x\na:{PLAIN}y").reason,
            PasswdErrorReason::DuplicateUser("a".into())
        );
        let mail = |location: &str| err(&format!("a:{{PLAIN}}x::::::mail={location}")).reason;
        assert!(matches!(
            mail("~/Maildir"),
            PasswdErrorReason::BadMailLocation(_)
        ));
        assert!(matches!(
            mail("maildir:"),
            PasswdErrorReason::BadMailLocation(_)
        ));
        assert!(matches!(
            mail("maildir:~/Maildir"),
            PasswdErrorReason::NoHome(_)
        ));
        assert!(matches!(
            mail("maildir:Maildir"),
            PasswdErrorReason::RelativePath(_)
        ));
        assert!(matches!(
            mail("maildir:/m/%z"),
            PasswdErrorReason::UnknownVariable(_)
        ));
        assert!(matches!(
            err("a:{PLAIN}x::::home").reason,
            PasswdErrorReason::RelativePath(_)
        ));
    }
}
