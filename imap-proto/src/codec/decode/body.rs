//! Parsers of envelopes, addresses and body structures (RFC 9051 §9).

use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::combinator::{map, opt};
use nom::multi::{many0, many1, separated_list1};
use nom::sequence::{delimited, preceded, separated_pair, tuple};

use super::core::{nil, nstring, number, number64, sp, string};
use super::{check_depth, IResult};
use crate::body::{
    Address, BodyExtension, BodyFields, BodyParams, BodyStructure, Disposition, Envelope,
    MessageSubtype, MultiPartExtension, SinglePartExtension, SinglePartKind,
};
use crate::core::{IString, NString, Vec1};

/// `address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"`.
pub(crate) fn address(input: &[u8]) -> IResult<'_, Address> {
    let (rest, (_, name, _, adl, _, mailbox, _, host, _)) = tuple((
        tag(b"("),
        nstring,
        sp,
        nstring,
        sp,
        nstring,
        sp,
        nstring,
        tag(b")"),
    ))(input)?;
    Ok((
        rest,
        Address {
            name,
            adl,
            mailbox,
            host,
        },
    ))
}

/// `env-from = "(" 1*address ")" / nil` (and the other address lists);
/// `NIL` is the empty list.
fn address_list(input: &[u8]) -> IResult<'_, Vec<Address>> {
    alt((
        delimited(tag(b"("), many1(address), tag(b")")),
        map(nil, |()| Vec::new()),
    ))(input)
}

/// `envelope = "(" env-date SP env-subject SP env-from SP env-sender SP
/// env-reply-to SP env-to SP env-cc SP env-bcc SP env-in-reply-to SP
/// env-message-id ")"`.
pub(crate) fn envelope(input: &[u8]) -> IResult<'_, Envelope> {
    let (rest, _) = tag(b"(")(input)?;
    let (rest, (date, _, subject, _)) = tuple((nstring, sp, nstring, sp))(rest)?;
    let (rest, (from, _, sender, _, reply_to, _)) =
        tuple((address_list, sp, address_list, sp, address_list, sp))(rest)?;
    let (rest, (to, _, cc, _, bcc, _)) =
        tuple((address_list, sp, address_list, sp, address_list, sp))(rest)?;
    let (rest, (in_reply_to, _, message_id, _)) = tuple((nstring, sp, nstring, tag(b")")))(rest)?;
    Ok((
        rest,
        Envelope {
            date,
            subject,
            from,
            sender,
            reply_to,
            to,
            cc,
            bcc,
            in_reply_to,
            message_id,
        },
    ))
}

/// `body-fld-param = "(" string SP string *(SP string SP string) ")" / nil`.
pub(crate) fn body_fld_param(input: &[u8]) -> IResult<'_, BodyParams> {
    alt((
        delimited(
            tag(b"("),
            separated_list1(sp, separated_pair(string, sp, string)),
            tag(b")"),
        ),
        map(nil, |()| Vec::new()),
    ))(input)
}

/// `body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP
/// body-fld-enc SP body-fld-octets`.
pub(crate) fn body_fields(input: &[u8]) -> IResult<'_, BodyFields> {
    let (rest, (params, _, id, _, description, _, encoding, _, octets)) = tuple((
        body_fld_param,
        sp,
        nstring,
        sp,
        nstring,
        sp,
        string,
        sp,
        number,
    ))(input)?;
    Ok((
        rest,
        BodyFields {
            params,
            id,
            description,
            encoding,
            octets,
        },
    ))
}

/// `body-fld-dsp = "(" string SP body-fld-param ")" / nil`.
pub(crate) fn body_fld_dsp(input: &[u8]) -> IResult<'_, Option<Disposition>> {
    alt((
        map(
            delimited(
                tag(b"("),
                separated_pair(string, sp, body_fld_param),
                tag(b")"),
            ),
            |(kind, params)| Some(Disposition { kind, params }),
        ),
        map(nil, |()| None),
    ))(input)
}

