//! NAMESPACE: the prefixes under which mailboxes live (RFC 2342, RFC 9051
//! §6.3.10).
//!
//! ```abnf
//! namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace
//!                      ; personal, other users', shared
//! namespace          = nil / "(" 1*namespace-descr ")"
//! namespace-descr    = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil)
//!                      [namespace-response-extensions] ")"
//! namespace-response-extensions = *namespace-response-extension
//! namespace-response-extension  = SP string SP "(" string *(SP string) ")"
//! ```
//! The command itself takes no arguments.

use crate::core::{IString, Vec1};
use crate::list::Delimiter;

/// The NAMESPACE response: `NAMESPACE (("" "/")) NIL NIL`.
///
/// Each class is a list of namespaces; an empty list is written `NIL`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NamespaceData {
    /// The user's own namespaces.
    pub personal: Vec<Namespace>,
    /// Namespaces of other users' mailboxes.
    pub other_users: Vec<Namespace>,
    /// Shared namespaces.
    pub shared: Vec<Namespace>,
}

/// One namespace: `("#shared/" "/")` (`namespace-descr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Namespace {
    /// The prefix of the names in this namespace (often `""`).
    pub prefix: IString,
    /// The hierarchy delimiter, `None` (`NIL`) for a flat namespace.
    pub delimiter: Option<Delimiter>,
    /// Extension data, e.g. RFC 5255's `"TRANSLATION" ("...")`.
    pub extensions: Vec<NamespaceExtension>,
}

/// A namespace response extension: `SP string SP "(" string *(SP string) ")"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamespaceExtension {
    /// The extension's name.
    pub name: IString,
    /// Its values.
    pub values: Vec1<IString>,
}
