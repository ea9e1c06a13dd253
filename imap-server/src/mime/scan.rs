//! The part scanner: header ends, boundary lines, nested messages, with
//! exact byte offsets; and each part's MIME header fields.
//!
//! Rules (RFC 2045, RFC 2046 §5.1.1, RFC 5322 §2.1):
//! - a header ends at its first empty line (CRLF, or a bare LF);
//! - a boundary line is `--boundary` at a line start, then optional
//!   whitespace and the line end; `--boundary--` closes the multipart; the
//!   line end before a boundary line belongs to the boundary;
//! - a boundary line of any enclosing multipart also ends a part (the
//!   innermost boundary is tried first), so a multipart without its final
//!   boundary ends where its parent's next boundary, or the message, does;
//! - preamble and epilogue belong to no part;
//! - no `Content-Type` means `text/plain; charset=us-ascii`, or
//!   `message/rfc822` inside `multipart/digest`;
//! - `message/rfc822` and `message/global` parts hold a message, parsed
//!   the same way.

use std::collections::HashMap;
use std::ops::Range;

use imapkit_proto::body::Envelope;

use super::{envelope, MAX_DEPTH, MAX_PARTS};

/// Attribute and value pairs, as sent (RFC 2231 continuations joined).
pub(super) type Params = Vec<(Vec<u8>, Vec<u8>)>;

/// One part of the tree (the message itself is the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Part {
    /// The header, with its empty line when it has one.
    pub(super) header: Range<usize>,
    /// The body; starts where the header ends.
    pub(super) body: Range<usize>,
    /// The number of LF in the body (`body-fld-lines`).
    pub(super) lines: u64,
    /// The MIME header fields BODYSTRUCTURE reports.
    pub(super) mime: MimeFields,
    /// What the body holds.
    pub(super) content: Content,
}

/// What a part's body holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Content {
    /// Data: a leaf, or a part left opaque by [`MAX_DEPTH`] or [`MAX_PARTS`].
    Leaf,
    /// The parts of a multipart, never empty (a multipart without parts
    /// gets one empty `text/plain` part at its end, as Dovecot reports it).
    Multi(Vec<Part>),
    /// An encapsulated message.
    Message {
        /// Its envelope.
        envelope: Box<Envelope>,
        /// The message as a part: its header and body.
        root: Box<Part>,
    },
}

/// The MIME header fields of a part, as sent (unfolded), with defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MimeFields {
    /// The media type, e.g. `text`.
    pub(super) media_type: Vec<u8>,
    /// The media subtype, e.g. `plain`.
    pub(super) subtype: Vec<u8>,
    /// The `Content-Type` parameters.
    pub(super) params: Params,
    /// `Content-ID`.
    pub(super) id: Option<Vec<u8>>,
    /// `Content-Description`.
    pub(super) description: Option<Vec<u8>>,
    /// `Content-Transfer-Encoding`, `None` for the default `7bit`.
    pub(super) encoding: Option<Vec<u8>>,
    /// `Content-MD5`.
    pub(super) md5: Option<Vec<u8>>,
    /// `Content-Disposition`: its type and parameters.
    pub(super) disposition: Option<(Vec<u8>, Params)>,
    /// `Content-Language` tags.
    pub(super) language: Vec<Vec<u8>>,
    /// `Content-Location`.
    pub(super) location: Option<Vec<u8>>,
}

/// What a part's declared type makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TypeClass {
    /// `multipart/*`.
    Multipart,
    /// `message/rfc822`.
    Rfc822,
    /// `message/global`.
    Global,
    /// `text/*`.
    Text,
    /// Anything else.
    Other,
}

impl MimeFields {
    /// The fields of a part without a MIME header.
    pub(super) fn default_for(in_digest: bool) -> Self {
        let (media_type, subtype, params) = if in_digest {
            (b"message".to_vec(), b"rfc822".to_vec(), vec![])
        } else {
            (
                b"text".to_vec(),
                b"plain".to_vec(),
                vec![(b"charset".to_vec(), b"us-ascii".to_vec())],
            )
        };
        MimeFields {
            media_type,
            subtype,
            params,
            id: None,
            description: None,
            encoding: None,
            md5: None,
            disposition: None,
            language: vec![],
            location: None,
        }
    }

