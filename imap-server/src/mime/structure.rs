//! BODYSTRUCTURE and BODY from the part tree (RFC 9051 §7.5.2).

use imapkit_proto::body::{
    BodyFields, BodyParams, BodyStructure, Disposition, MessageSubtype, MultiPartExtension,
    SinglePartExtension, SinglePartKind,
};
use imapkit_proto::core::{NString, Vec1};

use super::envelope::{istring, nstring};
use super::scan::{Content, MimeFields, Params, Part, TypeClass};

/// The structure of `part`, with extension data when `extensible`.
pub(super) fn body_structure(part: &Part, extensible: bool) -> BodyStructure {
    let mime = &part.mime;
    match &part.content {
        Content::Multi(parts) => {
            let bodies = parts
                .iter()
                .map(|p| body_structure(p, extensible))
                .collect::<Vec<_>>();
            let bodies = Vec1::try_from(bodies).unwrap_or_else(|_| Vec1::one(empty_text()));
            BodyStructure::Multi {
                bodies,
                subtype: istring(&mime.subtype),
                extension: extensible.then(|| MultiPartExtension {
                    params: params(&mime.params),
                    disposition: disposition(mime),
                    language: mime.language.iter().map(|l| istring(l)).collect(),
                    location: nstring(mime.location.as_deref()),
                    extensions: vec![],
                }),
            }
        }
        Content::Message { envelope, root } => BodyStructure::Single {
            kind: SinglePartKind::Message {
                subtype: match mime.class() {
                    TypeClass::Global => MessageSubtype::Global,
                    _ => MessageSubtype::Rfc822,
                },
                envelope: envelope.clone(),
                body: Box::new(body_structure(root, extensible)),
                lines: part.lines,
            },
            fields: fields(part),
            extension: single_extension(mime, extensible),
        },
        Content::Leaf => {
            let kind = match mime.class() {
                TypeClass::Text => SinglePartKind::Text {
                    subtype: istring(&mime.subtype),
                    lines: part.lines,
                },
                // Left opaque by a limit (or a multipart scanned as a
                // leaf): these types would promise parts or an envelope.
                TypeClass::Multipart | TypeClass::Rfc822 | TypeClass::Global => {
                    SinglePartKind::Basic {
                        media_type: istring(b"application"),
                        subtype: istring(b"octet-stream"),
                    }
                }
                TypeClass::Other => SinglePartKind::Basic {
                    media_type: istring(&mime.media_type),
                    subtype: istring(&mime.subtype),
                },
            };
            BodyStructure::Single {
                kind,
                fields: fields(part),
                extension: single_extension(mime, extensible),
            }
        }
    }
}

/// `body-fields` of a single part.
fn fields(part: &Part) -> BodyFields {
    let mime = &part.mime;
    BodyFields {
        params: params(&mime.params),
        id: nstring(mime.id.as_deref()),
        description: nstring(mime.description.as_deref()),
        encoding: istring(mime.encoding.as_deref().unwrap_or(b"7bit")),
        octets: u32::try_from(part.body.len()).unwrap_or(u32::MAX),
    }
}

/// `body-ext-1part`, when `extensible`.
fn single_extension(mime: &MimeFields, extensible: bool) -> Option<SinglePartExtension> {
    extensible.then(|| SinglePartExtension {
        md5: nstring(mime.md5.as_deref()),
        disposition: disposition(mime),
        language: mime.language.iter().map(|l| istring(l)).collect(),
        location: nstring(mime.location.as_deref()),
        extensions: vec![],
    })
}

/// `body-fld-dsp`.
fn disposition(mime: &MimeFields) -> Option<Disposition> {
    mime.disposition.as_ref().map(|(kind, list)| Disposition {
        kind: istring(kind),
        params: params(list),
    })
}

/// `body-fld-param`.
fn params(list: &Params) -> BodyParams {
    list.iter()
        .map(|(name, value)| (istring(name), istring(value)))
        .collect()
}

/// What stands for a multipart without parts: an empty `text/plain`, as
/// Dovecot writes it (the grammar needs at least one part).
fn empty_text() -> BodyStructure {
    BodyStructure::Single {
        kind: SinglePartKind::Text {
            subtype: istring(b"plain"),
            lines: 0,
        },
        fields: BodyFields {
            params: vec![(istring(b"charset"), istring(b"us-ascii"))],
            id: NString::NIL,
            description: NString::NIL,
            encoding: istring(b"7bit"),
            octets: 0,
        },
        extension: None,
    }
}
