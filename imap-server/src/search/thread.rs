//! THREAD (RFC 5256 §3): the ORDEREDSUBJECT and REFERENCES algorithms.
//!
//! Pure, like the search evaluator: the THREAD command builds one
//! [`ThreadMessage`] per matching message, in sequence order, from the
//! cached ENVELOPE (Message-ID, In-Reply-To, Subject, Date) and the
//! `References:` field, and gets back the threads in wire form.
//!
//! # Bounds
//! A hostile mailbox can hold References chains built to make the
//! algorithm quadratic, or loops. Every step is bounded:
//! - only the last [`MAX_THREAD_REFERENCES`] Message IDs of a References
//!   field are used (the last is the parent; RFC 5322 §3.6.4 lets a client
//!   trim the list too);
//! - the loop check of steps 1.A and 1.B (RFC 5256 §2.2: "before making
//!   message A the parent of B, make sure that A is not a descendent of
//!   B") walks at most [`MAX_THREAD_DEPTH`] parents, and a link whose check
//!   would walk further is not made, like a loop; the walk is skipped when
//!   B has no children, where no loop can form;
//! - a message deeper than [`MAX_THREAD_DEPTH`] starts a thread of its
//!   own, so every later pass, the wire form and its encoder recurse at
//!   most that deep;
//! - children lists are built once from parent links, so re-parenting is
//!   O(1).
//!
//! So the work is O(n·[`MAX_THREAD_REFERENCES`]·[`MAX_THREAD_DEPTH`]) at
//! worst and O(n log n) for ordinary mail.

use std::collections::HashMap;
use std::num::NonZeroU32;

use imapkit_proto::sort::ThreadNode;

use super::subject::BaseSubject;

/// Most Message IDs used from one message's References field: the last
/// ones, nearest the message.
pub(crate) const MAX_THREAD_REFERENCES: usize = 50;

/// Deepest a message may sit in a thread (a top-level message is at depth
/// 1); also the longest parent walk of a loop check.
pub(crate) const MAX_THREAD_DEPTH: usize = 256;

/// What the threading algorithms know of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ThreadMessage {
    /// Its sequence number: the tie-break of equal sent dates (RFC 5256 §2.2).
    pub seq: u32,
    /// The number to answer with (sequence number or UID).
    pub id: NonZeroU32,
    /// The sent date, Unix seconds (see `sort::sent_date`).
    pub sent: i64,
    /// The base subject.
    pub subject: BaseSubject,
    /// The Message ID, without angle brackets; `None` when missing or invalid.
    pub message_id: Option<String>,
    /// The parents' Message IDs, oldest first: the References field, or the
    /// first ID of In-Reply-To when References has none; at most
    /// [`MAX_THREAD_REFERENCES`].
    pub references: Vec<String>,
}

impl ThreadMessage {
    /// The sort key of RFC 5256 §2.2: sent date, then sequence number.
    fn date_key(&self) -> (i64, u32) {
        (self.sent, self.seq)
    }
}

/// The Message IDs in a field value, in order: each `<...>` with its
/// whitespace removed, those that are not `id-left "@" id-right` (RFC 5322
/// §3.6.4) skipped, as Dovecot does.
pub(crate) fn message_ids(value: &[u8]) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.iter().position(|&b| b == b'<') {
        rest = &rest[open + 1..];
        let Some(close) = rest.iter().position(|&b| b == b'>' || b == b'<') else {
            break;
        };
        if rest[close] == b'>' {
            let id: Vec<u8> = rest[..close]
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            if valid_id(&id) {
                ids.push(String::from_utf8_lossy(&id).into_owned());
            }
            rest = &rest[close + 1..];
        } else {
            rest = &rest[close..];
        }
    }
    ids
}

/// Whether `id` (without brackets) has a non-empty left and right side of
/// an `@`.
fn valid_id(id: &[u8]) -> bool {
    id.iter()
        .position(|&b| b == b'@')
        .is_some_and(|at| at > 0 && at + 1 < id.len())
}