    /// Reads the MIME fields of `header` (first occurrence of each wins).
    pub(super) fn parse(header: &[u8], in_digest: bool) -> Self {
        let mut fields = Self::default_for(in_digest);
        let mut content_type = None;
        for (name, value) in header_fields(header) {
            let slot = match name.to_ascii_lowercase().as_slice() {
                b"content-type" => {
                    content_type.get_or_insert(value);
                    continue;
                }
                b"content-transfer-encoding" => {
                    if fields.encoding.is_none() {
                        let token = first_token(&value);
                        fields.encoding = (!token.is_empty()).then(|| token.to_vec());
                    }
                    continue;
                }
                b"content-disposition" => {
                    if fields.disposition.is_none() {
                        let token = first_token(&value);
                        if !token.is_empty() {
                            let rest = &value[value.len().min(skip_token(&value))..];
                            fields.disposition = Some((token.to_vec(), parse_params(rest)));
                        }
                    }
                    continue;
                }
                b"content-language" => {
                    if fields.language.is_empty() {
                        fields.language = strip_comments(&value)
                            .split(|&b| b == b',')
                            .map(|tag| trim(tag).to_vec())
                            .filter(|tag| !tag.is_empty())
                            .collect();
                    }
                    continue;
                }
                b"content-id" => &mut fields.id,
                b"content-description" => &mut fields.description,
                b"content-md5" => &mut fields.md5,
                b"content-location" => &mut fields.location,
                _ => continue,
            };
            slot.get_or_insert_with(|| trim(&value).to_vec());
        }
        if let Some(value) = content_type {
            if let Some((media_type, subtype, rest)) = parse_type(&value) {
                fields.media_type = media_type.to_vec();
                fields.subtype = subtype.to_vec();
                fields.params = parse_params(rest);
                if fields.params.is_empty() && media_type.eq_ignore_ascii_case(b"text") {
                    // Dovecot's default, which clients have come to expect.
                    fields.params = vec![(b"charset".to_vec(), b"us-ascii".to_vec())];
                }
            }
        }
        fields
    }

    /// The class of the declared type.
    pub(super) fn class(&self) -> TypeClass {
        let is = |a: &[u8], b: &[u8]| a.eq_ignore_ascii_case(b);
        if is(&self.media_type, b"multipart") {
            TypeClass::Multipart
        } else if is(&self.media_type, b"text") {
            TypeClass::Text
        } else if is(&self.media_type, b"message") && is(&self.subtype, b"rfc822") {
            TypeClass::Rfc822
        } else if is(&self.media_type, b"message") && is(&self.subtype, b"global") {
            TypeClass::Global
        } else {
            TypeClass::Other
        }
    }

    /// The `boundary` parameter, when set and not empty.
    fn boundary(&self) -> Option<&[u8]> {
        self.params
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(b"boundary"))
            .map(|(_, value)| value.as_slice())
            .filter(|value| !value.is_empty())
    }
}

/// The fields of a header as (name, unfolded value): the CRLF (or LF) of
/// each fold is removed and the whitespace after it kept; leading
/// whitespace of the value is dropped, trailing whitespace kept (as
/// Dovecot does). Lines without a colon are skipped.
pub(super) fn header_fields(header: &[u8]) -> Vec<(&[u8], Vec<u8>)> {
    let mut fields: Vec<(&[u8], Vec<u8>)> = Vec::new();
    let mut in_field = false;
    for line in header.split_inclusive(|&b| b == b'\n') {
        let content = strip_eol(line);
        if content.is_empty() {
            break;
        }
        if matches!(content[0], b' ' | b'\t') {
            if let (true, Some((_, value))) = (in_field, fields.last_mut()) {
                value.extend_from_slice(content);
            }
            continue;
        }
        in_field = false;
        let Some(colon) = content.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = trim(&content[..colon]);
        let value = &content[colon + 1..];
        let start = value
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t'))
            .unwrap_or(value.len());
        fields.push((name, value[start..].to_vec()));
        in_field = true;
    }
    // Whitespace that only came from folds at the start stays dropped.
    for (_, value) in &mut fields {
        let start = value
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t'))
            .unwrap_or(value.len());
        value.drain(..start);
    }
    fields
}

