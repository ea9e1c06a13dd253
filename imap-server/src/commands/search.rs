//! SEARCH and UID SEARCH (RFC 9051 §6.4.4) with ESEARCH (RFC 4731),
//! SEARCHRES (RFC 5182) and WITHIN (RFC 5032).
//!
//! The engine evaluates every key itself (`crate::search`) over the
//! session's view and, when a key needs them, the message bytes: every
//! backend gets SEARCH for free.

use std::sync::Arc;

use imapkit_proto::core::{Atom, Charset, Tag};
use imapkit_proto::response::{Code, Data, Response};
use imapkit_proto::search::{ESearchData, Search, SearchReturnOption};

use super::fetch::{cached_metadata, metadata};
use super::{selected_mut, selected_ref};
use crate::backend::BackendError;
use crate::connection::Connection;
use crate::mime::MessageInfo;
use crate::outcome::{Handled, Outcome, Refusal};
use crate::search::cache::{TextCache, TextKey};
use crate::search::{
    self, Candidate, Context, SearchCharset, SearchError, SearchOutcome, SearchText,
    SUPPORTED_CHARSETS,
};
use crate::view::Selected;

fn refusal(error: SearchError) -> Outcome {
    match error {
        SearchError::BadCharset => {
            let charsets = SUPPORTED_CHARSETS
                .iter()
                .map(|c| Charset::Atom(Atom::unvalidated(*c)))
                .collect();
            Outcome::no(Some(Code::BadCharset(charsets)), "Unsupported charset")
        }
        SearchError::BadString => Outcome::bad(None, "Search string is not valid in its charset"),
        SearchError::MissingBody => Outcome::no(Some(Code::ServerBug), "Message body unavailable"),
    }
}

fn now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The outcome of a search over the selected mailbox: SORT and THREAD
/// order it.
pub(super) struct Matched {
    /// The matching messages, in sequence order.
    pub(super) outcome: SearchOutcome,
}

impl Matched {
    /// The MIME metadata of the message at view `index`: from the cache
    /// without reading the message when it is there, else parsed from the
    /// message read now. `None` when another session expunged the message
    /// meanwhile.
    ///
    /// # Errors
    /// A backend failure other than the message being gone.
    pub(super) async fn info(
        &self,
        selected: &Selected,
        index: usize,
    ) -> Result<Option<MessageInfo>, Refusal> {
        let entry = selected.view.entry(index);
        // RFC822.SIZE is the stored length (the test kit checks it).
        let len = usize::try_from(entry.size).unwrap_or(usize::MAX);
        if let Some(info) = cached_metadata(selected, entry.uid, len).await {
            return Ok(Some(info));
        }
        match selected.mailbox.fetch_message(entry.uid).await {
            Ok(raw) => Ok(Some(metadata(selected, entry.uid, &raw).await)),
            Err(BackendError::NonExistent | BackendError::ExpungeIssued) => Ok(None),
            Err(error) => Err(Refusal::from(error)),
        }
    }
}

/// Where a search finds and keeps decoded texts: the server's cache, and
/// whose messages these are.
pub(super) struct Texts<'a> {
    /// The server's cache.
    pub(super) cache: &'a TextCache,
    /// The account of the session.
    pub(super) account: Arc<str>,
}

impl<'a> Texts<'a> {
    /// The cache and account of `conn`'s session.
    pub(super) fn of(conn: &'a Connection) -> Self {
        let account = conn.state.session().map_or("", |s| s.username());
        Self {
            cache: &conn.shared.text_cache,
            account: Arc::from(account),
        }
    }

    /// The text of the message at view `index`: kept, or read, decoded
    /// and kept now; `None` when another session expunged it meanwhile.
    async fn get(
        &self,
        selected: &Selected,
        index: usize,
        generation: u64,
    ) -> Option<Arc<SearchText>> {
        let entry = selected.view.entry(index);
        let key = TextKey {
            account: Arc::clone(&self.account),
            mailbox: selected.mailbox.id().clone(),
            uid: entry.uid,
            size: entry.size,
            date: entry.internal_date.unix_seconds(),
        };
        if let Some(text) = self.cache.get(&key, generation) {
            return Some(text);
        }
        let raw = selected.mailbox.fetch_message(entry.uid).await.ok()?;
        let text = Arc::new(SearchText::new(&raw));
        self.cache.insert(key, Arc::clone(&text), generation);
        Some(text)
    }
}

