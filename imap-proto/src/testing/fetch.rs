//! Strategies for FETCH arguments and responses.

use std::num::{NonZeroU32, NonZeroU64};

use bytes::Bytes;
use proptest::prelude::*;

use super::body::{arb_body_structure, arb_envelope, server_astring, server_nstring};
use super::core::{arb_astring, arb_date_time, arb_flag, arb_nz, arb_sequence_set};
use crate::core::{AString, Literal8, LiteralMode, Vec1};
use crate::fetch::{
    BinaryData, ChangedSince, Fetch, FetchAttribute, FetchData, FetchItems, MessageDataItem,
    Partial, Section, SectionText,
};
use crate::flag::FlagFetch;

/// Part numbers, 0-3 of them.
pub(crate) fn arb_part() -> impl Strategy<Value = Vec<NonZeroU32>> {
    proptest::collection::vec(arb_nz(), 0..4)
}

fn arb_header_list(name: impl Strategy<Value = AString>) -> impl Strategy<Value = Vec1<AString>> {
    proptest::collection::vec(name, 1..4).prop_map(|v| Vec1::try_from(v).expect("non-empty"))
}

/// A section whose header names come from `name`.
fn arb_section_with(name: BoxedStrategy<AString>) -> impl Strategy<Value = Section> {
    let text = prop_oneof![
        Just(SectionText::Header),
        Just(SectionText::Text),
        Just(SectionText::Mime),
        arb_header_list(name.clone()).prop_map(SectionText::HeaderFields),
        arb_header_list(name).prop_map(SectionText::HeaderFieldsNot),
    ];
    (arb_part(), proptest::option::of(text)).prop_map(|(part, text)| {
        let text = text.filter(|t| !part.is_empty() || *t != SectionText::Mime);
        Section::new(part, text).expect("MIME only after a part")
    })
}

/// A section as a client sends it.
pub(crate) fn arb_section() -> impl Strategy<Value = Section> {
    arb_section_with(arb_astring().boxed())
}

/// A partial range, 32-bit extremes included.
pub(crate) fn arb_partial() -> impl Strategy<Value = Partial> {
    (
        prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>()],
        arb_nz(),
    )
        .prop_map(|(start, length)| Partial { start, length })
}

/// One `fetch-att`.
pub(crate) fn arb_fetch_attribute() -> impl Strategy<Value = FetchAttribute> {
    prop_oneof![
        Just(FetchAttribute::Envelope),
        Just(FetchAttribute::Flags),
        Just(FetchAttribute::InternalDate),
        Just(FetchAttribute::Rfc822),
        Just(FetchAttribute::Rfc822Header),
        Just(FetchAttribute::Rfc822Size),
        Just(FetchAttribute::Rfc822Text),
        Just(FetchAttribute::Body),
        Just(FetchAttribute::BodyStructure),
        Just(FetchAttribute::Uid),
        Just(FetchAttribute::ModSeq),
        (
            arb_section(),
            proptest::option::of(arb_partial()),
            any::<bool>()
        )
            .prop_map(|(section, partial, peek)| FetchAttribute::BodySection {
                section,
                partial,
                peek
            }),
        (
            arb_part(),
            proptest::option::of(arb_partial()),
            any::<bool>()
        )
            .prop_map(|(section, partial, peek)| FetchAttribute::Binary {
                section,
                partial,
                peek
            }),
        arb_part().prop_map(|section| FetchAttribute::BinarySize { section }),
    ]
}

/// A mod-sequence: 1 to 2^63 - 1.
pub(crate) fn arb_modseq() -> impl Strategy<Value = NonZeroU64> {
    prop_oneof![1u64..1000, Just(i64::MAX as u64), 1..=i64::MAX as u64]
        .prop_map(|n| NonZeroU64::new(n).expect("non-zero"))
}

/// FETCH arguments.
pub(crate) fn arb_fetch() -> impl Strategy<Value = Fetch> {
    let items = prop_oneof![
        1 => Just(FetchItems::All),
        1 => Just(FetchItems::Fast),
        1 => Just(FetchItems::Full),
        6 => proptest::collection::vec(arb_fetch_attribute(), 1..5)
            .prop_map(|v| FetchItems::Attributes(Vec1::try_from(v).expect("non-empty"))),
    ];
    let changed_since = proptest::option::of(
        (arb_modseq(), any::<bool>())
            .prop_map(|(modseq, vanished)| ChangedSince { modseq, vanished }),
    );
    (arb_sequence_set(), items, changed_since).prop_map(|(sequence_set, items, changed_since)| {
        Fetch {
            sequence_set,
            items,
            changed_since,
        }
    })
}

fn arb_flag_fetch() -> impl Strategy<Value = FlagFetch> {
    prop_oneof![
        1 => Just(FlagFetch::Recent),
        5 => arb_flag().prop_map(FlagFetch::Flag),
    ]
}

fn arb_binary_data() -> impl Strategy<Value = BinaryData> {
    prop_oneof![
        server_nstring().prop_map(BinaryData::NString),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(|data| {
            BinaryData::Literal8(Literal8 {
                data: Bytes::from(data),
                mode: LiteralMode::Sync,
            })
        }),
    ]
}

/// One data item of a FETCH response.
pub(crate) fn arb_message_data_item() -> impl Strategy<Value = MessageDataItem> {
    let origin = proptest::option::of(any::<u32>());
    prop_oneof![
        proptest::collection::vec(arb_flag_fetch(), 0..4).prop_map(MessageDataItem::Flags),
        arb_date_time().prop_map(MessageDataItem::InternalDate),
        (0..=i64::MAX as u64).prop_map(MessageDataItem::Rfc822Size),
        arb_envelope().prop_map(MessageDataItem::Envelope),
        arb_body_structure(false).prop_map(MessageDataItem::Body),
        arb_body_structure(true).prop_map(MessageDataItem::BodyStructure),
        (
            arb_section_with(server_astring().boxed()),
            origin.clone(),
            server_nstring()
        )
            .prop_map(|(section, origin, data)| MessageDataItem::BodySection {
                section,
                origin,
                data
            }),
        server_nstring().prop_map(MessageDataItem::Rfc822),
        server_nstring().prop_map(MessageDataItem::Rfc822Header),
        server_nstring().prop_map(MessageDataItem::Rfc822Text),
        arb_nz().prop_map(MessageDataItem::Uid),
        (arb_part(), origin, arb_binary_data()).prop_map(|(section, origin, data)| {
            MessageDataItem::Binary {
                section,
                origin,
                data,
            }
        }),
        (arb_part(), any::<u32>())
            .prop_map(|(section, size)| MessageDataItem::BinarySize { section, size }),
        arb_modseq().prop_map(MessageDataItem::ModSeq),
    ]
}

/// A FETCH response.
pub(crate) fn arb_fetch_data() -> impl Strategy<Value = FetchData> {
    (
        arb_nz(),
        proptest::collection::vec(arb_message_data_item(), 1..4),
    )
        .prop_map(|(seq, items)| FetchData {
            seq,
            items: Vec1::try_from(items).expect("non-empty"),
        })
}
