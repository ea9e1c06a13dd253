//! The decoded texts of messages, kept across searches, so a repeated
//! `SEARCH BODY word` or `FROM name` over a large folder compares strings
//! instead of reading and parsing every message again.
//!
//! One cache per server, shared by all sessions, bounded by
//! [`Limits::search_text_cache`](crate::config::Limits::search_text_cache)
//! bytes (the decoded text, not the raw messages: attachments are not
//! kept). When full, the oldest entries go first, except those the
//! running search already used: a search over more text than the budget
//! then keeps what fits and the next search finds it, instead of each
//! insert evicting what the next search needs first. Entries are keyed by
//! account, mailbox, UID, size and internal date: a message never changes
//! under its UID (RFC 9051 §2.3.1.1), and the size and date tell a message
//! of a new UIDVALIDITY that reused a UID apart from the old one.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use super::SearchText;
use crate::backend::MailboxId;

/// Which message a text belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TextKey {
    /// The account (user name).
    pub(crate) account: Arc<str>,
    /// The mailbox.
    pub(crate) mailbox: MailboxId,
    /// The UID.
    pub(crate) uid: u32,
    /// RFC822.SIZE.
    pub(crate) size: u64,
    /// The internal date, Unix seconds.
    pub(crate) date: i64,
}

/// A bounded cache of decoded message texts.
#[derive(Debug)]
pub(crate) struct TextCache {
    budget: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Each text with the generation of the search that last used it.
    texts: HashMap<TextKey, (Arc<SearchText>, u64)>,
    /// The generation of the latest search.
    generation: u64,
    /// Insertion order, oldest first.
    order: VecDeque<TextKey>,
    bytes: usize,
}

impl TextCache {
    /// A cache of at most `budget` bytes; 0 keeps nothing.
    pub(crate) fn new(budget: usize) -> Self {
        Self {
            budget,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Starts a search: the texts it uses are kept while it inserts.
    pub(crate) fn begin(&self) -> u64 {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.generation += 1;
        inner.generation
    }

    /// The text of `key`, if kept, marked as used by search `generation`.
    pub(crate) fn get(&self, key: &TextKey, generation: u64) -> Option<Arc<SearchText>> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let (text, used) = inner.texts.get_mut(key)?;
        *used = generation;
        Some(Arc::clone(text))
    }

    /// Keeps `text` for `key`, used by search `generation`, dropping the
    /// oldest texts to stay within the budget; when the oldest was used by
    /// this same search, `text` is not kept (see the module docs).
    pub(crate) fn insert(&self, key: TextKey, text: Arc<SearchText>, generation: u64) {
        let weight = text.weight();
        if weight > self.budget {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((old, _)) = inner.texts.remove(&key) {
            inner.bytes -= old.weight();
            inner.order.retain(|k| *k != key);
        }
        while inner.bytes + weight > self.budget {
            let Some(oldest) = inner.order.pop_front() else {
                return;
            };
            match inner.texts.get(&oldest) {
                Some((_, used)) if *used == generation => {
                    inner.order.push_front(oldest);
                    return;
                }
                Some(_) => {
                    if let Some((old, _)) = inner.texts.remove(&oldest) {
                        inner.bytes -= old.weight();
                    }
                }
                None => {}
            }
        }
        inner.texts.insert(key.clone(), (text, generation));
        inner.order.push_back(key);
        inner.bytes += weight;
    }

    /// The bytes kept now.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(uid: u32) -> TextKey {
        TextKey {
            account: Arc::from("alice"),
            mailbox: MailboxId::from_number(1),
            uid,
            size: 10,
            date: 0,
        }
    }

    #[test]
    fn keeps_within_budget_oldest_out_first() {
        let text = Arc::new(SearchText::new(b"Subject: hi\r\n\r\nhello world\r\n"));
        let weight = text.weight();
        let cache = TextCache::new(weight * 2);
        let first = cache.begin();
        cache.insert(key(1), Arc::clone(&text), first);
        cache.insert(key(2), Arc::clone(&text), first);
        // Full, and both were used by this search: the third is not kept.
        cache.insert(key(3), Arc::clone(&text), first);
        assert!(cache.get(&key(3), first).is_none());
        assert!(cache.get(&key(1), first).is_some());
        // A later search that uses only 2 evicts 1 (the oldest) for 3.
        let second = cache.begin();
        assert!(cache.get(&key(2), second).is_some());
        cache.insert(key(3), Arc::clone(&text), second);
        assert!(cache.get(&key(1), second).is_none(), "the oldest went");
        assert!(cache.get(&key(3), second).is_some());
        assert_eq!(cache.bytes(), weight * 2);
        cache.insert(key(3), Arc::clone(&text), second);
        assert_eq!(cache.bytes(), weight * 2);
        let off = TextCache::new(0);
        off.insert(key(1), text, off.begin());
        assert!(off.get(&key(1), 1).is_none());
    }
}
