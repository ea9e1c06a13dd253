//! FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9).
//!
//! Flags, UIDs, sizes and internal dates come from the session's view;
//! bodies are read from the backend once per message; ENVELOPE and
//! BODYSTRUCTURE come from the MIME metadata, parsed once per message and
//! kept in the backend's metadata cache, so a section is a byte-range cut,
//! never a re-parse.

use std::num::NonZeroU32;

use bytes::Bytes;
use imapkit_proto::core::{IString, Literal, LiteralMode, NString, Vec1};
use imapkit_proto::datetime::DateTime;
use imapkit_proto::fetch::{FetchAttribute, FetchData, MessageDataItem};
use imapkit_proto::flag::FlagFetch;
use imapkit_proto::response::{Code, Data, Response};

use super::selected_mut;
use crate::backend::{BackendError, Flag, InternalDate, StoreOp};
use crate::connection::Connection;
use crate::flags::flags_to_wire;
use crate::outcome::{Handled, Outcome};
use crate::view::Entry;

/// Whether an attribute needs the message's bytes.
fn needs_raw(attribute: &FetchAttribute) -> bool {
    !matches!(
        attribute,
        FetchAttribute::Flags
            | FetchAttribute::InternalDate
            | FetchAttribute::Rfc822Size
            | FetchAttribute::Uid
            | FetchAttribute::ModSeq
    )
}

/// Whether reading an attribute sets `\Seen` (RFC 9051 §6.4.5).
fn sets_seen(attribute: &FetchAttribute) -> bool {
    matches!(
        attribute,
        FetchAttribute::Rfc822
            | FetchAttribute::Rfc822Text
            | FetchAttribute::BodySection { peek: false, .. }
            | FetchAttribute::Binary { peek: false, .. }
    )
}

/// `bytes` as a literal: NUL (which a literal cannot carry, and only
/// BINARY may send) becomes 0x80, as Dovecot does.
fn literal(bytes: Bytes) -> NString {
    let bytes = if bytes.contains(&0) {
        Bytes::from(
            bytes
                .iter()
                .map(|&b| if b == 0 { 0x80 } else { b })
                .collect::<Vec<u8>>(),
        )
    } else {
        bytes
    };
    NString(Some(IString::Literal(Literal::unvalidated(
        bytes,
        LiteralMode::Sync,
    ))))
}

fn internal_date(date: InternalDate) -> DateTime {
    let local = date.unix_seconds() + i64::from(date.zone_minutes()) * 60;
    let utc_fields = DateTime::from_unix_timestamp(local)
        .unwrap_or_else(|_| DateTime::from_unix_timestamp(0).expect("the epoch is a valid date"));
    DateTime::new(utc_fields.date(), utc_fields.time(), date.zone_minutes()).unwrap_or(utc_fields)
}