/// `body-fld-lang = nstring / "(" string *(SP string) ")"`; `NIL` is the
/// empty list.
pub(crate) fn body_fld_lang(input: &[u8]) -> IResult<'_, Vec<IString>> {
    alt((
        map(nstring, |lang| lang.0.into_iter().collect()),
        delimited(tag(b"("), separated_list1(sp, string), tag(b")")),
    ))(input)
}

/// `body-extension = nstring / number64 / "(" body-extension *(SP body-extension) ")"`.
pub(crate) fn body_extension(input: &[u8], depth: usize) -> IResult<'_, BodyExtension> {
    check_depth(input, depth)?;
    alt((
        map(nstring, BodyExtension::NString),
        map(number64, BodyExtension::Number),
        map(
            delimited(
                tag(b"("),
                separated_list1(sp, |i| body_extension(i, depth + 1)),
                tag(b")"),
            ),
            |list| BodyExtension::List(Vec1::try_from(list).expect("separated_list1 is non-empty")),
        ),
    ))(input)
}

/// The common tail of both extension kinds:
/// `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]`.
/// A missing field is `NIL`.
type ExtensionTail = (
    Option<Disposition>,
    Vec<IString>,
    NString,
    Vec<BodyExtension>,
);

fn extension_tail(input: &[u8], depth: usize) -> IResult<'_, ExtensionTail> {
    let (rest, dsp) = opt(preceded(sp, body_fld_dsp))(input)?;
    let Some(disposition) = dsp else {
        return Ok((rest, (None, Vec::new(), NString::NIL, Vec::new())));
    };
    let (rest, lang) = opt(preceded(sp, body_fld_lang))(rest)?;
    let Some(language) = lang else {
        return Ok((rest, (disposition, Vec::new(), NString::NIL, Vec::new())));
    };
    let (rest, loc) = opt(preceded(sp, nstring))(rest)?;
    let Some(location) = loc else {
        return Ok((rest, (disposition, language, NString::NIL, Vec::new())));
    };
    let (rest, extensions) = many0(preceded(sp, |i| body_extension(i, depth)))(rest)?;
    Ok((rest, (disposition, language, location, extensions)))
}

/// `body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
/// [SP body-fld-loc *(SP body-extension)]]]`.
pub(crate) fn body_ext_1part(input: &[u8], depth: usize) -> IResult<'_, SinglePartExtension> {
    let (rest, md5) = nstring(input)?;
    let (rest, (disposition, language, location, extensions)) = extension_tail(rest, depth)?;
    Ok((
        rest,
        SinglePartExtension {
            md5,
            disposition,
            language,
            location,
            extensions,
        },
    ))
}

/// `body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang
/// [SP body-fld-loc *(SP body-extension)]]]`.
pub(crate) fn body_ext_mpart(input: &[u8], depth: usize) -> IResult<'_, MultiPartExtension> {
    let (rest, params) = body_fld_param(input)?;
    let (rest, (disposition, language, location, extensions)) = extension_tail(rest, depth)?;
    Ok((
        rest,
        MultiPartExtension {
            params,
            disposition,
            language,
            location,
            extensions,
        },
    ))
}

/// Whether the extension data that `BODYSTRUCTURE` adds may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extensible {
    /// `BODYSTRUCTURE`: extension data may follow each part.
    Yes,
    /// `BODY`: extension data "MUST NOT be returned" (RFC 9051 §9), so none
    /// is accepted.
    No,
}

