//! Strategies for commands: every variant of [`CommandBody`], with the
//! other topics' strategies for their argument types.

use std::num::NonZeroU64;

use bytes::Bytes;
use proptest::prelude::*;

use super::acl::{arb_delete_acl, arb_get_acl, arb_list_rights, arb_my_rights, arb_set_acl};
use super::capability::arb_capability;
use super::core::{
    arb_astring, arb_atom, arb_date_time, arb_flag, arb_literal, arb_mailbox, arb_nz,
    arb_sequence_set, arb_tag,
};
use super::fetch::arb_fetch;
use super::id::arb_id;
use super::list::{arb_create_params, arb_list, arb_lsub};
use super::quota::{arb_get_quota, arb_get_quota_root, arb_set_quota};
use super::search::arb_search;
use super::sort::{arb_sort, arb_thread};
use super::status::arb_status;
use crate::command::{
    Append, AppendData, AppendMessage, AuthenticateData, Command, CommandBody,
    CompressionAlgorithm, QResync, SelectParams, SeqMatchData, Store,
};
use crate::core::{Literal8, LiteralMode, Vec1};
use crate::flag::{StoreResponse, StoreType};
use crate::secret::Secret;
use crate::sequence::{SeqOrUid, Sequence, SequenceSet};

/// Any bytes, NUL included, as a [`Secret`].
fn arb_secret_bytes() -> impl Strategy<Value = Secret<Bytes>> {
    proptest::collection::vec(any::<u8>(), 0..24).prop_map(|v| Secret::new(Bytes::from(v)))
}

fn arb_literal_mode() -> impl Strategy<Value = LiteralMode> {
    prop_oneof![Just(LiteralMode::Sync), Just(LiteralMode::NonSync)]
}

/// A sequence set without `*` or `$`, as QRESYNC takes it.
pub(crate) fn arb_uid_set() -> impl Strategy<Value = SequenceSet> {
    let sequence = prop_oneof![
        arb_nz().prop_map(|n| Sequence::Single(SeqOrUid::Value(n))),
        (arb_nz(), arb_nz())
            .prop_map(|(a, b)| Sequence::Range(SeqOrUid::Value(a), SeqOrUid::Value(b))),
    ];
    proptest::collection::vec(sequence, 1..4)
        .prop_map(|v| SequenceSet::Set(Vec1::try_from(v).expect("non-empty")))
}

/// A mod-sequence: 1 to 2^63-1.
fn arb_mod_seq() -> impl Strategy<Value = NonZeroU64> {
    prop_oneof![1u64..1000, Just(i64::MAX as u64), 1u64..=i64::MAX as u64]
        .prop_map(|n| NonZeroU64::new(n).expect("non-zero"))
}

/// SELECT/EXAMINE parameters, none included.
pub(crate) fn arb_select_params() -> impl Strategy<Value = SelectParams> {
    let seq_match =
        (arb_uid_set(), arb_uid_set()).prop_map(|(sequence_set, uid_set)| SeqMatchData {
            sequence_set,
            uid_set,
        });
    let qresync = (
        arb_nz(),
        arb_mod_seq(),
        proptest::option::of(arb_uid_set()),
        proptest::option::of(seq_match),
    )
        .prop_map(|(uid_validity, mod_seq, known_uids, seq_match)| QResync {
            uid_validity,
            mod_seq,
            known_uids,
            seq_match,
        });
    (any::<bool>(), proptest::option::of(qresync))
        .prop_map(|(condstore, qresync)| SelectParams { condstore, qresync })
}

/// One APPEND message: a literal or a literal8 (which may hold NUL).
fn arb_append_message() -> impl Strategy<Value = AppendMessage> {
    let data = prop_oneof![
        arb_literal().prop_map(AppendData::Literal),
        (
            proptest::collection::vec(any::<u8>(), 0..40),
            arb_literal_mode()
        )
            .prop_map(|(data, mode)| AppendData::Literal8(Literal8 {
                data: Bytes::from(data),
                mode
            })),
    ];
    (
        proptest::collection::vec(arb_flag(), 0..3),
        proptest::option::of(arb_date_time()),
        data,
    )
        .prop_map(|(flags, date_time, data)| AppendMessage {
            flags,
            date_time,
            data,
        })
}

/// APPEND arguments, with one to three messages.
pub(crate) fn arb_append() -> impl Strategy<Value = Append> {
    (
        arb_mailbox(),
        proptest::collection::vec(arb_append_message(), 1..4),
    )
        .prop_map(|(mailbox, messages)| Append {
            mailbox,
            messages: Vec1::try_from(messages).expect("non-empty"),
        })
}

/// STORE arguments.
pub(crate) fn arb_store() -> impl Strategy<Value = Store> {
    (
        arb_sequence_set(),
        proptest::option::of(prop_oneof![Just(0u64), 0u64..=i64::MAX as u64]),
        prop_oneof![
            Just(StoreType::Replace),
            Just(StoreType::Add),
            Just(StoreType::Remove)
        ],
        prop_oneof![Just(StoreResponse::Answer), Just(StoreResponse::Silent)],
        proptest::collection::vec(arb_flag(), 0..4),
    )
        .prop_map(
            |(sequence_set, unchanged_since, kind, response, flags)| Store {
                sequence_set,
                unchanged_since,
                kind,
                response,
                flags,
            },
        )
}

