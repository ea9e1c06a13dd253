//! SORT and THREAD (RFC 5256), with ESORT / CONTEXT=SORT return options
//! (RFC 5267), DISPLAYFROM / DISPLAYTO (RFC 5957) and CONDSTORE's
//! mod-sequence in `SORT` (RFC 7162).
//!
//! ```abnf
//! sort            = ["UID" SP] "SORT" [search-return-opts] SP sort-criteria SP search-criteria
//! sort-criteria   = "(" sort-criterion *(SP sort-criterion) ")"
//! sort-criterion  = ["REVERSE" SP] sort-key
//! search-criteria = charset 1*(SP search-key)
//! thread          = ["UID" SP] "THREAD" SP thread-alg SP search-criteria
//! sort-data       = "SORT" *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]
//! thread-data     = "THREAD" [SP 1*thread-list]
//! ```

use std::num::NonZeroU32;

use crate::core::{Atom, Charset, Vec1};
use crate::error::{ValidationError, ValidationReason};
use crate::search::{SearchData, SearchKey, SearchReturnOption};

/// What to sort by: `sort-key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// `ARRIVAL`: internal date and time.
    Arrival,
    /// `CC`: the first Cc address's mailbox (local part).
    Cc,
    /// `DATE`: the Date header (the internal date when missing or invalid).
    Date,
    /// `FROM`: the first From address's mailbox (local part).
    From,
    /// `SIZE`: the RFC 822 size.
    Size,
    /// `SUBJECT`: the base subject (RFC 5256 §2.1).
    Subject,
    /// `TO`: the first To address's mailbox (local part).
    To,
    /// `DISPLAYFROM`: the first From address's display name (RFC 5957).
    DisplayFrom,
    /// `DISPLAYTO`: the first To address's display name (RFC 5957).
    DisplayTo,
}

/// One sort criterion: `["REVERSE" SP] sort-key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortCriterion {
    /// `REVERSE`: descending order.
    pub reverse: bool,
    /// The key.
    pub key: SortKey,
}

/// The arguments of SORT (what follows `SORT SP`; UID SORT takes the same).
///
/// ```abnf
/// sort-args = [search-return-opts SP] sort-criteria SP charset 1*(SP search-key)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sort {
    /// `RETURN (...)` (ESORT, RFC 5267 §3): `Some` asks for an `ESEARCH`
    /// response instead of `SORT`.
    pub return_options: Option<Vec<SearchReturnOption>>,
    /// The sort order: the first criterion decides, later ones break ties.
    pub order: Vec1<SortCriterion>,
    /// The charset of the search strings (mandatory for SORT).
    pub charset: Charset,
    /// The search criteria: one key, or [`SearchKey::And`] of a key list.
    pub criteria: SearchKey,
}

/// A threading algorithm: `thread-alg = "ORDEREDSUBJECT" / "REFERENCES" / atom`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThreadAlgorithm {
    /// `ORDEREDSUBJECT` (RFC 5256 §3): by base subject, then date.
    OrderedSubject,
    /// `REFERENCES` (RFC 5256 §3): by the References and In-Reply-To headers.
    References,
    /// Another algorithm; never `ORDEREDSUBJECT` or `REFERENCES` in any
    /// case (build it with [`ThreadAlgorithm::from_atom`]).
    Other(Atom),
}

impl ThreadAlgorithm {
    /// The algorithm named `name` (case-insensitively).
    pub fn from_atom(name: Atom) -> Self {
        if name.as_str().eq_ignore_ascii_case("ORDEREDSUBJECT") {
            Self::OrderedSubject
        } else if name.as_str().eq_ignore_ascii_case("REFERENCES") {
            Self::References
        } else {
            Self::Other(name)
        }
    }
}

/// The arguments of THREAD (what follows `THREAD SP`; UID THREAD takes the same).
///
/// ```abnf
/// thread-args = thread-alg SP charset 1*(SP search-key)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Thread {
    /// The threading algorithm.
    pub algorithm: ThreadAlgorithm,
    /// The charset of the search strings (mandatory for THREAD).
    pub charset: Charset,
    /// The search criteria: one key, or [`SearchKey::And`] of a key list.
    pub criteria: SearchKey,
}