/// The data items of one message, in the order asked.
fn items(
    entry: &Entry,
    attributes: &[FetchAttribute],
    raw: &Bytes,
) -> Result<Vec<MessageDataItem>, Outcome> {
    let later = || {
        Outcome::bad(
            None,
            "ENVELOPE, BODYSTRUCTURE and sections come with the MIME engine, not yet",
        )
    };
    let mut items = Vec::with_capacity(attributes.len());
    for attribute in attributes {
        items.push(match attribute {
            FetchAttribute::Flags => {
                let mut flags: Vec<FlagFetch> = flags_to_wire(&entry.flags)
                    .into_iter()
                    .map(FlagFetch::Flag)
                    .collect();
                if entry.recent {
                    flags.push(FlagFetch::Recent);
                }
                MessageDataItem::Flags(flags)
            }
            FetchAttribute::Uid => {
                MessageDataItem::Uid(NonZeroU32::new(entry.uid).unwrap_or(NonZeroU32::MIN))
            }
            FetchAttribute::InternalDate => {
                MessageDataItem::InternalDate(internal_date(entry.internal_date))
            }
            FetchAttribute::Rfc822Size => MessageDataItem::Rfc822Size(entry.size),
            FetchAttribute::Rfc822 => MessageDataItem::Rfc822(literal(raw.clone())),
            FetchAttribute::BodySection {
                section, partial, ..
            } => {
                if !section.part().is_empty() || section.text().is_some() {
                    return Err(later());
                }
                let mut data = raw.clone();
                let origin = partial.map(|p| {
                    let range = p.range(data.len() as u64);
                    data = data.slice(range.start as usize..range.end as usize);
                    p.start
                });
                MessageDataItem::BodySection {
                    section: section.clone(),
                    origin,
                    data: literal(data),
                }
            }
            FetchAttribute::Envelope
            | FetchAttribute::Body
            | FetchAttribute::BodyStructure
            | FetchAttribute::Rfc822Header
            | FetchAttribute::Rfc822Text => return Err(later()),
            FetchAttribute::Binary { .. } | FetchAttribute::BinarySize { .. } => {
                return Err(Outcome::bad(
                    None,
                    "BINARY is not offered by this server yet",
                ));
            }
            FetchAttribute::ModSeq => {
                return Err(Outcome::bad(None, "MODSEQ needs CONDSTORE, not offered"))
            }
        });
    }
    Ok(items)
}

/// Sends the asked items of every message in the set.
pub(super) async fn handle(
    conn: &mut Connection,
    uid: bool,
    fetch: imapkit_proto::fetch::Fetch,
) -> Handled {
    if fetch.changed_since.is_some() {
        return Ok(Outcome::bad(
            None,
            "CHANGEDSINCE needs CONDSTORE, not offered",
        ));
    }
    let mut attributes = fetch.items.attributes();
    // RFC 9051 §6.4.9: UID FETCH always reports the UID.
    if uid && !attributes.contains(&FetchAttribute::Uid) {
        attributes.push(FetchAttribute::Uid);
    }
    let raw_needed = attributes.iter().any(needs_raw);
    let seen_needed = attributes.iter().any(sets_seen);
    let selected = selected_mut(conn)?;
    let indexes = selected
        .view
        .resolve(&fetch.sequence_set, uid, &selected.saved)?;
    let mut gone = false;
    for index in indexes {
        let selected = selected_mut(conn)?;
        let uid_of = selected.view.entry(index).uid;
        let raw = if raw_needed {
            match selected.mailbox.fetch_message(uid_of).await {
                Ok(raw) => raw,
                // Expunged by another session: not this session's business
                // until it is told (RFC 2180 §4.1.2).
                Err(BackendError::NonExistent | BackendError::ExpungeIssued) => {
                    gone = true;
                    continue;
                }
                Err(error) => return Err(error.into()),
            }
        } else {
            Bytes::new()
        };
        let mut with_flags = attributes.clone();
        if seen_needed && !selected.read_only && !selected.view.entry(index).flags.is_seen() {
            let result = selected
                .mailbox
                .store(&[uid_of], StoreOp::Add, &[Flag::Seen], None)
                .await?;
            for update in result.updated {
                selected.view.set_flags(update.uid, update.flags);
            }
            // The new flags go with the answer (RFC 9051 §6.4.5, `\Seen`).
            if !with_flags.contains(&FetchAttribute::Flags) {
                with_flags.push(FetchAttribute::Flags);
            }
        }
        let items = items(selected.view.entry(index), &with_flags, &raw)?;
        let Ok(items) = Vec1::try_from(items) else {
            continue;
        };
        let seq = NonZeroU32::new(index as u32 + 1).expect("index + 1 is not zero");
        conn.send(Response::Data(Data::Fetch(FetchData { seq, items })))
            .await?;
    }
    Ok(if gone {
        Outcome::no(
            Some(Code::ExpungeIssued),
            "Some messages were expunged meanwhile",
        )
    } else {
        Outcome::ok("FETCH completed.")
    })
}
