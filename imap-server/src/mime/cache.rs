//! The cache form of [`MessageInfo`]: a version byte, then the message
//! length, the envelope, the References field and the part tree, depth
//! first. Numbers are LEB128
//! varints, byte strings a varint length then the bytes, optional values a
//! `0`/`1` tag first. Strings are stored as bytes and rebuilt with the same
//! quoting rule, so a round trip gives an equal value.

use imapkit_proto::body::{Address, Envelope};
use imapkit_proto::core::NString;

use super::envelope::nstring;
use super::scan::{Content, MimeFields, Params, Part};
use super::{MessageInfo, MAX_DEPTH};

/// The format version; bump it whenever the layout or the parser's
/// results change, so stale entries are re-parsed.
const VERSION: u8 = 2;

/// Serialises `info`.
pub(super) fn to_bytes(info: &MessageInfo) -> Vec<u8> {
    let mut out = vec![VERSION];
    put_num(&mut out, info.len as u64);
    put_envelope(&mut out, &info.envelope);
    put_opt(&mut out, info.references.as_deref());
    put_part(&mut out, &info.root);
    out
}

/// Reads what [`to_bytes`] wrote; `None` for anything else.
pub(super) fn from_bytes(bytes: &[u8]) -> Option<MessageInfo> {
    let (&version, rest) = bytes.split_first()?;
    if version != VERSION {
        return None;
    }
    let mut reader = Reader { data: rest, pos: 0 };
    let len = reader.usize()?;
    let envelope = reader.envelope()?;
    let references = reader.opt()?;
    let root = reader.part(0, len)?;
    (reader.pos == rest.len()).then_some(MessageInfo {
        len,
        root,
        envelope,
        references,
    })
}

