//! Interleaved sessions (issue 6): several connections of one user change
//! INBOX in a seeded-random order while others FETCH, SEARCH and IDLE.
//!
//! Each connection keeps a [`View`]: the messages it was told about, by
//! sequence number. Every untagged `EXISTS`, `EXPUNGE` and `FETCH` is
//! checked against it as it arrives (RFC 9051 §7.5.1: a server never names
//! a sequence number the client does not know; §7.4.1: `EXISTS` never
//! shrinks the mailbox), and at every synchronisation point (each
//! connection sends NOOP, then FETCHes everything) each view must equal the
//! backend's snapshot: the same UIDs in the same order, with the same flags.

use imapkit_proto::response::Data;

use super::checks::{fail, lookup, open, snapshot, Ctx, Failure, Outcome, Passed};
use super::client::{Client, Reply};
use super::engine::{append, login, ok, serve};
use crate::backend::{Flag, OpenMode};

/// The runs: (seed, connections). Deterministic, so a failure repeats.
const RUNS: [(u64, usize); 4] = [
    (0x5eed_0001, 2),
    (0x5eed_0002, 3),
    (0x5eed_0003, 4),
    (0x5eed_0004, 5),
];

/// Random steps per run.
const STEPS: usize = 60;

/// Steps between synchronisation points.
const SYNC_EVERY: usize = 15;

/// The flags the random STOREs set and clear.
const FLAGS: [&str; 3] = ["\\Seen", "\\Flagged", "\\Deleted"];

/// One message as a connection knows it.
#[derive(Debug, Clone, Default)]
struct Known {
    uid: Option<u32>,
    flags: Option<Vec<String>>,
}

/// What one connection was told about the selected mailbox.
#[derive(Debug, Default)]
pub(super) struct View {
    messages: Vec<Known>,
}

impl View {
    /// Takes in the untagged responses of `reply`, in order; fails at the
    /// first that names a sequence number this view does not have.
    pub(super) fn apply(&mut self, reply: &Reply) -> Result<(), Failure> {
        self.absorb(reply, false)
    }

    /// As [`apply`](Self::apply), and also checks that every number of a
    /// `SEARCH` response (a sequence-number SEARCH) exists.
    fn apply_seq_search(&mut self, reply: &Reply) -> Result<(), Failure> {
        self.absorb(reply, true)
    }

