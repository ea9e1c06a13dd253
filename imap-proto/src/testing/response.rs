//! Strategies for responses.

use std::num::NonZeroU64;

use bytes::Bytes;
use proptest::collection::vec;
use proptest::prelude::*;

use super::acl::{arb_acl_data, arb_list_rights_data, arb_my_rights_data};
use super::capability::arb_capability;
use super::core::{arb_atom, arb_flag, arb_nz, arb_quoted, arb_sequence_set, arb_tag, arb_text};
use super::fetch::arb_fetch_data;
use super::id::arb_id_data;
use super::list::arb_list_data;
use super::namespace::arb_namespace_data;
use super::quota::{arb_quota_data, arb_quota_root_data};
use super::search::{arb_esearch_data, arb_search_data};
use super::sort::arb_thread_data;
use super::status::arb_status_data;
use crate::core::{Atom, Charset, Text, Vec1};
use crate::flag::FlagPerm;
use crate::response::{
    Code, CodeText, ContinueRequest, Data, RespText, Response, Status, StatusKind, SIMPLE_CODES,
};
use crate::sequence::{SeqOrUid, Sequence, SequenceSet};

/// A UID set: no `*`, no `$`.
pub(crate) fn arb_uid_set() -> impl Strategy<Value = SequenceSet> {
    let sequence = prop_oneof![
        arb_nz().prop_map(|n| Sequence::Single(SeqOrUid::Value(n))),
        (arb_nz(), arb_nz())
            .prop_map(|(a, b)| Sequence::Range(SeqOrUid::Value(a), SeqOrUid::Value(b))),
    ];
    vec(sequence, 1..4).prop_map(|v| SequenceSet::Set(Vec1::try_from(v).expect("non-empty")))
}

fn arb_non_empty<T: std::fmt::Debug>(
    item: impl Strategy<Value = T>,
) -> impl Strategy<Value = Vec1<T>> {
    vec(item, 1..5).prop_map(|v| Vec1::try_from(v).expect("non-empty"))
}

fn arb_flag_perm() -> impl Strategy<Value = FlagPerm> {
    prop_oneof![
        4 => arb_flag().prop_map(FlagPerm::Flag),
        1 => Just(FlagPerm::Asterisk),
    ]
}

fn arb_charset() -> impl Strategy<Value = Charset> {
    prop_oneof![
        arb_atom().prop_map(Charset::Atom),
        arb_quoted().prop_map(Charset::Quoted),
    ]
}

/// Any response code; `Other` only with names no known code has.
pub(crate) fn arb_code() -> impl Strategy<Value = Code> {
    let simple = (0..SIMPLE_CODES.len()).prop_map(|i| SIMPLE_CODES[i].1.clone());
    let other = (
        "X[A-Z0-9-]{1,10}",
        proptest::option::of("[a-zA-Z0-9 ():/.\\[é-]{1,20}"),
    )
        .prop_map(|(name, text)| {
            Code::Other(Atom::unvalidated(name), text.map(CodeText::unvalidated))
        });
    prop_oneof![
        4 => simple,
        1 => vec(arb_charset(), 0..3).prop_map(Code::BadCharset),
        1 => arb_non_empty(arb_capability()).prop_map(Code::Capability),
        1 => vec(arb_flag_perm(), 0..4).prop_map(Code::PermanentFlags),
        1 => arb_nz().prop_map(Code::UidNext),
        1 => arb_nz().prop_map(Code::UidValidity),
        1 => arb_nz().prop_map(Code::Unseen),
        1 => (arb_nz(), arb_uid_set())
            .prop_map(|(uid_validity, uids)| Code::AppendUid { uid_validity, uids }),
        1 => (arb_nz(), arb_uid_set(), arb_uid_set()).prop_map(
            |(uid_validity, source, destination)| Code::CopyUid {
                uid_validity,
                source,
                destination,
            }
        ),
        1 => (1..=i64::MAX as u64)
            .prop_map(|n| Code::HighestModSeq(NonZeroU64::new(n).expect("non-zero"))),
        1 => arb_sequence_set().prop_map(Code::Modified),
        1 => other,
    ]
}

