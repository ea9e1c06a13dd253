//! SORT and UID SORT (RFC 5256 §3), with ESORT's `RETURN` options (RFC
//! 5267 §3) and DISPLAYFROM / DISPLAYTO (RFC 5957).
//!
//! The criteria are evaluated by the SEARCH evaluator, with its CHARSET
//! rules (`super::search::evaluate`); ARRIVAL and SIZE come from the view,
//! every other key from the cached ENVELOPE (`Matched::info`), so a message
//! is read only when its metadata is not cached yet.

use imapkit_proto::core::{Tag, Vec1};
use imapkit_proto::response::{Data, Response};
use imapkit_proto::search::Search;
use imapkit_proto::sort::{Sort, SortData};

use super::search::{answer_esearch, evaluate, Texts};
use super::selected_ref;
use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};
use crate::search::sort::{needs_envelope, sort, SortKeys};

/// Sorts the matching messages and answers `* SORT`, or `* ESEARCH` for
/// `RETURN (...)`.
pub(super) async fn handle(conn: &mut Connection, tag: &Tag, uid: bool, args: Sort) -> Handled {
    let Sort {
        return_options,
        order,
        charset,
        criteria,
    } = args;
    let texts = Texts::of(conn);
    let selected = selected_ref(conn)?;
    let search = Search {
        return_options: None,
        charset: Some(charset),
        criteria,
    };
    let mut matched = evaluate(&texts, selected, &search).await?;
    let with_envelope = needs_envelope(order.as_slice());
    let mut keys = Vec::with_capacity(matched.outcome.hits.len());
    for hit in &matched.outcome.hits {
        let index = hit.seq as usize - 1;
        let entry = selected.view.entry(index);
        let (internal, size) = (entry.internal_date, entry.size);
        if !with_envelope {
            keys.push(SortKeys::without_envelope(hit.seq, internal, size));
            continue;
        }
        // A message expunged meanwhile (another session) is left out.
        let Some(info) = matched.info(selected, index).await? else {
            continue;
        };
        keys.push(SortKeys::new(hit.seq, internal, size, info.envelope()));
    }
    sort(&mut keys, order.as_slice());
    // The hits in sort order, the messages that vanished left out: SORT
    // lists them, ESORT answers as ESEARCH over them, so MIN and MAX are
    // the first and last in that order and ALL keeps it (RFC 5267 §3.1).
    let hits = std::mem::take(&mut matched.outcome.hits);
    matched.outcome.hits = keys
        .iter()
        .filter_map(|k| {
            // The hits are in sequence order.
            let at = hits.binary_search_by_key(&k.seq, |h| h.seq).ok()?;
            Some(hits[at])
        })
        .collect();
    let outcome = &matched.outcome;
    let Some(options) = return_options else {
        let ids = outcome.ids(uid);
        // CONDSTORE: a MODSEQ criterion adds the highest mod-sequence
        // (RFC 7162 §3.1.5).
        let data = match (outcome.highest_modseq(), Vec1::try_from(ids.clone())) {
            (Some(modseq), Ok(ids)) => SortData::with_modseq(ids, modseq),
            _ => SortData::new(ids),
        };
        conn.send(Response::Data(Data::Sort(data))).await?;
        return Ok(Outcome::ok("SORT completed."));
    };
    answer_esearch(conn, tag, uid, outcome, &options).await?;
    Ok(Outcome::ok("SORT completed."))
}
