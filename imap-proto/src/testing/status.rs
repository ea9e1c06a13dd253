//! Strategies for the STATUS types, and the known-answer and round-trip
//! helpers that the tests of every extension module (status, list,
//! namespace, id, quota, acl) share.

use std::fmt::Debug;

use proptest::prelude::*;

use super::core::{arb_mailbox, arb_nz};
use crate::codec::decode::IResult;
use crate::codec::encode::{encode_client, encode_server, EncodeInto};
use crate::core::Vec1;
use crate::status::{Status, StatusData, StatusItem, StatusItemName};

/// Runs `parser` over all of `input`; panics on an error or leftover bytes.
pub(crate) fn parse_all<T>(parser: impl for<'a> Fn(&'a [u8]) -> IResult<'a, T>, input: &[u8]) -> T {
    match parser(input) {
        Ok(([], value)) => value,
        Ok((rest, _)) => panic!(
            "{:?}: left over {:?}",
            String::from_utf8_lossy(input),
            String::from_utf8_lossy(rest)
        ),
        Err(e) => panic!("{:?}: {e:?}", String::from_utf8_lossy(input)),
    }
}

/// Whether `parser` refuses `input` as a whole (an error, or leftover bytes).
pub(crate) fn refuses<T>(
    parser: impl for<'a> Fn(&'a [u8]) -> IResult<'a, T>,
    input: &[u8],
) -> bool {
    !matches!(parser(input), Ok(([], _)))
}

/// The bytes of `value` as a client writes it.
pub(crate) fn client_bytes(value: &impl EncodeInto) -> Vec<u8> {
    encode_client(value).dump()
}

/// The bytes of `value` as a server writes it.
pub(crate) fn server_bytes(value: &impl EncodeInto) -> Vec<u8> {
    encode_server(value).dump()
}

/// A known answer for command arguments: `input` parses, the value encodes
/// to exactly `canonical`, and `canonical` parses back to the same value.
pub(crate) fn kat_args<T: EncodeInto + PartialEq + Debug>(
    parser: impl for<'a> Fn(&'a [u8]) -> IResult<'a, T> + Copy,
    input: &[u8],
    canonical: &[u8],
) -> T {
    kat(parser, input, canonical, client_bytes)
}

/// A known answer for response data, encoded as a server writes it.
pub(crate) fn kat_data<T: EncodeInto + PartialEq + Debug>(
    parser: impl for<'a> Fn(&'a [u8]) -> IResult<'a, T> + Copy,
    input: &[u8],
    canonical: &[u8],
) -> T {
    kat(parser, input, canonical, server_bytes)
}

fn kat<T: EncodeInto + PartialEq + Debug>(
    parser: impl for<'a> Fn(&'a [u8]) -> IResult<'a, T> + Copy,
    input: &[u8],
    canonical: &[u8],
    encode: fn(&T) -> Vec<u8>,
) -> T {
    let value = parse_all(parser, input);
    let bytes = encode(&value);
    assert_eq!(
        String::from_utf8_lossy(&bytes),
        String::from_utf8_lossy(canonical),
        "encoding of {value:?}"
    );
    assert_eq!(parse_all(parser, canonical), value);
    value
}

/// `parse(encode(value)) == value`, as a client writes it.
pub(crate) fn assert_args_round_trip<T: EncodeInto + PartialEq + Debug>(
    parser: impl for<'a> Fn(&'a [u8]) -> IResult<'a, T>,
    value: &T,
) {
    let bytes = client_bytes(value);
    assert_eq!(
        &parse_all(parser, &bytes),
        value,
        "{:?}",
        String::from_utf8_lossy(&bytes)
    );
}

/// Round trip of response data: exact through a client context (which
/// keeps `{n+}`), and stable bytes through a server context (which writes
/// every literal `{n}`, so literal modes read back as synchronizing).
pub(crate) fn assert_data_round_trip<T: EncodeInto + PartialEq + Debug>(
    parser: impl for<'a> Fn(&'a [u8]) -> IResult<'a, T> + Copy,
    value: &T,
) {
    assert_args_round_trip(parser, value);
    let bytes = server_bytes(value);
    let again = parse_all(parser, &bytes);
    assert_eq!(server_bytes(&again), bytes);
}

/// A u32, often small, sometimes the largest.
pub(crate) fn arb_u32() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..1000, Just(u32::MAX), any::<u32>()]
}

/// A `number64`: at most 2^63 - 1.
pub(crate) fn arb_number64() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..1000, Just(i64::MAX as u64), 0..=i64::MAX as u64]
}

/// A STATUS item name.
pub(crate) fn arb_status_item_name() -> impl Strategy<Value = StatusItemName> {
    proptest::sample::select(StatusItemName::ALL.to_vec())
}

/// A non-empty list of STATUS item names.
pub(crate) fn arb_status_item_names() -> impl Strategy<Value = Vec1<StatusItemName>> {
    proptest::collection::vec(arb_status_item_name(), 1..5)
        .prop_map(|items| Vec1::try_from(items).expect("non-empty"))
}

/// A STATUS item with a value in its range.
pub(crate) fn arb_status_item() -> impl Strategy<Value = StatusItem> {
    prop_oneof![
        arb_u32().prop_map(StatusItem::Messages),
        arb_u32().prop_map(StatusItem::Recent),
        arb_nz().prop_map(StatusItem::UidNext),
        arb_nz().prop_map(StatusItem::UidValidity),
        arb_u32().prop_map(StatusItem::Unseen),
        arb_u32().prop_map(StatusItem::Deleted),
        arb_number64().prop_map(StatusItem::Size),
        arb_number64().prop_map(StatusItem::HighestModSeq),
        proptest::option::of(arb_u32()).prop_map(StatusItem::AppendLimit),
    ]
}

/// STATUS arguments.
pub(crate) fn arb_status() -> impl Strategy<Value = Status> {
    (arb_mailbox(), arb_status_item_names()).prop_map(|(mailbox, items)| Status { mailbox, items })
}

/// A STATUS response.
pub(crate) fn arb_status_data() -> impl Strategy<Value = StatusData> {
    (
        arb_mailbox(),
        proptest::collection::vec(arb_status_item(), 0..5),
    )
        .prop_map(|(mailbox, items)| StatusData { mailbox, items })
}
