//! Strategies for envelopes, addresses and body structures.
//!
//! These values travel in responses, which a server encodes with `{n}`
//! literals only, so the strings here hold synchronizing literals: what
//! the parser gives back.

use proptest::prelude::*;

use super::core::{arb_astring, arb_istring};
use crate::body::{
    Address, BodyExtension, BodyFields, BodyParams, BodyStructure, Disposition, Envelope,
    MessageSubtype, MultiPartExtension, SinglePartExtension, SinglePartKind,
};
use crate::core::{AString, IString, Literal, LiteralMode, NString, Quoted, Vec1};

/// `string` as a server writes it: literals become synchronizing.
pub(crate) fn sync_istring(string: IString) -> IString {
    match string {
        IString::Literal(literal) if literal.mode() == LiteralMode::NonSync => {
            IString::Literal(Literal::unvalidated(literal.into_data(), LiteralMode::Sync))
        }
        other => other,
    }
}

/// A string as a server writes it.
pub(crate) fn server_istring() -> impl Strategy<Value = IString> {
    arb_istring().prop_map(sync_istring)
}

/// An nstring as a server writes it.
pub(crate) fn server_nstring() -> impl Strategy<Value = NString> {
    proptest::option::of(server_istring()).prop_map(NString)
}

/// An astring as a server writes it.
pub(crate) fn server_astring() -> impl Strategy<Value = AString> {
    arb_astring().prop_map(|astring| match astring {
        AString::String(string) => AString::String(sync_istring(string)),
        atom => atom,
    })
}

/// An address, group markers included (NIL mailbox or host).
pub(crate) fn arb_address() -> impl Strategy<Value = Address> {
    (
        server_nstring(),
        server_nstring(),
        server_nstring(),
        server_nstring(),
    )
        .prop_map(|(name, adl, mailbox, host)| Address {
            name,
            adl,
            mailbox,
            host,
        })
}

fn arb_address_list() -> impl Strategy<Value = Vec<Address>> {
    proptest::collection::vec(arb_address(), 0..3)
}

/// An envelope.
pub(crate) fn arb_envelope() -> impl Strategy<Value = Envelope> {
    (
        (server_nstring(), server_nstring()),
        (arb_address_list(), arb_address_list(), arb_address_list()),
        (arb_address_list(), arb_address_list(), arb_address_list()),
        (server_nstring(), server_nstring()),
    )
        .prop_map(
            |(
                (date, subject),
                (from, sender, reply_to),
                (to, cc, bcc),
                (in_reply_to, message_id),
            )| {
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
                }
            },
        )
}

fn arb_params() -> impl Strategy<Value = BodyParams> {
    proptest::collection::vec((server_istring(), server_istring()), 0..3)
}

fn arb_body_fields() -> impl Strategy<Value = BodyFields> {
    (
        arb_params(),
        server_nstring(),
        server_nstring(),
        server_istring(),
        any::<u32>(),
    )
        .prop_map(|(params, id, description, encoding, octets)| BodyFields {
            params,
            id,
            description,
            encoding,
            octets,
        })
}

fn arb_disposition() -> impl Strategy<Value = Option<Disposition>> {
    proptest::option::of(
        (server_istring(), arb_params()).prop_map(|(kind, params)| Disposition { kind, params }),
    )
}

fn arb_language() -> impl Strategy<Value = Vec<IString>> {
    proptest::collection::vec(server_istring(), 0..3)
}

fn arb_number64() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..1000, Just(i64::MAX as u64), 0..=i64::MAX as u64]
}

fn arb_body_extension() -> impl Strategy<Value = BodyExtension> {
    let leaf = prop_oneof![
        server_nstring().prop_map(BodyExtension::NString),
        arb_number64().prop_map(BodyExtension::Number),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        proptest::collection::vec(inner, 1..3)
            .prop_map(|list| BodyExtension::List(Vec1::try_from(list).expect("non-empty")))
    })
}

fn arb_extensions() -> impl Strategy<Value = Vec<BodyExtension>> {
    proptest::collection::vec(arb_body_extension(), 0..3)
}

fn arb_single_extension() -> impl Strategy<Value = SinglePartExtension> {
    (
        server_nstring(),
        arb_disposition(),
        arb_language(),
        server_nstring(),
        arb_extensions(),
    )
        .prop_map(
            |(md5, disposition, language, location, extensions)| SinglePartExtension {
                md5,
                disposition,
                language,
                location,
                extensions,
            },
        )
}

fn arb_multi_extension() -> impl Strategy<Value = MultiPartExtension> {
    (
        arb_params(),
        arb_disposition(),
        arb_language(),
        server_nstring(),
        arb_extensions(),
    )
        .prop_map(
            |(params, disposition, language, location, extensions)| MultiPartExtension {
                params,
                disposition,
                language,
                location,
                extensions,
            },
        )
}

/// A media type for `body-type-basic`: never `TEXT` or `MESSAGE`, which
/// have forms of their own.
fn arb_basic_type() -> impl Strategy<Value = IString> {
    let name = prop_oneof![
        Just("APPLICATION"),
        Just("IMAGE"),
        Just("audio"),
        Just("VIDEO"),
        Just("FONT"),
        Just("x-custom type"),
    ];
    (name, any::<bool>()).prop_map(|(name, literal)| {
        if literal {
            IString::Literal(Literal::unvalidated(
                name.as_bytes().to_vec(),
                LiteralMode::Sync,
            ))
        } else {
            IString::Quoted(Quoted::unvalidated(name))
        }
    })
}

fn arb_leaf_kind() -> impl Strategy<Value = SinglePartKind> {
    prop_oneof![
        (arb_basic_type(), server_istring()).prop_map(|(media_type, subtype)| {
            SinglePartKind::Basic {
                media_type,
                subtype,
            }
        }),
        (server_istring(), arb_number64())
            .prop_map(|(subtype, lines)| SinglePartKind::Text { subtype, lines }),
    ]
}

/// A body structure a few levels deep; with extension data when
/// `extensible` (`BODYSTRUCTURE`), without for `BODY`.
pub(crate) fn arb_body_structure(extensible: bool) -> impl Strategy<Value = BodyStructure> {
    let single_ext = proptest::option::of(arb_single_extension())
        .prop_map(move |ext| ext.filter(|_| extensible))
        .boxed();
    let multi_ext = proptest::option::of(arb_multi_extension())
        .prop_map(move |ext| ext.filter(|_| extensible))
        .boxed();
    let leaf = (arb_leaf_kind(), arb_body_fields(), single_ext.clone()).prop_map(
        |(kind, fields, extension)| BodyStructure::Single {
            kind,
            fields,
            extension,
        },
    );
    leaf.prop_recursive(3, 8, 3, move |inner| {
        prop_oneof![
            (
                proptest::collection::vec(inner.clone(), 1..3),
                server_istring(),
                multi_ext.clone()
            )
                .prop_map(|(bodies, subtype, extension)| BodyStructure::Multi {
                    bodies: Vec1::try_from(bodies).expect("non-empty"),
                    subtype,
                    extension,
                }),
            (
                prop_oneof![Just(MessageSubtype::Rfc822), Just(MessageSubtype::Global)],
                arb_envelope(),
                inner,
                arb_number64(),
                arb_body_fields(),
                single_ext.clone(),
            )
                .prop_map(|(subtype, envelope, body, lines, fields, extension)| {
                    BodyStructure::Single {
                        kind: SinglePartKind::Message {
                            subtype,
                            envelope: Box::new(envelope),
                            body: Box::new(body),
                            lines,
                        },
                        fields,
                        extension,
                    }
                }),
        ]
    })
}
