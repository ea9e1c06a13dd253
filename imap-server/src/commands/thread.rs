//! THREAD and UID THREAD (RFC 5256 §3): ORDEREDSUBJECT and REFERENCES.
//!
//! The criteria are evaluated by the SEARCH evaluator, with its CHARSET
//! rules (`super::search::evaluate`). Subject, Date, Message-ID and
//! In-Reply-To come from the cached ENVELOPE, References (which the
//! envelope lacks) from the same cached metadata (`Matched::info`), so a
//! message is read only when its metadata is not cached yet.
//! The algorithms and their bounds are in `crate::search::thread`.

use std::num::NonZeroU32;

use imapkit_proto::response::{Data, Response};
use imapkit_proto::search::Search;
use imapkit_proto::sort::{Thread, ThreadAlgorithm, ThreadData, ThreadNode};

use super::search::{evaluate, Texts};
use super::selected_ref;
use crate::connection::Connection;
use crate::outcome::{Handled, Outcome};
use crate::search::sort::sent_date;
use crate::search::thread::{
    message_ids, ordered_subject, references, references_threads, ThreadMessage,
};
use crate::search::BaseSubject;

/// Threads the matching messages and answers `* THREAD`.
pub(super) async fn handle(conn: &mut Connection, uid: bool, args: Thread) -> Handled {
    let Thread {
        algorithm,
        charset,
        criteria,
    } = args;
    let threading: fn(&[ThreadMessage]) -> Vec<ThreadNode> = match algorithm {
        ThreadAlgorithm::OrderedSubject => ordered_subject,
        ThreadAlgorithm::References => references_threads,
        ThreadAlgorithm::Other(name) => {
            return Ok(Outcome::bad(
                None,
                format!("Unknown threading algorithm {name}"),
            ))
        }
    };
    let texts = Texts::of(conn);
    let selected = selected_ref(conn)?;
    let search = Search {
        return_options: None,
        charset: Some(charset),
        criteria,
    };
    let matched = evaluate(&texts, selected, &search).await?;
    let mut messages = Vec::with_capacity(matched.outcome.hits.len());
    for hit in &matched.outcome.hits {
        let index = hit.seq as usize - 1;
        let Some(id) = NonZeroU32::new(if uid { hit.uid } else { hit.seq }) else {
            continue;
        };
        // A message expunged meanwhile (another session) is left out.
        let Some(info) = matched.info(selected, index).await? else {
            continue;
        };
        let envelope = info.envelope();
        messages.push(ThreadMessage {
            seq: hit.seq,
            id,
            sent: sent_date(envelope, selected.view.entry(index).internal_date),
            subject: BaseSubject::of(envelope.subject.as_bytes()),
            message_id: envelope
                .message_id
                .as_bytes()
                .and_then(|v| message_ids(v).into_iter().next()),
            references: references(
                info.references().unwrap_or_default(),
                envelope.in_reply_to.as_bytes(),
            ),
        });
    }
    let threads = threading(&messages);
    conn.send(Response::Data(Data::Thread(ThreadData { threads })))
        .await?;
    Ok(Outcome::ok("THREAD completed."))
}