/// `body = "(" (body-type-1part / body-type-mpart) ")"`.
///
/// Type names are compared case-insensitively (Dovecot writes `"text"`):
/// `TEXT` is `body-type-text`, `MESSAGE/RFC822` and `MESSAGE/GLOBAL` are
/// `body-type-msg`. A `MESSAGE/GLOBAL` part without an envelope is read as
/// `body-type-basic`, as RFC 3501 servers, which predate RFC 9051's rule,
/// send it.
pub(crate) fn body(input: &[u8], depth: usize, ext: Extensible) -> IResult<'_, BodyStructure> {
    check_depth(input, depth)?;
    let (rest, _) = tag(b"(")(input)?;
    let (rest, structure) = if rest.starts_with(b"(") {
        body_type_mpart(rest, depth, ext)?
    } else {
        body_type_1part(rest, depth, ext)?
    };
    let (rest, _) = tag(b")")(rest)?;
    Ok((rest, structure))
}

/// `body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]`.
fn body_type_mpart(input: &[u8], depth: usize, ext: Extensible) -> IResult<'_, BodyStructure> {
    let (rest, bodies) = many1(|i| body(i, depth + 1, ext))(input)?;
    let (rest, subtype) = preceded(sp, string)(rest)?;
    let (rest, extension) = match ext {
        Extensible::Yes => opt(preceded(sp, |i| body_ext_mpart(i, depth + 1)))(rest)?,
        Extensible::No => (rest, None),
    };
    let bodies = Vec1::try_from(bodies).expect("many1 is non-empty");
    Ok((
        rest,
        BodyStructure::Multi {
            bodies,
            subtype,
            extension,
        },
    ))
}