/// The commands without arguments.
fn arb_bare_body() -> impl Strategy<Value = CommandBody> {
    prop_oneof![
        Just(CommandBody::Capability),
        Just(CommandBody::Noop),
        Just(CommandBody::Logout),
        Just(CommandBody::StartTls),
        Just(CommandBody::Namespace),
        Just(CommandBody::Idle),
        Just(CommandBody::Check),
        Just(CommandBody::Close),
        Just(CommandBody::Unselect),
        Just(CommandBody::Expunge),
    ]
}

/// The commands of the not-authenticated and any states with arguments.
fn arb_session_body() -> impl Strategy<Value = CommandBody> {
    prop_oneof![
        (arb_atom(), proptest::option::of(arb_secret_bytes())).prop_map(
            |(mechanism, initial_response)| CommandBody::Authenticate {
                mechanism,
                initial_response
            }
        ),
        (arb_astring(), arb_astring()).prop_map(|(username, password)| CommandBody::Login {
            username,
            password: Secret::new(password)
        }),
        arb_id().prop_map(CommandBody::Id),
        proptest::collection::vec(arb_capability(), 1..4).prop_map(|capabilities| {
            CommandBody::Enable {
                capabilities: Vec1::try_from(capabilities).expect("non-empty"),
            }
        }),
        Just(CommandBody::Compress {
            algorithm: CompressionAlgorithm::Deflate
        }),
    ]
}

/// The commands of the authenticated state with arguments.
fn arb_mailbox_body() -> impl Strategy<Value = CommandBody> {
    prop_oneof![
        (arb_mailbox(), arb_select_params())
            .prop_map(|(mailbox, params)| CommandBody::Select { mailbox, params }),
        (arb_mailbox(), arb_select_params())
            .prop_map(|(mailbox, params)| CommandBody::Examine { mailbox, params }),
        (arb_mailbox(), proptest::option::of(arb_create_params()))
            .prop_map(|(mailbox, params)| CommandBody::Create { mailbox, params }),
        arb_mailbox().prop_map(|mailbox| CommandBody::Delete { mailbox }),
        (arb_mailbox(), arb_mailbox()).prop_map(|(from, to)| CommandBody::Rename { from, to }),
        arb_mailbox().prop_map(|mailbox| CommandBody::Subscribe { mailbox }),
        arb_mailbox().prop_map(|mailbox| CommandBody::Unsubscribe { mailbox }),
        arb_list().prop_map(CommandBody::List),
        arb_lsub().prop_map(CommandBody::Lsub),
        arb_lsub().prop_map(CommandBody::Xlist),
    ]
}

/// More commands of the authenticated state with arguments.
fn arb_admin_body() -> impl Strategy<Value = CommandBody> {
    prop_oneof![
        arb_status().prop_map(CommandBody::Status),
        arb_append().prop_map(CommandBody::Append),
        arb_get_quota().prop_map(CommandBody::GetQuota),
        arb_get_quota_root().prop_map(CommandBody::GetQuotaRoot),
        arb_set_quota().prop_map(CommandBody::SetQuota),
        arb_set_acl().prop_map(CommandBody::SetAcl),
        arb_delete_acl().prop_map(CommandBody::DeleteAcl),
        arb_get_acl().prop_map(CommandBody::GetAcl),
        arb_list_rights().prop_map(CommandBody::ListRights),
        arb_my_rights().prop_map(CommandBody::MyRights),
    ]
}

/// The commands of the selected state with arguments.
fn arb_selected_body() -> impl Strategy<Value = CommandBody> {
    prop_oneof![
        arb_sequence_set().prop_map(|uids| CommandBody::ExpungeUid { uids }),
        (any::<bool>(), arb_search()).prop_map(|(uid, search)| CommandBody::Search { uid, search }),
        (any::<bool>(), arb_sort()).prop_map(|(uid, sort)| CommandBody::Sort { uid, sort }),
        (any::<bool>(), arb_thread()).prop_map(|(uid, thread)| CommandBody::Thread { uid, thread }),
        (any::<bool>(), arb_fetch()).prop_map(|(uid, fetch)| CommandBody::Fetch { uid, fetch }),
        (any::<bool>(), arb_store()).prop_map(|(uid, store)| CommandBody::Store { uid, store }),
        (any::<bool>(), arb_sequence_set(), arb_mailbox()).prop_map(
            |(uid, sequence_set, mailbox)| CommandBody::Copy {
                uid,
                sequence_set,
                mailbox
            }
        ),
        (any::<bool>(), arb_sequence_set(), arb_mailbox()).prop_map(
            |(uid, sequence_set, mailbox)| CommandBody::Move {
                uid,
                sequence_set,
                mailbox
            }
        ),
    ]
}

/// Any command body.
///
/// Each group is boxed: one strategy type for every command nests too deep
/// for the stack of a test thread in debug builds.
pub(crate) fn arb_command_body() -> impl Strategy<Value = CommandBody> {
    prop_oneof![
        1 => arb_bare_body().boxed(),
        1 => arb_session_body().boxed(),
        2 => arb_mailbox_body().boxed(),
        2 => arb_admin_body().boxed(),
        2 => arb_selected_body().boxed(),
    ]
}

/// Any command.
pub(crate) fn arb_command() -> impl Strategy<Value = Command> {
    (arb_tag(), arb_command_body()).prop_map(|(tag, body)| Command { tag, body })
}

/// An AUTHENTICATE line.
pub(crate) fn arb_authenticate_data() -> impl Strategy<Value = AuthenticateData> {
    prop_oneof![
        4 => arb_secret_bytes().prop_map(AuthenticateData::Continue),
        1 => Just(AuthenticateData::Cancel),
    ]
}