/// `line` without its LF or CRLF.
fn strip_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// `bytes` without leading and trailing whitespace.
pub(super) fn trim(bytes: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |e| e + 1);
    &bytes[start..end]
}

/// `value` with its RFC 5322 comments removed (nested, with `\` escapes),
/// quoted strings left alone.
fn strip_comments(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for &b in value {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(b);
            }
            continue;
        }
        match b {
            b'\\' if depth > 0 || quoted => {
                escaped = true;
                if depth == 0 {
                    out.push(b);
                }
            }
            b'"' if depth == 0 => {
                quoted = !quoted;
                out.push(b);
            }
            b'(' if !quoted => depth += 1,
            b')' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(b),
            _ => {}
        }
    }
    out
}

/// Whether `b` may stand in an RFC 2045 token.
fn is_token_byte(b: u8) -> bool {
    b > b' ' && b != 0x7f && !b"()<>@,;:\\\"/[]?=".contains(&b)
}

/// Where the first token of `value` (after whitespace and comments) ends.
fn skip_token(value: &[u8]) -> usize {
    let start = skip_cfws(value, 0);
    start
        + value[start..]
            .iter()
            .position(|&b| !is_token_byte(b))
            .unwrap_or(value.len() - start)
}

/// The first token of `value`, after whitespace and comments.
fn first_token(value: &[u8]) -> &[u8] {
    let start = skip_cfws(value, 0);
    &value[start..skip_token(value)]
}

/// The index after whitespace and comments from `pos`.
fn skip_cfws(value: &[u8], mut pos: usize) -> usize {
    let mut depth = 0usize;
    while let Some(&b) = value.get(pos) {
        match b {
            b'\\' if depth > 0 => pos += 1,
            b'(' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ if depth > 0 => {}
            _ => break,
        }
        pos += 1;
    }
    pos.min(value.len())
}

/// `type "/" subtype` and what follows, or `None` when the value is not
/// a valid type (RFC 2045 §5.2: then the default applies).
fn parse_type(value: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let start = skip_cfws(value, 0);
    let type_end = start + value[start..].iter().position(|&b| !is_token_byte(b))?;
    let slash = skip_cfws(value, type_end);
    if value.get(slash) != Some(&b'/') {
        return None;
    }
    let sub_start = skip_cfws(value, slash + 1);
    let sub_end = sub_start
        + value[sub_start..]
            .iter()
            .position(|&b| !is_token_byte(b))
            .unwrap_or(value.len() - sub_start);
    if type_end == start || sub_end == sub_start {
        return None;
    }
    Some((
        &value[start..type_end],
        &value[sub_start..sub_end],
        &value[sub_end..],
    ))
}

/// One RFC 2231 parameter section: base name, index, extended, value.
type Section = (Vec<u8>, u32, bool, Vec<u8>);