/// The references of a message from its raw `References:` and
/// `In-Reply-To:` values: the last [`MAX_THREAD_REFERENCES`] IDs of
/// References, or the first of In-Reply-To (RFC 5256 §2.2 step 1).
pub(crate) fn references(references: &[u8], in_reply_to: Option<&[u8]>) -> Vec<String> {
    let mut ids = message_ids(references);
    if ids.is_empty() {
        ids.extend(
            in_reply_to
                .map(message_ids)
                .unwrap_or_default()
                .into_iter()
                .take(1),
        );
    }
    let skip = ids.len().saturating_sub(MAX_THREAD_REFERENCES);
    ids.drain(..skip);
    ids
}

/// ORDEREDSUBJECT (RFC 5256 §3): messages grouped by base subject, each
/// group a thread whose first message (by sent date) is the parent of all
/// the others, the threads in the sent-date order of their first message.
pub(crate) fn ordered_subject(messages: &[ThreadMessage]) -> Vec<ThreadNode> {
    let mut order: Vec<&ThreadMessage> = messages.iter().collect();
    order.sort_by(|a, b| {
        a.subject
            .key
            .cmp(&b.subject.key)
            .then(a.date_key().cmp(&b.date_key()))
    });
    let mut threads: Vec<(&ThreadMessage, ThreadNode)> = Vec::new();
    for group in order.chunk_by(|a, b| a.subject.key == b.subject.key) {
        let (first, rest) = group.split_first().expect("chunks are not empty");
        let children = rest.iter().map(|m| leaf(m.id)).collect();
        threads.push((first, node(Some(first.id), children)));
    }
    threads.sort_by_key(|(first, _)| first.date_key());
    threads.into_iter().map(|(_, thread)| thread).collect()
}

/// REFERENCES (RFC 5256 §3), steps 1 to 6; `messages` in sequence order.
pub(crate) fn references_threads(messages: &[ThreadMessage]) -> Vec<ThreadNode> {
    let mut forest = Forest::link(messages);
    forest.cut_deep();
    let mut roots = forest.prune(forest.roots(), true);
    forest.sort_top_level(&mut roots);
    let roots = forest.merge_subjects(roots);
    let roots = forest.sort_siblings(roots);
    roots.iter().map(|&n| forest.wire(n)).collect()
}

/// A childless thread node.
fn leaf(id: NonZeroU32) -> ThreadNode {
    node(Some(id), Vec::new())
}

/// A node with an optional message and children.
fn node(id: Option<NonZeroU32>, children: Vec<ThreadNode>) -> ThreadNode {
    ThreadNode::new(id.into_iter().collect(), children).expect("a node has a message or children")
}

/// One container of the REFERENCES algorithm: a message, or a dummy.
#[derive(Debug, Default)]
struct Container {
    /// The message (index into the input); `None` for a dummy.
    message: Option<usize>,
    /// The parent during step 1.
    parent: Option<usize>,
    /// How many containers have this one as parent during step 1.
    child_count: usize,
    /// The children, built from the parent links after step 1.
    children: Vec<usize>,
}

/// The containers of one REFERENCES run.
struct Forest<'m> {
    /// The input messages.
    messages: &'m [ThreadMessage],
    /// Every container; the first `messages.len()` hold the messages in order.
    nodes: Vec<Container>,
}

