//! Stored passwords in Dovecot's `{SCHEME}value` form, and checking a
//! candidate against them.
//!
//! Schemes (Dovecot's names, case-insensitive):
//!
//! | scheme | value | checked by |
//! |---|---|---|
//! | `PLAIN`, `CLEAR`, `CLEARTEXT` | the password | constant-time comparison |
//! | `SHA512-CRYPT`, `SHA256-CRYPT` | `$6$…`, `$5$…` (glibc crypt) | RustCrypto `sha-crypt` |
//! | `BLF-CRYPT` | `$2y$…` (also `$2a$`, `$2b$`) | `bcrypt` (RustCrypto `blowfish`) |
//! | `ARGON2ID`, `ARGON2I` | `$argon2id$v=19$m=…` (PHC string) | RustCrypto `argon2` |
//! | `CRYPT`, or no `{SCHEME}` | any of the crypt strings above, told apart by their `$id$` | as above |
//!
//! A password without a scheme is taken as `CRYPT`, as Dovecot's
//! passwd-file does. Hashes are checked when the file is read, so a typo
//! shows at start-up instead of as a user who can never log in. Each
//! library compares the computed hash with the stored one in constant time.

use std::str::FromStr;

use argon2::{Argon2, PasswordHash, PasswordVerifier as _};
use imapkit_proto::Secret;
use sha_crypt::ShaCrypt;

/// A password as a user list stores it, which can check a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoredPassword {
    /// The password in clear (`{PLAIN}`).
    Plain(Secret<String>),
    /// A SHA-crypt string, `$5$…` or `$6$…` (`{SHA256-CRYPT}`, `{SHA512-CRYPT}`).
    ShaCrypt(Secret<String>),
    /// A bcrypt string, `$2y$…` (`{BLF-CRYPT}`).
    Bcrypt(Secret<String>),
    /// An Argon2 PHC string, `$argon2id$…` or `$argon2i$…` (`{ARGON2ID}`, `{ARGON2I}`).
    Argon2(Secret<String>),
}

/// Why a stored password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordError {
    /// The `{SCHEME}` is not one this crate checks.
    #[error(
        "unsupported password scheme {0:?}: use PLAIN, SHA512-CRYPT, SHA256-CRYPT, \
         BLF-CRYPT, ARGON2ID or ARGON2I (`doveadm pw -s SCHEME` makes them)"
    )]
    UnsupportedScheme(String),
    /// No `{SCHEME}` and not a crypt string this crate knows.
    #[error(
        "password without a {{SCHEME}} prefix and not a $5$, $6$, $2y$ or $argon2 crypt string"
    )]
    MissingScheme,
    /// The value does not parse as the scheme's hash.
    #[error("malformed {scheme} hash: {reason}")]
    Malformed {
        /// The scheme the value was read as.
        scheme: &'static str,
        /// What the hash library said.
        reason: String,
    },
}

impl StoredPassword {
    /// A clear-text password.
    pub fn plain(password: impl Into<String>) -> Self {
        Self::Plain(Secret::new(password.into()))
    }

    /// Whether `candidate` is this password. The comparison does not stop
    /// at the first differing byte, so its time does not tell how much of
    /// a guess was right.
    ///
    /// The hashed schemes are slow on purpose (Argon2 with Dovecot's costs
    /// takes tens of milliseconds and 64 MiB); async code calls
    /// [`StoredPassword::verify_async`] instead.
    pub fn verify(&self, candidate: &str) -> bool {
        let candidate = candidate.as_bytes();
        match self {
            Self::Plain(stored) => constant_time_eq(stored.expose_secret().as_bytes(), candidate),
            Self::ShaCrypt(hash) => ShaCrypt::default()
                .verify_password(candidate, hash.expose_secret().as_str())
                .is_ok(),
            Self::Bcrypt(hash) => bcrypt::verify(candidate, hash.expose_secret()).unwrap_or(false),
            Self::Argon2(hash) => PasswordHash::new(hash.expose_secret())
                .is_ok_and(|hash| Argon2::default().verify_password(candidate, &hash).is_ok()),
        }
    }

    /// [`StoredPassword::verify`] on tokio's blocking pool for the hashed
    /// schemes, so a login does not stall the other connections of its
    /// worker thread. Must be called inside a tokio runtime.
    pub async fn verify_async(&self, candidate: &str) -> bool {
        if matches!(self, Self::Plain(_)) {
            return self.verify(candidate);
        }
        let stored = self.clone();
        let candidate = Secret::new(candidate.to_owned());
        tokio::task::spawn_blocking(move || stored.verify(candidate.expose_secret()))
            .await
            .unwrap_or(false)
    }
}

impl FromStr for StoredPassword {
    type Err = PasswordError;

