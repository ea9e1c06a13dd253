//! FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9).
//!
//! Flags, UIDs, sizes and internal dates come from the session's view;
//! ENVELOPE and BODYSTRUCTURE come from the MIME metadata, parsed once per
//! message and kept in the backend's metadata cache, so a section is a
//! byte-range cut, never a re-parse.
//!
//! # Bodies: read whole, or streamed
//! A message no larger than [`Limits::fetch_chunk`](crate::Limits) is read
//! with one [`Mailbox::fetch_message`] and its items are cut from it. A
//! larger one is never read whole when its metadata is cached (or not
//! needed): every body item that is a range of the message (`BODY[]`,
//! `RFC822`, `RFC822.HEADER`, `RFC822.TEXT`, `HEADER`, `TEXT`, `MIME`,
//! parts, and partials of them) is announced as a literal of its known
//! length, then read with [`Mailbox::fetch_range`] and written one chunk
//! at a time, each written (waiting while the client does not read)
//! before the next is read. A session's memory for a body is then about
//! two chunks (the first chunk, read before anything is sent to learn that
//! the message is still there, and the one being written), whatever the
//! message's size.
//!
//! What still costs more than a chunk:
//! - The first FETCH that needs the metadata of a large message
//!   (BODYSTRUCTURE, ENVELOPE, a section) reads it whole once, to parse
//!   it; its items are then cut from that read. Later FETCHes use the
//!   cached metadata.
//! - `HEADER.FIELDS` reads the header it picks from, and `BINARY` reads
//!   the part it decodes (and keeps it decoded): the size of that part.
//!
//! Once a literal was announced, its octets must follow: a read that fails
//! or comes back short then (another session expunged the message
//! meanwhile, and the backend cannot read it any more) ends the connection,
//! as Dovecot does when a message's size is not what it said.
//!
//! # Layout
//! - `section`: locating `BODY[...]` sections and partials.
//! - `binary`: decoding parts for `BINARY[...]` and `BINARY.SIZE[...]`.

mod binary;
mod section;

use std::num::{NonZeroU32, NonZeroU64};
use std::ops::Range;

use bytes::Bytes;
use imapkit_proto::codec::{Encode, Fragment};
use imapkit_proto::core::{IString, Literal, LiteralMode, NString, Vec1};
use imapkit_proto::datetime::DateTime;
use imapkit_proto::fetch::{
    BinaryData, FetchAttribute, FetchData, MessageDataItem, Section, StreamedItem,
};
use imapkit_proto::flag::FlagFetch;
use imapkit_proto::response::{Code, Data, Response};

use self::binary::DecodeError;
use self::section::{apply_partial, cut, header_fields, locate, partial_range, wide, Located};
use super::selected_mut;
use crate::backend::{BackendError, Flag, InternalDate, Mailbox, StoreOp};
use crate::connection::{Connection, State};
use crate::flags::flags_to_wire;
use crate::mime::MessageInfo;
use crate::outcome::{Handled, Outcome, Refusal};
use crate::transport::Transport;
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

/// Whether an attribute needs the MIME metadata: every one that needs the
/// bytes, except the whole message (`RFC822`, `BODY[]` and its partials).
fn needs_mime(attribute: &FetchAttribute) -> bool {
    match attribute {
        FetchAttribute::Rfc822 => false,
        FetchAttribute::BodySection { section, .. } => !is_whole(section),
        other => needs_raw(other),
    }
}

