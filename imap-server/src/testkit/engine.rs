//! The engine-level checks: the contract driven with IMAP commands through
//! the engine, over in-memory streams, often with several connections of
//! the same user.
//!
//! A failure names the command sent, what the rule needs and the answer
//! (every response line, `|`-separated).

use std::sync::Arc;

use super::checks::{fail, raw_message, Ctx, Failure, Outcome, Passed};
use super::client::{engine, quote, Client, Reply};
use super::interleave::{engine_interleaved_sessions, View};
use crate::server::Server;

checks![ALL:
    engine_login,
    engine_authenticate_plain,
    engine_mailbox_commands,
    engine_append_select_examine,
    engine_fetch_returns_what_was_appended,
    engine_store_seen_by_other_sessions,
    engine_expunge_numbers,
    engine_copy_and_move,
    engine_search_results,
    engine_interleaved_sessions,
];

/// The engine over the check's backend.
pub(super) async fn serve(ctx: &Ctx) -> Result<Arc<Server>, Failure> {
    engine(Arc::clone(&ctx.backend))
        .await
        .map_err(|e| fail("an engine over the backend", e.to_string()))
}

/// A connection logged in as the check's user.
pub(super) async fn login(server: &Arc<Server>, ctx: &Ctx) -> Result<Client, Failure> {
    Client::login(server, &ctx.user, &ctx.password)
        .await
        .map_err(|e| fail("LOGIN with the right password answers OK", e.to_string()))
}

/// Runs `command`, which must complete with `OK`.
pub(super) async fn ok(client: &mut Client, command: &str) -> Result<Reply, Failure> {
    let reply = run(client, command).await?;
    if reply.is_ok() {
        Ok(reply)
    } else {
        Err(fail(format!("`{command}` answers OK"), reply.to_string()))
    }
}

/// Runs `command`, which must complete with `NO`.
async fn no(client: &mut Client, command: &str, why: &str) -> Result<Reply, Failure> {
    let reply = run(client, command).await?;
    if reply.status() == Some(imapkit_proto::response::StatusKind::No) {
        Ok(reply)
    } else {
        Err(fail(
            format!("`{command}` answers NO ({why})"),
            reply.to_string(),
        ))
    }
}

/// Runs `command`, which must not complete with `OK` (`NO` or `BAD`).
async fn refused(client: &mut Client, command: &str, why: &str) -> Result<Reply, Failure> {
    let reply = run(client, command).await?;
    if reply.is_ok() {
        Err(fail(
            format!("`{command}` is refused ({why})"),
            reply.to_string(),
        ))
    } else {
        Ok(reply)
    }
}

async fn run(client: &mut Client, command: &str) -> Result<Reply, Failure> {
    client
        .command(command)
        .await
        .map_err(|e| fail(format!("an answer to `{command}`"), e.to_string()))
}

/// APPENDs message `n` of the kit's test messages to `mailbox`.
pub(super) async fn append(
    client: &mut Client,
    mailbox: &str,
    flags: &str,
    n: usize,
) -> Result<Reply, Failure> {
    let command = format!("APPEND {} ({flags}) ", quote(mailbox));
    let reply = client
        .command_with_literal(&command, &raw_message(n), "")
        .await
        .map_err(|e| fail(format!("an answer to `{command}{{...}}`"), e.to_string()))?;
    if reply.is_ok() {
        Ok(reply)
    } else {
        Err(fail(
            format!("`{command}{{...}}` answers OK"),
            reply.to_string(),
        ))
    }
}

/// Fails unless some line of `reply` to `command` mentions `needle`.
fn mentions(reply: &Reply, command: &str, needle: &str) -> Result<(), Failure> {
    if reply.mentions(needle) {
        Ok(())
    } else {
        Err(fail(
            format!("the answer to `{command}` mentions {needle}"),
            reply.to_string(),
        ))
    }
}

/// Fails if some line of `reply` to `command` mentions `needle`.
fn omits(reply: &Reply, command: &str, needle: &str) -> Result<(), Failure> {
    if reply.mentions(needle) {
        Err(fail(
            format!("the answer to `{command}` does not mention {needle}"),
            reply.to_string(),
        ))
    } else {
        Ok(())
    }
}

/// Runs `command` and checks its answer mentions each of `needles`.
async fn ok_mentioning(
    client: &mut Client,
    command: &str,
    needles: &[&str],
) -> Result<Reply, Failure> {
    let reply = ok(client, command).await?;
    for needle in needles {
        mentions(&reply, command, needle)?;
    }
    Ok(reply)
}