/// Parses `*(";" attribute "=" value)`, leniently: an unquoted value runs
/// to the next `;`, whitespace or comment, so the common
/// `boundary=----=_Part_1` (`=` is a tspecial) still works; malformed
/// pieces are skipped. RFC 2231 continuations (`name*0*=`, `name*1=`) are
/// joined into one `name*` (or `name`) parameter, still encoded, and put
/// after the plain ones, as Dovecot does.
fn parse_params(value: &[u8]) -> Params {
    let mut plain = Params::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut pos = 0;
    while pos < value.len() {
        let Some(semi) = value[pos..].iter().position(|&b| b == b';') else {
            break;
        };
        pos = skip_cfws(value, pos + semi + 1);
        let name_end = pos
            + value[pos..]
                .iter()
                .position(|&b| matches!(b, b'=' | b';'))
                .unwrap_or(value.len() - pos);
        let name = trim(&value[pos..name_end]);
        if value.get(name_end) != Some(&b'=') || name.is_empty() {
            pos = name_end;
            continue;
        }
        pos = skip_cfws(value, name_end + 1);
        let mut val = Vec::new();
        if value.get(pos) == Some(&b'"') {
            pos += 1;
            while let Some(&b) = value.get(pos) {
                pos += 1;
                match b {
                    b'"' => break,
                    b'\\' => {
                        if let Some(&next) = value.get(pos) {
                            val.push(next);
                            pos += 1;
                        }
                    }
                    _ => val.push(b),
                }
            }
        } else {
            let end = pos
                + value[pos..]
                    .iter()
                    .position(|&b| matches!(b, b';' | b' ' | b'\t' | b'(' | b'\r' | b'\n'))
                    .unwrap_or(value.len() - pos);
            val.extend_from_slice(&value[pos..end]);
            pos = end;
        }
        match rfc2231_section(name) {
            Some((base, index, extended)) => {
                sections.push((base.to_vec(), index, extended, val));
            }
            None => plain.push((name.to_vec(), val)),
        }
    }
    // Join sections by base name, in order of first appearance. Grouped
    // through a map: comparing every name with every other is quadratic,
    // and a header of 50,000 one-section parameters took 90 s (issue 8).
    let mut groups: Vec<Vec<&Section>> = Vec::new();
    let mut group_of: HashMap<Vec<u8>, usize> = HashMap::new();
    for section in &sections {
        let group = *group_of
            .entry(section.0.to_ascii_lowercase())
            .or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
        groups[group].push(section);
    }
    for mut parts in groups {
        let base = parts[0].0.clone();
        parts.sort_by_key(|(_, index, ..)| *index);
        parts.dedup_by_key(|(_, index, ..)| *index);
        let extended = parts.first().is_some_and(|(_, _, ext, _)| *ext);
        let mut joined = Vec::new();
        for (_, _, ext, val) in parts {
            if extended && !ext {
                // A plain section inside an encoded value: encode it too.
                for &b in val {
                    if is_token_byte(b) && b != b'%' && b != b'\'' && b != b'*' {
                        joined.push(b);
                    } else {
                        joined.extend_from_slice(format!("%{b:02X}").as_bytes());
                    }
                }
            } else {
                joined.extend_from_slice(val);
            }
        }
        let mut name = base;
        if extended {
            name.push(b'*');
        }
        plain.push((name, joined));
    }
    plain
}

/// An RFC 2231 parameter name as (base, section, extended): `name*` is
/// section 0 extended, `name*3` section 3, `name*3*` section 3 extended.
fn rfc2231_section(name: &[u8]) -> Option<(&[u8], u32, bool)> {
    let star = name.iter().position(|&b| b == b'*')?;
    let (base, rest) = (&name[..star], &name[star + 1..]);
    if base.is_empty() {
        return None;
    }
    if rest.is_empty() {
        return Some((base, 0, true));
    }
    let (digits, extended) = match rest.strip_suffix(b"*") {
        Some(digits) => (digits, true),
        None => (rest, false),
    };
    if digits.is_empty() || digits.len() > 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let index = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((base, index, extended))
}

/// Where a scan stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At the end of the message.
    End,
    /// At a boundary line of `bounds[level]`, which starts at `line`;
    /// `next` is the start of the line after it.
    Boundary {
        /// Index into the boundary stack.
        level: usize,
        /// `--boundary--`.
        close: bool,
        /// Start of the boundary line.
        line: usize,
        /// Start of the next line.
        next: usize,
    },
}

/// Parses `raw` into its part tree (the root is the message).
pub(super) fn parse(raw: &[u8]) -> Part {
    let mut scanner = Scanner { raw, parts: 0 };
    let mut bounds = Vec::new();
    scanner.part(0, &mut bounds, 0, false).0
}

/// The scanner's state.
struct Scanner<'a> {
    /// The message.
    raw: &'a [u8],
    /// Parts created so far, against [`MAX_PARTS`].
    parts: usize,
}

