//! APPEND (RFC 9051 §6.3.12) with MULTIAPPEND (RFC 3502), UIDPLUS's
//! APPENDUID (RFC 4315 §3) and APPENDLIMIT (RFC 7889).

use std::num::NonZeroU32;
use std::sync::Arc;

use imapkit_proto::command::Append;
use imapkit_proto::response::Code;
use imapkit_proto::sequence::SequenceSet;

use crate::backend::{AppendMessage, BackendError, InternalDate};
use crate::connection::Connection;
use crate::flags;
use crate::names;
use crate::outcome::{backend_outcome, Handled, Outcome};

/// Appends one or more messages, all or none.
pub(super) async fn handle(conn: &mut Connection, append: Append) -> Handled {
    let session = Arc::clone(conn.state.session().expect("state checked: logged in"));
    let name = names::from_wire(conn, &append.mailbox)?;
    let info = match session.lookup(&name).await {
        Ok(info) => info,
        // RFC 9051 §6.3.12: a missing mailbox gets [TRYCREATE].
        Err(BackendError::NonExistent) => {
            return Ok(Outcome::no(Some(Code::TryCreate), "Mailbox does not exist"));
        }
        Err(error) => return Ok(backend_outcome(&error)),
    };
    let limit = session.append_limit();
    let mut messages = Vec::with_capacity(append.messages.as_slice().len());
    for message in append.messages.iter() {
        let body = message.data.data().clone();
        if limit.is_some_and(|limit| body.len() as u64 > limit) {
            return Ok(Outcome::no(
                Some(Code::TooBig),
                "Message larger than APPENDLIMIT",
            ));
        }
        let internal_date = match message.date_time {
            Some(date) => InternalDate::new(date.unix_timestamp(), date.zone_minutes())
                .expect("date-time zones are within ±99:59"),
            None => InternalDate::now(),
        };
        let flags = flags::from_wire(&message.flags)?;
        flags::check_keywords(flags.keywords().len(), conn.shared.limits.max_keywords)?;
        messages.push(AppendMessage::new(flags, internal_date, body));
    }
    let result = session.append(&info.id, messages).await?;
    conn.ring(&info.id);
    let uids = result.uids.iter().filter_map(|&uid| NonZeroU32::new(uid));
    match (
        NonZeroU32::new(result.uidvalidity),
        SequenceSet::from_numbers(uids),
    ) {
        (Some(uid_validity), Some(uids)) => Ok(Outcome::ok_with(
            Code::AppendUid { uid_validity, uids },
            "APPEND completed.",
        )),
        _ => Ok(Outcome::ok("APPEND completed.")),
    }
}
