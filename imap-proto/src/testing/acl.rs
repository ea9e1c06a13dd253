//! Strategies for the ACL types.

use proptest::prelude::*;

use super::core::{arb_astring, arb_mailbox};
use crate::acl::{
    AclData, AclEntry, DeleteAcl, GetAcl, ListRights, ListRightsData, ModRights, ModRightsMode,
    MyRights, MyRightsData, Rights, SetAcl,
};

/// A set of rights, possibly empty.
pub(crate) fn arb_rights() -> impl Strategy<Value = Rights> {
    "[a-z0-9]{0,8}".prop_map(|s| Rights::try_from(s).expect("valid rights"))
}

/// SETACL's rights argument.
pub(crate) fn arb_mod_rights() -> impl Strategy<Value = ModRights> {
    (
        prop_oneof![
            Just(ModRightsMode::Replace),
            Just(ModRightsMode::Add),
            Just(ModRightsMode::Remove)
        ],
        arb_rights(),
    )
        .prop_map(|(mode, rights)| ModRights { mode, rights })
}

/// SETACL arguments.
pub(crate) fn arb_set_acl() -> impl Strategy<Value = SetAcl> {
    (arb_mailbox(), arb_astring(), arb_mod_rights()).prop_map(|(mailbox, identifier, rights)| {
        SetAcl {
            mailbox,
            identifier,
            rights,
        }
    })
}

/// DELETEACL arguments.
pub(crate) fn arb_delete_acl() -> impl Strategy<Value = DeleteAcl> {
    (arb_mailbox(), arb_astring()).prop_map(|(mailbox, identifier)| DeleteAcl {
        mailbox,
        identifier,
    })
}

/// GETACL arguments.
pub(crate) fn arb_get_acl() -> impl Strategy<Value = GetAcl> {
    arb_mailbox().prop_map(|mailbox| GetAcl { mailbox })
}

/// LISTRIGHTS arguments.
pub(crate) fn arb_list_rights() -> impl Strategy<Value = ListRights> {
    (arb_mailbox(), arb_astring()).prop_map(|(mailbox, identifier)| ListRights {
        mailbox,
        identifier,
    })
}

/// MYRIGHTS arguments.
pub(crate) fn arb_my_rights() -> impl Strategy<Value = MyRights> {
    arb_mailbox().prop_map(|mailbox| MyRights { mailbox })
}

/// An ACL response.
pub(crate) fn arb_acl_data() -> impl Strategy<Value = AclData> {
    let entry = (arb_astring(), arb_rights())
        .prop_map(|(identifier, rights)| AclEntry { identifier, rights });
    (arb_mailbox(), proptest::collection::vec(entry, 0..4))
        .prop_map(|(mailbox, entries)| AclData { mailbox, entries })
}

/// A LISTRIGHTS response.
pub(crate) fn arb_list_rights_data() -> impl Strategy<Value = ListRightsData> {
    (
        arb_mailbox(),
        arb_astring(),
        arb_rights(),
        proptest::collection::vec(arb_rights(), 0..4),
    )
        .prop_map(|(mailbox, identifier, required, optional)| ListRightsData {
            mailbox,
            identifier,
            required,
            optional,
        })
}

/// A MYRIGHTS response.
pub(crate) fn arb_my_rights_data() -> impl Strategy<Value = MyRightsData> {
    (arb_mailbox(), arb_rights()).prop_map(|(mailbox, rights)| MyRightsData { mailbox, rights })
}
