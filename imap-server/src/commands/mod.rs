//! The commands: a state check, then one handler per command, each in a
//! file of its own with its argument handling, backend calls and answers.

mod append;
mod authenticate;
mod capability;
mod close;
mod copy;
mod create;
mod delete;
mod enable;
mod expunge;
mod fetch;
mod id;
mod idle;
mod list;
mod login;
mod logout;
mod namespace;
mod noop;
mod rename;
mod search;
mod select;
mod sort;
mod starttls;
mod status;
mod store;
mod subscribe;
mod thread;
mod vanished;

use std::time::Instant;

use std::num::{NonZeroU32, NonZeroU64};

use imapkit_proto::command::{Command, CommandBody};
use imapkit_proto::core::{Tag, Vec1};
use imapkit_proto::fetch::{FetchData, MessageDataItem};
use imapkit_proto::flag::FlagFetch;
use imapkit_proto::list::{List, ListKind};
use imapkit_proto::response::{Code, Data, Response};

use crate::connection::{Connection, State};
use crate::flags::flags_to_wire;
use crate::outcome::{Handled, Outcome, Refusal};
use crate::view::{Selected, Update};

/// The states a command is valid in (RFC 9051 §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allowed {
    /// Any state (§6.1).
    Any,
    /// Not authenticated (§6.2).
    NotAuthenticated,
    /// Authenticated or selected (§6.3).
    Authenticated,
    /// Selected (§6.4).
    Selected,
}

fn allowed(body: &CommandBody) -> Allowed {
    match body.name() {
        "CAPABILITY" | "NOOP" | "LOGOUT" | "ID" => Allowed::Any,
        "STARTTLS" | "AUTHENTICATE" | "LOGIN" => Allowed::NotAuthenticated,
        "CHECK" | "CLOSE" | "UNSELECT" | "EXPUNGE" | "UID EXPUNGE" | "SEARCH" | "UID SEARCH"
        | "FETCH" | "UID FETCH" | "STORE" | "UID STORE" | "COPY" | "UID COPY" | "MOVE"
        | "UID MOVE" | "SORT" | "UID SORT" | "THREAD" | "UID THREAD" => Allowed::Selected,
        _ => Allowed::Authenticated,
    }
}

fn check_state(body: &CommandBody, state: &State) -> Result<(), Outcome> {
    let ok = matches!(
        (allowed(body), state),
        (Allowed::Any, _)
            | (Allowed::NotAuthenticated, State::NotAuthenticated)
            | (
                Allowed::Authenticated,
                State::Authenticated(_) | State::Selected(..)
            )
            | (Allowed::Selected, State::Selected(..))
    );
    if ok {
        return Ok(());
    }
    let text = match state {
        State::NotAuthenticated => "Log in first",
        _ if allowed(body) == Allowed::NotAuthenticated => "Already logged in",
        _ => "No mailbox selected",
    };
    Err(Outcome::bad(
        None,
        format!("{} not allowed now: {text}", body.name()),
    ))
}

/// Runs one command and sends its tagged answer; says whether the answer
/// was not `BAD` (for the count of bad commands in a row).
pub(crate) async fn execute(conn: &mut Connection, command: Command) -> std::io::Result<bool> {
    let Command { tag, body } = command;
    let name = body.name();
    let started = Instant::now();
    let handled = match check_state(&body, &conn.state) {
        Ok(()) => {
            if numbers_in_flight(name) {
                report_changes(conn, name).await?;
            }
            dispatch(conn, &tag, body).await
        }
        Err(outcome) => Err(Refusal::Status(outcome)),
    };
    let outcome = match handled {
        Ok(outcome) | Err(Refusal::Status(outcome)) => outcome,
        Err(Refusal::Io(error)) => return Err(error),
    };
    let not_bad = !outcome.is_bad();
    if !numbers_in_flight(name) {
        report_changes(conn, name).await?;
    }
    tracing::debug!(command = name, ok = outcome.is_ok(), elapsed = ?started.elapsed(), "command");
    conn.send(outcome.into_response(tag)).await?;
    Ok(not_bad)
}

