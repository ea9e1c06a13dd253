//! FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9).
//!
//! Flags, UIDs, sizes and internal dates come from the session's view;
//! bodies are read from the backend once per message; ENVELOPE and
//! BODYSTRUCTURE come from the MIME metadata, parsed once per message and
//! kept in the backend's metadata cache, so a section is a byte-range cut,
//! never a re-parse.
//!
//! # Layout
//! - `section`: cutting `BODY[...]` sections and partials.
//! - `binary`: decoding parts for `BINARY[...]` and `BINARY.SIZE[...]`.

mod binary;
mod section;

use std::num::{NonZeroU32, NonZeroU64};

use bytes::Bytes;
use imapkit_proto::core::{IString, Literal, LiteralMode, NString, Vec1};
use imapkit_proto::datetime::DateTime;
use imapkit_proto::fetch::{BinaryData, FetchAttribute, FetchData, MessageDataItem};
use imapkit_proto::flag::FlagFetch;
use imapkit_proto::response::{Code, Data, Response};

use self::binary::DecodeError;
use self::section::{apply_partial, section_bytes};
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

/// `section-part` numbers as the MIME metadata takes them.
fn part_path(section: &[NonZeroU32]) -> Vec<u32> {
    section.iter().map(|n| n.get()).collect()
}

/// The data items of one message, in the order asked. A BINARY item
/// whose part cannot be decoded is left out and its reason kept in
/// `failed`, for the tagged answer (RFC 3516 §4.3).
fn items(
    entry: &Entry,
    attributes: &[FetchAttribute],
    raw: &Bytes,
    info: Option<&MessageInfo>,
    failed: &mut Option<DecodeError>,
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
                let (data, origin) = apply_partial(section_bytes(info(), raw, section), *partial);
                MessageDataItem::BodySection {
                    section: section.clone(),
                    origin,
                    data: literal(data),
                }
            }
            FetchAttribute::Binary {
                section, partial, ..
            } => match binary::decoded(info(), raw, &part_path(section)) {
                Ok(data) => {
                    let (data, origin) = apply_partial(data, *partial);
                    MessageDataItem::Binary {
                        section: section.clone(),
                        origin,
                        data: BinaryData::from_bytes(data),
                    }
                }
                Err(error) => {
                    failed.get_or_insert(error);
                    continue;
                }
            },
            FetchAttribute::BinarySize { section } => {
                match binary::decoded(info(), raw, &part_path(section)) {
                    Ok(data) => MessageDataItem::BinarySize {
                        section: section.clone(),
                        size: u32::try_from(data.len()).unwrap_or(u32::MAX),
                    },
                    Err(error) => {
                        failed.get_or_insert(error);
                        continue;
                    }
                }
            }
            FetchAttribute::ModSeq => {
                MessageDataItem::ModSeq(NonZeroU64::new(entry.modseq).unwrap_or(NonZeroU64::MIN))
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
    let mut attributes = fetch.items.attributes();
    let condstore_used =
        fetch.changed_since.is_some() || attributes.contains(&FetchAttribute::ModSeq);
    if condstore_used {
        let modseq = conn.state.session().is_some_and(|s| s.supports_modseq());
        if !modseq {
            return Ok(Outcome::bad(
                None,
                "MODSEQ and CHANGEDSINCE need CONDSTORE, which this mailbox store cannot keep",
            ));
        }
        if fetch.changed_since.is_some_and(|c| c.vanished) && !(uid && conn.enabled.qresync) {
            // RFC 7162 §3.2.6: VANISHED only in UID FETCH, after ENABLE QRESYNC.
            return Ok(Outcome::bad(
                None,
                "VANISHED needs UID FETCH and ENABLE QRESYNC",
            ));
        }
        // RFC 7162 §3.1: FETCH MODSEQ and CHANGEDSINCE enable CONDSTORE.
        conn.enabled.condstore = true;
    }
    // RFC 9051 §6.4.9: UID FETCH always reports the UID.
    if uid && !attributes.contains(&FetchAttribute::Uid) {
        attributes.push(FetchAttribute::Uid);
    }
    // RFC 7162 §3.1.4.1: CHANGEDSINCE implies MODSEQ; with CONDSTORE on,
    // flags go with their modseq, as Dovecot sends.
    let wants_modseq = fetch.changed_since.is_some()
        || (conn.enabled.condstore && attributes.contains(&FetchAttribute::Flags));
    if wants_modseq && !attributes.contains(&FetchAttribute::ModSeq) {
        attributes.push(FetchAttribute::ModSeq);
    }
    let raw_needed = attributes.iter().any(needs_raw);
    let mime_needed = attributes
        .iter()
        .any(|a| needs_raw(a) && !matches!(a, FetchAttribute::Rfc822));
    let seen_needed = attributes.iter().any(sets_seen);
    let selected = selected_mut(conn)?;
    let mut indexes = selected
        .view
        .resolve(&fetch.sequence_set, uid, &selected.saved)?;
    if let Some(changed) = fetch.changed_since {
        indexes.retain(|&i| selected.view.entry(i).modseq > changed.modseq.get());
        if changed.vanished {
            super::vanished::report(conn, Some(&fetch.sequence_set), changed.modseq.get()).await?;
        }
    }
    let mut gone = false;
    let mut failed = None;
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
                selected.view.set_flags(update);
            }
            // The new flags go with the answer (RFC 9051 §6.4.5, `\Seen`).
            if !with_flags.contains(&FetchAttribute::Flags) {
                with_flags.push(FetchAttribute::Flags);
            }
        }
        let items = items(
            selected.view.entry(index),
            &with_flags,
            &raw,
            info.as_ref(),
            &mut failed,
        )?;
        let Ok(items) = Vec1::try_from(items) else {
            continue;
        };
        let seq = NonZeroU32::new(index as u32 + 1).expect("index + 1 is not zero");
        conn.send(Response::Data(Data::Fetch(FetchData { seq, items })))
            .await?;
    }
    Ok(if let Some(error) = failed {
        match error {
            DecodeError::UnknownEncoding => {
                Outcome::no(Some(Code::UnknownCte), "Unknown Content-Transfer-Encoding")
            }
            DecodeError::InvalidData => Outcome::no(Some(Code::Parse), "Invalid data in MIME part"),
        }
    } else if gone {
        Outcome::no(
            Some(Code::ExpungeIssued),
            "Some messages were expunged meanwhile",
        )
    } else {
        Outcome::ok("FETCH completed.")
    })
}
