//! QUOTA: resource limits on quota roots (RFC 9208).
//!
//! ```abnf
//! getquota           = "GETQUOTA" SP quota-root-name
//! getquotaroot       = "GETQUOTAROOT" SP mailbox
//! setquota           = "SETQUOTA" SP quota-root-name SP setquota-list
//! setquota-list      = "(" [setquota-resource *(SP setquota-resource)] ")"
//! setquota-resource  = resource-name SP resource-limit
//! quota-response     = "QUOTA" SP quota-root-name SP quota-list
//! quota-list         = "(" quota-resource *(SP quota-resource) ")"
//! quota-resource     = resource-name SP resource-usage SP resource-limit
//! quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name)
//! quota-root-name    = astring
//! resource-name      = "STORAGE" / "MESSAGE" / "MAILBOX" /
//!                      "ANNOTATION-STORAGE" / resource-name-ext
//! resource-name-ext  = atom
//! resource-usage     = number64
//! resource-limit     = number64
//! ```
//! Usages and limits are `number64`: at most 2^63 - 1, which the parser
//! enforces and values written by this crate must respect.

use std::fmt;

use crate::core::{AString, Atom, Vec1};
use crate::mailbox::Mailbox;

/// A quota resource (`resource-name`): parsed case-insensitively, written
/// in upper case for the known ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Resource {
    /// `STORAGE`: the size of all messages, in units of 1024 octets.
    Storage,
    /// `MESSAGE`: the number of messages.
    Message,
    /// `MAILBOX`: the number of mailboxes.
    Mailbox,
    /// `ANNOTATION-STORAGE`: the size of annotations, in units of 1024 octets.
    AnnotationStorage,
    /// Any other resource (`resource-name-ext`), kept as sent; never one of
    /// the names above (build it with [`Resource::from_atom`]).
    Other(Atom),
}

impl Resource {
    /// The resource called `name`, the known ones case-insensitively.
    pub fn from_atom(name: Atom) -> Self {
        match name.as_str().to_ascii_uppercase().as_str() {
            "STORAGE" => Self::Storage,
            "MESSAGE" => Self::Message,
            "MAILBOX" => Self::Mailbox,
            "ANNOTATION-STORAGE" => Self::AnnotationStorage,
            _ => Self::Other(name),
        }
    }

    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Storage => "STORAGE",
            Self::Message => "MESSAGE",
            Self::Mailbox => "MAILBOX",
            Self::AnnotationStorage => "ANNOTATION-STORAGE",
            Self::Other(atom) => atom.as_str(),
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The arguments of GETQUOTA: `quota-root-name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetQuota {
    /// The quota root asked about (often `""`).
    pub root: AString,
}

/// The arguments of GETQUOTAROOT: `mailbox`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetQuotaRoot {
    /// The mailbox whose quota roots are asked for.
    pub mailbox: Mailbox,
}

/// A new limit of SETQUOTA: `resource-name SP resource-limit`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QuotaLimit {
    /// The resource.
    pub resource: Resource,
    /// The limit (at most 2^63 - 1).
    pub limit: u64,
}

/// The arguments of SETQUOTA: `"" (STORAGE 512 MESSAGE 1000)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SetQuota {
    /// The quota root.
    pub root: AString,
    /// The new limits; resources left out get no limit (RFC 9208 §4.4.3).
    pub limits: Vec<QuotaLimit>,
}

/// A resource of a QUOTA response: `resource-name SP usage SP limit`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QuotaResource {
    /// The resource.
    pub resource: Resource,
    /// How much is used (at most 2^63 - 1).
    pub usage: u64,
    /// The limit (at most 2^63 - 1).
    pub limit: u64,
}

/// The QUOTA response: `QUOTA "" (STORAGE 10 512)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QuotaData {
    /// The quota root.
    pub root: AString,
    /// Its resources, usage and limits.
    pub resources: Vec1<QuotaResource>,
}

/// The QUOTAROOT response: `QUOTAROOT INBOX ""`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QuotaRootData {
    /// The mailbox asked about.
    pub mailbox: Mailbox,
    /// Its quota roots (may be empty).
    pub roots: Vec<AString>,
}