/// Evaluates `search` over the selected mailbox: the charset is checked
/// first, then the messages' texts are taken from `texts` (read and
/// decoded once, then kept) when a key needs them.
///
/// # Errors
/// The refusal to answer: `NO [BADCHARSET]`, `BAD` for a string invalid
/// in its charset.
pub(super) async fn evaluate(
    texts: &Texts<'_>,
    selected: &Selected,
    search: &Search,
) -> Result<Matched, Outcome> {
    // The charset is refused before any message is read.
    SearchCharset::from_wire(search.charset.as_ref()).map_err(refusal)?;
    let count = selected.view.len() as usize;
    let mut decoded: Vec<Option<Arc<SearchText>>> = Vec::new();
    if search::needs_body(&search.criteria) {
        decoded.reserve(count);
        let generation = texts.cache.begin();
        for index in 0..count {
            // A message expunged meanwhile (another session) is skipped.
            decoded.push(texts.get(selected, index, generation).await);
        }
    }
    let view = &selected.view;
    let candidates = (0..count)
        .filter(|&i| decoded.is_empty() || decoded[i].is_some())
        .map(|i| {
            let entry = view.entry(i);
            Candidate {
                seq: i as u32 + 1,
                uid: entry.uid,
                flags: &entry.flags,
                recent: entry.recent,
                size: entry.size,
                internal_date: entry.internal_date,
                modseq: entry.modseq,
                text: decoded.get(i).and_then(|t| t.as_deref()),
            }
        });
    let mut saved = selected.saved.clone();
    saved.sort_unstable();
    let ctx = Context {
        largest_seq: view.len(),
        largest_uid: view.last_uid(),
        saved_uids: &saved,
        now: now(),
        charset: SearchCharset::default(),
    };
    let outcome = search::run(search, candidates, &ctx).map_err(refusal)?;
    Ok(Matched { outcome })
}

/// Runs a search and answers with `* SEARCH`, or `* ESEARCH` when RETURN
/// options were given.
pub(super) async fn handle(conn: &mut Connection, tag: &Tag, uid: bool, search: Search) -> Handled {
    let outcome = {
        let texts = Texts::of(conn);
        let selected = selected_ref(conn)?;
        evaluate(&texts, selected, &search).await?.outcome
    };
    let Some(options) = search.return_options else {
        conn.send(Response::Data(Data::Search(outcome.search_data(uid))))
            .await?;
        return Ok(Outcome::ok("SEARCH completed."));
    };
    answer_esearch(conn, tag, uid, &outcome, &options).await?;
    Ok(Outcome::ok("SEARCH completed."))
}

/// Answers `RETURN (...)` options: keeps `$` for SAVE, and sends the
/// `* ESEARCH` response unless SAVE was all that was asked (RFC 5182
/// §2.1). ESORT answers the same way, with `outcome` in sort order (RFC
/// 5267 §3).
pub(super) async fn answer_esearch(
    conn: &mut Connection,
    tag: &Tag,
    uid: bool,
    outcome: &SearchOutcome,
    options: &[SearchReturnOption],
) -> Result<(), Refusal> {
    if options.contains(&SearchReturnOption::Save) {
        // `$` is kept in UID order, whatever order ESORT found it in.
        let mut saved = outcome.saved_uids(options);
        saved.sort_unstable();
        selected_mut(conn)?.saved = saved;
    }
    if options != [SearchReturnOption::Save] {
        let data = outcome.return_data(options, uid);
        let esearch = ESearchData {
            tag: Some(tag.clone()),
            uid,
            data,
        };
        conn.send(Response::Data(Data::ESearch(esearch))).await?;
    }
    Ok(())
}
