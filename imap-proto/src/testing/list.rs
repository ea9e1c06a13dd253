//! Strategies for the LIST types.

use proptest::prelude::*;

use super::core::{
    arb_astring, arb_atom, arb_list_mailbox, arb_mailbox, arb_quoted, arb_sequence_set,
};
use super::status::{arb_number64, arb_status_item_names};
use crate::core::Vec1;
use crate::list::{
    ChildInfo, CreateParams, Delimiter, List, ListData, ListExtendedItem, ListKind,
    ListReturnOptions, ListSelectOptions, Lsub, MailboxAttribute, TaggedExtComp, TaggedExtVal,
};
use crate::sequence::{SeqOrUid, Sequence, SequenceSet};

fn vec1<T: std::fmt::Debug>(
    item: impl Strategy<Value = T>,
    max: usize,
) -> impl Strategy<Value = Vec1<T>> {
    proptest::collection::vec(item, 1..=max).prop_map(|v| Vec1::try_from(v).expect("non-empty"))
}

/// A hierarchy delimiter, specials and UTF-8 included.
pub(crate) fn arb_delimiter() -> impl Strategy<Value = Delimiter> {
    prop_oneof![
        Just('/'),
        Just('.'),
        proptest::sample::select(vec!['\\', '"', ' ', '\u{e9}', '%']),
        any::<char>(),
    ]
    .prop_filter_map("no CR, LF or NUL", |c| Delimiter::try_from(c).ok())
}

/// A mailbox attribute, known or an extension.
pub(crate) fn arb_mailbox_attribute() -> impl Strategy<Value = MailboxAttribute> {
    prop_oneof![
        3 => "\\\\(Noinferiors|Noselect|Marked|Unmarked|NonExistent|Subscribed|Remote|HasChildren|HasNoChildren|All|Archive|Drafts|Flagged|Junk|Sent|Trash|Important|Inbox|AllMail|Spam|Starred)"
            .prop_map(|text| MailboxAttribute::from_text(&text).expect("known attribute")),
        1 => arb_atom().prop_map(MailboxAttribute::from_atom),
    ]
}

/// Selection options; `RECURSIVEMATCH` only with `SUBSCRIBED`.
pub(crate) fn arb_list_select_options() -> impl Strategy<Value = ListSelectOptions> {
    any::<[bool; 4]>().prop_map(
        |[subscribed, remote, special_use, recursive]| ListSelectOptions {
            subscribed,
            remote,
            special_use,
            recursive_match: recursive && subscribed,
        },
    )
}

/// Return options.
pub(crate) fn arb_list_return_options() -> impl Strategy<Value = ListReturnOptions> {
    (
        any::<[bool; 3]>(),
        proptest::option::of(arb_status_item_names()),
    )
        .prop_map(
            |([subscribed, children, special_use], status)| ListReturnOptions {
                subscribed,
                children,
                special_use,
                status,
            },
        )
}

/// LIST arguments, basic and extended.
pub(crate) fn arb_list() -> impl Strategy<Value = List> {
    (
        arb_list_select_options(),
        arb_mailbox(),
        vec1(arb_list_mailbox(), 3),
        arb_list_return_options(),
    )
        .prop_map(|(selection, reference, patterns, returns)| List {
            selection,
            reference,
            patterns,
            returns,
        })
}

/// LSUB (and XLIST) arguments.
pub(crate) fn arb_lsub() -> impl Strategy<Value = Lsub> {
    (arb_mailbox(), arb_list_mailbox()).prop_map(|(reference, pattern)| Lsub { reference, pattern })
}

fn is_lone_number(set: &SequenceSet) -> bool {
    matches!(set, SequenceSet::Set(items)
        if matches!(items.as_slice(), [Sequence::Single(SeqOrUid::Value(_))]))
}

/// A `tagged-ext-comp` element, nested a few levels.
pub(crate) fn arb_tagged_ext_comp() -> impl Strategy<Value = TaggedExtComp> {
    arb_astring()
        .prop_map(TaggedExtComp::AString)
        .prop_recursive(3, 12, 3, |inner| {
            vec1(inner, 3).prop_map(TaggedExtComp::List)
        })
}

/// A `tagged-ext-val`.
pub(crate) fn arb_tagged_ext_val() -> impl Strategy<Value = TaggedExtVal> {
    prop_oneof![
        arb_number64().prop_map(TaggedExtVal::Number),
        arb_sequence_set()
            .prop_filter("a lone number reads as Number", |set| !is_lone_number(set))
            .prop_map(TaggedExtVal::SequenceSet),
        proptest::collection::vec(arb_tagged_ext_comp(), 0..3).prop_map(TaggedExtVal::Comp),
    ]
}

/// A LIST extended data item.
pub(crate) fn arb_list_extended_item() -> impl Strategy<Value = ListExtendedItem> {
    let child_info = prop_oneof![
        Just(ChildInfo::Subscribed),
        arb_quoted()
            .prop_filter("not SUBSCRIBED", |q| !q
                .as_str()
                .eq_ignore_ascii_case("SUBSCRIBED"))
            .prop_map(ChildInfo::Other),
    ];
    prop_oneof![
        vec1(child_info, 2).prop_map(ListExtendedItem::ChildInfo),
        arb_mailbox().prop_map(ListExtendedItem::OldName),
        (
            arb_astring().prop_filter("not a known tag", |tag| {
                let name = tag.as_bytes();
                !name.eq_ignore_ascii_case(b"CHILDINFO") && !name.eq_ignore_ascii_case(b"OLDNAME")
            }),
            arb_tagged_ext_val(),
        )
            .prop_map(|(tag, value)| ListExtendedItem::Other { tag, value }),
    ]
}

/// A LIST, LSUB or XLIST response.
pub(crate) fn arb_list_data() -> impl Strategy<Value = ListData> {
    (
        prop_oneof![
            Just(ListKind::List),
            Just(ListKind::Lsub),
            Just(ListKind::Xlist)
        ],
        proptest::collection::vec(arb_mailbox_attribute(), 0..4),
        proptest::option::of(arb_delimiter()),
        arb_mailbox(),
        proptest::collection::vec(arb_list_extended_item(), 0..3),
    )
        .prop_map(
            |(kind, attributes, delimiter, mailbox, extended)| ListData {
                kind,
                attributes,
                delimiter,
                mailbox,
                extended,
            },
        )
}

/// The CREATE-SPECIAL-USE parameter.
pub(crate) fn arb_create_params() -> impl Strategy<Value = CreateParams> {
    proptest::collection::vec(arb_mailbox_attribute(), 0..3)
        .prop_map(|special_use| CreateParams { special_use })
}