fn check_eq<T: PartialEq + std::fmt::Debug>(
    what: &str,
    seen: T,
    expected: T,
    reply: &Reply,
) -> Result<(), Failure> {
    if seen == expected {
        Ok(())
    } else {
        Err(fail(
            format!("{what}: {expected:?}"),
            format!("{seen:?}, in: {reply}"),
        ))
    }
}

async fn engine_login(ctx: Ctx) -> Outcome {
    let server = serve(&ctx).await?;
    let mut client = Client::connect(&server)
        .await
        .map_err(|e| fail("a greeting", e.to_string()))?;
    let bad = format!("LOGIN {} {}", quote(&ctx.user), quote("not-the-password"));
    no(&mut client, &bad, "wrong password").await?;
    no(&mut client, "LOGIN nobody-such-user secret", "unknown user").await?;
    let good = format!("LOGIN {} {}", quote(&ctx.user), quote(&ctx.password));
    ok(&mut client, &good).await?;
    ok_mentioning(&mut client, "LIST \"\" INBOX", &["INBOX"]).await?;
    ok(&mut client, "LOGOUT").await?;
    Ok(Passed::Yes)
}

async fn engine_authenticate_plain(ctx: Ctx) -> Outcome {
    let server = serve(&ctx).await?;
    let mut client = Client::connect(&server)
        .await
        .map_err(|e| fail("a greeting", e.to_string()))?;
    let wrong = base64(format!("\0{}\0wrong-password", ctx.user).as_bytes());
    no(
        &mut client,
        &format!("AUTHENTICATE PLAIN {wrong}"),
        "wrong password",
    )
    .await?;
    let right = base64(format!("\0{}\0{}", ctx.user, ctx.password).as_bytes());
    ok(&mut client, &format!("AUTHENTICATE PLAIN {right}")).await?;
    ok(&mut client, "SELECT INBOX").await?;
    Ok(Passed::Yes)
}

async fn engine_mailbox_commands(ctx: Ctx) -> Outcome {
    let server = serve(&ctx).await?;
    let mut a = login(&server, &ctx).await?;
    let mut b = login(&server, &ctx).await?;
    ok(&mut a, "CREATE Work/Reports").await?;
    no(&mut a, "CREATE Work/Reports", "it exists").await?;
    ok_mentioning(&mut b, "LIST \"\" *", &["Work/Reports", "INBOX"]).await?;
    ok(&mut a, "SUBSCRIBE Work/Reports").await?;
    ok_mentioning(&mut b, "LSUB \"\" *", &["Work/Reports"]).await?;
    ok(&mut a, "RENAME Work Play").await?;
    let list = ok_mentioning(&mut b, "LIST \"\" *", &["Play/Reports"]).await?;
    omits(&list, "LIST \"\" * (after RENAME Work Play)", "Work")?;
    let lsub = ok_mentioning(&mut b, "LSUB \"\" *", &["Play/Reports"]).await?;
    omits(&lsub, "LSUB \"\" * (after RENAME Work Play)", "Work")?;
    ok(&mut a, "UNSUBSCRIBE Play/Reports").await?;
    let lsub = ok(&mut b, "LSUB \"\" *").await?;
    omits(&lsub, "LSUB \"\" * (after UNSUBSCRIBE)", "Play/Reports")?;
    ok_mentioning(
        &mut b,
        "STATUS Play/Reports (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)",
        &["MESSAGES 0", "UIDVALIDITY"],
    )
    .await?;
    ok(&mut a, "DELETE Play/Reports").await?;
    let list = ok(&mut b, "LIST \"\" *").await?;
    omits(&list, "LIST \"\" * (after DELETE)", "Play/Reports")?;
    no(&mut a, "DELETE INBOX", "INBOX cannot be deleted").await?;
    no(&mut a, "SELECT No/Such/Box", "no such mailbox").await?;
    Ok(Passed::Yes)
}

