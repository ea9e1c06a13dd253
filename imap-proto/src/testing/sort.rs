//! Strategies for the SORT and THREAD types.

use proptest::collection::vec;
use proptest::prelude::*;

use super::core::{arb_atom, arb_nz};
use super::search::{arb_charset, arb_return_options, arb_search_key};
use crate::core::Vec1;
use crate::sort::{Sort, SortCriterion, SortKey, Thread, ThreadAlgorithm, ThreadData, ThreadNode};

fn arb_sort_criterion() -> impl Strategy<Value = SortCriterion> {
    (
        any::<bool>(),
        prop::sample::select(vec![
            SortKey::Arrival,
            SortKey::Cc,
            SortKey::Date,
            SortKey::From,
            SortKey::Size,
            SortKey::Subject,
            SortKey::To,
            SortKey::DisplayFrom,
            SortKey::DisplayTo,
        ]),
    )
        .prop_map(|(reverse, key)| SortCriterion { reverse, key })
}

/// SORT arguments.
pub(crate) fn arb_sort() -> impl Strategy<Value = Sort> {
    (
        arb_return_options(),
        vec(arb_sort_criterion(), 1..4),
        arb_charset(),
        arb_search_key(),
    )
        .prop_map(|(return_options, order, charset, criteria)| Sort {
            return_options,
            order: Vec1::try_from(order).expect("non-empty"),
            charset,
            criteria,
        })
}

/// A threading algorithm; `Other` never spells a known one.
pub(crate) fn arb_thread_algorithm() -> impl Strategy<Value = ThreadAlgorithm> {
    prop_oneof![
        Just(ThreadAlgorithm::OrderedSubject),
        Just(ThreadAlgorithm::References),
        arb_atom().prop_map(ThreadAlgorithm::from_atom),
    ]
}

/// THREAD arguments.
pub(crate) fn arb_thread() -> impl Strategy<Value = Thread> {
    (arb_thread_algorithm(), arb_charset(), arb_search_key()).prop_map(
        |(algorithm, charset, criteria)| Thread {
            algorithm,
            charset,
            criteria,
        },
    )
}

/// A thread tree a few levels deep, with and without missing parents.
pub(crate) fn arb_thread_node() -> impl Strategy<Value = ThreadNode> {
    let leaf = vec(arb_nz(), 1..4)
        .prop_map(|ids| ThreadNode::chain(Vec1::try_from(ids).expect("non-empty")));
    leaf.prop_recursive(4, 24, 4, |inner| {
        (vec(arb_nz(), 0..3), vec(inner, 2..4))
            .prop_map(|(ids, children)| ThreadNode::new(ids, children).expect("two children"))
    })
}

/// A `THREAD` response.
pub(crate) fn arb_thread_data() -> impl Strategy<Value = ThreadData> {
    vec(arb_thread_node(), 0..4).prop_map(|threads| ThreadData { threads })
}
