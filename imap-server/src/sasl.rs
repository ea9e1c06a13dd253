//! SASL mechanisms for AUTHENTICATE (RFC 9051 §6.2.2, RFC 4422).
//!
//! A mechanism turns the client's responses into [`Credentials`]; the
//! backend then checks them. PLAIN (RFC 4616) and LOGIN ship here; a
//! product adds OAUTHBEARER or XOAUTH2 by implementing [`Mechanism`] and
//! registering it with `ServerBuilder::sasl_mechanism`.

use std::fmt::Debug;

use imapkit_proto::Secret;

use crate::backend::Credentials;

/// A SASL mechanism.
pub trait Mechanism: Send + Sync + Debug {
    /// The mechanism's name as advertised (`AUTH=<name>`), upper case.
    fn name(&self) -> &'static str;

    /// Whether the mechanism sends a password in the clear, so that it is
    /// offered only where plaintext authentication is allowed.
    fn is_plaintext(&self) -> bool;

    /// Starts one exchange.
    fn start(&self) -> Box<dyn Exchange>;
}

/// One running SASL exchange.
pub trait Exchange: Send + Debug {
    /// Takes the client's next response (`None` before the first one, when
    /// the client sent no initial response) and says what comes next.
    fn step(&mut self, response: Option<&[u8]>) -> Step;
}

/// What an [`Exchange`] wants next.
#[derive(Debug)]
pub enum Step {
    /// Send this challenge and wait for a response.
    Challenge(Vec<u8>),
    /// The exchange is complete: check these credentials.
    Done(Credentials),
    /// The client's response is malformed.
    Failed(&'static str),
}

fn utf8(bytes: &[u8]) -> Option<String> {
    String::from_utf8(bytes.to_vec()).ok()
}

/// SASL PLAIN (RFC 4616): `[authzid] NUL authcid NUL passwd`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;

impl Mechanism for Plain {
    fn name(&self) -> &'static str {
        "PLAIN"
    }

    fn is_plaintext(&self) -> bool {
        true
    }

    fn start(&self) -> Box<dyn Exchange> {
        Box::new(PlainExchange)
    }
}

#[derive(Debug)]
struct PlainExchange;

impl Exchange for PlainExchange {
    fn step(&mut self, response: Option<&[u8]>) -> Step {
        let Some(message) = response else {
            return Step::Challenge(Vec::new());
        };
        let mut parts = message.splitn(3, |&b| b == 0);
        let (Some(authzid), Some(authcid), Some(passwd)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Step::Failed("PLAIN needs authzid NUL authcid NUL password");
        };
        let (Some(authzid), Some(username), Some(password)) =
            (utf8(authzid), utf8(authcid), utf8(passwd))
        else {
            return Step::Failed("PLAIN credentials must be UTF-8");
        };
        if username.is_empty() || passwd.contains(&0) {
            return Step::Failed("PLAIN credentials are malformed");
        }
        let authzid = (!authzid.is_empty() && authzid != username).then_some(authzid);
        Step::Done(Credentials::Password {
            authzid,
            username,
            password: Secret::new(password),
        })
    }
}

/// SASL LOGIN (draft-murchison-sasl-login): `Username:` then `Password:`.
/// Obsolete, but Outlook and old mobile clients still use it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Login;

impl Mechanism for Login {
    fn name(&self) -> &'static str {
        "LOGIN"
    }

    fn is_plaintext(&self) -> bool {
        true
    }

    fn start(&self) -> Box<dyn Exchange> {
        Box::new(LoginExchange { username: None })
    }
}

#[derive(Debug)]
struct LoginExchange {
    username: Option<String>,
}

impl Exchange for LoginExchange {
    fn step(&mut self, response: Option<&[u8]>) -> Step {
        match (response, &self.username) {
            (None, None) => Step::Challenge(b"Username:".to_vec()),
            (Some(user), None) => match utf8(user) {
                Some(user) if !user.is_empty() => {
                    self.username = Some(user);
                    Step::Challenge(b"Password:".to_vec())
                }
                _ => Step::Failed("LOGIN needs a UTF-8 user name"),
            },
            (Some(password), Some(username)) => match utf8(password) {
                Some(password) => Step::Done(Credentials::Password {
                    authzid: None,
                    username: username.clone(),
                    password: Secret::new(password),
                }),
                None => Step::Failed("LOGIN needs a UTF-8 password"),
            },
            (None, Some(_)) => Step::Failed("LOGIN response missing"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(step: Step) -> (Option<String>, String, String) {
        match step {
            Step::Done(Credentials::Password {
                authzid,
                username,
                password,
            }) => (authzid, username, password.into_inner()),
            other => panic!("not done: {other:?}"),
        }
    }

    #[test]
    fn plain_with_and_without_authzid() {
        let mut exchange = Plain.start();
        assert!(matches!(exchange.step(None), Step::Challenge(c) if c.is_empty()));
        assert_eq!(
            done(exchange.step(Some(b"\0alice\0secret"))),
            (None, "alice".into(), "secret".into())
        );
        let step = Plain.start().step(Some(b"admin\0alice\0secret"));
        assert_eq!(done(step).0.as_deref(), Some("admin"));
        let step = Plain.start().step(Some(b"alice\0alice\0secret"));
        assert_eq!(done(step).0, None);
    }

    #[test]
    fn plain_refuses_malformed() {
        for bad in [
            &b"alice secret"[..],
            b"\0alice",
            b"\0\0secret",
            b"\0al\xffice\0pw",
        ] {
            assert!(
                matches!(Plain.start().step(Some(bad)), Step::Failed(_)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn login_asks_user_then_password() {
        let mut exchange = Login.start();
        assert!(matches!(exchange.step(None), Step::Challenge(c) if c == b"Username:"));
        assert!(matches!(exchange.step(Some(b"bob")), Step::Challenge(c) if c == b"Password:"));
        assert_eq!(
            done(exchange.step(Some(b"pw"))),
            (None, "bob".into(), "pw".into())
        );
    }
}