/// A `resp-text`: a code or not, a text or not (never a code-less text
/// that starts with `[`, which reads back as a code).
pub(crate) fn arb_resp_text() -> impl Strategy<Value = RespText> {
    (
        proptest::option::of(arb_code()),
        proptest::option::of(arb_text()),
    )
        .prop_map(|(code, text)| RespText { code, text })
}

fn arb_status_kind() -> impl Strategy<Value = StatusKind> {
    prop_oneof![
        Just(StatusKind::Ok),
        Just(StatusKind::No),
        Just(StatusKind::Bad)
    ]
}

/// Any status response.
pub(crate) fn arb_status() -> impl Strategy<Value = Status> {
    prop_oneof![
        (arb_tag(), arb_status_kind(), arb_resp_text())
            .prop_map(|(tag, kind, body)| Status::Tagged { tag, kind, body }),
        (arb_status_kind(), arb_resp_text())
            .prop_map(|(kind, body)| Status::Untagged { kind, body }),
        arb_resp_text().prop_map(Status::PreAuth),
        arb_resp_text().prop_map(Status::Bye),
    ]
}

/// Whether `text` would read back as base64 in a continuation request.
fn is_base64(text: &Text) -> bool {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text.as_str())
        .is_ok()
}

/// Any continuation request (text ones that cannot be read as base64).
pub(crate) fn arb_continue_request() -> impl Strategy<Value = ContinueRequest> {
    prop_oneof![
        arb_resp_text()
            .prop_filter("reads back as base64", |body| {
                match (&body.code, &body.text) {
                    (None, None) => false,
                    (None, Some(text)) => !is_base64(text),
                    (Some(_), _) => true,
                }
            })
            .prop_map(ContinueRequest::Text),
        vec(any::<u8>(), 0..40).prop_map(|data| ContinueRequest::Base64(Bytes::from(data))),
    ]
}

/// Any untagged data.
pub(crate) fn arb_data() -> impl Strategy<Value = Data> {
    let own = prop_oneof![
        arb_non_empty(arb_capability())
            .prop_map(Data::Capability)
            .boxed(),
        vec(arb_capability(), 0..4).prop_map(Data::Enabled).boxed(),
        vec(arb_flag(), 0..5).prop_map(Data::Flags).boxed(),
        any::<u32>().prop_map(Data::Exists).boxed(),
        any::<u32>().prop_map(Data::Recent).boxed(),
        arb_nz().prop_map(Data::Expunge).boxed(),
        (any::<bool>(), arb_uid_set())
            .prop_map(|(earlier, uids)| Data::Vanished { earlier, uids })
            .boxed(),
    ];
    let others = prop_oneof![
        arb_fetch_data().prop_map(Data::Fetch).boxed(),
        arb_search_data().prop_map(Data::Search).boxed(),
        arb_esearch_data().prop_map(Data::ESearch).boxed(),
        arb_search_data().prop_map(Data::Sort).boxed(),
        arb_thread_data().prop_map(Data::Thread).boxed(),
        arb_status_data().prop_map(Data::Status).boxed(),
        arb_list_data().prop_map(Data::List).boxed(),
        arb_namespace_data().prop_map(Data::Namespace).boxed(),
        arb_id_data().prop_map(Data::Id).boxed(),
        arb_quota_data().prop_map(Data::Quota).boxed(),
        arb_quota_root_data().prop_map(Data::QuotaRoot).boxed(),
        arb_acl_data().prop_map(Data::Acl).boxed(),
        arb_list_rights_data().prop_map(Data::ListRights).boxed(),
        arb_my_rights_data().prop_map(Data::MyRights).boxed(),
    ];
    prop_oneof![own, others]
}

/// Any response.
pub(crate) fn arb_response() -> impl Strategy<Value = Response> {
    prop_oneof![
        arb_status().prop_map(Response::Status).boxed(),
        arb_data().prop_map(Response::Data).boxed(),
        arb_continue_request()
            .prop_map(Response::ContinueRequest)
            .boxed(),
    ]
}
