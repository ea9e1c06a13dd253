//! CREATE (RFC 9051 §6.3.4) with CREATE-SPECIAL-USE (RFC 6154 §3).

use std::sync::Arc;

use imapkit_proto::list::{CreateParams, MailboxAttribute};
use imapkit_proto::mailbox::Mailbox;
use imapkit_proto::response::Code;

use crate::backend::SpecialUse;
use crate::connection::Connection;
use crate::names;
use crate::outcome::{Handled, Outcome};

/// The backend's special use for a `USE` attribute, if it is one.
pub(super) fn special_use(attribute: &MailboxAttribute) -> Option<SpecialUse> {
    Some(match attribute {
        MailboxAttribute::All => SpecialUse::All,
        MailboxAttribute::Archive => SpecialUse::Archive,
        MailboxAttribute::Drafts => SpecialUse::Drafts,
        MailboxAttribute::Flagged => SpecialUse::Flagged,
        MailboxAttribute::Important => SpecialUse::Important,
        MailboxAttribute::Junk => SpecialUse::Junk,
        MailboxAttribute::Sent => SpecialUse::Sent,
        MailboxAttribute::Trash => SpecialUse::Trash,
        _ => return None,
    })
}

/// Creates a mailbox; the backend creates missing parents.
pub(super) async fn handle(
    conn: &mut Connection,
    mailbox: Mailbox,
    params: CreateParams,
) -> Handled {
    let session = Arc::clone(conn.state.session().expect("state checked: logged in"));
    let name = names::from_wire(conn, &mailbox)?;
    if name == "INBOX" {
        return Ok(Outcome::no(
            Some(Code::AlreadyExists),
            "INBOX always exists",
        ));
    }
    let uses = params
        .special_use
        .iter()
        .map(|attribute| special_use(attribute).ok_or(attribute))
        .collect::<Result<Vec<_>, _>>();
    let Ok(uses) = uses else {
        return Ok(Outcome::no(
            Some(Code::UseAttr),
            "Not a special-use attribute",
        ));
    };
    session.create(&name, &uses).await?;
    Ok(Outcome::ok("CREATE completed."))
}
