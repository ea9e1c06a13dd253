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

use imapkit_proto::core::Vec1;
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
        let Some((first, rest)) = group.split_first() else {
            continue;
        };
        let children = rest.iter().map(|m| leaf(m.id)).collect();
        threads.extend(node(Some(first.id), children).map(|thread| (*first, thread)));
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
    roots.iter().filter_map(|&n| forest.wire(n)).collect()
}

/// A childless thread node.
fn leaf(id: NonZeroU32) -> ThreadNode {
    ThreadNode::chain(Vec1::one(id))
}

/// A node with an optional message and children; `None` for a dummy
/// without children (which pruning never leaves).
fn node(id: Option<NonZeroU32>, children: Vec<ThreadNode>) -> Option<ThreadNode> {
    ThreadNode::new(id.into_iter().collect(), children).ok()
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
            let Some(&held) = table.get(subject.key.as_str()) else {
                continue;
            };
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
                if let Some(&held_at) = position.get(&held) {
                    top[held_at] = Some(dummy);
                }
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
    fn wire(&self, n: usize) -> Option<ThreadNode> {
        let id = self.nodes[n].message.map(|i| self.messages[i].id);
        let children = self.nodes[n]
            .children
            .iter()
            .filter_map(|&c| self.wire(c))
            .collect();
        node(id, children)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    /// The internal date of every test message, later than every `Date:`.
    const INTERNAL: i64 = 1_612_180_800;

    /// One test message: subject, day of January 2020 for `Date:` (`None`:
    /// none or invalid), Message-ID, References and In-Reply-To local parts.
    type Spec<'a> = (
        &'a str,
        Option<i64>,
        Option<&'a str>,
        &'a [&'a str],
        Option<&'a str>,
    );

    fn ids(locals: &[&str], domain: &str) -> String {
        locals.iter().map(|l| format!("<{l}{domain}> ")).collect()
    }

    /// The messages of `specs` numbered from 1, only those `keep` allows,
    /// with Message IDs `<local@x.example>`, or `<local>` without `domain`.
    fn messages(
        specs: &[Spec<'_>],
        domain: bool,
        keep: impl Fn(u32) -> bool,
    ) -> Vec<ThreadMessage> {
        let domain = if domain { "@x.example" } else { "" };
        specs
            .iter()
            .zip(1..)
            .filter(|&(_, seq)| keep(seq))
            .map(|(&(subject, day, id, refs, irt), seq)| ThreadMessage {
                seq,
                id: NonZeroU32::new(seq).unwrap(),
                sent: day.map_or(INTERNAL, |d| 1_577_872_800 + d * 86_400),
                subject: BaseSubject::of_text(subject),
                message_id: id.and_then(|id| message_ids(ids(&[id], domain).as_bytes()).pop()),
                references: references(
                    ids(refs, domain).as_bytes(),
                    irt.map(|i| ids(&[i], domain)).as_deref().map(str::as_bytes),
                ),
            })
            .collect()
    }

    /// The wire form's text, as in `* THREAD ...`.
    fn render(threads: &[ThreadNode]) -> String {
        fn one(node: &ThreadNode, out: &mut String) {
            out.push('(');
            let numbers: Vec<String> = node.messages().iter().map(|n| n.to_string()).collect();
            out.push_str(&numbers.join(" "));
            if !node.messages().is_empty() && !node.children().is_empty() {
                out.push(' ');
            }
            for child in node.children() {
                one(child, out);
            }
            out.push(')');
        }
        let mut out = String::new();
        for thread in threads {
            one(thread, &mut out);
        }
        out
    }

    /// Replies, missing parents (dummies) and subject merges.
    const S1: [Spec<'static>; 15] = [
        ("Hello", Some(1), Some("m1"), &[], None),
        ("Re: Hello", Some(2), Some("m2"), &["m1"], None),
        ("Re: Hello", Some(3), Some("m3"), &["m1", "m2"], None),
        ("Other", Some(4), Some("m4"), &["gone1"], None),
        ("Re: Other", Some(5), Some("m5"), &["gone1"], None),
        ("Hello", Some(6), Some("m6"), &[], None),
        ("Re: Unrelated", Some(7), Some("m7"), &["gone2"], None),
        ("Fwd: Hello", Some(8), Some("m8"), &[], None),
        ("", Some(9), Some("m9"), &[], None),
        ("", Some(10), Some("m10"), &["m9"], None),
        ("Re: Third", Some(11), Some("m11"), &[], None),
        ("Third", Some(12), Some("m12"), &[], None),
        ("[list] Re: Third", None, Some("m13"), &[], None),
        ("Bad ids", Some(14), Some("nodomain"), &[], None),
        ("Bad ids 2", Some(15), Some("m15"), &[], None),
    ];

    /// Loops, duplicate and self references, the In-Reply-To fallback.
    const S2: [Spec<'static>; 12] = [
        ("A", Some(5), Some("a"), &["b"], None),
        ("B", Some(4), Some("b"), &["a"], None),
        ("C", Some(3), Some("c"), &["c"], None),
        ("D", Some(2), Some("a"), &["c"], None),
        ("E", Some(1), None, &[], Some("c")),
        ("F", None, Some("f"), &["x", "y", "z"], None),
        ("G", Some(7), Some("g"), &["y", "x"], None),
        ("H", Some(8), Some("h"), &["z", "g"], None),
        ("Re: F", Some(9), Some("i"), &["x", "f"], None),
        ("J", Some(3), Some("j"), &["h"], Some("a")),
        ("K", Some(3), Some("k"), &[], Some("j")),
        ("L", None, Some("l"), &["k"], None),
    ];

    /// Top-level dummies with several children, merged by subject.
    const S3: [Spec<'static>; 9] = [
        ("Topic", Some(3), Some("t1"), &["p1"], None),
        ("Topic", Some(2), Some("t2"), &["p1"], None),
        ("Re: Topic", Some(4), Some("t3"), &["p2"], None),
        ("Re: Topic", Some(1), Some("t4"), &["p2"], None),
        ("Topic", Some(5), Some("t5"), &[], None),
        ("Re: Topic", Some(6), Some("t6"), &[], None),
        ("RE: topic", Some(7), Some("t7"), &["t6"], None),
        ("Solo", Some(8), Some("t8"), &["p3", "p4"], None),
        ("Solo2", Some(9), Some("t9"), &["p3", "p5"], None),
    ];

    /// Dovecot 2.3's answers to `THREAD REFERENCES UTF-8 ALL`, `THREAD
    /// ORDEREDSUBJECT UTF-8 ALL` and `THREAD REFERENCES UTF-8 NOT SUBJECT
    /// re` over the same messages.
    #[test]
    fn as_dovecot_threads() {
        let cases: [(&[Spec<'_>], [&str; 3]); 3] = [
            (
                &S1,
                [
                    "((1 2 3)(6)(8))((4)(5))(7)(9 10)(12 (11)(13))(14)(15)",
                    "(1 (2)(3)(6)(8))(4 5)(7)(9 10)(11 (12)(13))(14)(15)",
                    "((1)(6)(8))(4)(9 10)(12)(14)(15)",
                ],
            ),
            (
                &S2,
                [
                    "(3 (5)(4))(2 1)((7 8 10 11 12)(6 9))",
                    "(5)(4)(3)(10)(11)(2)(1)(7)(8)(9 6)(12)",
                    "(3 (5)(4))(2 1)((7 8 10 11 12)(6))",
                ],
            ),
            (
                &S3,
                [
                    "((4)(2)(1)(3)(5)(6 7))((8)(9))",
                    "(4 (2)(1)(3)(5)(6)(7))(8)(9)",
                    "((2)(1)(5))((8)(9))",
                ],
            ),
        ];
        for (specs, [references, ordered, subset]) in cases {
            let all = messages(specs, true, |_| true);
            assert_eq!(render(&references_threads(&all)), references);
            assert_eq!(render(&ordered_subject(&all)), ordered);
            let no_re = messages(specs, true, |seq| {
                !specs[seq as usize - 1]
                    .0
                    .to_ascii_lowercase()
                    .contains("re")
            });
            assert_eq!(render(&references_threads(&no_re)), subset);
        }
    }

    /// Without an `@` no Message ID is valid: only subjects link (Dovecot).
    #[test]
    fn ids_without_domain_are_ignored() {
        let all = messages(&S1, false, |_| true);
        assert_eq!(
            render(&references_threads(&all)),
            "((1 (2)(3))(6)(8))(4 5)(7)(9)(10)(12 (11)(13))(14)(15)"
        );
        assert_eq!(
            message_ids(b"<a@b> junk <c> < d @ e > <@x> <y@> <<z@w>"),
            ["a@b", "d@e", "z@w"]
        );
    }

    #[test]
    fn references_fallback_and_limit() {
        assert_eq!(references(b"", Some(b"<p@x> <q@x>")), ["p@x"]);
        assert_eq!(references(b"<r@x>", Some(b"<p@x>")), ["r@x"]);
        assert!(references(b"garbage", None).is_empty());
        let long: String = (0..200).map(|i| format!("<{i}@x> ")).collect();
        let refs = references(long.as_bytes(), None);
        assert_eq!(refs.len(), MAX_THREAD_REFERENCES);
        assert_eq!(refs.last().map(String::as_str), Some("199@x"));
    }

    /// A chain longer than the depth bound is split into threads of at
    /// most [`MAX_THREAD_DEPTH`] messages, without deep recursion.
    #[test]
    fn deep_chains_are_split() {
        let n = 3 * MAX_THREAD_DEPTH as u32 + 5;
        let all: Vec<ThreadMessage> = (1..=n)
            .map(|seq| ThreadMessage {
                seq,
                id: NonZeroU32::new(seq).unwrap(),
                sent: i64::from(seq),
                subject: BaseSubject::of_text(&format!("s{seq}")),
                message_id: Some(format!("{seq}@x")),
                // Each message names its parent, and the children come
                // first, so no loop check ever walks.
                references: if seq < n {
                    vec![format!("{}@x", seq + 1)]
                } else {
                    Vec::new()
                },
            })
            .collect();
        let threads = references_threads(&all);
        let lengths: Vec<usize> = threads.iter().map(|t| t.messages().len()).collect();
        assert_eq!(
            lengths,
            [5, MAX_THREAD_DEPTH, MAX_THREAD_DEPTH, MAX_THREAD_DEPTH]
        );
        assert!(threads.iter().all(|t| t.children().is_empty()));
        assert_eq!(threads[0].messages()[0].get(), 5);
        assert_eq!(threads[3].messages()[0].get(), n);
    }

    /// Every message referencing all the earlier ones (the longest
    /// References allowed) stays fast: the bounds hold.
    #[test]
    fn crafted_references_stay_linear() {
        let n = 20_000u32;
        let all: Vec<ThreadMessage> = (1..=n)
            .map(|seq| ThreadMessage {
                seq,
                id: NonZeroU32::new(seq).unwrap(),
                sent: 0,
                subject: BaseSubject::default(),
                message_id: Some(format!("{seq}@x")),
                // Backwards and forwards: loops everywhere.
                references: (seq.saturating_sub(25)..seq + 25)
                    .rev()
                    .map(|r| format!("{r}@x"))
                    .collect(),
            })
            .collect();
        let started = Instant::now();
        let threads = references_threads(&all);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        let mut seen = Vec::new();
        fn collect(node: &ThreadNode, out: &mut Vec<u32>) {
            out.extend(node.messages().iter().map(|n| n.get()));
            node.children().iter().for_each(|c| collect(c, out));
        }
        threads.iter().for_each(|t| collect(t, &mut seen));
        seen.sort_unstable();
        assert_eq!(seen, (1..=n).collect::<Vec<_>>(), "every message once");
    }
}
