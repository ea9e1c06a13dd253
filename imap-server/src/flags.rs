//! Flags between the protocol's types and the backend's.

use imapkit_proto::core::Atom;
use imapkit_proto::flag::Flag as WireFlag;

use crate::backend::{Flag, Flags};
use crate::outcome::Outcome;

/// The system flags every mailbox supports, in the order FLAGS lists them.
pub(crate) const SYSTEM: [WireFlag; 5] = [
    WireFlag::Answered,
    WireFlag::Flagged,
    WireFlag::Deleted,
    WireFlag::Seen,
    WireFlag::Draft,
];

/// The wire form of a stored flag; `None` for a stored keyword that is not
/// a valid atom (a backend fed by another program), which is not shown.
pub(crate) fn to_wire(flag: &Flag) -> Option<WireFlag> {
    Some(match flag {
        Flag::Seen => WireFlag::Seen,
        Flag::Answered => WireFlag::Answered,
        Flag::Flagged => WireFlag::Flagged,
        Flag::Deleted => WireFlag::Deleted,
        Flag::Draft => WireFlag::Draft,
        Flag::Keyword(keyword) => WireFlag::Keyword(Atom::try_from(keyword.as_str()).ok()?),
    })
}

/// The wire forms of a message's flags.
pub(crate) fn flags_to_wire(flags: &Flags) -> Vec<WireFlag> {
    flags.iter().filter_map(|f| to_wire(&f)).collect()
}

/// The stored form of flags a client sent.
///
/// # Errors
/// `NO [CANNOT]` for a system flag this server does not know (`\Foo`):
/// RFC 9051 §2.3.2 reserves `\` names for the standard.
pub(crate) fn from_wire(flags: &[WireFlag]) -> Result<Flags, Outcome> {
    flags
        .iter()
        .map(|flag| match flag {
            WireFlag::Seen => Ok(Flag::Seen),
            WireFlag::Answered => Ok(Flag::Answered),
            WireFlag::Flagged => Ok(Flag::Flagged),
            WireFlag::Deleted => Ok(Flag::Deleted),
            WireFlag::Draft => Ok(Flag::Draft),
            WireFlag::Keyword(atom) => Ok(Flag::Keyword(atom.as_str().to_owned())),
            WireFlag::Extension(atom) => {
                Err(Outcome::bad(None, format!("Unknown system flag \\{atom}")))
            }
        })
        .collect()
}
