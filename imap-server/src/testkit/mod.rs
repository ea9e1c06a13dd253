//! A contract checker for backends (feature `testkit`).
//!
//! A backend crate calls [`run_contract`] from a test with a factory of
//! fresh backends; every check gets its own backend, logs in (often with
//! several sessions of the same user at once, as a phone and a desktop
//! would) and exercises one rule of the [`backend`](crate::backend)
//! contract. The [`ContractReport`] names each failing check with what it
//! expected and what it saw.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use imapkit_server::Backend;
//! # async fn example(make: fn() -> Arc<dyn Backend>) {
//! let report = imapkit_server::testkit::run_contract(make, "alice", "secret").await;
//! report.assert_all_passed();
//! # }
//! ```
//!
//! The contract runs at two [`Level`]s: [`Level::Backend`] calls the
//! [`Backend`]/[`Session`](crate::Session)/[`Mailbox`](crate::Mailbox)
//! traits directly; [`Level::Engine`] serves the backend with the engine
//! over in-memory streams and talks IMAP to it with the kit's [`Client`]
//! (several connections at once, interleaved sessions included), so a
//! backend that keeps the trait rules but confuses the engine is caught too.
//! [`run_contract`] runs both, [`run_level`] one.
//!
//! # Requirements
//! - Called inside a tokio runtime: each check runs as a spawned task, so a
//!   panicking or hanging backend fails that check (after
//!   [`CHECK_TIMEOUT`]) instead of the whole run.
//! - Each backend the factory makes has the user `user` with the password
//!   `password`, an empty INBOX and no other mailbox.

/// Declares the list `$list` of checks from their async functions.
macro_rules! checks {
    ($list:ident: $($name:ident),* $(,)?) => {
        /// Every check, in the order they run.
        pub(super) const $list: &[(&str, $crate::testkit::checks::Check)] =
            &[$((stringify!($name), |ctx| Box::pin($name(ctx)))),*];
    };
}

mod checks;
mod client;
mod engine;
mod interleave;

pub use client::{engine, quote, Client, ClientError, Fetched, Line, Reply};

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::backend::Backend;

/// How long one check may take before it counts as hung.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(30);

/// Which side of the engine a check drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The backend traits, called directly.
    Backend,
    /// IMAP commands through the engine, over in-memory streams.
    Engine,
}

impl Level {
    /// Both levels, in the order [`run_contract`] runs them.
    pub const ALL: [Level; 2] = [Level::Backend, Level::Engine];

    fn checks(self) -> &'static [(&'static str, checks::Check)] {
        match self {
            Self::Backend => checks::ALL,
            Self::Engine => engine::ALL,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Backend => "backend",
            Self::Engine => "engine",
        })
    }
}

/// Runs every check of the contract at every [`Level`], one after
/// another, each against a fresh backend from `factory`.
pub async fn run_contract(
    factory: impl Fn() -> Arc<dyn Backend>,
    user: &str,
    password: &str,
) -> ContractReport {
    let mut results = Vec::new();
    for level in Level::ALL {
        results.extend(run_level(&factory, user, password, level).await.results);
    }
    ContractReport { results }
}

/// Runs the checks of one [`Level`], each against a fresh backend from
/// `factory`.
pub async fn run_level(
    factory: impl Fn() -> Arc<dyn Backend>,
    user: &str,
    password: &str,
    level: Level,
) -> ContractReport {
    let user: Arc<str> = Arc::from(user);
    let password: Arc<str> = Arc::from(password);
    let mut results = Vec::with_capacity(level.checks().len());
    for &(name, check) in level.checks() {
        let ctx = checks::Ctx::new(factory(), user.clone(), password.clone());
        let task = tokio::spawn(tokio::time::timeout(CHECK_TIMEOUT, check(ctx)));
        let outcome = match task.await {
            Ok(Ok(Ok(checks::Passed::Yes))) => Outcome::Passed,
            Ok(Ok(Ok(checks::Passed::Skipped(reason)))) => Outcome::Skipped(reason),
            Ok(Ok(Err(failure))) => Outcome::Failed {
                expected: failure.expected,
                seen: failure.seen,
            },
            Ok(Err(_elapsed)) => Outcome::Failed {
                expected: format!("the check finishes within {CHECK_TIMEOUT:?}"),
                seen: "it did not (a deadlock or a lost wake-up?)".into(),
            },
            Err(join) => Outcome::Failed {
                expected: "no panic".into(),
                seen: panic_text(join),
            },
        };
        results.push(CheckResult {
            level,
            name,
            outcome,
        });
    }
    ContractReport { results }
}

fn panic_text(join: tokio::task::JoinError) -> String {
    if !join.is_panic() {
        return "the check was cancelled".into();
    }
    let payload = join.into_panic();
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-text payload".into());
    format!("a panic: {text}")
}

/// The results of [`run_contract`], in the order the checks ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractReport {
    /// One entry per check.
    pub results: Vec<CheckResult>,
}

impl ContractReport {
    /// Whether no check failed (skipped checks do not fail).
    pub fn all_passed(&self) -> bool {
        self.failures().next().is_none()
    }

    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &CheckResult> {
        self.results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed { .. }))
    }

    /// The result of the check called `name` (check names are unique
    /// across levels).
    pub fn get(&self, name: &str) -> Option<&CheckResult> {
        self.results.iter().find(|r| r.name == name)
    }

    /// Panics with the whole report unless every check passed or was skipped.
    ///
    /// # Panics
    /// When a check failed.
    #[track_caller]
    pub fn assert_all_passed(&self) {
        assert!(self.all_passed(), "backend contract violated:\n{self}");
    }
}

impl fmt::Display for ContractReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (mut passed, mut failed, mut skipped) = (0, 0, 0);
        for result in &self.results {
            match &result.outcome {
                Outcome::Passed => passed += 1,
                Outcome::Skipped(_) => skipped += 1,
                Outcome::Failed { .. } => failed += 1,
            }
            writeln!(f, "{result}")?;
        }
        write!(
            f,
            "contract: {passed} checks passed, {failed} failed, {skipped} skipped"
        )
    }
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// The level the check ran at.
    pub level: Level,
    /// The check's name, e.g. `uids_never_reused`.
    pub name: &'static str,
    /// What happened.
    pub outcome: Outcome,
}

impl fmt::Display for CheckResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Outcome::Passed => write!(f, "ok    [{}] {}", self.level, self.name),
            Outcome::Skipped(reason) => {
                write!(f, "skip  [{}] {}: {reason}", self.level, self.name)
            }
            Outcome::Failed { expected, seen } => write!(
                f,
                "FAIL  [{}] {}\n        expected: {expected}\n        seen:     {seen}",
                self.level, self.name
            ),
        }
    }
}

/// How a check ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The backend kept the rule.
    Passed,
    /// The check does not apply to this backend (the reason says why).
    Skipped(String),
    /// The backend broke the rule.
    Failed {
        /// What the rule requires.
        expected: String,
        /// What the backend did.
        seen: String,
    },
}