impl Scanner<'_> {
    /// The start of the line after the one starting at `pos`.
    fn next_line(&self, pos: usize) -> usize {
        match self.raw[pos..].iter().position(|&b| b == b'\n') {
            Some(lf) => pos + lf + 1,
            None => self.raw.len(),
        }
    }

    /// Whether the line at `line..next` is a boundary line of `bounds`,
    /// innermost first.
    fn boundary_at(&self, line: usize, next: usize, bounds: &[Vec<u8>]) -> Option<Stop> {
        let content = strip_eol(&self.raw[line..next]);
        let rest = content.strip_prefix(b"--")?;
        let is_blank = |s: &[u8]| s.iter().all(|&b| matches!(b, b' ' | b'\t'));
        for (level, boundary) in bounds.iter().enumerate().rev() {
            let Some(after) = rest.strip_prefix(boundary.as_slice()) else {
                continue;
            };
            if is_blank(after) {
                return Some(Stop::Boundary {
                    level,
                    close: false,
                    line,
                    next,
                });
            }
            if after.strip_prefix(b"--").is_some_and(is_blank) {
                return Some(Stop::Boundary {
                    level,
                    close: true,
                    line,
                    next,
                });
            }
        }
        None
    }

    /// Scans lines from `pos` (a line start) to the first boundary line.
    fn find_boundary(&self, mut pos: usize, bounds: &[Vec<u8>]) -> Stop {
        if bounds.is_empty() {
            return Stop::End;
        }
        while pos < self.raw.len() {
            let next = self.next_line(pos);
            if self.raw[pos] == b'-' {
                if let Some(stop) = self.boundary_at(pos, next, bounds) {
                    return stop;
                }
            }
            pos = next;
        }
        Stop::End
    }

    /// Where a body starting at `start` ends, given the stop after it:
    /// the line end before a boundary line belongs to the boundary.
    fn body_end(&self, start: usize, stop: Stop) -> usize {
        match stop {
            Stop::End => self.raw.len(),
            Stop::Boundary { line, .. } => {
                let mut end = line;
                if end > start && self.raw[end - 1] == b'\n' {
                    end -= 1;
                    if end > start && self.raw[end - 1] == b'\r' {
                        end -= 1;
                    }
                }
                end
            }
        }
    }

    /// Parses the part starting at `start`, inside multiparts whose
    /// boundaries are `bounds`, at nesting `depth`.
    fn part(
        &mut self,
        start: usize,
        bounds: &mut Vec<Vec<u8>>,
        depth: usize,
        in_digest: bool,
    ) -> (Part, Stop) {
        self.parts += 1;
        // The header: to the first empty line, or a boundary line.
        let mut pos = start;
        let (header_end, header_stop) = loop {
            if pos >= self.raw.len() {
                break (self.raw.len(), None);
            }
            let next = self.next_line(pos);
            if strip_eol(&self.raw[pos..next]).is_empty() && self.raw[next - 1] == b'\n' {
                break (next, None);
            }
            if self.raw[pos] == b'-' {
                if let Some(stop) = self.boundary_at(pos, next, bounds) {
                    break (pos, Some(stop));
                }
            }
            pos = next;
        };
        let header = start..header_end;
        let mime = MimeFields::parse(&self.raw[header.clone()], in_digest);
        if let Some(stop) = header_stop {
            return (self.leaf(header, mime, header_end, stop), stop);
        }
        let open = depth < MAX_DEPTH && self.parts < MAX_PARTS;
        match mime.class() {
            TypeClass::Multipart if open => {
                let digest = mime.subtype.eq_ignore_ascii_case(b"digest");
                let boundary = mime.boundary().map(<[u8]>::to_vec);
                self.multipart(header, mime, boundary, bounds, depth, digest)
            }
            TypeClass::Rfc822 | TypeClass::Global if open => {
                let (root, stop) = self.part(header_end, bounds, depth + 1, false);
                let envelope = envelope::envelope(&self.raw[root.header.clone()]);
                let body = header_end..root.body.end;
                let part = Part {
                    lines: count_lines(&self.raw[body.clone()]),
                    header,
                    body,
                    mime,
                    content: Content::Message {
                        envelope: Box::new(envelope),
                        root: Box::new(root),
                    },
                };
                (part, stop)
            }
            _ => {
                let stop = self.find_boundary(header_end, bounds);
                (self.leaf(header, mime, header_end, stop), stop)
            }
        }
    }

    /// A leaf whose body starts at `body_start` and ends before `stop`.
    fn leaf(&self, header: Range<usize>, mime: MimeFields, body_start: usize, stop: Stop) -> Part {
        let body = body_start..self.body_end(body_start, stop);
        Part {
            lines: count_lines(&self.raw[body.clone()]),
            header,
            body,
            mime,
            content: Content::Leaf,
        }
    }

    /// The body of a multipart, from the end of its `header`.
    fn multipart(
        &mut self,
        header: Range<usize>,
        mime: MimeFields,
        boundary: Option<Vec<u8>>,
        bounds: &mut Vec<Vec<u8>>,
        depth: usize,
        digest: bool,
    ) -> (Part, Stop) {
        let body_start = header.end;
        let mut parts = Vec::new();
        let stop = match boundary {
            None => self.find_boundary(body_start, bounds),
            Some(boundary) => {
                let own = bounds.len();
                bounds.push(boundary);
                let mut stop = self.find_boundary(body_start, bounds);
                loop {
                    match stop {
                        Stop::Boundary {
                            level,
                            close: false,
                            next,
                            ..
                        } if level == own => {
                            if self.parts >= MAX_PARTS {
                                // The rest of this multipart: one opaque part.
                                let (part, after) = self.opaque(next, bounds);
                                parts.push(part);
                                stop = after;
                                continue;
                            }
                            let (part, after) = self.part(next, bounds, depth + 1, digest);
                            parts.push(part);
                            stop = after;
                        }
                        Stop::Boundary {
                            level,
                            close: true,
                            next,
                            ..
                        } if level == own => {
                            bounds.pop();
                            break self.find_boundary(next, bounds);
                        }
                        other => {
                            bounds.pop();
                            break other;
                        }
                    }
                }
            }
        };
        let end = self.body_end(body_start, stop);
        if parts.is_empty() {
            parts.push(Part {
                header: end..end,
                body: end..end,
                lines: 0,
                mime: MimeFields::default_for(false),
                content: Content::Leaf,
            });
        }
        let body = body_start..end;
        let part = Part {
            lines: count_lines(&self.raw[body.clone()]),
            header,
            body,
            mime,
            content: Content::Multi(parts),
        };
        (part, stop)
    }

    /// The rest of the innermost multipart from `start`, as one part: up to
    /// its closing boundary or a boundary of an enclosing one, skipping the
    /// innermost multipart's other boundary lines.
    fn opaque(&mut self, start: usize, bounds: &[Vec<u8>]) -> (Part, Stop) {
        self.parts += 1;
        let own = bounds.len().saturating_sub(1);
        let mut pos = start;
        let header_end = loop {
            if pos >= self.raw.len() {
                break self.raw.len();
            }
            let next = self.next_line(pos);
            if strip_eol(&self.raw[pos..next]).is_empty() && self.raw[next - 1] == b'\n' {
                break next;
            }
            pos = next;
        };
        let mut pos = start;
        let stop = loop {
            let stop = self.find_boundary(pos, bounds);
            match stop {
                Stop::Boundary {
                    level,
                    close: false,
                    next,
                    ..
                } if level == own => pos = next,
                _ => break stop,
            }
        };
        let mime = MimeFields::parse(&self.raw[start..header_end], false);
        let body_start = match stop {
            Stop::Boundary { line, .. } if line < header_end => line,
            _ => header_end,
        };
        let header = start..body_start;
        (self.leaf(header, mime, body_start, stop), stop)
    }
}

/// The number of LF in `bytes`.
fn count_lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}
