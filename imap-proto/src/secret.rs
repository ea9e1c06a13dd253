//! A wrapper that keeps passwords and SASL data out of logs.

use std::fmt;

/// A value that must never be printed: a password, a SASL response, a token.
///
/// `Debug` prints `[REDACTED]` in release builds, so a `Command` or a
/// credentials struct can be logged with `{:?}` without leaking it. Read the
/// value with [`Secret::expose_secret`], which makes every use greppable.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a secret value.
    pub fn new(inner: T) -> Self {
        Self(inner)
    }

    /// Gives the secret value.
    pub fn expose_secret(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(inner: T) -> Self {
        Self(inner)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let secret = Secret::new(String::from("hunter2"));
        assert_eq!(format!("{secret:?}"), "[REDACTED]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([REDACTED])");
        assert_eq!(secret.expose_secret(), "hunter2");
    }
}
