//! Strategies for capabilities.

use proptest::prelude::*;

use crate::capability::Capability;
use crate::core::Atom;

/// An upper-case parameter atom (mechanism, algorithm, resource).
fn arb_upper_atom() -> impl Strategy<Value = Atom> {
    "[A-Z0-9][A-Z0-9_=-]{0,10}".prop_map(Atom::unvalidated)
}

/// Any capability, known or not, in canonical form.
pub(crate) fn arb_capability() -> impl Strategy<Value = Capability> {
    let simple = prop_oneof![
        Just(Capability::Imap4Rev1),
        Just(Capability::Imap4Rev2),
        Just(Capability::StartTls),
        Just(Capability::LoginDisabled),
        Just(Capability::SaslIr),
        Just(Capability::Idle),
        Just(Capability::Namespace),
        Just(Capability::UidPlus),
        Just(Capability::Move),
        Just(Capability::Unselect),
        Just(Capability::Id),
        Just(Capability::Enable),
        Just(Capability::LiteralPlus),
        Just(Capability::LiteralMinus),
        Just(Capability::MultiAppend),
        Just(Capability::Binary),
        Just(Capability::CondStore),
        Just(Capability::QResync),
        Just(Capability::ESearch),
        Just(Capability::SearchRes),
    ];
    let simple2 = prop_oneof![
        Just(Capability::Within),
        Just(Capability::Sort),
        Just(Capability::SortDisplay),
        Just(Capability::ESort),
        Just(Capability::ContextSearch),
        Just(Capability::ContextSort),
        Just(Capability::ListExtended),
        Just(Capability::ListStatus),
        Just(Capability::SpecialUse),
        Just(Capability::CreateSpecialUse),
        Just(Capability::Children),
        Just(Capability::Quota),
        Just(Capability::Acl),
        Just(Capability::CompressDeflate),
        Just(Capability::StatusSize),
        Just(Capability::Utf8Accept),
        Just(Capability::Utf8Only),
        Just(Capability::XList),
    ];
    prop_oneof![
        simple,
        simple2,
        arb_upper_atom().prop_map(Capability::Auth),
        arb_upper_atom().prop_map(Capability::Thread),
        arb_upper_atom().prop_map(Capability::QuotaRes),
        "[a-z0-9]{1,6}".prop_map(|r| Capability::Rights(Atom::unvalidated(r))),
        proptest::option::of(any::<u32>()).prop_map(Capability::AppendLimit),
        // Unknown names start with X (RFC 3501 §7.2.1); `XLIST` is known.
        "X[a-zA-Z0-9+=-]{1,10}"
            .prop_filter("not XLIST", |s| !s.eq_ignore_ascii_case("XLIST"))
            .prop_map(|s| Capability::Other(Atom::unvalidated(s))),
    ]
}