/// `body-type-1part = (body-type-basic / body-type-msg / body-type-text)
/// [SP body-ext-1part]`.
fn body_type_1part(input: &[u8], depth: usize, ext: Extensible) -> IResult<'_, BodyStructure> {
    let (rest, (media_type, _, subtype, _, fields)) =
        tuple((string, sp, string, sp, body_fields))(input)?;
    let is = |s: &IString, name: &[u8]| s.as_bytes().eq_ignore_ascii_case(name);
    let message = if !is(&media_type, b"MESSAGE") {
        None
    } else if is(&subtype, b"RFC822") {
        Some(MessageSubtype::Rfc822)
    } else if is(&subtype, b"GLOBAL") && rest.starts_with(b" (") {
        Some(MessageSubtype::Global)
    } else {
        None
    };
    let (rest, kind) = if let Some(subtype) = message {
        let (rest, (_, envelope, _, body, _, lines)) =
            tuple((sp, envelope, sp, |i| body(i, depth + 1, ext), sp, number64))(rest)?;
        let kind = SinglePartKind::Message {
            subtype,
            envelope: Box::new(envelope),
            body: Box::new(body),
            lines,
        };
        (rest, kind)
    } else if is(&media_type, b"TEXT") {
        let (rest, lines) = preceded(sp, number64)(rest)?;
        (rest, SinglePartKind::Text { subtype, lines })
    } else {
        (
            rest,
            SinglePartKind::Basic {
                media_type,
                subtype,
            },
        )
    };
    let (rest, extension) = match ext {
        Extensible::Yes => opt(preceded(sp, |i| body_ext_1part(i, depth + 1)))(rest)?,
        Extensible::No => (rest, None),
    };
    Ok((
        rest,
        BodyStructure::Single {
            kind,
            fields,
            extension,
        },
    ))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::codec::decode::{parse_frame, DecodeError};
    use crate::codec::encode::{encode_server, EncodeInto};
    use crate::core::Quoted;
    use crate::testing::body::{arb_body_structure, arb_envelope};

    fn structure(input: &[u8]) -> Result<BodyStructure, DecodeError> {
        parse_frame(input, None, |i| body(i, 0, Extensible::Yes))
    }

    fn non_extensible(input: &[u8]) -> Result<BodyStructure, DecodeError> {
        parse_frame(input, None, |i| body(i, 0, Extensible::No))
    }

    fn dump(value: &impl EncodeInto) -> Vec<u8> {
        encode_server(value).dump()
    }

    /// The `BODY` form, as the FETCH encoder writes it after `BODY `.
    fn non_extensible_dump(value: &BodyStructure) -> Vec<u8> {
        let item = crate::fetch::MessageDataItem::Body(value.clone());
        let raw = dump(&item);
        raw.strip_prefix(b"BODY ").expect("BODY item").to_vec()
    }

    fn q(text: &str) -> IString {
        IString::Quoted(Quoted::unvalidated(text))
    }

    fn qn(text: &str) -> NString {
        NString(Some(q(text)))
    }

    /// RFC 3501 §7.4.2 (BODYSTRUCTURE), as Dovecot and UW imapd send it.
    const RFC3501_MIXED: &[u8] =
        b"((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23)\
(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") \
\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73) \"MIXED\")";

    /// RFC 9051 §6.4.5 (FETCH ... FULL), the envelope.
    const RFC9051_ENVELOPE: &[u8] = b"(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev2 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) \
NIL NIL \"<B27397-0100000@cac.washington.edu>\")";

    #[test]
    fn rfc3501_multipart() {
        let parsed = structure(RFC3501_MIXED).unwrap();
        let BodyStructure::Multi {
            bodies,
            subtype,
            extension,
        } = &parsed
        else {
            panic!("not multipart: {parsed:?}");
        };
        assert_eq!(subtype, &q("MIXED"));
        assert_eq!(extension, &None);
        assert_eq!(bodies.as_slice().len(), 2);
        let BodyStructure::Single { kind, fields, .. } = &bodies.as_slice()[1] else {
            panic!("not single");
        };
        assert_eq!(
            kind,
            &SinglePartKind::Text {
                subtype: q("PLAIN"),
                lines: 73
            }
        );
        assert_eq!(
            fields,
            &BodyFields {
                params: vec![(q("CHARSET"), q("US-ASCII")), (q("NAME"), q("cc.diff"))],
                id: qn("<960723163407.20117h@cac.washington.edu>"),
                description: qn("Compiler diff"),
                encoding: q("BASE64"),
                octets: 4554,
            }
        );
        assert_eq!(dump(&parsed), RFC3501_MIXED);
        assert_eq!(non_extensible(RFC3501_MIXED).unwrap(), parsed);
    }

    #[test]
    fn rfc9051_envelope() {
        let (rest, env) = envelope(RFC9051_ENVELOPE).unwrap();
        assert!(rest.is_empty());
        assert_eq!(env.subject, qn("IMAP4rev2 WG mtg summary and minutes"));
        assert_eq!(env.cc.len(), 2);
        assert_eq!(env.cc[1].name, qn("John Klensin"));
        assert_eq!(env.to[0].name, NString::NIL);
        assert!(env.bcc.is_empty() && env.in_reply_to == NString::NIL);
        assert_eq!(dump(&env), RFC9051_ENVELOPE);
    }

    #[test]
    fn group_syntax_addresses() {
        // To: Friends: john@example.com; (RFC 3501 §7.4.2 group syntax).
        let raw =
            b"((NIL NIL \"Friends\" NIL)(\"John\" NIL \"john\" \"example.com\")(NIL NIL NIL NIL))";
        let (rest, list) = address_list(raw).unwrap();
        assert!(rest.is_empty());
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].mailbox, qn("Friends"));
        assert_eq!(list[0].host, NString::NIL);
        assert_eq!(
            list[2],
            Address {
                name: NString::NIL,
                adl: NString::NIL,
                mailbox: NString::NIL,
                host: NString::NIL
            }
        );
        assert!(address_list(b"()").is_err());
        assert!(address_list(b"((NIL NIL NIL NIL) )").is_err());
    }

    #[test]
    fn dovecot_bodystructure_with_extension_data() {
        let raw = b"((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 12 1 NIL NIL NIL NIL)\
(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 100 NIL (\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL) \
\"mixed\" (\"boundary\" \"xyz\") NIL NIL NIL)";
        let parsed = structure(raw).unwrap();
        let BodyStructure::Multi {
            bodies, extension, ..
        } = &parsed
        else {
            panic!("not multipart");
        };
        assert_eq!(
            extension,
            &Some(MultiPartExtension {
                params: vec![(q("boundary"), q("xyz"))],
                disposition: None,
                language: vec![],
                location: NString::NIL,
                extensions: vec![],
            })
        );
        let BodyStructure::Single {
            kind, extension, ..
        } = &bodies.as_slice()[1]
        else {
            panic!("not single");
        };
        assert!(
            matches!(kind, SinglePartKind::Basic { media_type, .. } if media_type == &q("application"))
        );
        let ext = extension.as_ref().unwrap();
        assert_eq!(
            ext.disposition,
            Some(Disposition {
                kind: q("attachment"),
                params: vec![(q("filename"), q("a.pdf"))]
            })
        );
        // `"text"` is read as body-type-text and written upper case.
        let encoded = dump(&parsed);
        assert!(encoded.starts_with(b"((\"TEXT\" \"plain\""));
        assert_eq!(&encoded[7..], &raw[7..]);
        assert_eq!(structure(&encoded).unwrap(), parsed);
        // BODY leaves the extension data out.
        assert_eq!(
            non_extensible_dump(&parsed),
            b"((\"TEXT\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 12 1)\
(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 100) \"mixed\")"
        );
    }

    #[test]
    fn missing_extension_fields_are_nil() {
        let raw = b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5sum\")";
        let parsed = structure(raw).unwrap();
        let BodyStructure::Single { extension, .. } = &parsed else {
            panic!("not single");
        };
        assert_eq!(
            extension,
            &Some(SinglePartExtension {
                md5: qn("md5sum"),
                disposition: None,
                language: vec![],
                location: NString::NIL,
                extensions: vec![],
            })
        );
        assert_eq!(
            dump(&parsed),
            b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5sum\" NIL NIL NIL)"
        );
        let multi =
            b"((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) \"MIXED\" NIL (\"inline\" NIL))";
        let BodyStructure::Multi { extension, .. } = structure(multi).unwrap() else {
            panic!("not multipart");
        };
        assert_eq!(extension.unwrap().disposition.unwrap().kind, q("inline"));
    }

    #[test]
    fn language_and_body_extensions() {
        let raw = b"(\"IMAGE\" \"GIF\" NIL NIL NIL \"BASE64\" 10 NIL NIL (\"en\" \"de\") \"http://x/\" 7 (\"a\" (1 NIL)) NIL)";
        let parsed = structure(raw).unwrap();
        let BodyStructure::Single {
            extension: Some(ext),
            ..
        } = &parsed
        else {
            panic!("no extension");
        };
        assert_eq!(ext.language, vec![q("en"), q("de")]);
        assert_eq!(ext.location, qn("http://x/"));
        assert_eq!(
            ext.extensions,
            vec![
                BodyExtension::Number(7),
                BodyExtension::List(
                    Vec1::try_from(vec![
                        BodyExtension::NString(qn("a")),
                        BodyExtension::List(
                            Vec1::try_from(vec![
                                BodyExtension::Number(1),
                                BodyExtension::NString(NString::NIL)
                            ])
                            .unwrap()
                        ),
                    ])
                    .unwrap()
                ),
                BodyExtension::NString(NString::NIL),
            ]
        );
        assert_eq!(dump(&parsed), raw);
        // One language tag is written as a string; `("en")` reads the same.
        let one = b"(\"IMAGE\" \"GIF\" NIL NIL NIL \"BASE64\" 10 NIL NIL (\"en\") NIL)";
        assert_eq!(
            dump(&structure(one).unwrap()),
            b"(\"IMAGE\" \"GIF\" NIL NIL NIL \"BASE64\" 10 NIL NIL \"en\" NIL)"
        );
        assert!(structure(b"(\"IMAGE\" \"GIF\" NIL NIL NIL \"BASE64\" 10 NIL NIL ())").is_err());
    }

    #[test]
    fn encapsulated_message() {
        let raw = [
            &b"(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 2000 "[..],
            RFC9051_ENVELOPE,
            b" (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1000 20) 40)",
        ]
        .concat();
        let parsed = structure(&raw).unwrap();
        let BodyStructure::Single {
            kind:
                SinglePartKind::Message {
                    subtype,
                    body,
                    lines,
                    ..
                },
            ..
        } = &parsed
        else {
            panic!("not a message: {parsed:?}");
        };
        assert_eq!((*subtype, *lines), (MessageSubtype::Rfc822, 40));
        assert!(matches!(
            body.as_ref(),
            BodyStructure::Single {
                kind: SinglePartKind::Text { lines: 20, .. },
                ..
            }
        ));
        assert_eq!(dump(&parsed), raw);
        // message/rfc822 must carry its envelope (RFC 9051 §9).
        assert!(structure(b"(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 2000)").is_err());
        // message/global without one is an RFC 3501 server's basic part.
        let global = structure(b"(\"message\" \"global\" NIL NIL NIL \"8BIT\" 20 NIL)").unwrap();
        assert!(matches!(
            global,
            BodyStructure::Single {
                kind: SinglePartKind::Basic { .. },
                ..
            }
        ));
    }

    #[test]
    fn malformed_bodies() {
        for bad in [
            &b"()"[..],
            b"( \"MIXED\")",
            b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3)",
            b"(\"TEXT\" \"PLAIN\" NIL NIL NIL 7BIT 3 1)",
            b"(\"TEXT\" \"PLAIN\" () NIL NIL \"7BIT\" 3 1)",
            b"(\"TEXT\" \"PLAIN\" (\"CHARSET\") NIL NIL \"7BIT\" 3 1)",
            b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 )",
            b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)(",
            b"((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1))",
            b"((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)  \"MIXED\")",
        ] {
            assert!(structure(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let overflow = structure(b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 4294967296 1)");
        assert!(overflow.unwrap_err().is_number_overflow());
        assert!(structure(
            b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 4294967295 9223372036854775807)"
        )
        .is_ok());
    }

    #[test]
    fn body_refuses_extension_data() {
        assert!(non_extensible(b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 NIL)").is_err());
        assert!(
            non_extensible(b"((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) \"MIXED\" NIL)")
                .is_err()
        );
    }

    #[test]
    fn nesting_is_limited() {
        let leaf = &b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)"[..];
        let nested = |levels: usize| {
            let mut raw = b"(".repeat(levels);
            raw.extend_from_slice(leaf);
            raw.extend_from_slice(&b" \"MIXED\")".repeat(levels));
            raw
        };
        assert!(structure(&nested(NESTING_LIMIT_OK)).is_ok());
        assert!(structure(&nested(200)).unwrap_err().is_too_deep());
        let mut ext = b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 NIL NIL NIL NIL ".to_vec();
        ext.extend_from_slice(&b"(".repeat(200));
        ext.extend_from_slice(b"1");
        ext.extend_from_slice(&b")".repeat(201));
        assert!(structure(&ext).unwrap_err().is_too_deep());
    }

    /// Deepest multipart nesting that parses: the limit counts each body.
    const NESTING_LIMIT_OK: usize = crate::codec::decode::NESTING_LIMIT - 1;

    proptest! {
        #[test]
        fn bodystructure_round_trips(value in arb_body_structure(true)) {
            prop_assert_eq!(structure(&dump(&value)).unwrap(), value);
        }

        #[test]
        fn body_round_trips(value in arb_body_structure(false)) {
            prop_assert_eq!(non_extensible(&non_extensible_dump(&value)).unwrap(), value);
        }

        #[test]
        fn envelope_round_trips(value in arb_envelope()) {
            let raw = dump(&value);
            prop_assert_eq!(parse_frame(&raw, None, envelope).unwrap(), value);
        }
    }
}