async fn engine_append_select_examine(ctx: Ctx) -> Outcome {
    let server = serve(&ctx).await?;
    let mut a = login(&server, &ctx).await?;
    let mut b = login(&server, &ctx).await?;
    let appended = append(&mut a, "INBOX", "\\Seen", 1).await?;
    mentions(&appended, "APPEND", "APPENDUID")?;
    append(&mut a, "INBOX", "", 2).await?;
    let select = ok_mentioning(&mut a, "SELECT INBOX", &["UIDVALIDITY", "READ-WRITE"]).await?;
    check_eq("SELECT's EXISTS", select.exists(), Some(2), &select)?;
    let examine = ok_mentioning(&mut b, "EXAMINE INBOX", &["READ-ONLY"]).await?;
    check_eq("EXAMINE's EXISTS", examine.exists(), Some(2), &examine)?;
    no(&mut b, "STORE 1 +FLAGS (\\Flagged)", "EXAMINE is read-only").await?;
    let mut c = login(&server, &ctx).await?;
    append(&mut c, "INBOX", "", 3).await?;
    let noop = ok(&mut a, "NOOP").await?;
    check_eq(
        "EXISTS after another session's APPEND",
        noop.exists(),
        Some(3),
        &noop,
    )?;
    ok_mentioning(
        &mut c,
        "STATUS INBOX (MESSAGES UNSEEN)",
        &["MESSAGES 3", "UNSEEN 2"],
    )
    .await?;
    ok(&mut a, "CLOSE").await?;
    refused(&mut a, "FETCH 1 FLAGS", "nothing is selected after CLOSE").await?;
    Ok(Passed::Yes)
}

async fn engine_fetch_returns_what_was_appended(ctx: Ctx) -> Outcome {
    let server = serve(&ctx).await?;
    let mut a = login(&server, &ctx).await?;
    append(&mut a, "INBOX", "\\Seen \\Flagged", 1).await?;
    append(&mut a, "INBOX", "", 2).await?;
    ok(&mut a, "SELECT INBOX").await?;
    let command = "FETCH 1:* (UID FLAGS BODY.PEEK[])";
    let reply = ok(&mut a, command).await?;
    let fetched = reply.fetches();
    check_eq("FETCH responses", fetched.len(), 2, &reply)?;
    let uids: Vec<_> = fetched.iter().map(|f| f.uid).collect();
    if !matches!(uids[..], [Some(x), Some(y)] if x < y) {
        return Err(fail(
            format!("`{command}` gives ascending UIDs"),
            reply.to_string(),
        ));
    }
    for (i, f) in fetched.iter().enumerate() {
        check_eq(
            "BODY[] is the appended message",
            f.body.as_deref(),
            Some(&raw_message(i + 1)[..]),
            &reply,
        )?;
    }
    check_eq(
        "FLAGS of message 1",
        fetched[0].flags.clone(),
        Some(vec!["\\Flagged".into(), "\\Seen".into()]),
        &reply,
    )?;
    check_eq(
        "FLAGS of message 2",
        fetched[1].flags.clone(),
        Some(vec![]),
        &reply,
    )?;
    Ok(Passed::Yes)
}

async fn engine_store_seen_by_other_sessions(ctx: Ctx) -> Outcome {
    let server = serve(&ctx).await?;
    let mut a = login(&server, &ctx).await?;
    let mut b = login(&server, &ctx).await?;
    append(&mut a, "INBOX", "", 1).await?;
    ok(&mut a, "SELECT INBOX").await?;
    ok(&mut b, "SELECT INBOX").await?;
    let stored = ok(&mut a, "STORE 1 +FLAGS (\\Flagged $Work)").await?;
    check_eq(
        "STORE's FETCH FLAGS",
        stored.fetches().first().and_then(|f| f.flags.clone()),
        Some(vec!["$Work".into(), "\\Flagged".into()]),
        &stored,
    )?;
    let noop = ok(&mut b, "NOOP").await?;
    check_eq(
        "the other session's FETCH FLAGS after NOOP",
        noop.fetches().first().and_then(|f| f.flags.clone()),
        Some(vec!["$Work".into(), "\\Flagged".into()]),
        &noop,
    )?;
    let silent = ok(&mut b, "STORE 1 -FLAGS.SILENT ($Work)").await?;
    check_eq(
        "FETCH responses to STORE .SILENT",
        silent.fetches().len(),
        0,
        &silent,
    )?;
    ok(&mut a, "NOOP").await?;
    let fetch = ok(&mut a, "FETCH 1 FLAGS").await?;
    check_eq(
        "FLAGS after the other session's -FLAGS",
        fetch.fetches().last().and_then(|f| f.flags.clone()),
        Some(vec!["\\Flagged".into()]),
        &fetch,
    )?;
    Ok(Passed::Yes)
}