    /// Reads a passwd-file password field, `{SCHEME}value` or a bare crypt
    /// string.
    fn from_str(field: &str) -> Result<Self, PasswordError> {
        let (scheme, value) = match field
            .strip_prefix('{')
            .and_then(|rest| rest.split_once('}'))
        {
            Some((scheme, value)) => (scheme.to_ascii_uppercase(), value),
            None => ("CRYPT".to_owned(), field),
        };
        match scheme.as_str() {
            "PLAIN" | "CLEAR" | "CLEARTEXT" => Ok(Self::plain(value)),
            "SHA512-CRYPT" => sha_crypt(value, "$6$", "SHA512-CRYPT"),
            "SHA256-CRYPT" => sha_crypt(value, "$5$", "SHA256-CRYPT"),
            "BLF-CRYPT" => blf_crypt(value),
            "ARGON2ID" => argon2(value, "argon2id", "ARGON2ID"),
            "ARGON2I" => argon2(value, "argon2i", "ARGON2I"),
            "CRYPT" => match value {
                v if v.starts_with("$6$") => sha_crypt(v, "$6$", "SHA512-CRYPT"),
                v if v.starts_with("$5$") => sha_crypt(v, "$5$", "SHA256-CRYPT"),
                v if v.starts_with("$2") => blf_crypt(v),
                v if v.starts_with("$argon2id$") => argon2(v, "argon2id", "ARGON2ID"),
                v if v.starts_with("$argon2i$") => argon2(v, "argon2i", "ARGON2I"),
                _ if field.starts_with('{') => Err(PasswordError::UnsupportedScheme(
                    "CRYPT (DES or MD5 crypt)".into(),
                )),
                _ => Err(PasswordError::MissingScheme),
            },
            _ => Err(PasswordError::UnsupportedScheme(scheme)),
        }
    }
}

fn malformed(scheme: &'static str, reason: impl ToString) -> PasswordError {
    PasswordError::Malformed {
        scheme,
        reason: reason.to_string(),
    }
}

fn sha_crypt(
    value: &str,
    prefix: &str,
    scheme: &'static str,
) -> Result<StoredPassword, PasswordError> {
    if !value.starts_with(prefix) {
        return Err(malformed(scheme, format!("does not start with {prefix}")));
    }
    let hash = sha_crypt::PasswordHashRef::new(value).map_err(|e| malformed(scheme, e))?;
    // $id$[rounds=N$]salt$hash: the hash part decodes to the digest.
    let fields: Vec<&str> = hash.fields().map(|f| f.as_str()).collect();
    let digest = fields.last().copied().unwrap_or_default();
    let digest_len = if prefix == "$6$" { 86 } else { 43 };
    if !(2..=3).contains(&fields.len()) || digest.len() != digest_len {
        return Err(malformed(scheme, "want $id$[rounds=N$]salt$hash"));
    }
    if fields.len() == 3 {
        fields[0]
            .parse::<sha_crypt::Params>()
            .map_err(|e| malformed(scheme, e))?;
    }
    Ok(StoredPassword::ShaCrypt(Secret::new(value.to_owned())))
}

fn blf_crypt(value: &str) -> Result<StoredPassword, PasswordError> {
    bcrypt::HashParts::from_str(value).map_err(|e| malformed("BLF-CRYPT", e))?;
    Ok(StoredPassword::Bcrypt(Secret::new(value.to_owned())))
}

fn argon2(value: &str, ident: &str, scheme: &'static str) -> Result<StoredPassword, PasswordError> {
    let hash = PasswordHash::new(value).map_err(|e| malformed(scheme, e))?;
    if hash.algorithm.as_str() != ident {
        return Err(malformed(scheme, format!("want a ${ident}$ hash")));
    }
    argon2::Params::try_from(&hash).map_err(|e| malformed(scheme, e))?;
    if hash.hash.is_none() || hash.salt.is_none() {
        return Err(malformed(scheme, "no salt or no hash"));
    }
    Ok(StoredPassword::Argon2(Secret::new(value.to_owned())))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(field: &str) -> StoredPassword {
        field.parse().unwrap_or_else(|e| panic!("{field:?}: {e}"))
    }

    #[test]
    fn plain_compares_whole_strings() {
        let stored = parse("{PLAIN}s3cret");
        assert!(stored.verify("s3cret"));
        assert!(!stored.verify("s3cre"));
        assert!(!stored.verify("s3creT"));
        assert!(parse("{cleartext}a{b}c").verify("a{b}c"));
        assert!(parse("{CLEAR}x").verify("x"));
        assert!(!format!("{stored:?}").contains("s3cret"));
    }

    #[test]
    fn bad_hashes_are_refused_when_read() {
        let err = |field: &str| field.parse::<StoredPassword>().expect_err(field);
        assert_eq!(
            err("{MD5}x"),
            PasswordError::UnsupportedScheme("MD5".into())
        );
        assert_eq!(err("plain"), PasswordError::MissingScheme);
        assert!(matches!(
            err("{CRYPT}abJnggxhB/yWI"),
            PasswordError::UnsupportedScheme(_)
        ));
        for bad in [
            "{SHA512-CRYPT}$5$salt$e3J.Q0bKjT.mi4azW6Bh1tpkXLLTq5.e1FD6EteCot8",
            "{SHA512-CRYPT}$6$salt",
            "{SHA512-CRYPT}$6$rounds=1$salt$hash",
            "{SHA256-CRYPT}$5$salt$short",
            "{BLF-CRYPT}$2y$05$short",
            "{ARGON2ID}$argon2i$v=19$m=32768,t=4,p=1$AeZSu6+txk5rAcnBymij4Q$uQEMIf1hTGn8bbgtT4LoxTetDCca0gAKzrK7pUrwh1U",
            "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1",
            "{ARGON2ID}not a hash",
        ] {
            assert!(
                matches!(err(bad), PasswordError::Malformed { .. }),
                "{bad}"
            );
        }
    }

    #[tokio::test]
    async fn verify_async_agrees_with_verify() {
        let stored =
            parse("{SHA256-CRYPT}$5$Qoqs07XnufQuz0D7$e3J.Q0bKjT.mi4azW6Bh1tpkXLLTq5.e1FD6EteCot8");
        assert!(stored.verify_async("correct horse").await);
        assert!(!stored.verify_async("correct horsE").await);
        assert!(parse("{PLAIN}p").verify_async("p").await);
    }
}