impl<'m> Forest<'m> {
    /// Step 1: one container per message and per unknown referenced ID,
    /// linked by References / In-Reply-To.
    fn link(messages: &'m [ThreadMessage]) -> Self {
        let mut forest = Forest {
            messages,
            nodes: (0..messages.len())
                .map(|i| Container {
                    message: Some(i),
                    ..Container::default()
                })
                .collect(),
        };
        // Step 1.A: a Message ID belongs to the first message that has it;
        // later duplicates and messages without one get a unique ID, here
        // by not being in the table.
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, message) in messages.iter().enumerate() {
            if let Some(id) = &message.message_id {
                ids.entry(id.as_str()).or_insert(i);
            }
        }
        for (i, message) in messages.iter().enumerate() {
            let chain: Vec<usize> = message
                .references
                .iter()
                .map(|id| {
                    *ids.entry(id.as_str()).or_insert_with(|| {
                        forest.nodes.push(Container::default());
                        forest.nodes.len() - 1
                    })
                })
                .collect();
            for pair in chain.windows(2) {
                let (parent, child) = (pair[0], pair[1]);
                if forest.nodes[child].parent.is_none() && forest.may_link(parent, child) {
                    forest.set_parent(child, Some(parent));
                }
            }
            // Step 1.B: the last reference is the parent, replacing any
            // parent an earlier, truncated References field gave; no
            // references, no parent.
            forest.set_parent(i, None);
            if let Some(&last) = chain.last() {
                if forest.may_link(last, i) {
                    forest.set_parent(i, Some(last));
                }
            }
        }
        forest
    }

    /// Whether `parent` may become the parent of `child`: `parent` is not
    /// `child` nor one of its descendants (as far as [`MAX_THREAD_DEPTH`]
    /// parents up; further counts as a loop).
    fn may_link(&self, parent: usize, child: usize) -> bool {
        if parent == child {
            return false;
        }
        if self.nodes[child].child_count == 0 {
            return true;
        }
        let mut at = parent;
        for _ in 0..MAX_THREAD_DEPTH {
            match self.nodes[at].parent {
                None => return true,
                Some(up) if up == child => return false,
                Some(up) => at = up,
            }
        }
        false
    }

    /// Re-links `child` under `parent` (or none), keeping child counts.
    fn set_parent(&mut self, child: usize, parent: Option<usize>) {
        if let Some(old) = self.nodes[child].parent {
            self.nodes[old].child_count -= 1;
        }
        if let Some(new) = parent {
            self.nodes[new].child_count += 1;
        }
        self.nodes[child].parent = parent;
    }

    /// Builds the children lists, cutting a container deeper than
    /// [`MAX_THREAD_DEPTH`] from its parent: it then heads a thread.
    fn cut_deep(&mut self) {
        for child in 0..self.nodes.len() {
            if let Some(parent) = self.nodes[child].parent {
                self.nodes[parent].children.push(child);
            }
        }
        let mut level: Vec<usize> = self.roots();
        let mut depth = 1;
        while !level.is_empty() {
            let mut next = Vec::new();
            for n in level {
                if depth == MAX_THREAD_DEPTH {
                    for child in std::mem::take(&mut self.nodes[n].children) {
                        self.nodes[child].parent = None;
                        next.push(child);
                    }
                } else {
                    next.extend(self.nodes[n].children.iter().copied());
                }
            }
            // The cut containers start again at the top.
            depth = if depth == MAX_THREAD_DEPTH {
                1
            } else {
                depth + 1
            };
            level = next;
        }
    }

    /// Step 2: the containers without a parent.
    fn roots(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&n| self.nodes[n].parent.is_none())
            .collect()
    }

    /// Whether a container is a dummy.
    fn is_dummy(&self, n: usize) -> bool {
        self.nodes[n].message.is_none()
    }

    /// Step 3 on one sibling list: dummies without children go; a dummy's
    /// children take its place, except at the top level where a dummy
    /// with two or more children stays.
    fn prune(&mut self, siblings: Vec<usize>, top: bool) -> Vec<usize> {
        let mut kept = Vec::with_capacity(siblings.len());
        for n in siblings {
            let children = std::mem::take(&mut self.nodes[n].children);
            let children = self.prune(children, false);
            if !self.is_dummy(n) || (top && children.len() > 1) {
                self.nodes[n].children = children;
                kept.push(n);
            } else {
                kept.extend(children);
            }
        }
        kept
    }

    /// The message a container sorts and is named by: its own, or a
    /// dummy's first child's.
    fn representative(&self, n: usize) -> Option<&'m ThreadMessage> {
        let messages = self.messages;
        match self.nodes[n].message {
            Some(i) => Some(&messages[i]),
            None => self.nodes[n]
                .children
                .first()
                .and_then(|&c| self.nodes[c].message)
                .map(|i| &messages[i]),
        }
    }

    /// The sent-date key of a container (RFC 5256 §2.2).
    fn date_key(&self, n: usize) -> (i64, u32) {
        self.representative(n)
            .map_or((i64::MAX, u32::MAX), ThreadMessage::date_key)
    }

    /// Sorts a sibling list by sent date.
    fn sort_by_date(&self, siblings: &mut [usize]) {
        siblings.sort_by_key(|&n| self.date_key(n));
    }

    /// Step 4: the top level by sent date, a dummy's children first.
    fn sort_top_level(&mut self, roots: &mut [usize]) {
        for &n in roots.iter() {
            if self.is_dummy(n) {
                let mut children = std::mem::take(&mut self.nodes[n].children);
                self.sort_by_date(&mut children);
                self.nodes[n].children = children;
            }
        }
        self.sort_by_date(roots);
    }

    /// The thread subject of a top-level container.
    fn subject(&self, n: usize) -> Option<&'m BaseSubject> {
        self.representative(n).map(|m| &m.subject)
    }

    /// Whether a container holds a reply or forward.
    fn is_reply(&self, n: usize) -> bool {
        self.nodes[n]
            .message
            .is_some_and(|i| self.messages[i].subject.reply_or_forward)
    }

    /// Step 5: top-level threads with the same base subject are merged.
    fn merge_subjects(&mut self, roots: Vec<usize>) -> Vec<usize> {
        // 5.A and 5.B: which container each thread subject gathers under.
        let mut table: HashMap<&'m str, usize> = HashMap::new();
        for &n in &roots {
            let Some(subject) = self.subject(n).filter(|s| !s.key.is_empty()) else {
                continue;
            };
            match table.get(subject.key.as_str()) {
                None => {
                    table.insert(&subject.key, n);
                }
                Some(&held) => {
                    if !self.is_dummy(held)
                        && (self.is_dummy(n) || (self.is_reply(held) && !self.is_reply(n)))
                    {
                        table.insert(&subject.key, n);
                    }
                }
            }
        }
        // 5.C: merge into the table's container.
        let mut top: Vec<Option<usize>> = roots.iter().copied().map(Some).collect();
        let position: HashMap<usize, usize> =
            roots.iter().enumerate().map(|(at, &n)| (n, at)).collect();
        for (at, &n) in roots.iter().enumerate() {
            let Some(subject) = self.subject(n).filter(|s| !s.key.is_empty()) else {
                continue;
            };
            let held = table[subject.key.as_str()];
            if held == n {
                continue;
            }
            if self.is_dummy(held) && self.is_dummy(n) {
                let children = std::mem::take(&mut self.nodes[n].children);
                self.nodes[held].children.extend(children);
            } else if self.is_dummy(held) || (self.is_reply(n) && !self.is_reply(held)) {
                self.nodes[held].children.push(n);
            } else {
                self.nodes.push(Container {
                    children: vec![held, n],
                    ..Container::default()
                });
                let dummy = self.nodes.len() - 1;
                // The dummy takes the held container's place at the top.
                // A message in the table is a top-level one of step 4
                // (only dummies replace it there).
                top[position[&held]] = Some(dummy);
                table.insert(&subject.key, dummy);
            }
            top[at] = None;
        }
        top.into_iter().flatten().collect()
    }

    /// Step 6: every sibling list by sent date, the deepest first. The
    /// recursion is at most [`MAX_THREAD_DEPTH`] + 1 deep: `cut_deep`
    /// bounded the depth, pruning only lowers it, step 5 adds one level.
    fn sort_siblings(&mut self, mut siblings: Vec<usize>) -> Vec<usize> {
        for &n in &siblings {
            let children = std::mem::take(&mut self.nodes[n].children);
            self.nodes[n].children = self.sort_siblings(children);
        }
        self.sort_by_date(&mut siblings);
        siblings
    }

    /// The wire form of a container and its subtree.
    fn wire(&self, n: usize) -> ThreadNode {
        let id = self.nodes[n].message.map(|i| self.messages[i].id);
        let children = self.nodes[n]
            .children
            .iter()
            .map(|&c| self.wire(c))
            .collect();
        node(id, children)
    }
}
