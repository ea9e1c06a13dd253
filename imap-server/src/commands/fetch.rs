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
use imapkit_proto::fetch::{FetchAttribute, FetchData, MessageDataItem, Section, SectionText};
use imapkit_proto::flag::FlagFetch;
use imapkit_proto::response::{Code, Data, Response};

use super::selected_mut;
use crate::backend::{BackendError, Flag, InternalDate, StoreOp};
use crate::connection::Connection;
use crate::flags::flags_to_wire;
use crate::mime::MessageInfo;
use crate::outcome::{Handled, Outcome};
use crate::view::{Entry, Selected};

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

/// The header fields of `header` whose names are (or, with `not`, are not)
/// in `names`, then the blank line (RFC 9051 §6.4.5 HEADER.FIELDS).
fn header_fields(header: &[u8], names: &[&[u8]], not: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut keep = false;
    for line in header.split_inclusive(|&b| b == b'\n') {
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        if !matches!(line.first(), Some(b' ' | b'\t')) {
            let name = line.split(|&b| b == b':').next().unwrap_or_default();
            let name = name.trim_ascii_end();
            keep = names.iter().any(|n| n.eq_ignore_ascii_case(name)) != not;
        }
        if keep {
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The bytes of `section` of a message (RFC 9051 §6.4.5); a part that
/// does not exist gives an empty string, as Dovecot sends.
fn section_bytes(info: &MessageInfo, raw: &Bytes, section: &Section) -> Bytes {
    let path: Vec<u32> = section.part().iter().map(|n| n.get()).collect();
    let cut = |range: std::ops::Range<usize>| {
        raw.slice(range.start.min(raw.len())..range.end.min(raw.len()))
    };
    let message = || info.part(&path).and_then(|p| p.message);
    let header_fields_of = |names: &Vec1<_>, not: bool| -> Option<Bytes> {
        let message = message()?;
        let names: Vec<&[u8]> = names
            .iter()
            .map(imapkit_proto::core::AString::as_bytes)
            .collect();
        Some(Bytes::from(header_fields(
            &cut(message.header),
            &names,
            not,
        )))
    };
    let bytes = match section.text() {
        None if path.is_empty() => Some(raw.clone()),
        None => info.part(&path).map(|p| cut(p.body)),
        Some(SectionText::Mime) => info.part(&path).map(|p| cut(p.header)),
        Some(SectionText::Header) => message().map(|m| cut(m.header)),
        Some(SectionText::Text) => message().map(|m| cut(m.text)),
        Some(SectionText::HeaderFields(names)) => header_fields_of(names, false),
        Some(SectionText::HeaderFieldsNot(names)) => header_fields_of(names, true),
    };
    bytes.unwrap_or_default()
}

/// A message's MIME metadata from the backend's cache, when there and
/// computed from a message of `len` bytes (its RFC822.SIZE): SORT and
/// THREAD then need not read the message.
pub(super) async fn cached_metadata(
    selected: &Selected,
    uid: u32,
    len: usize,
) -> Option<MessageInfo> {
    let cached = selected.mailbox.cached_metadata(uid).await.ok()??;
    MessageInfo::from_bytes(&cached).filter(|i| i.message_len() == len)
}

/// Loads a message's MIME metadata from the backend's cache, or parses it
/// and stores it there.
pub(super) async fn metadata(selected: &Selected, uid: u32, raw: &[u8]) -> MessageInfo {
    if let Some(info) = cached_metadata(selected, uid, raw.len()).await {
        return info;
    }
    let info = MessageInfo::parse(raw);
    if let Err(error) = selected
        .mailbox
        .store_metadata(uid, Bytes::from(info.to_bytes()))
        .await
    {
        tracing::debug!(%error, "metadata cache not written");
    }
    info
}

/// The data items of one message, in the order asked.
fn items(
    entry: &Entry,
    attributes: &[FetchAttribute],
    raw: &Bytes,
    info: Option<&MessageInfo>,
) -> Result<Vec<MessageDataItem>, Outcome> {
    let info = || info.expect("parsed when an attribute needs it");
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
            FetchAttribute::Envelope => MessageDataItem::Envelope(info().envelope().clone()),
            FetchAttribute::Body => MessageDataItem::Body(info().body_structure(false)),
            FetchAttribute::BodyStructure => {
                MessageDataItem::BodyStructure(info().body_structure(true))
            }
            FetchAttribute::Rfc822 => MessageDataItem::Rfc822(literal(raw.clone())),
            FetchAttribute::Rfc822Header => {
                let header = info()
                    .part(&[])
                    .map(|p| raw.slice(p.header))
                    .unwrap_or_default();
                MessageDataItem::Rfc822Header(literal(header))
            }
            FetchAttribute::Rfc822Text => {
                let text = info()
                    .part(&[])
                    .map(|p| raw.slice(p.body))
                    .unwrap_or_default();
                MessageDataItem::Rfc822Text(literal(text))
            }
            FetchAttribute::BodySection {
                section, partial, ..
            } => {
                let mut data = section_bytes(info(), raw, section);
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
    let mime_needed = attributes
        .iter()
        .any(|a| needs_raw(a) && !matches!(a, FetchAttribute::Rfc822));
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
        let info = if mime_needed {
            Some(metadata(selected, uid_of, &raw).await)
        } else {
            None
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
        let items = items(selected.view.entry(index), &with_flags, &raw, info.as_ref())?;
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