/// The `SORT` response: the matching numbers in sort order, and CONDSTORE's
/// highest mod-sequence (RFC 7162 §3.1.5). It has the shape of the `SEARCH`
/// response (`"SORT" *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]`,
/// RFC 5256 §4 and RFC 7162 §3.1.5), so it is the same type; the ids are in
/// sort order rather than ascending.
pub type SortData = SearchData;

/// One thread (sub)tree of a `THREAD` response: `thread-list`.
///
/// ```abnf
/// thread-list    = "(" (thread-members / thread-nested) ")"
/// thread-members = nz-number *(SP nz-number) [SP thread-nested]
/// thread-nested  = 2*thread-list
/// ```
/// A node is a chain of messages, each the parent of the next, followed by
/// the branches under the last one. `(3 6 (4 23)(44 7 96))` is the chain
/// 3, 6 with two branches, 4, 23 and 44, 7, 96. A node without messages
/// (`((1)(2))`) stands for a missing parent of its branches.
///
/// The grammar allows no node with exactly one branch (its chain would just
/// continue) nor one without messages and with fewer than two branches;
/// [`ThreadNode::new`] normalises such shapes away, so every value has one
/// wire form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThreadNode {
    messages: Vec<NonZeroU32>,
    children: Vec<ThreadNode>,
}

impl ThreadNode {
    /// A chain of messages with no branches.
    pub fn chain(messages: Vec1<NonZeroU32>) -> Self {
        Self {
            messages: messages.into_inner(),
            children: Vec::new(),
        }
    }

    /// The chain `messages` with the branches `children` under its last
    /// message (or, without messages, under a missing parent).
    ///
    /// A single branch is appended to the chain, and a node without
    /// messages and with one branch is that branch, as the wire form
    /// requires.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when both `messages` and `children` are
    /// empty.
    pub fn new(
        mut messages: Vec<NonZeroU32>,
        mut children: Vec<ThreadNode>,
    ) -> Result<Self, ValidationError> {
        if children.len() == 1 {
            let child = children.pop().expect("one child");
            messages.extend(child.messages);
            children = child.children;
        }
        if messages.is_empty() && children.is_empty() {
            return Err(ValidationError::new("thread", ValidationReason::Empty));
        }
        Ok(Self { messages, children })
    }

    /// Builds a node the parser has checked: `children` is empty or has at
    /// least two nodes, and `messages` is empty only when `children` is not.
    pub(crate) fn from_parts(messages: Vec<NonZeroU32>, children: Vec<ThreadNode>) -> Self {
        debug_assert!(children.len() != 1 && (!messages.is_empty() || children.len() >= 2));
        Self { messages, children }
    }

    /// The chain of messages, parent first (empty for a missing parent).
    pub fn messages(&self) -> &[NonZeroU32] {
        &self.messages
    }

    /// The branches under the last message of the chain (none, or at least two).
    pub fn children(&self) -> &[ThreadNode] {
        &self.children
    }
}

/// The `THREAD` response: `"THREAD" [SP 1*thread-list]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThreadData {
    /// The threads, in order (none for `THREAD` alone).
    pub threads: Vec<ThreadNode>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    #[test]
    fn thread_node_normalises_single_branches() {
        let leaf = ThreadNode::chain(Vec1::try_from(vec![nz(4), nz(23)]).unwrap());
        let node = ThreadNode::new(vec![nz(3)], vec![leaf.clone()]).unwrap();
        assert_eq!(node.messages(), &[nz(3), nz(4), nz(23)]);
        assert!(node.children().is_empty());
        assert_eq!(ThreadNode::new(vec![], vec![leaf.clone()]).unwrap(), leaf);
        assert!(ThreadNode::new(vec![], vec![]).is_err());
        let fork = ThreadNode::new(vec![], vec![leaf.clone(), leaf]).unwrap();
        assert!(fork.messages().is_empty());
        assert_eq!(fork.children().len(), 2);
    }

    #[test]
    fn thread_algorithm_names_are_case_insensitive() {
        assert_eq!(
            ThreadAlgorithm::from_atom(Atom::unvalidated("references")),
            ThreadAlgorithm::References
        );
        assert_eq!(
            ThreadAlgorithm::from_atom(Atom::unvalidated("OrderedSubject")),
            ThreadAlgorithm::OrderedSubject
        );
        assert!(matches!(
            ThreadAlgorithm::from_atom(Atom::unvalidated("X-FOO")),
            ThreadAlgorithm::Other(_)
        ));
    }
}
