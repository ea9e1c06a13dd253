//! Flags between the protocol's types and the backend's.

use imapkit_proto::core::Atom;
use imapkit_proto::flag::Flag as WireFlag;
use imapkit_proto::response::Code;

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

/// Refuses a message that would carry more than `limit` keywords (see
/// [`Limits::max_keywords`]): `keywords` is how many it would have.
///
/// # Errors
/// `NO [LIMIT]` when `keywords > limit`.
///
/// [`Limits::max_keywords`]: crate::config::Limits::max_keywords
pub(crate) fn check_keywords(keywords: usize, limit: usize) -> Result<(), Outcome> {
    if keywords > limit {
        return Err(Outcome::no(
            Some(Code::Limit),
            format!("Too many keywords on a message (limit {limit})"),
        ));
    }
    Ok(())
}

/// How many keywords `flags` has once `added` is added (keywords compare
/// case-insensitively, RFC 9051 §2.3.2).
pub(crate) fn keywords_after_adding(flags: &Flags, added: &[Flag]) -> usize {
    let new = added
        .iter()
        .filter(|flag| match flag {
            Flag::Keyword(k) => !flags.keywords().iter().any(|o| o.eq_ignore_ascii_case(k)),
            _ => false,
        })
        .count();
    flags.keywords().len() + new
}