async fn engine_expunge_numbers(ctx: Ctx) -> Outcome {
    let server = serve(&ctx).await?;
    let mut a = login(&server, &ctx).await?;
    let mut b = login(&server, &ctx).await?;
    for n in 1..=4 {
        append(&mut a, "INBOX", "", n).await?;
    }
    let mut view_a = View::default();
    let mut view_b = View::default();
    view_a.apply(&ok(&mut a, "SELECT INBOX").await?)?;
    view_b.apply(&ok(&mut b, "SELECT INBOX").await?)?;
    view_a.apply(&ok(&mut a, "FETCH 1:* (UID FLAGS)").await?)?;
    view_b.apply(&ok(&mut b, "FETCH 1:* (UID FLAGS)").await?)?;
    let uids = view_a.uids();
    view_a.apply(&ok(&mut a, "STORE 1,3 +FLAGS.SILENT (\\Deleted)").await?)?;
    let expunge = ok(&mut a, "EXPUNGE").await?;
    view_a.apply(&expunge)?;
    let left = vec![uids[1], uids[3]];
    check_eq("UIDs after EXPUNGE", view_a.uids(), left.clone(), &expunge)?;
    let noop = ok(&mut b, "NOOP").await?;
    view_b.apply(&noop)?;
    check_eq(
        "the other session's UIDs after NOOP",
        view_b.uids(),
        left.clone(),
        &noop,
    )?;
    let fetch = ok(&mut b, "FETCH 1:* UID").await?;
    view_b.apply(&fetch)?;
    check_eq("UIDs by FETCH after EXPUNGE", view_b.uids(), left, &fetch)?;
    Ok(Passed::Yes)
}

async fn engine_copy_and_move(ctx: Ctx) -> Outcome {
    let server = serve(&ctx).await?;
    let mut a = login(&server, &ctx).await?;
    let mut b = login(&server, &ctx).await?;
    ok(&mut a, "CREATE Archive").await?;
    append(&mut a, "INBOX", "\\Seen", 1).await?;
    append(&mut a, "INBOX", "", 2).await?;
    let mut view = View::default();
    view.apply(&ok(&mut a, "SELECT INBOX").await?)?;
    ok(&mut b, "SELECT Archive").await?;
    no(&mut a, "COPY 1 No/Such/Box", "no such mailbox").await?;
    ok_mentioning(&mut a, "COPY 1 Archive", &["COPYUID"]).await?;
    let noop = ok(&mut b, "NOOP").await?;
    check_eq(
        "EXISTS in the target after COPY",
        noop.exists(),
        Some(1),
        &noop,
    )?;
    view.apply(&ok(&mut a, "FETCH 1:* UID").await?)?;
    let moved = ok_mentioning(&mut a, "MOVE 2 Archive", &["COPYUID"]).await?;
    view.apply(&moved)?;
    check_eq("messages left after MOVE", view.len(), 1, &moved)?;
    let noop = ok(&mut b, "NOOP").await?;
    check_eq(
        "EXISTS in the target after MOVE",
        noop.exists(),
        Some(2),
        &noop,
    )?;
    let fetch = ok(&mut b, "FETCH 1:* (FLAGS BODY.PEEK[])").await?;
    let bodies: Vec<_> = fetch.fetches().into_iter().map(|f| f.body).collect();
    check_eq(
        "the target's messages",
        bodies,
        vec![Some(raw_message(1)), Some(raw_message(2))],
        &fetch,
    )?;
    Ok(Passed::Yes)
}

async fn engine_search_results(ctx: Ctx) -> Outcome {
    let server = serve(&ctx).await?;
    let mut a = login(&server, &ctx).await?;
    append(&mut a, "INBOX", "\\Seen", 1).await?;
    append(&mut a, "INBOX", "\\Flagged", 2).await?;
    append(&mut a, "INBOX", "\\Seen \\Flagged", 3).await?;
    let mut view = View::default();
    view.apply(&ok(&mut a, "SELECT INBOX").await?)?;
    view.apply(&ok(&mut a, "FETCH 1:* UID").await?)?;
    let uids = view.uids();
    let cases: [(&str, Vec<u32>); 6] = [
        ("SEARCH ALL", vec![1, 2, 3]),
        ("SEARCH SEEN", vec![1, 3]),
        ("SEARCH UNSEEN FLAGGED", vec![2]),
        ("SEARCH SUBJECT \"contract 2\"", vec![2]),
        ("SEARCH OR SEEN FLAGGED NOT 3", vec![1, 2]),
        ("UID SEARCH FLAGGED", vec![uids[1], uids[2]]),
    ];
    for (command, expected) in cases {
        let reply = ok(&mut a, command).await?;
        let mut seen = reply.search();
        seen.sort_unstable();
        check_eq(&format!("`{command}` results"), seen, expected, &reply)?;
    }
    Ok(Passed::Yes)
}

/// Standard base64 (RFC 4648 §4), for SASL initial responses.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_pads_as_rfc_4648_says() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"\0alice\0secret"), "AGFsaWNlAHNlY3JldA==");
    }
}