    fn absorb(&mut self, reply: &Reply, seq_search: bool) -> Result<(), Failure> {
        for data in reply.data() {
            let len = self.messages.len();
            let out_of_range = |what: &str, n: u32| {
                fail(
                    format!("{what} names a message this session knows (1..={len})"),
                    format!("{n}, in: {reply}"),
                )
            };
            match data {
                Data::Exists(n) => {
                    let n = *n as usize;
                    if n < len {
                        return Err(fail(
                            format!("EXISTS never shrinks the mailbox (it had {len})"),
                            format!("{n}, in: {reply}"),
                        ));
                    }
                    self.messages.resize(n, Known::default());
                }
                Data::Expunge(n) => {
                    let index = n.get() as usize;
                    if index > len {
                        return Err(out_of_range("EXPUNGE", n.get()));
                    }
                    self.messages.remove(index - 1);
                }
                Data::Fetch(fetch) => {
                    let index = fetch.seq.get() as usize;
                    if index > len {
                        return Err(out_of_range("FETCH", fetch.seq.get()));
                    }
                    let fetched = super::client::Fetched::from_items(fetch.seq, fetch.items.iter());
                    let known = &mut self.messages[index - 1];
                    if let (Some(old), Some(new)) = (known.uid, fetched.uid) {
                        if old != new {
                            return Err(fail(
                                format!("message {index} keeps its UID {old}"),
                                format!("UID {new}, in: {reply}"),
                            ));
                        }
                    }
                    known.uid = fetched.uid.or(known.uid);
                    known.flags = fetched.flags.or(known.flags.take());
                }
                Data::Search(search) if seq_search => {
                    if let Some(n) = search.ids().iter().find(|n| n.get() as usize > len) {
                        return Err(out_of_range("SEARCH", n.get()));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The UIDs by sequence number (0 where not told yet).
    pub(super) fn uids(&self) -> Vec<u32> {
        self.messages.iter().map(|m| m.uid.unwrap_or(0)).collect()
    }

    /// The number of messages.
    pub(super) fn len(&self) -> usize {
        self.messages.len()
    }

    /// (UID, flags) by sequence number, `None` where not told yet.
    fn state(&self) -> Vec<(Option<u32>, Option<Vec<String>>)> {
        self.messages
            .iter()
            .map(|m| (m.uid, m.flags.clone()))
            .collect()
    }
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        // n is small; the modulo bias does not matter here.
        (z % n as u64) as usize
    }
}

/// One connection of a run.
struct Actor {
    client: Client,
    view: View,
    /// The tag of the IDLE in progress.
    idling: Option<String>,
}

impl Actor {
    /// Ends IDLE if it is on, taking in what came meanwhile.
    async fn wake(&mut self, who: usize) -> Result<(), Failure> {
        if let Some(tag) = self.idling.take() {
            let reply =
                self.client.idle_done(&tag).await.map_err(|e| {
                    fail(format!("session {who}: IDLE ends with DONE"), e.to_string())
                })?;
            self.view.apply(&reply)?;
        }
        Ok(())
    }
}

pub(super) async fn engine_interleaved_sessions(ctx: Ctx) -> Outcome {
    run_all(&ctx).await.map(|()| Passed::Yes)
}

async fn run_all(ctx: &Ctx) -> Result<(), Failure> {
    let server = serve(ctx).await?;
    let mut setup = login(&server, ctx).await?;
    ok(&mut setup, "CREATE Elsewhere").await?;
    for (seed, connections) in RUNS {
        let mut actors = Vec::with_capacity(connections);
        for _ in 0..connections {
            let mut client = login(&server, ctx).await?;
            let mut view = View::default();
            view.apply(&ok(&mut client, "SELECT INBOX").await?)?;
            actors.push(Actor {
                client,
                view,
                idling: None,
            });
        }
        let mut rng = Rng(seed);
        for step in 1..=STEPS {
            let who = rng.below(connections);
            let idle_allowed =
                actors.iter().filter(|a| a.idling.is_some()).count() + 1 < connections;
            step_once(&mut actors[who], who, &mut rng, idle_allowed)
                .await
                .map_err(|f| in_run(f, seed, connections, step))?;
            if step % SYNC_EVERY == 0 {
                sync(ctx, &mut actors)
                    .await
                    .map_err(|f| in_run(f, seed, connections, step))?;
            }
        }
        for actor in &mut actors {
            ok(&mut actor.client, "LOGOUT").await?;
        }
    }
    Ok(())
}

/// Adds where in the runs a failure happened.
fn in_run(failure: Failure, seed: u64, connections: usize, step: usize) -> Failure {
    fail(
        failure.expected,
        format!(
            "{} (run with seed {seed:#x}, {connections} sessions, step {step})",
            failure.seen
        ),
    )
}

/// One random action of connection `who`.
async fn step_once(
    actor: &mut Actor,
    who: usize,
    rng: &mut Rng,
    idle_allowed: bool,
) -> Result<(), Failure> {
    if actor.idling.is_some() {
        return actor.wake(who).await;
    }
    let len = actor.view.len();
    let client = &mut actor.client;
    let reply = match rng.below(8) {
        0 => append(client, "INBOX", FLAGS[rng.below(2)], rng.below(1000)).await?,
        1 if len > 0 => {
            let sign = if rng.below(2) == 0 { '+' } else { '-' };
            let command = format!(
                "STORE {} {sign}FLAGS ({})",
                rng.below(len) + 1,
                FLAGS[rng.below(3)]
            );
            ok(client, &command).await?
        }
        2 => ok(client, "EXPUNGE").await?,
        3 if len > 0 => ok(client, &format!("MOVE {} Elsewhere", rng.below(len) + 1)).await?,
        4 if len > 0 => ok(client, "FETCH 1:* (UID FLAGS)").await?,
        5 => {
            let reply = ok(client, "SEARCH ALL").await?;
            return actor.view.apply_seq_search(&reply);
        }
        6 if idle_allowed => {
            let tag = client
                .idle()
                .await
                .map_err(|e| fail(format!("session {who}: IDLE starts"), e.to_string()))?;
            actor.idling = Some(tag);
            return Ok(());
        }
        _ => ok(client, "NOOP").await?,
    };
    actor.view.apply(&reply)
}

/// Every connection catches up (NOOP), then FETCHes everything; each view
/// must equal the backend's INBOX.
async fn sync(ctx: &Ctx, actors: &mut [Actor]) -> Result<(), Failure> {
    for (who, actor) in actors.iter_mut().enumerate() {
        actor.wake(who).await?;
        let noop = ok(&mut actor.client, "NOOP").await?;
        actor.view.apply(&noop)?;
    }
    let expected = backend_state(ctx).await?;
    for (who, actor) in actors.iter_mut().enumerate() {
        let after_noop = actor.view.len();
        if after_noop != expected.len() {
            return Err(fail(
                format!(
                    "session {who} knows {} messages after NOOP, as the backend has",
                    expected.len()
                ),
                format!("{after_noop}"),
            ));
        }
        if after_noop > 0 {
            let fetch = ok(&mut actor.client, "FETCH 1:* (UID FLAGS)").await?;
            actor.view.apply(&fetch)?;
        }
        let seen = actor.view.state();
        if seen != expected {
            return Err(fail(
                format!("session {who}'s (UID, FLAGS) by sequence number equal the backend's: {expected:?}"),
                format!("{seen:?}"),
            ));
        }
        let search = ok(&mut actor.client, "SEARCH ALL").await?;
        let all: Vec<u32> = (1..=u32::try_from(expected.len()).unwrap_or(u32::MAX)).collect();
        if search.search() != all {
            return Err(fail(
                format!("session {who}: SEARCH ALL gives 1..={}", expected.len()),
                search.to_string(),
            ));
        }
    }
    Ok(())
}

/// The backend's INBOX as a connection's view should hold it.
async fn backend_state(ctx: &Ctx) -> Result<Vec<(Option<u32>, Option<Vec<String>>)>, Failure> {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let mailbox = open(&*session, &inbox, OpenMode::ReadOnly).await?;
    let snap = snapshot(&*mailbox).await?;
    Ok(snap
        .messages
        .iter()
        .map(|m| {
            let mut flags: Vec<String> = m.flags.iter().map(|f| wire_name(&f)).collect();
            flags.sort();
            (Some(m.uid), Some(flags))
        })
        .collect())
}

/// A flag as IMAP spells it.
fn wire_name(flag: &Flag) -> String {
    match flag {
        Flag::Seen => "\\Seen".into(),
        Flag::Answered => "\\Answered".into(),
        Flag::Flagged => "\\Flagged".into(),
        Flag::Deleted => "\\Deleted".into(),
        Flag::Draft => "\\Draft".into(),
        Flag::Keyword(k) => k.clone(),
    }
}
