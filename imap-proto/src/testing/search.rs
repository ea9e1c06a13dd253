//! Strategies for the SEARCH types.

use std::num::NonZeroU64;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use super::core::{
    arb_astring, arb_atom, arb_date, arb_flag, arb_nz, arb_quoted, arb_sequence_set, arb_tag,
};
use crate::core::{Charset, Vec1};
use crate::search::{
    ContextUpdate, ESearchData, EntryType, ModSeqEntry, PartialRange, Search, SearchData,
    SearchKey, SearchReturnData, SearchReturnOption,
};
use crate::sequence::SequenceSet;

/// A charset, atom or quoted.
pub(crate) fn arb_charset() -> impl Strategy<Value = Charset> {
    prop_oneof![
        arb_atom().prop_map(Charset::Atom),
        arb_quoted().prop_map(Charset::Quoted),
    ]
}

/// A positive mod-sequence (63 bits).
pub(crate) fn arb_modseq() -> impl Strategy<Value = NonZeroU64> {
    prop_oneof![1u64..1000, Just(i64::MAX as u64), 1u64..=i64::MAX as u64]
        .prop_map(|n| NonZeroU64::new(n).expect("non-zero"))
}

fn arb_entry() -> impl Strategy<Value = ModSeqEntry> {
    (
        arb_flag(),
        prop_oneof![
            Just(EntryType::Private),
            Just(EntryType::Shared),
            Just(EntryType::All)
        ],
    )
        .prop_map(|(flag, kind)| ModSeqEntry { flag, kind })
}

/// A search key without sub-keys.
fn arb_leaf_key() -> impl Strategy<Value = SearchKey> {
    let flags = prop::sample::select(vec![
        SearchKey::All,
        SearchKey::Answered,
        SearchKey::Deleted,
        SearchKey::Draft,
        SearchKey::Flagged,
        SearchKey::Seen,
        SearchKey::Unanswered,
        SearchKey::Undeleted,
        SearchKey::Undraft,
        SearchKey::Unflagged,
        SearchKey::Unseen,
        SearchKey::New,
        SearchKey::Old,
        SearchKey::Recent,
    ]);
    let strings = (0..7usize, arb_astring()).prop_map(|(i, s)| match i {
        0 => SearchKey::Bcc(s),
        1 => SearchKey::Cc(s),
        2 => SearchKey::From(s),
        3 => SearchKey::To(s),
        4 => SearchKey::Subject(s),
        5 => SearchKey::Body(s),
        _ => SearchKey::Text(s),
    });
    let dates = (0..6usize, arb_date()).prop_map(|(i, d)| match i {
        0 => SearchKey::Before(d),
        1 => SearchKey::On(d),
        2 => SearchKey::Since(d),
        3 => SearchKey::SentBefore(d),
        4 => SearchKey::SentOn(d),
        _ => SearchKey::SentSince(d),
    });
    let numbers = (0..4usize, arb_nz()).prop_map(|(i, n)| match i {
        0 => SearchKey::Larger(n.get() - 1),
        1 => SearchKey::Smaller(n.get()),
        2 => SearchKey::Older(n),
        _ => SearchKey::Younger(n),
    });
    let keywords = (any::<bool>(), arb_atom()).prop_map(|(un, k)| {
        if un {
            SearchKey::Unkeyword(k)
        } else {
            SearchKey::Keyword(k)
        }
    });
    let sets = (any::<bool>(), arb_sequence_set()).prop_map(|(uid, set)| {
        if uid {
            SearchKey::Uid(set)
        } else {
            SearchKey::SequenceSet(set)
        }
    });
    let modseq = (option::of(arb_entry()), 0..=i64::MAX as u64)
        .prop_map(|(entry, modseq)| SearchKey::ModSeq { entry, modseq });
    prop_oneof![
        3 => flags,
        3 => strings,
        2 => dates,
        2 => numbers,
        1 => keywords,
        2 => sets,
        1 => (arb_astring(), arb_astring()).prop_map(|(n, v)| SearchKey::Header(n, v)),
        1 => modseq,
    ]
}

