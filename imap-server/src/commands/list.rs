//! LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258), LIST-STATUS
//! (RFC 5819), SPECIAL-USE (RFC 6154) and CHILDREN (RFC 3348); LSUB
//! (RFC 3501 §6.3.9) and the legacy XLIST (Gmail's, still sent by old
//! Apple Mail and Outlook).
//!
//! The backend lists its mailboxes; everything else happens here. A name
//! that only exists as the parent of others (`a` of `a/b`) is listed as
//! `\Noselect` (`\NonExistent` for LIST-EXTENDED), so clients can show the
//! tree.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use imapkit_proto::core::Vec1;
use imapkit_proto::list::{
    ChildInfo, Delimiter, List, ListData, ListExtendedItem, ListKind, Lsub, MailboxAttribute,
};
use imapkit_proto::mailbox::{ListMailbox, Mailbox};
use imapkit_proto::response::{Data, Response};
use imapkit_proto::status::StatusData;

use super::status;
use crate::backend::{MailboxInfo, Session, SpecialUse};
use crate::connection::Connection;
use crate::listmatch::Pattern;
use crate::names;
use crate::outcome::{Handled, Outcome};

/// A name in the listed tree: a mailbox, or only the parent of some.
#[derive(Debug, Default)]
struct Node {
    /// The backend's mailbox, when the name exists.
    info: Option<MailboxInfo>,
    /// Whether the name is subscribed.
    subscribed: bool,
    /// Whether another node lies below it.
    has_children: bool,
    /// Whether a subscribed node lies below it.
    has_subscribed_child: bool,
}

/// Every listed name and its ancestors, in name order (INBOX first).
fn tree(
    mailboxes: Vec<MailboxInfo>,
    subscriptions: &[String],
    delimiter: char,
) -> BTreeMap<String, Node> {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    for info in mailboxes {
        let name = info.name.clone();
        nodes.entry(name).or_default().info = Some(info);
    }
    for name in subscriptions {
        nodes.entry(name.clone()).or_default().subscribed = true;
    }
    let names: Vec<(String, bool)> = nodes
        .iter()
        .map(|(n, node)| (n.clone(), node.subscribed))
        .collect();
    for (name, subscribed) in names {
        let mut parent = name.as_str();
        while let Some((up, _)) = parent.rsplit_once(delimiter) {
            let node = nodes.entry(up.to_owned()).or_default();
            node.has_children = true;
            node.has_subscribed_child |= subscribed;
            parent = up;
        }
    }
    nodes
}

fn special_use_attribute(special_use: SpecialUse) -> MailboxAttribute {
    match special_use {
        SpecialUse::All => MailboxAttribute::All,
        SpecialUse::Archive => MailboxAttribute::Archive,
        SpecialUse::Drafts => MailboxAttribute::Drafts,
        SpecialUse::Flagged => MailboxAttribute::Flagged,
        SpecialUse::Important => MailboxAttribute::Important,
        SpecialUse::Junk => MailboxAttribute::Junk,
        SpecialUse::Sent => MailboxAttribute::Sent,
        _ => MailboxAttribute::Trash,
    }
}

/// The pattern a reference and a mailbox argument make (RFC 9051 §6.3.9:
/// the reference is a prefix of the pattern).
fn full_pattern(
    conn: &Connection,
    reference: &Mailbox,
    pattern: &ListMailbox,
) -> Result<String, Outcome> {
    let utf8 = conn.enabled.utf8_accept;
    let bad = |e: imapkit_proto::ValidationError| Outcome::bad(None, format!("Invalid name: {e}"));
    let reference = match reference {
        Mailbox::Inbox => String::from("INBOX"),
        other => other.to_utf8(utf8).map_err(bad)?,
    };
    Ok(reference + &pattern.to_utf8(utf8).map_err(bad)?)
}

