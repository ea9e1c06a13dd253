//! ACL: access control lists on mailboxes (RFC 4314).
//!
//! ```abnf
//! setacl          = "SETACL" SP mailbox SP identifier SP mod-rights
//! deleteacl       = "DELETEACL" SP mailbox SP identifier
//! getacl          = "GETACL" SP mailbox
//! listrights      = "LISTRIGHTS" SP mailbox SP identifier
//! myrights        = "MYRIGHTS" SP mailbox
//! acl-data        = "ACL" SP mailbox *(SP identifier SP rights)
//! listrights-data = "LISTRIGHTS" SP mailbox SP identifier SP rights *(SP rights)
//! myrights-data   = "MYRIGHTS" SP mailbox SP rights
//! identifier      = astring
//! rights          = astring   ; only lowercase ASCII letters and digits
//! mod-rights      = astring   ; "+" rights to add, "-" rights to remove,
//!                             ; otherwise replace
//! ```
//! Rights are one letter each (RFC 4314 §2.1): `l r s w i p k x t e a`,
//! the obsolete `c d` of RFC 2086, other lowercase letters for future
//! standard rights and digits for site-defined ones.

use std::fmt;

use crate::core::AString;
use crate::error::{ValidationError, ValidationReason};
use crate::mailbox::Mailbox;

/// A set of rights: a string of lowercase ASCII letters and digits, one
/// right each, possibly empty (RFC 4314 §7 `rights`).
///
/// Kept as sent; written as an atom, or `""` when empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rights(String);

impl Rights {
    /// Checks that `value` holds only lowercase ASCII letters and digits.
    ///
    /// # Errors
    /// Returns [`ValidationError`] naming the first other byte.
    pub fn validate(value: &str) -> Result<(), ValidationError> {
        match value
            .bytes()
            .find(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit()))
        {
            Some(b) => Err(ValidationError::new(
                "rights",
                ValidationReason::ByteNotAllowed(b),
            )),
            None => Ok(()),
        }
    }

    /// Whether `right` is in the set.
    pub fn contains(&self, right: char) -> bool {
        self.0.contains(right)
    }

    /// The rights as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<&str> for Rights {
    type Error = ValidationError;

    fn try_from(value: &str) -> Result<Self, ValidationError> {
        Self::validate(value)?;
        Ok(Self(value.to_owned()))
    }
}

impl TryFrom<String> for Rights {
    type Error = ValidationError;

    fn try_from(value: String) -> Result<Self, ValidationError> {
        Self::validate(&value)?;
        Ok(Self(value))
    }
}

impl fmt::Display for Rights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How SETACL changes an identifier's rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModRightsMode {
    /// No prefix: the rights replace the current ones.
    Replace,
    /// `+`: the rights are added.
    Add,
    /// `-`: the rights are removed.
    Remove,
}

/// The rights argument of SETACL: `[+/-]rights` (`mod-rights`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModRights {
    /// Replace, add or remove.
    pub mode: ModRightsMode,
    /// The rights.
    pub rights: Rights,
}

/// The arguments of SETACL: `mailbox identifier mod-rights`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SetAcl {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// Whose rights change (`anyone`, a user, or `-user` for negative rights).
    pub identifier: AString,
    /// The change.
    pub rights: ModRights,
}

/// The arguments of DELETEACL: `mailbox identifier`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeleteAcl {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// Whose entry is removed.
    pub identifier: AString,
}

/// The arguments of GETACL: `mailbox`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetAcl {
    /// The mailbox.
    pub mailbox: Mailbox,
}

/// The arguments of LISTRIGHTS: `mailbox identifier`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListRights {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// Whose grantable rights are asked for.
    pub identifier: AString,
}

/// The arguments of MYRIGHTS: `mailbox`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MyRights {
    /// The mailbox.
    pub mailbox: Mailbox,
}

/// One entry of an ACL response: `identifier SP rights`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AclEntry {
    /// Whose rights.
    pub identifier: AString,
    /// The rights.
    pub rights: Rights,
}

/// The ACL response: `ACL INBOX Fred rwipslxetad`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AclData {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// Its entries (may be empty).
    pub entries: Vec<AclEntry>,
}

/// The LISTRIGHTS response: `LISTRIGHTS archive/imap anyone "" l r s w i p k x t e c d a 0 1 2 3 4 5 6 7 8 9`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListRightsData {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// Whose rights.
    pub identifier: AString,
    /// The rights always granted (may be empty).
    pub required: Rights,
    /// Rights that can be granted, each group granted only as a whole.
    pub optional: Vec<Rights>,
}

/// The MYRIGHTS response: `MYRIGHTS INBOX rwiptsldaex`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MyRightsData {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// The user's rights on it.
    pub rights: Rights,
}
