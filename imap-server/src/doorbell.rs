//! Change notification: a doorbell that says "mailbox M of account A
//! changed", so sessions that have M selected (IDLE above all) look again.
//!
//! The ring is only a trigger; the backend's change log is the truth
//! (DESIGN.md). A session that hears a ring asks the backend for
//! `changes_since` its own sync point, so a lost ring delays an update
//! (IDLE re-checks periodically, see [`Limits::idle_recheck`]) and a
//! duplicated one costs one empty look; neither can corrupt a view.
//!
//! The engine rings after every command that changed a mailbox; a backend
//! whose store other programs change too (an MTA delivering into a
//! Maildir) rings through [`Doorbell::ring`] when it notices.
//!
//! # Clusters
//! [`LocalDoorbell`] reaches the sessions of one process. Several server
//! nodes on one store put a broker behind the trait: `ring` publishes to
//! Redis pub/sub, NATS or PostgreSQL `NOTIFY`, and a task per node feeds
//! what it receives into a local broadcast channel that `subscribe` hands
//! out. Lost broker messages are healed by the periodic re-check.
//!
//! [`Limits::idle_recheck`]: crate::config::Limits::idle_recheck

use std::fmt::Debug;
use std::sync::Arc;

use tokio::sync::broadcast;

use crate::backend::MailboxId;

/// One ring: `mailbox` of `account` changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ring {
    /// The account (user name as the backend's session reports it).
    pub account: Arc<str>,
    /// The mailbox that changed.
    pub mailbox: MailboxId,
}

/// Carries rings between sessions (and, for a cluster, between nodes).
pub trait Doorbell: Send + Sync + Debug {
    /// Announces a change; never blocks, never fails (a ring may be lost).
    fn ring(&self, ring: Ring);

    /// A receiver of every ring from now on. A receiver that lags behind
    /// gets `RecvError::Lagged`, which the engine treats as a ring for
    /// every mailbox.
    fn subscribe(&self) -> broadcast::Receiver<Ring>;
}

/// Rings between the sessions of one process: a tokio broadcast channel.
#[derive(Debug, Clone)]
pub struct LocalDoorbell {
    sender: broadcast::Sender<Ring>,
}

/// Rings a slow receiver may fall behind before it is told it lagged.
const LOCAL_CAPACITY: usize = 1024;

impl Default for LocalDoorbell {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(LOCAL_CAPACITY).0,
        }
    }
}

impl Doorbell for LocalDoorbell {
    fn ring(&self, ring: Ring) {
        // No receiver is not an error: nobody is idling.
        let _ = self.sender.send(ring);
    }

    fn subscribe(&self) -> broadcast::Receiver<Ring> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rings_reach_subscribers() {
        let doorbell = LocalDoorbell::default();
        doorbell.ring(Ring {
            account: "nobody".into(),
            mailbox: MailboxId::from_number(1),
        });
        let mut receiver = doorbell.subscribe();
        let ring = Ring {
            account: "alice".into(),
            mailbox: MailboxId::from_number(7),
        };
        doorbell.ring(ring.clone());
        assert_eq!(receiver.recv().await.unwrap(), ring);
    }
}