/// What one LIST-like command asks for.
#[derive(Debug, Default)]
struct Query {
    kind: Option<ListKind>,
    /// LIST-EXTENDED syntax was used: parents show as `\NonExistent`.
    extended: bool,
    /// Selection: only subscribed names.
    subscribed_only: bool,
    /// Selection: only special-use mailboxes.
    special_use_only: bool,
    /// Selection: parents of matches get CHILDINFO.
    recursive: bool,
    /// Return `\Subscribed`.
    return_subscribed: bool,
}

/// LIST and XLIST.
pub(super) async fn handle_list(conn: &mut Connection, list: List, kind: ListKind) -> Handled {
    let session = Arc::clone(conn.state.session().expect("state checked: logged in"));
    let delimiter = session.hierarchy_delimiter();
    let patterns = list
        .patterns
        .iter()
        .map(|p| full_pattern(conn, &list.reference, p))
        .collect::<Result<Vec<_>, _>>()?;
    // RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root.
    if kind == ListKind::List && !list.is_extended() && patterns == [""] {
        let data = ListData {
            kind,
            attributes: vec![MailboxAttribute::Noselect],
            delimiter: Delimiter::try_from(delimiter).ok(),
            mailbox: Mailbox::from_utf8("", false).expect("empty name"),
            extended: Vec::new(),
        };
        conn.send(Response::Data(Data::List(data))).await?;
        return Ok(Outcome::ok("LIST completed."));
    }
    let selection = list.selection;
    let query = Query {
        kind: Some(kind),
        extended: list.is_extended(),
        subscribed_only: selection.subscribed,
        special_use_only: selection.special_use,
        recursive: selection.recursive_match,
        return_subscribed: list.returns.subscribed || selection.subscribed,
    };
    let statuses = list.returns.status.clone();
    let mailboxes = session.list().await?;
    let subscriptions = session.subscriptions().await?;
    let nodes = tree(mailboxes, &subscriptions, delimiter);
    let patterns: Vec<Pattern> = patterns
        .iter()
        .map(|p| Pattern::new(p, delimiter))
        .collect();
    for (name, node) in &nodes {
        if !patterns.iter().any(|p| p.matches(name)) {
            continue;
        }
        let Some(data) = list_data(conn, &query, name, node, delimiter) else {
            continue;
        };
        conn.send(Response::Data(Data::List(data))).await?;
        if let (Some(items), Some(info)) = (&statuses, &node.info) {
            if info.selectable {
                send_status(conn, session.as_ref(), info, items.as_slice()).await?;
            }
        }
    }
    Ok(Outcome::ok(if kind == ListKind::Xlist {
        "XLIST completed."
    } else {
        "LIST completed."
    }))
}

/// The LIST line for one node, or `None` when the selection leaves it out.
fn list_data(
    conn: &Connection,
    query: &Query,
    name: &str,
    node: &Node,
    delimiter: char,
) -> Option<ListData> {
    let kind = query.kind.unwrap_or(ListKind::List);
    let mut attributes = Vec::new();
    let mut extended = Vec::new();
    match &node.info {
        None if query.extended => attributes.push(MailboxAttribute::NonExistent),
        None => attributes.push(MailboxAttribute::Noselect),
        Some(info) if !info.selectable => attributes.push(MailboxAttribute::Noselect),
        Some(_) => {}
    }
    if query.subscribed_only && !node.subscribed {
        if !(query.recursive && node.has_subscribed_child) {
            return None;
        }
        extended.push(ListExtendedItem::ChildInfo(Vec1::one(
            ChildInfo::Subscribed,
        )));
    }
    let special: Vec<SpecialUse> = node
        .info
        .as_ref()
        .map(|i| i.special_use.clone())
        .unwrap_or_default();
    if query.special_use_only && special.is_empty() {
        return None;
    }
    if node.info.is_none() && !node.has_children && !query.subscribed_only {
        return None;
    }
    attributes.push(if node.has_children {
        MailboxAttribute::HasChildren
    } else {
        MailboxAttribute::HasNoChildren
    });
    if query.return_subscribed && node.subscribed {
        attributes.push(MailboxAttribute::Subscribed);
    }
    attributes.extend(special.into_iter().map(special_use_attribute));
    if kind == ListKind::Xlist && name == "INBOX" {
        attributes.push(MailboxAttribute::Inbox);
    }
    Some(ListData {
        kind,
        attributes,
        delimiter: Delimiter::try_from(delimiter).ok(),
        mailbox: names::to_wire(conn, name),
        extended,
    })
}