/// Appends `value` as an LEB128 varint.
fn put_num(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends a length-prefixed byte string.
fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_num(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Appends an optional byte string.
fn put_opt(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
    match bytes {
        None => out.push(0),
        Some(bytes) => {
            out.push(1);
            put_bytes(out, bytes);
        }
    }
}

/// Appends an nstring.
fn put_nstring(out: &mut Vec<u8>, value: &NString) {
    put_opt(out, value.as_bytes());
}

/// Appends a parameter list.
fn put_params(out: &mut Vec<u8>, params: &Params) {
    put_num(out, params.len() as u64);
    for (name, value) in params {
        put_bytes(out, name);
        put_bytes(out, value);
    }
}

/// Appends an envelope.
fn put_envelope(out: &mut Vec<u8>, envelope: &Envelope) {
    put_nstring(out, &envelope.date);
    put_nstring(out, &envelope.subject);
    for list in [
        &envelope.from,
        &envelope.sender,
        &envelope.reply_to,
        &envelope.to,
        &envelope.cc,
        &envelope.bcc,
    ] {
        put_num(out, list.len() as u64);
        for address in list {
            for field in [&address.name, &address.adl, &address.mailbox, &address.host] {
                put_nstring(out, field);
            }
        }
    }
    put_nstring(out, &envelope.in_reply_to);
    put_nstring(out, &envelope.message_id);
}

/// Appends a part and, depth first, the parts inside it.
fn put_part(out: &mut Vec<u8>, part: &Part) {
    for offset in [part.header.start, part.header.end, part.body.end] {
        put_num(out, offset as u64);
    }
    put_num(out, part.lines);
    let mime = &part.mime;
    put_bytes(out, &mime.media_type);
    put_bytes(out, &mime.subtype);
    put_params(out, &mime.params);
    for field in [&mime.id, &mime.description, &mime.encoding, &mime.md5] {
        put_opt(out, field.as_deref());
    }
    match &mime.disposition {
        None => out.push(0),
        Some((kind, params)) => {
            out.push(1);
            put_bytes(out, kind);
            put_params(out, params);
        }
    }
    put_num(out, mime.language.len() as u64);
    for tag in &mime.language {
        put_bytes(out, tag);
    }
    put_opt(out, mime.location.as_deref());
    match &part.content {
        Content::Leaf => out.push(0),
        Content::Multi(parts) => {
            out.push(1);
            put_num(out, parts.len() as u64);
            for child in parts {
                put_part(out, child);
            }
        }
        Content::Message { envelope, root } => {
            out.push(2);
            put_envelope(out, envelope);
            put_part(out, root);
        }
    }
}

/// A cursor over cache bytes; every read checks what is left.
struct Reader<'a> {
    /// The bytes after the version.
    data: &'a [u8],
    /// The next byte.
    pos: usize,
}

impl Reader<'_> {
    /// One byte.
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(byte)
    }

    /// A varint.
    fn num(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A varint that fits `usize`.
    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.num()?).ok()
    }

    /// A count of items, each at least one byte long: never more than
    /// the bytes left, so corrupt input cannot make us allocate much.
    fn count(&mut self) -> Option<usize> {
        let count = self.usize()?;
        (count <= self.data.len() - self.pos).then_some(count)
    }

    /// A byte string.
    fn bytes(&mut self) -> Option<Vec<u8>> {
        let len = self.usize()?;
        let end = self.pos.checked_add(len)?;
        let bytes = self.data.get(self.pos..end)?.to_vec();
        self.pos = end;
        Some(bytes)
    }

    /// An optional byte string.
    fn opt(&mut self) -> Option<Option<Vec<u8>>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(self.bytes()?)),
            _ => None,
        }
    }

    /// An nstring.
    fn nstring(&mut self) -> Option<NString> {
        Some(nstring(self.opt()?.as_deref()))
    }

    /// A parameter list.
    fn params(&mut self) -> Option<Params> {
        let count = self.count()?;
        let mut params = Vec::with_capacity(count);
        for _ in 0..count {
            params.push((self.bytes()?, self.bytes()?));
        }
        Some(params)
    }

    /// An envelope.
    fn envelope(&mut self) -> Option<Envelope> {
        let date = self.nstring()?;
        let subject = self.nstring()?;
        let mut lists: [Vec<Address>; 6] = Default::default();
        for list in &mut lists {
            let count = self.count()?;
            for _ in 0..count {
                list.push(Address {
                    name: self.nstring()?,
                    adl: self.nstring()?,
                    mailbox: self.nstring()?,
                    host: self.nstring()?,
                });
            }
        }
        let [from, sender, reply_to, to, cc, bcc] = lists;
        Some(Envelope {
            date,
            subject,
            from,
            sender,
            reply_to,
            to,
            cc,
            bcc,
            in_reply_to: self.nstring()?,
            message_id: self.nstring()?,
        })
    }

    /// A part at nesting `depth` of a message of `len` bytes.
    fn part(&mut self, depth: usize, len: usize) -> Option<Part> {
        // The scanner nests at most MAX_DEPTH levels, plus the opaque leaf.
        if depth > MAX_DEPTH + 1 {
            return None;
        }
        let start = self.usize()?;
        let header_end = self.usize()?;
        let body_end = self.usize()?;
        if !(start <= header_end && header_end <= body_end && body_end <= len) {
            return None;
        }
        let lines = self.num()?;
        let media_type = self.bytes()?;
        let subtype = self.bytes()?;
        let params = self.params()?;
        let id = self.opt()?;
        let description = self.opt()?;
        let encoding = self.opt()?;
        let md5 = self.opt()?;
        let disposition = match self.byte()? {
            0 => None,
            1 => Some((self.bytes()?, self.params()?)),
            _ => return None,
        };
        let count = self.count()?;
        let mut language = Vec::with_capacity(count);
        for _ in 0..count {
            language.push(self.bytes()?);
        }
        let location = self.opt()?;
        let content = match self.byte()? {
            0 => Content::Leaf,
            1 => {
                let count = self.count()?;
                if count == 0 {
                    return None;
                }
                let mut parts = Vec::with_capacity(count);
                for _ in 0..count {
                    parts.push(self.part(depth + 1, len)?);
                }
                Content::Multi(parts)
            }
            2 => Content::Message {
                envelope: Box::new(self.envelope()?),
                root: Box::new(self.part(depth + 1, len)?),
            },
            _ => return None,
        };
        Some(Part {
            header: start..header_end,
            body: header_end..body_end,
            lines,
            mime: MimeFields {
                media_type,
                subtype,
                params,
                id,
                description,
                encoding,
                md5,
                disposition,
                language,
                location,
            },
            content,
        })
    }
}
