//! The decoded texts of messages, kept across searches, so a repeated
//! `SEARCH BODY word` or `FROM name` over a large folder compares strings
//! instead of reading and parsing every message again.
//!
//! One cache per server, shared by all sessions, bounded by
//! [`Limits::search_text_cache`](crate::config::Limits::search_text_cache)
//! bytes (the decoded text, not the raw messages: attachments are not
//! kept). When full, the oldest entries go first. Entries are keyed by
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
    texts: HashMap<TextKey, Arc<SearchText>>,
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

    /// The text of `key`, if kept.
    pub(crate) fn get(&self, key: &TextKey) -> Option<Arc<SearchText>> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.texts.get(key).cloned()
    }

    /// Keeps `text` for `key`, dropping the oldest texts to stay within
    /// the budget (a text larger than the whole budget is not kept).
    pub(crate) fn insert(&self, key: TextKey, text: Arc<SearchText>) {
        let weight = text.weight();
        if weight > self.budget {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(old) = inner.texts.remove(&key) {
            inner.bytes -= old.weight();
            inner.order.retain(|k| *k != key);
        }
        while inner.bytes + weight > self.budget {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(old) = inner.texts.remove(&oldest) {
                inner.bytes -= old.weight();
            }
        }
        inner.texts.insert(key.clone(), text);
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
        cache.insert(key(1), Arc::clone(&text));
        cache.insert(key(2), Arc::clone(&text));
        assert!(cache.get(&key(1)).is_some());
        cache.insert(key(3), Arc::clone(&text));
        assert!(cache.get(&key(1)).is_none(), "the oldest went");
        assert!(cache.get(&key(2)).is_some() && cache.get(&key(3)).is_some());
        assert!(cache.bytes() <= weight * 2);
        cache.insert(key(3), Arc::clone(&text));
        assert_eq!(cache.bytes(), weight * 2);
        let off = TextCache::new(0);
        off.insert(key(1), text);
        assert!(off.get(&key(1)).is_none());
    }
}