async fn send_status(
    conn: &mut Connection,
    session: &dyn Session,
    info: &MailboxInfo,
    items: &[imapkit_proto::status::StatusItemName],
) -> std::io::Result<()> {
    // RFC 5819 §2: a mailbox whose status cannot be read is listed without one.
    let Ok(current) = session.status(&info.id).await else {
        return Ok(());
    };
    let Ok(items) = status::items(session, &current, items) else {
        return Ok(());
    };
    let mailbox = names::to_wire(conn, &info.name);
    conn.send(Response::Data(Data::Status(StatusData { mailbox, items })))
        .await
}

/// LSUB: subscribed names; a parent that only leads to subscribed names is
/// `\Noselect` (RFC 3501 §6.3.9).
pub(super) async fn handle_lsub(conn: &mut Connection, lsub: Lsub) -> Handled {
    let session = Arc::clone(conn.state.session().expect("state checked: logged in"));
    let delimiter = session.hierarchy_delimiter();
    let pattern = Pattern::new(
        &full_pattern(conn, &lsub.reference, &lsub.pattern)?,
        delimiter,
    );
    let subscriptions = session.subscriptions().await?;
    let mut candidates: BTreeSet<(String, bool)> = BTreeSet::new();
    for name in &subscriptions {
        let mut parent = name.as_str();
        candidates.insert((name.clone(), true));
        while let Some((up, _)) = parent.rsplit_once(delimiter) {
            candidates.insert((up.to_owned(), false));
            parent = up;
        }
    }
    let subscribed: BTreeSet<&String> = subscriptions.iter().collect();
    for (name, _) in candidates
        .iter()
        .filter(|(n, direct)| *direct || !subscribed.contains(n))
    {
        if !pattern.matches(name) {
            continue;
        }
        // An unsubscribed parent is listed only where its subscribed
        // children are not (`%` stops above them; `*` lists them instead).
        let prefix = format!("{name}{delimiter}");
        let implied = !subscribed.contains(name);
        if implied
            && subscriptions
                .iter()
                .any(|s| s.starts_with(&prefix) && pattern.matches(s))
        {
            continue;
        }
        let attributes = if subscribed.contains(name) {
            Vec::new()
        } else {
            vec![MailboxAttribute::Noselect]
        };
        let data = ListData {
            kind: ListKind::Lsub,
            attributes,
            delimiter: Delimiter::try_from(delimiter).ok(),
            mailbox: names::to_wire(conn, name),
            extended: Vec::new(),
        };
        conn.send(Response::Data(Data::List(data))).await?;
    }
    Ok(Outcome::ok("LSUB completed."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::MailboxId;

    fn info(name: &str) -> MailboxInfo {
        MailboxInfo::new(MailboxId::new(&name.replace('/', "-")).unwrap(), name)
    }

    #[test]
    fn tree_adds_parents_and_children_flags() {
        let nodes = tree(
            vec![info("INBOX"), info("a/b/c"), info("x")],
            &["s/t".into()],
            '/',
        );
        let names: Vec<&str> = nodes.keys().map(String::as_str).collect();
        assert_eq!(names, ["INBOX", "a", "a/b", "a/b/c", "s", "s/t", "x"]);
        assert!(nodes["a"].info.is_none() && nodes["a"].has_children);
        assert!(!nodes["a/b/c"].has_children);
        assert!(nodes["s"].has_subscribed_child && !nodes["a"].has_subscribed_child);
    }
}
