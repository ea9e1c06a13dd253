//! Strategies for the NAMESPACE types.

use proptest::prelude::*;

use super::core::arb_istring;
use super::list::arb_delimiter;
use crate::core::Vec1;
use crate::namespace::{Namespace, NamespaceData, NamespaceExtension};

/// A namespace response extension.
pub(crate) fn arb_namespace_extension() -> impl Strategy<Value = NamespaceExtension> {
    (
        arb_istring(),
        proptest::collection::vec(arb_istring(), 1..3),
    )
        .prop_map(|(name, values)| NamespaceExtension {
            name,
            values: Vec1::try_from(values).expect("non-empty"),
        })
}

/// One namespace.
pub(crate) fn arb_namespace() -> impl Strategy<Value = Namespace> {
    (
        arb_istring(),
        proptest::option::of(arb_delimiter()),
        proptest::collection::vec(arb_namespace_extension(), 0..2),
    )
        .prop_map(|(prefix, delimiter, extensions)| Namespace {
            prefix,
            delimiter,
            extensions,
        })
}

/// A NAMESPACE response.
pub(crate) fn arb_namespace_data() -> impl Strategy<Value = NamespaceData> {
    let class = || proptest::collection::vec(arb_namespace(), 0..3);
    (class(), class(), class()).prop_map(|(personal, other_users, shared)| NamespaceData {
        personal,
        other_users,
        shared,
    })
}
