//! Strategies for the string kinds and the shared types.

use std::num::NonZeroU32;

use bytes::Bytes;
use proptest::prelude::*;

use crate::core::{AString, Atom, IString, Literal, LiteralMode, NString, Quoted, Tag, Text, Vec1};
use crate::datetime::{DateTime, NaiveDate};
use crate::flag::Flag;
use crate::mailbox::{ListMailbox, Mailbox};
use crate::sequence::{SeqOrUid, Sequence, SequenceSet};

/// An atom of 1-12 ATOM-CHARs.
pub(crate) fn arb_atom() -> impl Strategy<Value = Atom> {
    "[a-zA-Z0-9$!#&',.:;<=>?@^_`|~+-]{1,12}".prop_map(Atom::unvalidated)
}

/// A tag.
pub(crate) fn arb_tag() -> impl Strategy<Value = Tag> {
    "[a-zA-Z0-9.]{1,8}".prop_map(Tag::unvalidated)
}

/// Text without CR/LF.
pub(crate) fn arb_text() -> impl Strategy<Value = Text> {
    "[a-zA-Z0-9 .,\\[\\]()é]{1,20}"
        .prop_filter("no leading bracket", |s| !s.starts_with('['))
        .prop_map(Text::unvalidated)
}

/// Any quoted content, specials and UTF-8 included.
pub(crate) fn arb_quoted() -> impl Strategy<Value = Quoted> {
    "[a-z \"\\\\()é%*{}]{0,12}".prop_map(Quoted::unvalidated)
}

/// A literal of any CHAR8 content.
pub(crate) fn arb_literal() -> impl Strategy<Value = Literal> {
    (
        proptest::collection::vec(1u8..=255, 0..40),
        prop_oneof![Just(LiteralMode::Sync), Just(LiteralMode::NonSync)],
    )
        .prop_map(|(data, mode)| Literal::unvalidated(Bytes::from(data), mode))
}

/// A quoted string or a literal.
pub(crate) fn arb_istring() -> impl Strategy<Value = IString> {
    prop_oneof![
        arb_quoted().prop_map(IString::Quoted),
        arb_literal().prop_map(IString::Literal)
    ]
}

/// `nstring`.
pub(crate) fn arb_nstring() -> impl Strategy<Value = NString> {
    proptest::option::of(arb_istring()).prop_map(NString)
}

/// `astring`, in all three forms.
pub(crate) fn arb_astring() -> impl Strategy<Value = AString> {
    prop_oneof![
        "[a-zA-Z0-9\\]$.-]{1,12}".prop_map(|s| AString::Atom(crate::core::AtomExt::unvalidated(s))),
        arb_istring().prop_map(AString::String),
    ]
}

/// A mailbox name (INBOX or other, in any form).
pub(crate) fn arb_mailbox() -> impl Strategy<Value = Mailbox> {
    prop_oneof![
        Just(Mailbox::Inbox),
        arb_astring().prop_map(Mailbox::from_astring)
    ]
}

/// A LIST pattern.
pub(crate) fn arb_list_mailbox() -> impl Strategy<Value = ListMailbox> {
    prop_oneof![
        "[a-z%*/]{1,8}".prop_map(ListMailbox::Token),
        arb_istring().prop_map(ListMailbox::String),
    ]
}

/// A non-zero number, often small, sometimes the largest.
pub(crate) fn arb_nz() -> impl Strategy<Value = NonZeroU32> {
    prop_oneof![1u32..100, Just(u32::MAX), 1u32..]
        .prop_map(|n| NonZeroU32::new(n).expect("non-zero"))
}

fn arb_seq_or_uid() -> impl Strategy<Value = SeqOrUid> {
    prop_oneof![4 => arb_nz().prop_map(SeqOrUid::Value), 1 => Just(SeqOrUid::Asterisk)]
}

/// A sequence set, `$` included.
pub(crate) fn arb_sequence_set() -> impl Strategy<Value = SequenceSet> {
    let sequence = prop_oneof![
        arb_seq_or_uid().prop_map(Sequence::Single),
        (arb_seq_or_uid(), arb_seq_or_uid()).prop_map(|(a, b)| Sequence::Range(a, b)),
    ];
    prop_oneof![
        9 => proptest::collection::vec(sequence, 1..4)
            .prop_map(|v| SequenceSet::Set(Vec1::try_from(v).expect("non-empty"))),
        1 => Just(SequenceSet::Saved),
    ]
}

/// A storable flag (no `\Recent`).
pub(crate) fn arb_flag() -> impl Strategy<Value = Flag> {
    prop_oneof![
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Seen),
        Just(Flag::Draft),
        arb_atom().prop_map(Flag::Keyword),
        "[A-Z][a-z]{1,6}"
            .prop_filter("not a system flag", |s| Flag::from_text(&format!("\\{s}"))
                .is_some_and(|f| matches!(f, Flag::Extension(_))))
            .prop_map(|s| Flag::Extension(Atom::unvalidated(s))),
    ]
}

/// A calendar date.
pub(crate) fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (1900u16..2100, 1u8..=12, 1u8..=28)
        .prop_map(|(y, m, d)| NaiveDate::new(y, m, d).expect("valid"))
}

/// A date-time with a zone.
pub(crate) fn arb_date_time() -> impl Strategy<Value = DateTime> {
    (arb_date(), 0u8..24, 0u8..60, 0u8..60, -720i16..=840)
        .prop_map(|(date, h, m, s, zone)| DateTime::new(date, (h, m, s), zone).expect("valid"))
}
