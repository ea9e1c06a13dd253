//! Strategies for the ID types.

use proptest::prelude::*;

use super::core::{arb_istring, arb_nstring};
use crate::id::{Id, IdData, IdParams};

/// ID parameters within the limits of RFC 2971 §3.3.
pub(crate) fn arb_id_params() -> impl Strategy<Value = IdParams> {
    proptest::collection::vec((arb_istring(), arb_nstring()), 0..5)
        .prop_filter_map("within RFC 2971 limits", |pairs| IdParams::new(pairs).ok())
}

/// ID arguments.
pub(crate) fn arb_id() -> impl Strategy<Value = Id> {
    arb_id_params().prop_map(|params| Id { params })
}

/// An ID response.
pub(crate) fn arb_id_data() -> impl Strategy<Value = IdData> {
    arb_id_params().prop_map(|params| IdData { params })
}
