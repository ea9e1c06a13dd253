//! STORE and UID STORE (RFC 9051 §6.4.6).

use std::collections::HashSet;
use std::num::NonZeroU32;

use imapkit_proto::command::Store;
use imapkit_proto::flag::{StoreResponse, StoreType};
use imapkit_proto::response::Code;
use imapkit_proto::sequence::SequenceSet;

use super::{flags_response, selected_mut};
use crate::backend::StoreOp;
use crate::connection::Connection;
use crate::flags;
use crate::outcome::{Handled, Outcome};

/// Changes flags, then reports the new flags of every message in the set
/// (unless `.SILENT`).
pub(super) async fn handle(conn: &mut Connection, uid: bool, store: Store) -> Handled {
    let selected = selected_mut(conn)?;
    if selected.read_only {
        return Ok(Outcome::no(
            Some(Code::Cannot),
            "Mailbox is read-only (EXAMINE)",
        ));
    }
    if store.unchanged_since.is_some() {
        if !conn.state.session().is_some_and(|s| s.supports_modseq()) {
            return Ok(Outcome::bad(
                None,
                "UNCHANGEDSINCE needs CONDSTORE, which this mailbox store cannot keep",
            ));
        }
        // RFC 7162 §3.1: STORE (UNCHANGEDSINCE) enables CONDSTORE.
        conn.enabled.condstore = true;
    }
    let with_modseq = conn.enabled.condstore;
    let max_keywords = conn.shared.limits.max_keywords;
    let selected = selected_mut(conn)?;
    let indexes = selected
        .view
        .resolve(&store.sequence_set, uid, &selected.saved)?;
    let wanted = flags::from_wire(&store.flags)?;
    // Checked before anything changes, so a refused STORE changes nothing.
    flags::check_keywords(wanted.keywords().len(), max_keywords)?;
    let flags: Vec<_> = wanted.iter().collect();
    let op = match store.kind {
        StoreType::Replace => StoreOp::Replace,
        StoreType::Add => StoreOp::Add,
        StoreType::Remove => StoreOp::Remove,
    };
    if op == StoreOp::Add {
        for &i in &indexes {
            let flags = flags::keywords_after_adding(&selected.view.entry(i).flags, &flags);
            flags::check_keywords(flags, max_keywords)?;
        }
    }
    let uids: Vec<u32> = indexes
        .iter()
        .map(|&i| selected.view.entry(i).uid)
        .collect();
    let mut modified = Vec::new();
    if !uids.is_empty() {
        let result = selected
            .mailbox
            .store(&uids, op, &flags, store.unchanged_since)
            .await?;
        for update in result.updated {
            selected.view.set_flags(update);
        }
        modified = result.modified;
        let id = selected.mailbox.id().clone();
        conn.ring(&id);
    }
    let selected = selected_mut(conn)?;
    // RFC 7162 §3.1.3: messages that failed UNCHANGEDSINCE get no FETCH
    // and are named in `[MODIFIED]` (UIDs for UID STORE, else numbers).
    let modified_ids: Vec<NonZeroU32> = modified
        .iter()
        .filter_map(|&u| {
            let index = selected.view.index_of(u)?;
            NonZeroU32::new(if uid { u } else { index as u32 + 1 })
        })
        .collect();
    if store.response == StoreResponse::Answer {
        // A set: `contains` on the list for every message was quadratic
        // (2.3 s for `STORE 1:* (UNCHANGEDSINCE 1)` on 20,000 messages).
        let modified: HashSet<u32> = modified.iter().copied().collect();
        let responses: Vec<_> = indexes
            .iter()
            .filter(|&&i| !modified.contains(&selected.view.entry(i).uid))
            .map(|&i| flags_response(selected, i, uid, with_modseq))
            .collect();
        for response in responses {
            conn.send(response).await?;
        }
    }
    if let Some(set) = SequenceSet::from_numbers(modified_ids) {
        return Ok(Outcome::ok_with(
            Code::Modified(set),
            "Conditional STORE failed for some messages",
        ));
    }
    Ok(Outcome::ok("STORE completed."))
}
