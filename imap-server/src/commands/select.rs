//! SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3; RFC 3501 §6.3.1).
//!
//! A failed SELECT leaves no mailbox selected (RFC 9051 §6.3.2: "If the
//! client is permitted to modify the mailbox ... deselects"), so the old
//! selection is dropped before the new one is tried.

use std::num::{NonZeroU32, NonZeroU64};
use std::sync::Arc;

use imapkit_proto::command::{QResync, SelectParams};
use imapkit_proto::core::{Atom, Text};
use imapkit_proto::flag::{Flag as WireFlag, FlagPerm};
use imapkit_proto::mailbox::Mailbox;
use imapkit_proto::response::{Code, Data, Response};

use crate::backend::OpenMode;
use crate::connection::{Connection, State};
use crate::flags::SYSTEM;
use crate::names;
use crate::outcome::{Handled, Outcome, Refusal};
use crate::view::{Selected, View};

use super::vanished::{self, UidFilter};

/// A UIDVALIDITY or UIDNEXT as a non-zero number (backends never give 0;
/// should one, 1 keeps the answer valid).
fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

fn untagged_ok(code: Code, text: &'static str) -> Response {
    Response::untagged_ok(Some(code), Text::unvalidated(text))
}

/// RFC 7162 §3.2.5.1: tells a client that names the UIDVALIDITY and
/// HIGHESTMODSEQ of its last session what changed since: the expunged UIDs
/// among its `known_uids` in `* VANISHED (EARLIER)`, then a
/// `FETCH (UID FLAGS MODSEQ)` for every message (of `known_uids`) whose
/// modseq is above. The backend keeps every tombstone (the contract), so
/// the seq-match data of §3.2.5.2, a hint for servers that forget
/// expunges, is not needed.
async fn resync(conn: &mut Connection, known: &QResync) -> Result<(), Refusal> {
    let modseq = known.mod_seq.get();
    vanished::report(conn, known.known_uids.as_ref(), modseq).await?;
    let selected = super::selected_mut(conn)?;
    let filter = UidFilter::new(selected, known.known_uids.as_ref());
    let changed: Vec<Response> = (0..selected.view.len() as usize)
        .filter(|&i| {
            let entry = selected.view.entry(i);
            entry.modseq > modseq && filter.contains(entry.uid)
        })
        .map(|i| super::flags_response(selected, i, true, true))
        .collect();
    for response in changed {
        conn.send(response).await?;
    }
    Ok(())
}

/// Selects `mailbox`, read-write (`read_only == false`, SELECT) or
/// read-only (EXAMINE).
pub(super) async fn handle(
    conn: &mut Connection,
    mailbox: Mailbox,
    params: SelectParams,
    read_only: bool,
) -> Handled {
    let session = Arc::clone(conn.state.session().expect("state checked: logged in"));
    let was_selected = matches!(conn.state, State::Selected(..));
    conn.state = State::Authenticated(Arc::clone(&session));
    if !params.is_empty() && !session.supports_modseq() {
        return Ok(Outcome::bad(
            None,
            "SELECT parameters need CONDSTORE, which this mailbox store cannot keep",
        ));
    }
    // RFC 7162 §3.2.5: QRESYNC without a prior ENABLE QRESYNC is an error.
    if params.qresync.is_some() && !conn.enabled.qresync {
        return Ok(Outcome::bad(None, "QRESYNC needs ENABLE QRESYNC first"));
    }
    // RFC 7162 §3.1.8: SELECT (CONDSTORE) is a CONDSTORE enabling command.
    if params.condstore {
        conn.enabled.condstore = true;
    }
    // RFC 7162 §3.2.11: the previous mailbox is closed before the new one
    // is reported, so the client can tell their responses apart.
    if was_selected && conn.enabled.qresync {
        conn.send(untagged_ok(Code::Closed, "Previous mailbox closed."))
            .await?;
    }
    let name = names::from_wire(conn, &mailbox)?;
    let info = session.lookup(&name).await?;
    if !info.selectable {
        return Ok(Outcome::no(
            Some(Code::Cannot),
            "Mailbox cannot be selected (\\Noselect)",
        ));
    }
    let mode = if read_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::ReadWrite
    };
    let handle = session.open(&info.id, mode).await?;
    let snapshot = handle.snapshot().await?;
    let view = View::from_snapshot(&snapshot);
    let read_only = read_only || handle.mode() == OpenMode::ReadOnly;

    let keywords: Vec<WireFlag> = view
        .keywords()
        .into_iter()
        .filter_map(|k| Atom::try_from(k).ok().map(WireFlag::Keyword))
        .collect();
    let flags: Vec<WireFlag> = SYSTEM
        .iter()
        .cloned()
        .chain(keywords.iter().cloned())
        .collect();
    conn.send(Response::Data(Data::Flags(flags.clone())))
        .await?;
    conn.send(Response::Data(Data::Exists(view.len()))).await?;
    conn.send(Response::Data(Data::Recent(view.recent())))
        .await?;
    if let Some(unseen) = view.first_unseen() {
        conn.send(untagged_ok(Code::Unseen(nz(unseen)), "First unseen."))
            .await?;
    }
    let permanent = if read_only {
        Vec::new()
    } else {
        let mut permanent: Vec<FlagPerm> = flags.into_iter().map(FlagPerm::Flag).collect();
        if handle.allows_new_keywords() {
            permanent.push(FlagPerm::Asterisk);
        }
        permanent
    };
    conn.send(untagged_ok(
        Code::PermanentFlags(permanent),
        "Flags permitted.",
    ))
    .await?;
    conn.send(untagged_ok(
        Code::UidValidity(nz(snapshot.uidvalidity)),
        "UIDs valid.",
    ))
    .await?;
    conn.send(untagged_ok(
        Code::UidNext(nz(snapshot.uidnext)),
        "Predicted next UID.",
    ))
    .await?;

    // RFC 7162 §3.1.2.1: every SELECT of a server offering CONDSTORE
    // reports HIGHESTMODSEQ, or NOMODSEQ when the mailbox keeps none.
    let modseq = match NonZeroU64::new(view.highest_modseq()) {
        Some(modseq) if session.supports_modseq() => {
            untagged_ok(Code::HighestModSeq(modseq), "Highest")
        }
        _ => untagged_ok(Code::NoModSeq, "No permanent modsequences"),
    };
    conn.send(modseq).await?;

    let selected = Selected {
        mailbox: Arc::from(handle),
        read_only,
        view,
        saved: Vec::new(),
    };
    conn.state = State::Selected(session, Box::new(selected));
    if let Some(known) = params.qresync {
        if known.uid_validity.get() == snapshot.uidvalidity {
            resync(conn, &known).await?;
        }
    }
    Ok(if read_only {
        Outcome::ok_with(Code::ReadOnly, "EXAMINE completed.")
    } else {
        Outcome::ok_with(Code::ReadWrite, "SELECT completed.")
    })
}