async fn dispatch(conn: &mut Connection, tag: &Tag, body: CommandBody) -> Handled {
    match body {
        CommandBody::Capability => capability::handle(conn).await,
        CommandBody::Noop | CommandBody::Check => noop::handle(conn).await,
        CommandBody::Logout => logout::handle(conn).await,
        CommandBody::StartTls => starttls::handle(conn).await,
        CommandBody::Login { username, password } => login::handle(conn, username, password).await,
        CommandBody::Authenticate {
            mechanism,
            initial_response,
        } => authenticate::handle(conn, mechanism, initial_response).await,
        CommandBody::Namespace => namespace::handle(conn).await,
        CommandBody::Id(id) => id::handle(conn, id).await,
        CommandBody::Enable { capabilities } => enable::handle(conn, capabilities.as_slice()).await,
        CommandBody::Select { mailbox, params } => {
            select::handle(conn, mailbox, params, false).await
        }
        CommandBody::Examine { mailbox, params } => {
            select::handle(conn, mailbox, params, true).await
        }
        CommandBody::Close => close::handle(conn, true).await,
        CommandBody::Unselect => close::handle(conn, false).await,
        CommandBody::Create { mailbox, params } => {
            create::handle(conn, mailbox, params.unwrap_or_default()).await
        }
        CommandBody::Delete { mailbox } => delete::handle(conn, mailbox).await,
        CommandBody::Rename { from, to } => rename::handle(conn, from, to).await,
        CommandBody::Subscribe { mailbox } => subscribe::handle(conn, mailbox, true).await,
        CommandBody::Unsubscribe { mailbox } => subscribe::handle(conn, mailbox, false).await,
        CommandBody::Status(status) => status::handle(conn, status).await,
        CommandBody::Append(append) => append::handle(conn, append).await,
        CommandBody::List(list) => list::handle_list(conn, list, ListKind::List).await,
        CommandBody::Xlist(lsub) => {
            let list = List::basic(lsub.reference, lsub.pattern);
            list::handle_list(conn, list, ListKind::Xlist).await
        }
        CommandBody::Lsub(lsub) => list::handle_lsub(conn, lsub).await,
        CommandBody::Idle => idle::handle(conn).await,
        CommandBody::Search { uid, search } => search::handle(conn, tag, uid, search).await,
        CommandBody::Sort { uid, sort } => sort::handle(conn, tag, uid, sort).await,
        CommandBody::Thread { uid, thread } => thread::handle(conn, uid, thread).await,
        CommandBody::Fetch { uid, fetch } => fetch::handle(conn, uid, fetch).await,
        CommandBody::Store { uid, store } => store::handle(conn, uid, store).await,
        CommandBody::Expunge => expunge::handle(conn, None).await,
        CommandBody::ExpungeUid { uids } => expunge::handle(conn, Some(uids)).await,
        CommandBody::Copy {
            uid,
            sequence_set,
            mailbox,
        } => copy::handle(conn, uid, sequence_set, mailbox, false).await,
        CommandBody::Move {
            uid,
            sequence_set,
            mailbox,
        } => copy::handle(conn, uid, sequence_set, mailbox, true).await,
        other => Ok(Outcome::no(
            Some(Code::Cannot),
            format!("{} is not supported by this server yet", other.name()),
        )),
    }
}

/// The selected mailbox, for commands of the selected state.
pub(super) fn selected_ref(conn: &Connection) -> Result<&Selected, Outcome> {
    match &conn.state {
        State::Selected(_, selected) => Ok(selected),
        _ => Err(Outcome::bad(None, "No mailbox selected")),
    }
}

/// The selected mailbox, to change; `BAD` when none is selected.
pub(super) fn selected_mut(conn: &mut Connection) -> Result<&mut Selected, Outcome> {
    match &mut conn.state {
        State::Selected(_, selected) => Ok(selected),
        _ => Err(Outcome::bad(None, "No mailbox selected")),
    }
}

