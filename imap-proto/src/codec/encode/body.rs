//! Encoders of envelopes, addresses and body structures.

use super::{join, EncodeContext, EncodeInto};
use crate::body::{
    Address, BodyExtension, BodyFields, BodyParams, BodyStructure, Disposition, Envelope,
    MessageSubtype, SinglePartKind,
};
use crate::core::{IString, NString};

impl EncodeInto for Address {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'(');
        join(
            ctx,
            [&self.name, &self.adl, &self.mailbox, &self.host],
            b" ",
        );
        ctx.put_u8(b')');
    }
}

/// `"(" 1*address ")" / nil`: addresses follow each other without SP.
fn address_list(ctx: &mut EncodeContext, list: &[Address]) {
    if list.is_empty() {
        ctx.put(b"NIL");
        return;
    }
    ctx.put_u8(b'(');
    join(ctx, list, b"");
    ctx.put_u8(b')');
}

impl EncodeInto for Envelope {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'(');
        self.date.encode_into(ctx);
        ctx.put_u8(b' ');
        self.subject.encode_into(ctx);
        for list in [
            &self.from,
            &self.sender,
            &self.reply_to,
            &self.to,
            &self.cc,
            &self.bcc,
        ] {
            ctx.put_u8(b' ');
            address_list(ctx, list);
        }
        ctx.put_u8(b' ');
        self.in_reply_to.encode_into(ctx);
        ctx.put_u8(b' ');
        self.message_id.encode_into(ctx);
        ctx.put_u8(b')');
    }
}

/// `body-fld-param`: `NIL` when empty.
fn body_fld_param(ctx: &mut EncodeContext, params: &BodyParams) {
    if params.is_empty() {
        ctx.put(b"NIL");
        return;
    }
    ctx.put_u8(b'(');
    for (i, (attribute, value)) in params.iter().enumerate() {
        if i > 0 {
            ctx.put_u8(b' ');
        }
        attribute.encode_into(ctx);
        ctx.put_u8(b' ');
        value.encode_into(ctx);
    }
    ctx.put_u8(b')');
}

impl EncodeInto for BodyFields {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        body_fld_param(ctx, &self.params);
        ctx.put_u8(b' ');
        self.id.encode_into(ctx);
        ctx.put_u8(b' ');
        self.description.encode_into(ctx);
        ctx.put_u8(b' ');
        self.encoding.encode_into(ctx);
        ctx.put_u8(b' ');
        ctx.put_num(self.octets);
    }
}

/// `body-fld-dsp`: `NIL` for `None`.
fn body_fld_dsp(ctx: &mut EncodeContext, disposition: Option<&Disposition>) {
    match disposition {
        Some(disposition) => {
            ctx.put_u8(b'(');
            disposition.kind.encode_into(ctx);
            ctx.put_u8(b' ');
            body_fld_param(ctx, &disposition.params);
            ctx.put_u8(b')');
        }
        None => ctx.put(b"NIL"),
    }
}

/// `body-fld-lang`: `NIL` when empty, a string for one tag, else a list.
fn body_fld_lang(ctx: &mut EncodeContext, language: &[IString]) {
    match language {
        [] => ctx.put(b"NIL"),
        [one] => one.encode_into(ctx),
        many => super::paren_list(ctx, many),
    }
}

impl EncodeInto for BodyExtension {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::NString(nstring) => nstring.encode_into(ctx),
            Self::Number(n) => ctx.put_num(*n),
            Self::List(list) => super::paren_list(ctx, list),
        }
    }
}

/// `SP body-fld-dsp SP body-fld-lang SP body-fld-loc *(SP body-extension)`:
/// always all four fields (a missing field means `NIL`).
fn extension_tail(
    ctx: &mut EncodeContext,
    disposition: Option<&Disposition>,
    language: &[IString],
    location: &NString,
    extensions: &[BodyExtension],
) {
    ctx.put_u8(b' ');
    body_fld_dsp(ctx, disposition);
    ctx.put_u8(b' ');
    body_fld_lang(ctx, language);
    ctx.put_u8(b' ');
    location.encode_into(ctx);
    for extension in extensions {
        ctx.put_u8(b' ');
        extension.encode_into(ctx);
    }
}