/// Whether `section` is the whole message (`[]`).
fn is_whole(section: &Section) -> bool {
    section.part().is_empty() && section.text().is_none()
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

/// `bytes` with NUL (which a literal cannot carry, and only BINARY may
/// send) made 0x80, as Dovecot does; shared when there is none.
fn without_nul(bytes: Bytes) -> Bytes {
    if bytes.contains(&0) {
        Bytes::from(
            bytes
                .iter()
                .map(|&b| if b == 0 { 0x80 } else { b })
                .collect::<Vec<u8>>(),
        )
    } else {
        bytes
    }
}

/// `bytes` as a literal (see [`without_nul`]).
fn literal(bytes: Bytes) -> NString {
    NString(Some(IString::Literal(Literal::unvalidated(
        without_nul(bytes),
        LiteralMode::Sync,
    ))))
}

/// `item` holding `data`, as sent when the octets are at hand.
fn with_data(item: StreamedItem, data: Bytes) -> MessageDataItem {
    let data = literal(data);
    match item {
        StreamedItem::BodySection { section, origin } => MessageDataItem::BodySection {
            section,
            origin,
            data,
        },
        StreamedItem::Rfc822 => MessageDataItem::Rfc822(data),
        StreamedItem::Rfc822Header => MessageDataItem::Rfc822Header(data),
        StreamedItem::Rfc822Text => MessageDataItem::Rfc822Text(data),
    }
}

/// A message's octets, as one FETCH reads them.
enum Source {
    /// Read whole with one call: a small message, or one whose metadata
    /// had to be parsed.
    Whole(Bytes),
    /// Read in ranges with [`Mailbox::fetch_range`].
    Ranges {
        /// The message.
        uid: u32,
        /// Its size (RFC822.SIZE).
        len: u64,
        /// Its first chunk, read before anything is sent: it tells that
        /// the message is still there, and often holds the header.
        head: Bytes,
    },
}

impl Source {
    /// The message's size.
    fn len(&self) -> u64 {
        match self {
            Self::Whole(raw) => raw.len() as u64,
            Self::Ranges { len, .. } => *len,
        }
    }

    /// Octets `range` of the message, cut to its end.
    async fn read(&self, mailbox: &dyn Mailbox, range: Range<u64>) -> Result<Bytes, BackendError> {
        match self {
            Self::Whole(raw) => Ok(cut(raw, range)),
            Self::Ranges { uid, len, head } => {
                let end = range.end.min(*len);
                let start = range.start.min(end);
                if end <= head.len() as u64 {
                    Ok(cut(head, start..end))
                } else {
                    mailbox.fetch_range(*uid, start..end).await
                }
            }
        }
    }

    /// The item for octets `range` of the message: a literal of them when
    /// the message is at hand, else a streamed literal whose range joins
    /// `streamed`, in the order of the response.
    fn body_item(
        &self,
        item: StreamedItem,
        range: Range<u64>,
        streamed: &mut Vec<Range<u64>>,
    ) -> MessageDataItem {
        match self {
            Self::Whole(raw) => with_data(item, cut(raw, range)),
            Self::Ranges { len, .. } => {
                let end = range.end.min(*len);
                let start = range.start.min(end);
                streamed.push(start..end);
                MessageDataItem::Streamed {
                    item,
                    len: end - start,
                }
            }
        }
    }
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

/// The data items of one message, in the order asked, and the ranges of
/// the message its streamed items send, in order. A BINARY item whose
/// part cannot be decoded is left out and its reason kept in `failed`, for
/// the tagged answer (RFC 3516 §4.3).
async fn items(
    entry: &Entry,
    attributes: &[FetchAttribute],
    mailbox: &dyn Mailbox,
    source: &Source,
    info: Option<&MessageInfo>,
    failed: &mut Option<DecodeError>,
) -> Result<(Vec<MessageDataItem>, Vec<Range<u64>>), BackendError> {
    let info = || info.expect("parsed when an attribute needs it");
    let root = || info().part(&[]);
    let mut items = Vec::with_capacity(attributes.len());
    let mut streamed = Vec::new();
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
            FetchAttribute::Rfc822 => {
                source.body_item(StreamedItem::Rfc822, 0..source.len(), &mut streamed)
            }
            FetchAttribute::Rfc822Header => {
                let header = root().map_or(0..0, |p| wide(&p.header));
                source.body_item(StreamedItem::Rfc822Header, header, &mut streamed)
            }
            FetchAttribute::Rfc822Text => {
                let text = root().map_or(0..0, |p| wide(&p.body));
                source.body_item(StreamedItem::Rfc822Text, text, &mut streamed)
            }
            FetchAttribute::BodySection {
                section, partial, ..
            } => {
                let located = if is_whole(section) {
                    Located::Range(0..source.len())
                } else {
                    locate(info(), section)
                };
                match located {
                    Located::Range(range) => {
                        let (range, origin) = partial_range(range, *partial);
                        let item = StreamedItem::BodySection {
                            section: section.clone(),
                            origin,
                        };
                        source.body_item(item, range, &mut streamed)
                    }
                    Located::Fields { header, names, not } => {
                        let header = source.read(mailbox, header).await?;
                        let fields = header_fields(&header, names, not);
                        let (data, origin) = apply_partial(fields, *partial);
                        MessageDataItem::BodySection {
                            section: section.clone(),
                            origin,
                            data: literal(data),
                        }
                    }
                }
            }
            FetchAttribute::Binary {
                section, partial, ..
            } => match binary(info(), mailbox, source, section).await? {
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
                match binary(info(), mailbox, source, section).await? {
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
    Ok((items, streamed))
}

/// The decoded content of part `section` (RFC 3516 §4.2), reading only
/// that part; a part that does not exist is empty, as Dovecot sends.
async fn binary(
    info: &MessageInfo,
    mailbox: &dyn Mailbox,
    source: &Source,
    section: &[NonZeroU32],
) -> Result<Result<Bytes, DecodeError>, BackendError> {
    let path = part_path(section);
    let Some(part) = info.part(&path) else {
        return Ok(Ok(Bytes::new()));
    };
    let header = if path.is_empty() {
        Some(source.read(mailbox, wide(&part.header)).await?)
    } else {
        None
    };
    let body = source.read(mailbox, wide(&part.body)).await?;
    Ok(binary::decode(&part, header, body))
}

/// How one message's octets will be read, with its metadata when asked:
/// `None` when the message is gone.
async fn open_source(
    selected: &Selected,
    uid: u32,
    size: u64,
    mime_needed: bool,
    chunk: usize,
) -> Result<Option<(Source, Option<MessageInfo>)>, BackendError> {
    let gone = |error| match error {
        // Expunged by another session: not this session's business until
        // it is told (RFC 2180 §4.1.2).
        BackendError::NonExistent | BackendError::ExpungeIssued => Ok(None),
        error => Err(error),
    };
    let len = usize::try_from(size).unwrap_or(usize::MAX);
    let cached = if mime_needed && size > chunk as u64 {
        cached_metadata(selected, uid, len).await
    } else {
        None
    };
    if size <= chunk as u64 || (mime_needed && cached.is_none()) {
        let raw = match selected.mailbox.fetch_message(uid).await {
            Ok(raw) => raw,
            Err(error) => return gone(error),
        };
        let info = if mime_needed {
            Some(metadata(selected, uid, &raw).await)
        } else {
            None
        };
        return Ok(Some((Source::Whole(raw), info)));
    }
    let head = match selected.mailbox.fetch_range(uid, 0..chunk as u64).await {
        Ok(head) => head,
        Err(error) => return gone(error),
    };
    Ok(Some((
        Source::Ranges {
            uid,
            len: size,
            head,
        },
        cached,
    )))
}

/// Sends one FETCH response whose streamed items send `ranges` of message
/// `uid`, read from `source` one chunk at a time.
///
/// # Errors
/// A read that fails or comes back short after its literal was announced
/// is an I/O error: the connection cannot go on (see the module docs).
async fn send_streamed(
    transport: &mut Transport,
    mailbox: &dyn Mailbox,
    source: &Source,
    response: Response,
    ranges: Vec<Range<u64>>,
    chunk: usize,
) -> Result<(), Refusal> {
    let mut ranges = ranges.into_iter();
    for fragment in response.encode() {
        let Fragment::Streamed { len } = fragment else {
            transport.send_fragment(fragment).await?;
            continue;
        };
        let range = ranges.next().expect("one range per streamed item");
        debug_assert_eq!(range.end - range.start, len);
        let mut at = range.start;
        while at < range.end {
            let end = range.end.min(at.saturating_add(chunk as u64));
            let data = match source.read(mailbox, at..end).await {
                Ok(data) if data.len() as u64 == end - at => data,
                read => {
                    let read = read.map(|data| data.len());
                    tracing::error!(?read, wanted = ?(at..end), "message body unreadable after its literal was announced; closing");
                    return Err(Refusal::Io(std::io::Error::other(
                        "message body unreadable while it was sent",
                    )));
                }
            };
            transport.write_data(without_nul(data)).await?;
            at = end;
        }
    }
    Ok(())
}

/// The connection's transport and its selected mailbox, borrowed at once.
fn transport_and_selected(
    conn: &mut Connection,
) -> Result<(&mut Transport, &mut Selected), Outcome> {
    match &mut conn.state {
        State::Selected(_, selected) => Ok((&mut conn.transport, selected)),
        _ => Err(Outcome::bad(None, "No mailbox selected")),
    }
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
    let mime_needed = attributes.iter().any(needs_mime);
    let seen_needed = attributes.iter().any(sets_seen);
    let chunk = conn.shared.limits.fetch_chunk.max(1);
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
        let (transport, selected) = transport_and_selected(conn)?;
        let entry = selected.view.entry(index);
        let (uid_of, size) = (entry.uid, entry.size);
        let (source, info) = if raw_needed {
            match open_source(selected, uid_of, size, mime_needed, chunk).await? {
                Some(opened) => opened,
                None => {
                    gone = true;
                    continue;
                }
            }
        } else {
            (Source::Whole(Bytes::new()), None)
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
        let (items, streamed) = items(
            selected.view.entry(index),
            &with_flags,
            &*selected.mailbox,
            &source,
            info.as_ref(),
            &mut failed,
        )
        .await?;
        let Ok(items) = Vec1::try_from(items) else {
            continue;
        };
        let seq = NonZeroU32::new(index as u32 + 1).expect("index + 1 is not zero");
        let response = Response::Data(Data::Fetch(FetchData { seq, items }));
        if streamed.is_empty() {
            transport.send(response.encode()).await?;
        } else {
            let mailbox = &*selected.mailbox;
            send_streamed(transport, mailbox, &source, response, streamed, chunk).await?;
        }
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