/// `* n FETCH (FLAGS (...))` for the message at `index`, with its UID
/// when the client used a UID command (RFC 9051 §6.4.9: so it need not map
/// numbers back), and its MODSEQ once CONDSTORE is on (RFC 7162 §3.1.4).
pub(super) fn flags_response(
    selected: &Selected,
    index: usize,
    with_uid: bool,
    with_modseq: bool,
) -> Response {
    let entry = selected.view.entry(index);
    let mut flags: Vec<FlagFetch> = flags_to_wire(&entry.flags)
        .into_iter()
        .map(FlagFetch::Flag)
        .collect();
    if entry.recent {
        flags.push(FlagFetch::Recent);
    }
    let mut items = vec![MessageDataItem::Flags(flags)];
    if let (true, Some(uid)) = (with_uid, NonZeroU32::new(entry.uid)) {
        items.push(MessageDataItem::Uid(uid));
    }
    if let (true, Some(modseq)) = (with_modseq, NonZeroU64::new(entry.modseq)) {
        items.push(MessageDataItem::ModSeq(modseq));
    }
    let seq = NonZeroU32::new(index as u32 + 1).expect("index + 1 is not zero");
    let items = Vec1::try_from(items).expect("FLAGS is there");
    Response::Data(Data::Fetch(FetchData { seq, items }))
}

/// Whether `command` works on message sequence numbers the client chose,
/// so no EXPUNGE may renumber them meanwhile (RFC 9051 §7.5.1, RFC 2180
/// §4.1): FETCH, STORE and SEARCH (and SORT, THREAD) without `UID`.
fn numbers_in_flight(command: &str) -> bool {
    matches!(command, "FETCH" | "STORE" | "SEARCH" | "SORT" | "THREAD")
}

/// Tells the client what changed in its selected mailbox: run after every
/// command, before its tagged answer (RFC 9051 §7: untagged data may be
/// sent then). The backend's change log is read from where this session
/// last read it, so a change is reported exactly once, whoever made it.
///
/// A command with [`numbers_in_flight`] is told before it runs instead,
/// so its answer holds the flags another session just stored; expunges
/// are then held (the messages keep their numbers) until the next command
/// that may be told of them.
///
/// Answers whether the backend had changes since the last look (held
/// expunges told now do not count).
pub(super) async fn report_changes(conn: &mut Connection, command: &str) -> std::io::Result<bool> {
    let expunge = !numbers_in_flight(command);
    let with_uid = command.starts_with("UID ");
    let with_modseq = conn.enabled.condstore;
    let State::Selected(_, selected) = &mut conn.state else {
        return Ok(false);
    };
    let since = selected.view.sync_point();
    let changes = match selected.mailbox.changes_since(since).await {
        Ok(changes) => changes,
        Err(error) => {
            tracing::warn!(%error, "cannot read the mailbox's changes");
            return Ok(false);
        }
    };
    let told_held = expunge && selected.view.holds_expunges();
    let moved_on = !changes.is_empty() || changes.sync_point() != since;
    if !moved_on && !told_held {
        return Ok(false);
    }
    let updates = selected.view.apply(&changes, expunge);
    let gone: Vec<(u32, u32)> = updates
        .iter()
        .filter_map(|update| match *update {
            Update::Expunge { seq, uid } => Some((uid, seq)),
            _ => None,
        })
        .collect();
    let responses: Vec<Response> = updates
        .into_iter()
        .filter_map(|update| match update {
            Update::Expunge { .. } => None,
            Update::Exists(n) => Some(Response::Data(Data::Exists(n))),
            Update::Recent(n) => Some(Response::Data(Data::Recent(n))),
            Update::Flags(seq) => Some(flags_response(
                selected,
                seq as usize - 1,
                with_uid,
                with_modseq,
            )),
        })
        .collect();
    // Expunges come first (RFC 9051 §7.4.1), as `apply` lists them.
    vanished::report_expunged(conn, gone).await?;
    for response in responses {
        conn.send(response).await?;
    }
    Ok(moved_on)
}