/// A search key tree, a few levels deep.
pub(crate) fn arb_search_key() -> impl Strategy<Value = SearchKey> {
    arb_leaf_key().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 1..4)
                .prop_map(|keys| SearchKey::And(Vec1::try_from(keys).expect("non-empty"))),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| SearchKey::Or(Box::new(a), Box::new(b))),
            inner.prop_map(|key| SearchKey::Not(Box::new(key))),
        ]
    })
}

/// A partial range, either direction.
pub(crate) fn arb_partial_range() -> impl Strategy<Value = PartialRange> {
    (any::<bool>(), arb_nz(), arb_nz()).prop_map(|(last, a, b)| {
        if last {
            PartialRange::Last(a, b)
        } else {
            PartialRange::First(a, b)
        }
    })
}

/// A list of RETURN options, or none.
pub(crate) fn arb_return_options() -> impl Strategy<Value = Option<Vec<SearchReturnOption>>> {
    let option = prop_oneof![
        prop::sample::select(vec![
            SearchReturnOption::Min,
            SearchReturnOption::Max,
            SearchReturnOption::All,
            SearchReturnOption::Count,
            SearchReturnOption::Save,
            SearchReturnOption::Context,
            SearchReturnOption::Update,
        ]),
        arb_partial_range().prop_map(SearchReturnOption::Partial),
    ];
    option::of(vec(option, 0..4))
}

/// SEARCH arguments.
pub(crate) fn arb_search() -> impl Strategy<Value = Search> {
    (
        arb_return_options(),
        option::of(arb_charset()),
        arb_search_key(),
    )
        .prop_map(|(return_options, charset, criteria)| Search {
            return_options,
            charset,
            criteria,
        })
}

/// A `SEARCH` response, with or without a mod-sequence.
pub(crate) fn arb_search_data() -> impl Strategy<Value = SearchData> {
    (vec(arb_nz(), 0..6), option::of(arb_modseq())).prop_map(|(ids, modseq)| {
        match (Vec1::try_from(ids.clone()), modseq) {
            (Ok(ids), Some(modseq)) => SearchData::with_modseq(ids, modseq),
            _ => SearchData::new(ids),
        }
    })
}

/// A sequence set that is not `$`, as results are.
pub(crate) fn arb_result_set() -> impl Strategy<Value = SequenceSet> {
    arb_sequence_set().prop_filter("results are never $", |set| *set != SequenceSet::Saved)
}

fn arb_context_updates() -> impl Strategy<Value = Vec1<ContextUpdate>> {
    vec(
        (any::<u32>(), arb_result_set())
            .prop_map(|(position, set)| ContextUpdate { position, set }),
        1..3,
    )
    .prop_map(|updates| Vec1::try_from(updates).expect("non-empty"))
}

fn arb_return_data() -> impl Strategy<Value = SearchReturnData> {
    prop_oneof![
        arb_nz().prop_map(SearchReturnData::Min),
        arb_nz().prop_map(SearchReturnData::Max),
        arb_result_set().prop_map(SearchReturnData::All),
        any::<u32>().prop_map(SearchReturnData::Count),
        arb_modseq().prop_map(SearchReturnData::ModSeq),
        arb_context_updates().prop_map(SearchReturnData::AddTo),
        arb_context_updates().prop_map(SearchReturnData::RemoveFrom),
        (arb_partial_range(), option::of(arb_result_set()))
            .prop_map(|(range, results)| SearchReturnData::Partial { range, results }),
    ]
}

/// An `ESEARCH` response.
pub(crate) fn arb_esearch_data() -> impl Strategy<Value = ESearchData> {
    (
        option::of(arb_tag()),
        any::<bool>(),
        vec(arb_return_data(), 0..5),
    )
        .prop_map(|(tag, uid, data)| ESearchData { tag, uid, data })
}
