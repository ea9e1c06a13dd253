//! SEARCH and UID SEARCH (RFC 9051 §6.4.4) with ESEARCH (RFC 4731),
//! SEARCHRES (RFC 5182) and WITHIN (RFC 5032).
//!
//! The engine evaluates every key itself (`crate::search`) over the
//! session's view and, when a key needs them, the message bytes: every
//! backend gets SEARCH for free.

use bytes::Bytes;
use imapkit_proto::core::{Atom, Charset, Tag};
use imapkit_proto::response::{Code, Data, Response};
use imapkit_proto::search::{ESearchData, Search, SearchReturnOption};

use super::selected_mut;
use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};
use crate::search::{self, Candidate, Context, SearchCharset, SearchError, SUPPORTED_CHARSETS};

fn refusal(error: SearchError) -> Outcome {
    match error {
        SearchError::BadCharset => {
            let charsets = SUPPORTED_CHARSETS
                .iter()
                .map(|c| Charset::Atom(Atom::unvalidated(*c)))
                .collect();
            Outcome::no(Some(Code::BadCharset(charsets)), "Unsupported charset")
        }
        SearchError::BadString => Outcome::bad(None, "Search string is not valid in its charset"),
        SearchError::MissingBody => Outcome::no(Some(Code::ServerBug), "Message body unavailable"),
    }
}

fn now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Runs a search and answers with `* SEARCH`, or `* ESEARCH` when RETURN
/// options were given.
pub(super) async fn handle(conn: &mut Connection, tag: &Tag, uid: bool, search: Search) -> Handled {
    let selected = selected_mut(conn)?;
    // The charset is refused before any message is read.
    SearchCharset::from_wire(search.charset.as_ref()).map_err(refusal)?;
    let count = selected.view.len() as usize;
    let mut raws: Vec<Option<Bytes>> = Vec::new();
    if search::needs_body(&search.criteria) {
        raws.reserve(count);
        for index in 0..count {
            // A message expunged meanwhile (another session) is skipped.
            raws.push(
                selected
                    .mailbox
                    .fetch_message(selected.view.entry(index).uid)
                    .await
                    .ok(),
            );
        }
    }
    let view = &selected.view;
    let candidates = (0..count)
        .filter(|&i| raws.is_empty() || raws[i].is_some())
        .map(|i| {
            let entry = view.entry(i);
            Candidate {
                seq: i as u32 + 1,
                uid: entry.uid,
                flags: &entry.flags,
                recent: entry.recent,
                size: entry.size,
                internal_date: entry.internal_date,
                modseq: 0,
                raw: raws.get(i).and_then(|r| r.as_deref()),
            }
        });
    let mut saved = selected.saved.clone();
    saved.sort_unstable();
    let ctx = Context {
        largest_seq: view.len(),
        largest_uid: view.last_uid(),
        saved_uids: &saved,
        now: now(),
        charset: SearchCharset::default(),
    };
    let outcome = search::run(&search, candidates, &ctx).map_err(refusal)?;
    let Some(options) = search.return_options else {
        conn.send(Response::Data(Data::Search(outcome.search_data(uid))))
            .await?;
        return Ok(Outcome::ok("SEARCH completed."));
    };
    if options.contains(&SearchReturnOption::Save) {
        selected.saved = outcome.saved_uids(&options);
    }
    // RFC 5182 §2.1: `RETURN (SAVE)` alone answers no ESEARCH.
    if options != [SearchReturnOption::Save] {
        let data = outcome.return_data(&options, uid);
        let esearch = ESearchData {
            tag: Some(tag.clone()),
            uid,
            data,
        };
        conn.send(Response::Data(Data::ESearch(esearch))).await?;
    }
    Ok(Outcome::ok("SEARCH completed."))
}
