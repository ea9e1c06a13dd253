//! Strategies for the QUOTA types.

use proptest::prelude::*;

use super::core::{arb_astring, arb_atom, arb_mailbox};
use super::status::arb_number64;
use crate::core::Vec1;
use crate::quota::{
    GetQuota, GetQuotaRoot, QuotaData, QuotaLimit, QuotaResource, QuotaRootData, Resource, SetQuota,
};

/// A resource name, known or an extension.
pub(crate) fn arb_resource() -> impl Strategy<Value = Resource> {
    prop_oneof![
        Just(Resource::Storage),
        Just(Resource::Message),
        Just(Resource::Mailbox),
        Just(Resource::AnnotationStorage),
        arb_atom().prop_map(Resource::from_atom),
    ]
}

/// GETQUOTA arguments.
pub(crate) fn arb_get_quota() -> impl Strategy<Value = GetQuota> {
    arb_astring().prop_map(|root| GetQuota { root })
}

/// GETQUOTAROOT arguments.
pub(crate) fn arb_get_quota_root() -> impl Strategy<Value = GetQuotaRoot> {
    arb_mailbox().prop_map(|mailbox| GetQuotaRoot { mailbox })
}

/// SETQUOTA arguments.
pub(crate) fn arb_set_quota() -> impl Strategy<Value = SetQuota> {
    let limit = (arb_resource(), arb_number64())
        .prop_map(|(resource, limit)| QuotaLimit { resource, limit });
    (arb_astring(), proptest::collection::vec(limit, 0..4))
        .prop_map(|(root, limits)| SetQuota { root, limits })
}

/// A QUOTA response.
pub(crate) fn arb_quota_data() -> impl Strategy<Value = QuotaData> {
    let resource =
        (arb_resource(), arb_number64(), arb_number64()).prop_map(|(resource, usage, limit)| {
            QuotaResource {
                resource,
                usage,
                limit,
            }
        });
    (arb_astring(), proptest::collection::vec(resource, 1..4)).prop_map(|(root, resources)| {
        QuotaData {
            root,
            resources: Vec1::try_from(resources).expect("non-empty"),
        }
    })
}

/// A QUOTAROOT response.
pub(crate) fn arb_quota_root_data() -> impl Strategy<Value = QuotaRootData> {
    (
        arb_mailbox(),
        proptest::collection::vec(arb_astring(), 0..3),
    )
        .prop_map(|(mailbox, roots)| QuotaRootData { mailbox, roots })
}
