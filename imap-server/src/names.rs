//! Mailbox names between the wire (modified UTF-7, or UTF-8 with
//! UTF8=ACCEPT; any case of `INBOX`) and the backend (UTF-8 full paths with
//! no empty part and no trailing delimiter, `INBOX` in capitals).

use imapkit_proto::mailbox::Mailbox;
use imapkit_proto::response::Code;

use crate::connection::Connection;
use crate::outcome::Outcome;

/// The backend name of a mailbox a client named.
///
/// One trailing delimiter is dropped (RFC 9051 §6.3.4 lets a client end a
/// CREATE name with it). A first part that is any case of `INBOX` becomes
/// `INBOX`, so `inbox/Sub` and `INBOX/Sub` are the same mailbox.
///
/// # Errors
/// `BAD` for malformed modified UTF-7 or control characters, `NO [CANNOT]`
/// for an empty name or an empty part (`a//b`, `/a`), `NO [LIMIT]` for a
/// name over [`Limits::max_mailbox_name_len`] or
/// [`Limits::max_mailbox_levels`].
///
/// [`Limits::max_mailbox_name_len`]: crate::config::Limits::max_mailbox_name_len
/// [`Limits::max_mailbox_levels`]: crate::config::Limits::max_mailbox_levels
pub(crate) fn from_wire(conn: &Connection, mailbox: &Mailbox) -> Result<String, Outcome> {
    let delimiter = conn
        .state
        .session()
        .map_or('/', |s| s.hierarchy_delimiter());
    let name = mailbox
        .to_utf8(conn.enabled.utf8_accept)
        .map_err(|e| Outcome::bad(None, format!("Invalid mailbox name: {e}")))?;
    let limits = &conn.shared.limits;
    if name.len() > limits.max_mailbox_name_len {
        return Err(Outcome::no(
            Some(Code::Limit),
            format!(
                "Mailbox name too long (limit {} bytes)",
                limits.max_mailbox_name_len
            ),
        ));
    }
    if name.split(delimiter).count() > limits.max_mailbox_levels {
        return Err(Outcome::no(
            Some(Code::Limit),
            format!(
                "Mailbox name too deep (limit {} levels)",
                limits.max_mailbox_levels
            ),
        ));
    }
    normalize(&name, delimiter)
        .ok_or_else(|| Outcome::no(Some(Code::Cannot), "Invalid mailbox name: empty part"))
}

/// `name` with a trailing delimiter dropped and `INBOX` in capitals;
/// `None` when a part is empty.
pub(crate) fn normalize(name: &str, delimiter: char) -> Option<String> {
    let name = name.strip_suffix(delimiter).unwrap_or(name);
    if name.is_empty() || name.split(delimiter).any(str::is_empty) {
        return None;
    }
    let (first, rest) = match name.split_once(delimiter) {
        Some((first, rest)) => (first, Some(rest)),
        None => (name, None),
    };
    if !first.eq_ignore_ascii_case("INBOX") {
        return Some(name.to_owned());
    }
    Some(match rest {
        Some(rest) => format!("INBOX{delimiter}{rest}"),
        None => String::from("INBOX"),
    })
}

/// The wire form of a backend name.
pub(crate) fn to_wire(conn: &Connection, name: &str) -> Mailbox {
    // A backend name never holds CR, LF or NUL; should one, it shows as `?`.
    let clean: String = name
        .chars()
        .map(|c| {
            if matches!(c, '\r' | '\n' | '\0') {
                '?'
            } else {
                c
            }
        })
        .collect();
    Mailbox::from_utf8(&clean, conn.enabled.utf8_accept).expect("no CR, LF or NUL left")
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalizes() {
        assert_eq!(normalize("inbox", '/').as_deref(), Some("INBOX"));
        assert_eq!(normalize("Inbox/Sub", '/').as_deref(), Some("INBOX/Sub"));
        assert_eq!(normalize("INBOXES", '/').as_deref(), Some("INBOXES"));
        assert_eq!(normalize("a/b/", '/').as_deref(), Some("a/b"));
        assert_eq!(normalize("a//b", '/'), None);
        assert_eq!(normalize("/a", '/'), None);
        assert_eq!(normalize("", '/'), None);
        assert_eq!(normalize("/", '/'), None);
    }
}