/// Writes `body`, with extension data (`BODYSTRUCTURE`) or without (`BODY`).
fn encode_body(ctx: &mut EncodeContext, body: &BodyStructure, extensible: bool) {
    ctx.put_u8(b'(');
    match body {
        BodyStructure::Single {
            kind,
            fields,
            extension,
        } => {
            match kind {
                SinglePartKind::Basic {
                    media_type,
                    subtype,
                } => {
                    media_type.encode_into(ctx);
                    ctx.put_u8(b' ');
                    subtype.encode_into(ctx);
                }
                SinglePartKind::Text { subtype, .. } => {
                    ctx.put(b"\"TEXT\" ");
                    subtype.encode_into(ctx);
                }
                SinglePartKind::Message { subtype, .. } => ctx.put(match subtype {
                    MessageSubtype::Rfc822 => b"\"MESSAGE\" \"RFC822\"",
                    MessageSubtype::Global => b"\"MESSAGE\" \"GLOBAL\"",
                }),
            }
            ctx.put_u8(b' ');
            fields.encode_into(ctx);
            match kind {
                SinglePartKind::Basic { .. } => {}
                SinglePartKind::Text { lines, .. } => {
                    ctx.put_u8(b' ');
                    ctx.put_num(*lines);
                }
                SinglePartKind::Message {
                    envelope,
                    body,
                    lines,
                    ..
                } => {
                    ctx.put_u8(b' ');
                    envelope.encode_into(ctx);
                    ctx.put_u8(b' ');
                    encode_body(ctx, body, extensible);
                    ctx.put_u8(b' ');
                    ctx.put_num(*lines);
                }
            }
            if let Some(extension) = extension.as_ref().filter(|_| extensible) {
                ctx.put_u8(b' ');
                extension.md5.encode_into(ctx);
                extension_tail(
                    ctx,
                    extension.disposition.as_ref(),
                    &extension.language,
                    &extension.location,
                    &extension.extensions,
                );
            }
        }
        BodyStructure::Multi {
            bodies,
            subtype,
            extension,
        } => {
            for part in bodies {
                encode_body(ctx, part, extensible);
            }
            ctx.put_u8(b' ');
            subtype.encode_into(ctx);
            if let Some(extension) = extension.as_ref().filter(|_| extensible) {
                ctx.put_u8(b' ');
                body_fld_param(ctx, &extension.params);
                extension_tail(
                    ctx,
                    extension.disposition.as_ref(),
                    &extension.language,
                    &extension.location,
                    &extension.extensions,
                );
            }
        }
    }
    ctx.put_u8(b')');
}

/// `BODYSTRUCTURE`'s form: with extension data.
impl EncodeInto for BodyStructure {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        encode_body(ctx, self, true);
    }
}

/// The non-extensible `BODY` form of a structure: extension data left out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NonExtensible<'a>(pub(crate) &'a BodyStructure);

impl EncodeInto for NonExtensible<'_> {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        encode_body(ctx, self.0, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encode::encode_server;
    use crate::core::{Quoted, Vec1};
    use crate::fetch::MessageDataItem;

    fn q(text: &str) -> IString {
        IString::Quoted(Quoted::unvalidated(text))
    }

    fn dump(value: &impl EncodeInto) -> String {
        String::from_utf8(encode_server(value).dump()).unwrap()
    }

    fn text(ext: bool) -> BodyStructure {
        BodyStructure::Single {
            kind: SinglePartKind::Text {
                subtype: q("PLAIN"),
                lines: 2,
            },
            fields: BodyFields {
                params: vec![(q("CHARSET"), q("UTF-8"))],
                id: NString::NIL,
                description: NString::NIL,
                encoding: q("8BIT"),
                octets: 20,
            },
            extension: ext.then(|| crate::body::SinglePartExtension {
                md5: NString::NIL,
                disposition: Some(Disposition {
                    kind: q("inline"),
                    params: vec![],
                }),
                language: vec![q("en")],
                location: NString::NIL,
                extensions: vec![],
            }),
        }
    }

    #[test]
    fn extension_data_only_in_bodystructure() {
        let message = BodyStructure::Single {
            kind: SinglePartKind::Message {
                subtype: MessageSubtype::Global,
                envelope: Box::new(Envelope {
                    date: NString::NIL,
                    subject: NString::from_content("hi").unwrap(),
                    from: vec![Address {
                        name: NString::NIL,
                        adl: NString::NIL,
                        mailbox: NString::from_content("a").unwrap(),
                        host: NString::from_content("example.org").unwrap(),
                    }],
                    sender: vec![],
                    reply_to: vec![],
                    to: vec![],
                    cc: vec![],
                    bcc: vec![],
                    in_reply_to: NString::NIL,
                    message_id: NString::NIL,
                }),
                body: Box::new(BodyStructure::Multi {
                    bodies: Vec1::try_from(vec![text(true), text(false)]).unwrap(),
                    subtype: q("ALTERNATIVE"),
                    extension: Some(crate::body::MultiPartExtension {
                        params: vec![(q("BOUNDARY"), q("b"))],
                        disposition: None,
                        language: vec![],
                        location: NString::NIL,
                        extensions: vec![BodyExtension::Number(1)],
                    }),
                }),
                lines: 9,
            },
            fields: BodyFields {
                params: vec![],
                id: NString::NIL,
                description: NString::NIL,
                encoding: q("7BIT"),
                octets: 300,
            },
            extension: None,
        };
        let env = "(NIL \"hi\" ((NIL NIL \"a\" \"example.org\")) NIL NIL NIL NIL NIL NIL NIL)";
        let part = "\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"8BIT\" 20 2";
        assert_eq!(
            dump(&MessageDataItem::BodyStructure(message.clone())),
            format!(
                "BODYSTRUCTURE (\"MESSAGE\" \"GLOBAL\" NIL NIL NIL \"7BIT\" 300 {env} \
(({part} NIL (\"inline\" NIL) \"en\" NIL)({part}) \"ALTERNATIVE\" (\"BOUNDARY\" \"b\") NIL NIL NIL 1) 9)"
            )
        );
        assert_eq!(
            dump(&MessageDataItem::Body(message)),
            format!(
                "BODY (\"MESSAGE\" \"GLOBAL\" NIL NIL NIL \"7BIT\" 300 {env} \
(({part})({part}) \"ALTERNATIVE\") 9)"
            )
        );
    }
}
