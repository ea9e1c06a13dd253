//! The checks of the contract, one async function each.
//!
//! Every check starts from a fresh backend whose user has only an empty
//! INBOX, and returns [`Passed`] or a [`Failure`] saying what it expected
//! and what it saw.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;

use crate::backend::{
    AppendMessage, AuthError, Backend, BackendError, Changes, ConnectionInfo, Credentials,
    ErrorCode, Flag, Flags, InternalDate, Mailbox, MailboxId, OpenMode, Session, Snapshot,
    SpecialUse, StoreOp,
};

/// A check that did not fail.
pub(super) enum Passed {
    /// The rule held.
    Yes,
    /// The rule does not apply to this backend.
    Skipped(String),
}

/// What a failing check expected and saw.
pub(super) struct Failure {
    pub(super) expected: String,
    pub(super) seen: String,
}

pub(super) type Outcome = Result<Passed, Failure>;
/// One check: a name's async function, boxed.
pub(super) type Check = fn(Ctx) -> Pin<Box<dyn Future<Output = Outcome> + Send>>;

checks![ALL:
    login_accepts_good_password,
    login_rejects_bad_password,
    login_rejects_unknown_user,
    inbox_exists,
    sessions_share_store,
    create_and_list,
    create_existing_refused,
    create_makes_parents,
    create_special_use,
    delete_removes_mailbox,
    delete_inbox_refused,
    delete_parent_keeps_children,
    create_revives_noselect_parent,
    recreated_mailbox_gets_new_uidvalidity,
    rename_moves_children,
    rename_moves_subscriptions,
    rename_keeps_messages_and_uidvalidity,
    rename_to_existing_refused,
    rename_into_own_child_refused,
    rename_inbox_moves_messages,
    subscriptions_round_trip,
    append_assigns_ascending_uids,
    append_keeps_bytes_flags_date,
    append_to_missing_mailbox_fails,
    multiappend_visible_together,
    multiappend_all_or_nothing,
    uids_never_reused,
    expunge_only_deleted,
    modseq_grows_on_every_change,
    store_operations,
    store_unchanged_since,
    changes_since_sees_other_sessions,
    changes_since_is_repeatable,
    changes_since_snapshot_is_empty,
    recent_claimed_by_one_session,
    recent_not_claimed_by_examine_or_status,
    copy_reports_uid_pairs,
    copy_to_missing_mailbox_fails,
    move_reports_uid_pairs,
    read_only_handle_refuses_changes,
    fetch_expunged_fails,
    fetch_range_agrees_with_message,
    metadata_cache_round_trip,
    status_counts,
    concurrent_appends,
];

/// What a check works with.
pub(super) struct Ctx {
    pub(super) backend: Arc<dyn Backend>,
    pub(super) user: Arc<str>,
    pub(super) password: Arc<str>,
}

impl Ctx {
    pub(super) fn new(backend: Arc<dyn Backend>, user: Arc<str>, password: Arc<str>) -> Self {
        Self {
            backend,
            user,
            password,
        }
    }

    pub(super) async fn login(&self) -> Result<Box<dyn Session>, Failure> {
        self.backend
            .authenticate(
                &Credentials::password(&*self.user, &*self.password),
                &ConnectionInfo::default(),
            )
            .await
            .step("login with the right password")
    }
}

pub(super) fn fail(expected: impl Into<String>, seen: impl Into<String>) -> Failure {
    Failure {
        expected: expected.into(),
        seen: seen.into(),
    }
}

pub(super) fn expect_eq<T: PartialEq + Debug>(
    what: &str,
    seen: T,
    expected: T,
) -> Result<(), Failure> {
    if seen == expected {
        Ok(())
    } else {
        Err(fail(format!("{what}: {expected:?}"), format!("{seen:?}")))
    }
}

pub(super) fn expect(what: &str, ok: bool, seen: impl Debug) -> Result<(), Failure> {
    if ok {
        Ok(())
    } else {
        Err(fail(what, format!("{seen:?}")))
    }
}

fn expect_err<T: Debug>(
    what: &str,
    result: Result<T, BackendError>,
    codes: &[ErrorCode],
) -> Result<(), Failure> {
    match result {
        Err(err) if codes.contains(&err.code()) => Ok(()),
        other => Err(fail(
            format!("{what} fails with one of {codes:?}"),
            format!("{other:?}"),
        )),
    }
}

fn expect_rejected(what: &str, result: Result<Box<dyn Session>, AuthError>) -> Result<(), Failure> {
    match result {
        Err(AuthError::Rejected) => Ok(()),
        other => Err(fail(
            format!("{what} fails with AuthError::Rejected"),
            format!("{other:?}"),
        )),
    }
}

/// Turns an error into a failure of the step it happened in.
pub(super) trait Step<T> {
    /// The value, or a failure saying `what` did not succeed.
    fn step(self, what: &str) -> Result<T, Failure>;
}

impl<T, E: Debug> Step<T> for Result<T, E> {
    fn step(self, what: &str) -> Result<T, Failure> {
        self.map_err(|err| fail(format!("{what} succeeds"), format!("error {err:?}")))
    }
}

pub(super) fn raw_message(n: usize) -> Bytes {
    Bytes::from(format!(
        "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: contract {n}\r\n\
         Message-ID: <{n}.contract@imapkit.test>\r\nDate: Tue, 14 Nov 2023 22:13:20 +0100\r\n\
         \r\nBody of message {n}.\r\n"
    ))
}

fn date(n: usize) -> InternalDate {
    let offset = i64::try_from(n).unwrap_or(0);
    InternalDate::new(1_700_000_000 + offset, 60).unwrap_or_else(InternalDate::now)
}

fn message(n: usize, flags: &[Flag]) -> AppendMessage {
    AppendMessage::new(flags.iter().cloned().collect(), date(n), raw_message(n))
}

pub(super) async fn lookup(session: &dyn Session, name: &str) -> Result<MailboxId, Failure> {
    session
        .lookup(name)
        .await
        .map(|m| m.id)
        .step(&format!("lookup({name:?})"))
}

async fn create(session: &dyn Session, name: &str) -> Result<MailboxId, Failure> {
    session
        .create(name, &[])
        .await
        .step(&format!("create({name:?})"))
}

async fn append(
    session: &dyn Session,
    id: &MailboxId,
    first: usize,
    count: usize,
) -> Result<Vec<u32>, Failure> {
    let messages = (first..first + count).map(|n| message(n, &[])).collect();
    Ok(session.append(id, messages).await.step("append")?.uids)
}

async fn append_one(
    session: &dyn Session,
    id: &MailboxId,
    n: usize,
    flags: &[Flag],
) -> Result<u32, Failure> {
    let result = session
        .append(id, vec![message(n, flags)])
        .await
        .step("append")?;
    match result.uids.as_slice() {
        [uid] => Ok(*uid),
        other => Err(fail(
            "append of one message returns one uid",
            format!("{other:?}"),
        )),
    }
}

async fn names(session: &dyn Session) -> Result<Vec<String>, Failure> {
    let mut names: Vec<String> = session
        .list()
        .await
        .step("list")?
        .into_iter()
        .map(|m| m.name)
        .collect();
    names.sort();
    Ok(names)
}

pub(super) async fn open(
    session: &dyn Session,
    id: &MailboxId,
    mode: OpenMode,
) -> Result<Box<dyn Mailbox>, Failure> {
    session.open(id, mode).await.step("open")
}

pub(super) async fn snapshot(mailbox: &dyn Mailbox) -> Result<Snapshot, Failure> {
    mailbox.snapshot().await.step("snapshot")
}

fn uids_of(snapshot: &Snapshot) -> Vec<u32> {
    snapshot.messages.iter().map(|m| m.uid).collect()
}

fn strictly_ascending(uids: &[u32]) -> bool {
    uids.windows(2).all(|w| w[0] < w[1])
}

async fn store(
    mailbox: &dyn Mailbox,
    uids: &[u32],
    op: StoreOp,
    flags: &[Flag],
) -> Result<crate::backend::StoreResult, Failure> {
    mailbox
        .store(uids, op, flags, None)
        .await
        .step(&format!("store({uids:?}, {op:?}, {flags:?})"))
}

fn flags(list: &[Flag]) -> Flags {
    list.iter().cloned().collect()
}

fn contains_name(names: &[String], name: &str) -> bool {
    names.iter().any(|n| n == name)
}

// ---- authentication -------------------------------------------------------

async fn login_accepts_good_password(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    expect_eq("username() of the session", session.username(), &*ctx.user)?;
    Ok(Passed::Yes)
}

async fn login_rejects_bad_password(ctx: Ctx) -> Outcome {
    let conn = ConnectionInfo::default();
    let wrong = format!("{}x", ctx.password);
    let result = ctx
        .backend
        .authenticate(&Credentials::password(&*ctx.user, wrong), &conn)
        .await;
    expect_rejected("login with a wrong password", result)?;
    let result = ctx
        .backend
        .authenticate(&Credentials::password(&*ctx.user, ""), &conn)
        .await;
    expect_rejected("login with an empty password", result)?;
    Ok(Passed::Yes)
}

async fn login_rejects_unknown_user(ctx: Ctx) -> Outcome {
    let result = ctx
        .backend
        .authenticate(
            &Credentials::password(format!("{}-nobody", ctx.user), &*ctx.password),
            &ConnectionInfo::default(),
        )
        .await;
    expect_rejected("login as an unknown user", result)?;
    Ok(Passed::Yes)
}

// ---- mailboxes ------------------------------------------------------------

async fn inbox_exists(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let list = session.list().await.step("list")?;
    let inbox = list.iter().find(|m| m.name == "INBOX");
    expect(
        "list() has a selectable INBOX",
        inbox.is_some_and(|m| m.selectable),
        &list,
    )?;
    let id = lookup(&*session, "INBOX").await?;
    let status = session.status(&id).await.step("status(INBOX)")?;
    expect_eq("messages in a new INBOX", status.messages, 0)?;
    expect(
        "INBOX has a non-zero UIDVALIDITY",
        status.uidvalidity != 0,
        status,
    )?;
    expect("INBOX has UIDNEXT >= 1", status.uidnext >= 1, status)?;
    Ok(Passed::Yes)
}

async fn sessions_share_store(ctx: Ctx) -> Outcome {
    let a = ctx.login().await?;
    let b = ctx.login().await?;
    let id = create(&*a, "Shared").await?;
    expect(
        "a second session lists a mailbox the first created",
        contains_name(&names(&*b).await?, "Shared"),
        names(&*b).await?,
    )?;
    append(&*a, &id, 1, 1).await?;
    let status = b.status(&id).await.step("status from the second session")?;
    expect_eq("messages seen by the second session", status.messages, 1)?;
    Ok(Passed::Yes)
}

async fn create_and_list(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let id = create(&*session, "Work").await?;
    let list = session.list().await.step("list")?;
    let work = list.iter().find(|m| m.name == "Work");
    expect(
        "list() has selectable \"Work\" with the id create() gave",
        work.is_some_and(|m| m.selectable && m.id == id),
        &list,
    )?;
    expect_eq(
        "lookup(\"Work\")",
        lookup(&*session, "Work").await?,
        id.clone(),
    )?;
    let status = session.status(&id).await.step("status(Work)")?;
    expect_eq("messages in a new mailbox", status.messages, 0)?;
    expect(
        "a new mailbox has a non-zero UIDVALIDITY",
        status.uidvalidity != 0,
        status,
    )?;
    let utf8 = "Work/Åbo – ünïcode 📬";
    create(&*session, utf8).await?;
    expect(
        "list() has the UTF-8 name as created",
        contains_name(&names(&*session).await?, utf8),
        names(&*session).await?,
    )?;
    Ok(Passed::Yes)
}

async fn create_existing_refused(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    create(&*session, "Work").await?;
    expect_err(
        "create(\"Work\") a second time",
        session.create("Work", &[]).await,
        &[ErrorCode::AlreadyExists],
    )?;
    expect_err(
        "create(\"INBOX\")",
        session.create("INBOX", &[]).await,
        &[ErrorCode::AlreadyExists],
    )?;
    Ok(Passed::Yes)
}

async fn create_makes_parents(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    create(&*session, "a/b/c").await?;
    let names = names(&*session).await?;
    expect(
        "create(\"a/b/c\") lists a, a/b and a/b/c",
        ["a", "a/b", "a/b/c"]
            .iter()
            .all(|n| contains_name(&names, n)),
        &names,
    )?;
    Ok(Passed::Yes)
}

async fn create_special_use(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    match session.create("Sent", &[SpecialUse::Sent]).await {
        Err(BackendError::UseAttr) => {
            return Ok(Passed::Skipped(
                "the backend does not set special-use attributes (USEATTR)".into(),
            ))
        }
        other => other.step("create(\"Sent\", [Sent])")?,
    };
    let list = session.list().await.step("list")?;
    expect(
        "\"Sent\" is listed with \\Sent",
        list.iter()
            .any(|m| m.name == "Sent" && m.special_use.contains(&SpecialUse::Sent)),
        &list,
    )?;
    Ok(Passed::Yes)
}

async fn delete_removes_mailbox(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let id = create(&*session, "Old").await?;
    append(&*session, &id, 1, 1).await?;
    let handle = open(&*session, &id, OpenMode::ReadWrite).await?;
    session.delete(&id).await.step("delete(\"Old\")")?;
    expect(
        "a deleted mailbox is not listed",
        !contains_name(&names(&*session).await?, "Old"),
        names(&*session).await?,
    )?;
    expect_err(
        "lookup of a deleted mailbox",
        session.lookup("Old").await,
        &[ErrorCode::NonExistent],
    )?;
    expect_err(
        "status of a deleted mailbox",
        session.status(&id).await,
        &[ErrorCode::NonExistent],
    )?;
    expect_err(
        "open of a deleted mailbox",
        session.open(&id, OpenMode::ReadOnly).await,
        &[ErrorCode::NonExistent],
    )?;
    expect_err(
        "snapshot of a handle whose mailbox was deleted",
        handle.snapshot().await,
        &[ErrorCode::NonExistent],
    )?;
    Ok(Passed::Yes)
}

async fn delete_inbox_refused(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    expect_err(
        "delete(INBOX)",
        session.delete(&inbox).await,
        &[ErrorCode::NoPerm, ErrorCode::Cannot],
    )?;
    expect(
        "INBOX is still listed",
        contains_name(&names(&*session).await?, "INBOX"),
        names(&*session).await?,
    )?;
    Ok(Passed::Yes)
}

async fn delete_parent_keeps_children(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let parent = create(&*session, "p").await?;
    let child = create(&*session, "p/c").await?;
    append(&*session, &parent, 1, 1).await?;
    session
        .delete(&parent)
        .await
        .step("delete of a mailbox with children")?;
    let list = session.list().await.step("list")?;
    expect(
        "the deleted parent stays listed as non-selectable",
        list.iter().any(|m| m.name == "p" && !m.selectable),
        &list,
    )?;
    expect(
        "the child stays, selectable, same id",
        list.iter()
            .any(|m| m.name == "p/c" && m.selectable && m.id == child),
        &list,
    )?;
    expect_err(
        "status of the non-selectable parent",
        session.status(&parent).await,
        &[ErrorCode::NonExistent],
    )?;
    // The placeholder may have an id of its own: a deleted id stays dead.
    let placeholder = lookup(&*session, "p").await?;
    expect_err(
        "delete of a non-selectable mailbox with children",
        session.delete(&placeholder).await,
        &[ErrorCode::HasChildren],
    )?;
    session.delete(&child).await.step("delete(\"p/c\")")?;
    // A backend may drop the childless placeholder by itself, or on delete.
    match session.delete(&placeholder).await {
        Ok(()) | Err(BackendError::NonExistent) => {}
        other => other.step("delete of the childless non-selectable parent")?,
    }
    expect(
        "neither p nor p/c is listed at the end",
        !names(&*session)
            .await?
            .iter()
            .any(|n| n == "p" || n == "p/c"),
        names(&*session).await?,
    )?;
    Ok(Passed::Yes)
}

async fn create_revives_noselect_parent(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let parent = create(&*session, "p").await?;
    create(&*session, "p/c").await?;
    session.delete(&parent).await.step("delete(\"p\")")?;
    let id = create(&*session, "p").await?;
    let list = session.list().await.step("list")?;
    expect(
        "create over a non-selectable parent makes it selectable",
        list.iter()
            .any(|m| m.name == "p" && m.selectable && m.id == id),
        &list,
    )?;
    session
        .status(&id)
        .await
        .step("status of the revived mailbox")?;
    Ok(Passed::Yes)
}

async fn recreated_mailbox_gets_new_uidvalidity(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let first = create(&*session, "X").await?;
    append(&*session, &first, 1, 2).await?;
    let before = session.status(&first).await.step("status")?;
    session.delete(&first).await.step("delete")?;
    let second = create(&*session, "X").await?;
    let after = session.status(&second).await.step("status")?;
    expect(
        "a recreated mailbox gets a new id",
        second != first,
        (&first, &second),
    )?;
    expect(
        "a recreated mailbox gets a new UIDVALIDITY (RFC 9051 §2.3.1.1)",
        after.uidvalidity != before.uidvalidity,
        (before.uidvalidity, after.uidvalidity),
    )?;
    Ok(Passed::Yes)
}

async fn rename_moves_children(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let parent = create(&*session, "r").await?;
    let child = create(&*session, "r/s").await?;
    append(&*session, &child, 1, 1).await?;
    session.rename(&parent, "t").await.step("rename(r, t)")?;
    let names = names(&*session).await?;
    expect(
        "after rename(r, t): t and t/s listed, r and r/s not",
        contains_name(&names, "t")
            && contains_name(&names, "t/s")
            && !contains_name(&names, "r")
            && !contains_name(&names, "r/s"),
        &names,
    )?;
    expect_eq(
        "id of the renamed mailbox",
        lookup(&*session, "t").await?,
        parent,
    )?;
    expect_eq(
        "id of the moved child",
        lookup(&*session, "t/s").await?,
        child.clone(),
    )?;
    let status = session.status(&child).await.step("status(t/s)")?;
    expect_eq("messages of the moved child", status.messages, 1)?;
    Ok(Passed::Yes)
}

async fn rename_moves_subscriptions(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let parent = create(&*session, "r").await?;
    create(&*session, "r/s").await?;
    create(&*session, "rx").await?;
    for name in ["r", "r/s", "rx"] {
        session.subscribe(name).await.step("subscribe")?;
    }
    session.rename(&parent, "t").await.step("rename(r, t)")?;
    let mut subs = session.subscriptions().await.step("subscriptions")?;
    subs.sort();
    expect_eq(
        "subscriptions after rename(r, t) (rx is no child of r)",
        subs,
        vec!["rx".to_string(), "t".into(), "t/s".into()],
    )?;
    Ok(Passed::Yes)
}

async fn rename_keeps_messages_and_uidvalidity(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let id = create(&*session, "r").await?;
    let uids = append(&*session, &id, 1, 2).await?;
    let handle = open(&*session, &id, OpenMode::ReadWrite).await?;
    let before = session.status(&id).await.step("status")?;
    session.rename(&id, "q/r").await.step("rename(r, q/r)")?;
    let after = session.status(&id).await.step("status")?;
    expect_eq(
        "UIDVALIDITY after rename",
        after.uidvalidity,
        before.uidvalidity,
    )?;
    expect_eq("messages after rename", after.messages, before.messages)?;
    expect_eq("UIDNEXT after rename", after.uidnext, before.uidnext)?;
    expect(
        "rename(r, q/r) creates the parent q",
        contains_name(&names(&*session).await?, "q"),
        names(&*session).await?,
    )?;
    let snap = snapshot(&*handle).await?;
    expect_eq(
        "UIDs seen by a handle opened before the rename",
        uids_of(&snap),
        uids,
    )?;
    Ok(Passed::Yes)
}

async fn rename_to_existing_refused(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let a = create(&*session, "a").await?;
    create(&*session, "b").await?;
    expect_err(
        "rename(a, b) with b existing",
        session.rename(&a, "b").await,
        &[ErrorCode::AlreadyExists],
    )?;
    expect_err(
        "rename(a, INBOX)",
        session.rename(&a, "INBOX").await,
        &[ErrorCode::AlreadyExists],
    )?;
    expect_eq("a keeps its name", lookup(&*session, "a").await?, a)?;
    Ok(Passed::Yes)
}

async fn rename_into_own_child_refused(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let a = create(&*session, "a").await?;
    expect_err(
        "rename(a, a/b)",
        session.rename(&a, "a/b").await,
        &[ErrorCode::Cannot],
    )?;
    expect_eq("a keeps its name", lookup(&*session, "a").await?, a)?;
    Ok(Passed::Yes)
}

async fn rename_inbox_moves_messages(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    create(&*session, "INBOX/kid").await?;
    let uids = append(&*session, &inbox, 1, 2).await?;
    session
        .rename(&inbox, "Old")
        .await
        .step("rename(INBOX, Old)")?;
    expect_eq(
        "INBOX keeps its id",
        lookup(&*session, "INBOX").await?,
        inbox.clone(),
    )?;
    let status = session.status(&inbox).await.step("status(INBOX)")?;
    expect_eq("messages left in INBOX", status.messages, 0)?;
    let names = names(&*session).await?;
    expect(
        "INBOX's children stay: INBOX/kid listed, Old/kid not",
        contains_name(&names, "INBOX/kid") && !contains_name(&names, "Old/kid"),
        &names,
    )?;
    let old = lookup(&*session, "Old").await?;
    let handle = open(&*session, &old, OpenMode::ReadOnly).await?;
    let snap = snapshot(&*handle).await?;
    expect_eq("messages moved to Old", snap.messages.len(), 2)?;
    for (n, meta) in snap.messages.iter().enumerate() {
        let body = handle.fetch_message(meta.uid).await.step("fetch in Old")?;
        expect_eq(
            "body of a message moved by rename",
            body,
            raw_message(n + 1),
        )?;
    }
    let next = append_one(&*session, &inbox, 3, &[]).await?;
    let max = uids.iter().copied().max().unwrap_or(0);
    let after = session.status(&inbox).await.step("status(INBOX)")?;
    expect(
        "a message appended to INBOX afterwards reuses no UID (or UIDVALIDITY changed)",
        next > max || after.uidvalidity != status.uidvalidity,
        (next, &uids),
    )?;
    Ok(Passed::Yes)
}

async fn subscriptions_round_trip(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    create(&*session, "A").await?;
    create(&*session, "B").await?;
    for name in ["A", "B", "A", "NoSuch"] {
        session
            .subscribe(name)
            .await
            .step(&format!("subscribe({name:?})"))?;
    }
    let mut subs = session.subscriptions().await.step("subscriptions")?;
    subs.sort();
    expect_eq(
        "subscriptions (idempotent, non-existent names allowed)",
        subs,
        vec!["A".to_string(), "B".into(), "NoSuch".into()],
    )?;
    session.unsubscribe("A").await.step("unsubscribe(\"A\")")?;
    session
        .unsubscribe("Never")
        .await
        .step("unsubscribe(\"Never\")")?;
    let mut subs = session.subscriptions().await.step("subscriptions")?;
    subs.sort();
    expect_eq(
        "subscriptions after unsubscribe",
        subs,
        vec!["B".to_string(), "NoSuch".into()],
    )?;
    Ok(Passed::Yes)
}

// ---- append ---------------------------------------------------------------

async fn append_assigns_ascending_uids(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let mut uids = Vec::new();
    for n in 1..=3 {
        uids.push(append_one(&*session, &inbox, n, &[]).await?);
    }
    let batch = session
        .append(&inbox, vec![message(4, &[]), message(5, &[])])
        .await
        .step("append of two messages")?;
    uids.extend(&batch.uids);
    expect(
        "UIDs strictly ascend across appends",
        strictly_ascending(&uids),
        &uids,
    )?;
    let status = session.status(&inbox).await.step("status")?;
    expect_eq(
        "APPENDUID's UIDVALIDITY",
        batch.uidvalidity,
        status.uidvalidity,
    )?;
    expect(
        "UIDNEXT is above every assigned UID",
        uids.iter().all(|&u| u < status.uidnext),
        (status.uidnext, &uids),
    )?;
    let handle = open(&*session, &inbox, OpenMode::ReadOnly).await?;
    let snap = snapshot(&*handle).await?;
    expect_eq("snapshot UIDs, sorted", uids_of(&snap), uids)?;
    Ok(Passed::Yes)
}

async fn append_keeps_bytes_flags_date(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let given = [Flag::Seen, Flag::Keyword("$Forwarded".into())];
    let uid = append_one(&*session, &inbox, 7, &given).await?;
    let handle = open(&*session, &inbox, OpenMode::ReadOnly).await?;
    let snap = snapshot(&*handle).await?;
    let meta = snap
        .messages
        .iter()
        .find(|m| m.uid == uid)
        .ok_or_else(|| fail("the appended message in the snapshot", format!("{snap:?}")))?;
    expect_eq(
        "flags of the appended message",
        meta.flags.clone(),
        flags(&given),
    )?;
    expect_eq(
        "internal date of the appended message",
        meta.internal_date,
        date(7),
    )?;
    let body = raw_message(7);
    expect_eq("size of the appended message", meta.size, body.len() as u64)?;
    expect_eq(
        "bytes of the appended message",
        handle.fetch_message(uid).await.step("fetch")?,
        body.clone(),
    )?;
    expect_eq(
        "bytes fetched again",
        handle.fetch_message(uid).await.step("fetch")?,
        body,
    )?;
    Ok(Passed::Yes)
}

async fn append_to_missing_mailbox_fails(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let gone = create(&*session, "Gone").await?;
    session.delete(&gone).await.step("delete")?;
    expect_err(
        "append to a deleted mailbox",
        session.append(&gone, vec![message(1, &[])]).await,
        &[ErrorCode::NonExistent],
    )?;
    let unknown = MailboxId::new("no-such-id-42").step("MailboxId::new")?;
    expect_err(
        "append to an unknown id",
        session.append(&unknown, vec![message(1, &[])]).await,
        &[ErrorCode::NonExistent],
    )?;
    Ok(Passed::Yes)
}

async fn multiappend_visible_together(ctx: Ctx) -> Outcome {
    let writer = ctx.login().await?;
    let reader = ctx.login().await?;
    let inbox = lookup(&*writer, "INBOX").await?;
    let handle = open(&*reader, &inbox, OpenMode::ReadWrite).await?;
    let point = snapshot(&*handle).await?.sync_point();
    let result = writer
        .append(&inbox, (1..=3).map(|n| message(n, &[])).collect())
        .await
        .step("append of three messages")?;
    expect(
        "three ascending UIDs",
        result.uids.len() == 3 && strictly_ascending(&result.uids),
        &result,
    )?;
    let changes = handle.changes_since(point).await.step("changes_since")?;
    let added: Vec<u32> = changes.added.iter().map(|m| m.uid).collect();
    expect_eq("messages another session sees added", added, result.uids)?;
    Ok(Passed::Yes)
}

async fn multiappend_all_or_nothing(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let Some(limit) = session.append_limit() else {
        return Ok(Passed::Skipped(
            "no append_limit(), so no way to make one message of a batch fail".into(),
        ));
    };
    let Some(big) = usize::try_from(limit)
        .ok()
        .filter(|&l| l < 64 << 20)
        .map(|l| l + 1)
    else {
        return Ok(Passed::Skipped(format!(
            "append_limit() {limit} is too large to exceed in a test"
        )));
    };
    let inbox = lookup(&*session, "INBOX").await?;
    let before = session.status(&inbox).await.step("status")?;
    let too_big = AppendMessage::new(Flags::new(), date(2), Bytes::from(vec![b'x'; big]));
    expect_err(
        "append of [small, over append_limit()]",
        session.append(&inbox, vec![message(1, &[]), too_big]).await,
        &[ErrorCode::TooBig],
    )?;
    let after = session.status(&inbox).await.step("status")?;
    expect_eq(
        "messages after a failed multi-append",
        after.messages,
        before.messages,
    )?;
    Ok(Passed::Yes)
}

// ---- uids, expunge, modseq -----------------------------------------------

async fn uids_never_reused(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let first = append(&*session, &inbox, 1, 3).await?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    let last = first[2];
    store(&*handle, &[last], StoreOp::Add, &[Flag::Deleted]).await?;
    expect_eq(
        "expunge()",
        handle.expunge(None).await.step("expunge")?,
        vec![last],
    )?;
    let next = append_one(&*session, &inbox, 4, &[]).await?;
    expect(
        "a new UID is above the expunged one",
        next > last,
        (next, last),
    )?;
    let all = [first[0], first[1], next];
    store(&*handle, &all, StoreOp::Add, &[Flag::Deleted]).await?;
    handle.expunge(None).await.step("expunge")?;
    let after_empty = append_one(&*session, &inbox, 5, &[]).await?;
    expect(
        "after emptying the mailbox, a new UID is still above all before",
        after_empty > next,
        (after_empty, next),
    )?;
    Ok(Passed::Yes)
}

async fn expunge_only_deleted(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let uids = append(&*session, &inbox, 1, 4).await?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    store(&*handle, &uids[1..3], StoreOp::Add, &[Flag::Deleted]).await?;
    let some = handle
        .expunge(Some(&uids[0..2]))
        .await
        .step("expunge(Some)")?;
    expect_eq(
        "expunge(Some([u1, u2])) with u2, u3 \\Deleted",
        some,
        vec![uids[1]],
    )?;
    let rest = handle.expunge(None).await.step("expunge(None)")?;
    expect_eq("expunge(None) then", rest, vec![uids[2]])?;
    expect_eq(
        "UIDs left",
        uids_of(&snapshot(&*handle).await?),
        vec![uids[0], uids[3]],
    )?;
    expect_eq(
        "expunge(None) again",
        handle.expunge(None).await.step("expunge")?,
        vec![],
    )?;
    Ok(Passed::Yes)
}

/// Checks that `snap` has a higher modseq than `last` (and that the message
/// `changed` carries it), then moves `last` up.
fn grew(what: &str, snap: &Snapshot, changed: Option<u32>, last: &mut u64) -> Result<(), Failure> {
    expect(
        &format!("highest modseq grows after {what}"),
        snap.highest_modseq > *last,
        (*last, snap.highest_modseq),
    )?;
    if let Some(uid) = changed {
        let meta = snap.messages.iter().find(|m| m.uid == uid);
        expect(
            &format!("the message changed by {what} carries the new highest modseq"),
            meta.is_some_and(|m| m.modseq == snap.highest_modseq),
            (meta, snap.highest_modseq),
        )?;
    }
    *last = snap.highest_modseq;
    Ok(())
}

async fn modseq_grows_on_every_change(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    let mut last = snapshot(&*handle).await?.highest_modseq;
    expect(
        "HIGHESTMODSEQ is at least 1 (RFC 7162 mod-sequence-value)",
        last >= 1,
        last,
    )?;
    let uid = append_one(&*session, &inbox, 1, &[]).await?;
    grew("append", &snapshot(&*handle).await?, Some(uid), &mut last)?;
    let result = store(&*handle, &[uid], StoreOp::Add, &[Flag::Seen]).await?;
    let snap = snapshot(&*handle).await?;
    grew("store +\\Seen", &snap, Some(uid), &mut last)?;
    expect_eq(
        "modseq returned by store",
        result.updated.first().map(|u| u.modseq),
        Some(snap.highest_modseq),
    )?;
    store(&*handle, &[uid], StoreOp::Remove, &[Flag::Seen]).await?;
    grew(
        "store -\\Seen",
        &snapshot(&*handle).await?,
        Some(uid),
        &mut last,
    )?;
    store(&*handle, &[uid], StoreOp::Remove, &[Flag::Seen]).await?;
    let snap = snapshot(&*handle).await?;
    expect_eq(
        "highest modseq after a store that changes nothing",
        snap.highest_modseq,
        last,
    )?;
    store(&*handle, &[uid], StoreOp::Add, &[Flag::Deleted]).await?;
    grew(
        "store +\\Deleted",
        &snapshot(&*handle).await?,
        Some(uid),
        &mut last,
    )?;
    handle.expunge(None).await.step("expunge")?;
    grew("expunge", &snapshot(&*handle).await?, None, &mut last)?;
    Ok(Passed::Yes)
}

async fn store_operations(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let uid = append_one(&*session, &inbox, 1, &[Flag::Seen]).await?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    let label = Flag::Keyword("$Label1".into());
    let cases: [(StoreOp, Vec<Flag>, Vec<Flag>); 4] = [
        (
            StoreOp::Add,
            vec![Flag::Flagged, label.clone()],
            vec![Flag::Seen, Flag::Flagged, label],
        ),
        (
            StoreOp::Remove,
            vec![Flag::Seen, Flag::Keyword("$label1".into())],
            vec![Flag::Flagged],
        ),
        (
            StoreOp::Replace,
            vec![Flag::Draft, Flag::Answered],
            vec![Flag::Draft, Flag::Answered],
        ),
        (StoreOp::Replace, vec![], vec![]),
    ];
    for (op, given, want) in cases {
        let result = handle
            .store(&[uid, uid + 1000], op, &given, None)
            .await
            .step("store")?;
        let got: Vec<(u32, Flags)> = result
            .updated
            .iter()
            .map(|u| (u.uid, u.flags.clone()))
            .collect();
        expect_eq(
            &format!("store {op:?} {given:?} result (unknown UID skipped)"),
            got,
            vec![(uid, flags(&want))],
        )?;
        let snap = snapshot(&*handle).await?;
        expect_eq(
            "flags in the snapshot",
            snap.messages[0].flags.clone(),
            flags(&want),
        )?;
    }
    Ok(Passed::Yes)
}

async fn store_unchanged_since(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let a = append_one(&*session, &inbox, 1, &[]).await?;
    let b = append_one(&*session, &inbox, 2, &[]).await?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    let snap = snapshot(&*handle).await?;
    let modseq_a = snap.messages[0].modseq;
    let result = handle
        .store(&[a, b], StoreOp::Add, &[Flag::Seen], Some(modseq_a))
        .await
        .step("store with unchanged_since")?;
    expect_eq(
        "messages failing UNCHANGEDSINCE ([MODIFIED])",
        result.modified.clone(),
        vec![b],
    )?;
    let updated: Vec<u32> = result.updated.iter().map(|u| u.uid).collect();
    expect_eq("messages updated", updated, vec![a])?;
    let snap = snapshot(&*handle).await?;
    expect_eq(
        "\\Seen after the conditional store",
        snap.messages
            .iter()
            .map(|m| m.flags.is_seen())
            .collect::<Vec<_>>(),
        vec![true, false],
    )?;
    let modseq_b = snap.messages[1].modseq;
    let result = handle
        .store(&[b], StoreOp::Add, &[Flag::Seen], Some(modseq_b))
        .await
        .step("store with unchanged_since = its modseq")?;
    expect_eq(
        "failing messages when unchanged_since = modseq",
        result.modified,
        vec![],
    )?;
    let snap = snapshot(&*handle).await?;
    expect(
        "b is \\Seen now",
        snap.messages[1].flags.is_seen(),
        &snap.messages[1],
    )?;
    Ok(Passed::Yes)
}

// ---- change log -------------------------------------------------------------

/// Three messages, a handle of session A at a sync point, then session B
/// adds one, flags the first and expunges the second.
async fn change_scenario(
    ctx: &Ctx,
) -> Result<
    (
        Box<dyn Mailbox>,
        crate::backend::SyncPoint,
        [u32; 4],
        Box<dyn Session>,
    ),
    Failure,
> {
    let a = ctx.login().await?;
    let b = ctx.login().await?;
    let inbox = lookup(&*a, "INBOX").await?;
    let uids = append(&*a, &inbox, 1, 3).await?;
    let handle = open(&*a, &inbox, OpenMode::ReadWrite).await?;
    let point = snapshot(&*handle).await?.sync_point();
    let added = append_one(&*b, &inbox, 4, &[]).await?;
    let other = open(&*b, &inbox, OpenMode::ReadWrite).await?;
    store(&*other, &[uids[0]], StoreOp::Add, &[Flag::Flagged]).await?;
    store(&*other, &[uids[1]], StoreOp::Add, &[Flag::Deleted]).await?;
    other
        .expunge(Some(&[uids[1]]))
        .await
        .step("expunge by session B")?;
    Ok((handle, point, [uids[0], uids[1], uids[2], added], b))
}

fn change_summary(changes: &Changes) -> (Vec<u32>, Vec<(u32, Flags)>, Vec<u32>) {
    (
        changes.added.iter().map(|m| m.uid).collect(),
        changes
            .updated
            .iter()
            .map(|u| (u.uid, u.flags.clone()))
            .collect(),
        changes.expunged.iter().map(|e| e.uid).collect(),
    )
}

async fn changes_since_sees_other_sessions(ctx: Ctx) -> Outcome {
    let (handle, point, [u1, u2, _, u4], b) = change_scenario(&ctx).await?;
    let changes = handle.changes_since(point).await.step("changes_since")?;
    expect_eq(
        "(added, flag updates, expunged) seen by session A",
        change_summary(&changes),
        (vec![u4], vec![(u1, flags(&[Flag::Flagged]))], vec![u2]),
    )?;
    expect(
        "tombstone and update modseqs are above the sync point and at most the highest",
        changes
            .expunged
            .iter()
            .map(|e| e.modseq)
            .chain(changes.updated.iter().map(|u| u.modseq))
            .all(|m| m > point.modseq && m <= changes.highest_modseq),
        &changes,
    )?;
    let status = b.status(handle.id()).await.step("status")?;
    expect_eq(
        "highest modseq of the changes vs STATUS",
        changes.highest_modseq,
        status.highest_modseq,
    )?;
    expect_eq(
        "UIDNEXT of the changes vs STATUS",
        changes.uidnext,
        status.uidnext,
    )?;
    let again = handle
        .changes_since(changes.sync_point())
        .await
        .step("changes_since(new point)")?;
    expect("nothing new after catching up", again.is_empty(), &again)?;
    Ok(Passed::Yes)
}

async fn changes_since_is_repeatable(ctx: Ctx) -> Outcome {
    let (handle, point, _, _b) = change_scenario(&ctx).await?;
    let first = handle.changes_since(point).await.step("changes_since")?;
    let second = handle
        .changes_since(point)
        .await
        .step("changes_since again")?;
    expect_eq(
        "the same point asked twice",
        change_summary(&second),
        change_summary(&first),
    )?;
    Ok(Passed::Yes)
}

async fn changes_since_snapshot_is_empty(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    append(&*session, &inbox, 1, 2).await?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    let snap = snapshot(&*handle).await?;
    let changes = handle
        .changes_since(snap.sync_point())
        .await
        .step("changes_since")?;
    expect(
        "no changes right after a snapshot",
        changes.is_empty(),
        &changes,
    )?;
    expect_eq(
        "highest modseq",
        changes.highest_modseq,
        snap.highest_modseq,
    )?;
    Ok(Passed::Yes)
}

// ---- \Recent ------------------------------------------------------------------

async fn recent_claimed_by_one_session(ctx: Ctx) -> Outcome {
    let a = ctx.login().await?;
    let b = ctx.login().await?;
    let c = ctx.login().await?;
    let inbox = lookup(&*a, "INBOX").await?;
    let handle_a = open(&*a, &inbox, OpenMode::ReadWrite).await?;
    let handle_b = open(&*b, &inbox, OpenMode::ReadWrite).await?;
    let point_a = snapshot(&*handle_a).await?.sync_point();
    let point_b = snapshot(&*handle_b).await?.sync_point();
    let uid = append_one(&*c, &inbox, 1, &[]).await?;
    let seen_a = handle_a
        .changes_since(point_a)
        .await
        .step("changes_since (A)")?;
    let seen_b = handle_b
        .changes_since(point_b)
        .await
        .step("changes_since (B)")?;
    let recent = |c: &Changes| {
        c.added
            .iter()
            .map(|m| (m.uid, m.recent))
            .collect::<Vec<_>>()
    };
    expect_eq(
        "added for A, the first to look (uid, recent)",
        recent(&seen_a),
        vec![(uid, true)],
    )?;
    expect_eq(
        "added for B, the second (uid, recent)",
        recent(&seen_b),
        vec![(uid, false)],
    )?;
    let late = open(&*c, &inbox, OpenMode::ReadWrite).await?;
    let snap = snapshot(&*late).await?;
    expect(
        "a later SELECT does not see it as recent",
        snap.messages.iter().all(|m| !m.recent),
        &snap,
    )?;
    Ok(Passed::Yes)
}

async fn recent_count(session: &dyn Session, id: &MailboxId) -> Result<u32, Failure> {
    session.status(id).await.map(|s| s.recent).step("status")
}

async fn recent_not_claimed_by_examine_or_status(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    append_one(&*session, &inbox, 1, &[]).await?;
    expect_eq(
        "STATUS RECENT after append",
        recent_count(&*session, &inbox).await?,
        1,
    )?;
    expect_eq(
        "STATUS RECENT asked again",
        recent_count(&*session, &inbox).await?,
        1,
    )?;
    let examine = open(&*session, &inbox, OpenMode::ReadOnly).await?;
    let snap = snapshot(&*examine).await?;
    expect(
        "EXAMINE shows unclaimed messages as \\Recent",
        snap.messages.iter().all(|m| m.recent),
        &snap,
    )?;
    let changes = examine
        .changes_since(crate::backend::SyncPoint::default())
        .await
        .step("changes_since on a read-only handle")?;
    expect(
        "a read-only handle shows unclaimed messages as \\Recent",
        changes.added.iter().all(|m| m.recent),
        &changes,
    )?;
    expect_eq(
        "STATUS RECENT after EXAMINE",
        recent_count(&*session, &inbox).await?,
        1,
    )?;
    let select = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    let snap = snapshot(&*select).await?;
    expect(
        "SELECT claims \\Recent",
        snap.messages.iter().all(|m| m.recent),
        &snap,
    )?;
    expect_eq(
        "STATUS RECENT after SELECT claimed it",
        recent_count(&*session, &inbox).await?,
        0,
    )?;
    Ok(Passed::Yes)
}

// ---- copy and move ------------------------------------------------------------

async fn copy_reports_uid_pairs(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let u1 = append_one(&*session, &inbox, 1, &[]).await?;
    let u2 = append_one(
        &*session,
        &inbox,
        2,
        &[Flag::Seen, Flag::Keyword("$Work".into())],
    )
    .await?;
    append_one(&*session, &inbox, 3, &[]).await?;
    let dest = create(&*session, "Dest").await?;
    let existing = append_one(&*session, &dest, 9, &[]).await?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    let result = handle
        .copy_to(&[u1, u2, u2 + 1000], &dest)
        .await
        .step("copy_to(Dest)")?;
    let status = session.status(&dest).await.step("status(Dest)")?;
    expect_eq(
        "COPYUID's UIDVALIDITY",
        result.uidvalidity,
        status.uidvalidity,
    )?;
    let sources: Vec<u32> = result.uids.iter().map(|p| p.0).collect();
    let targets: Vec<u32> = result.uids.iter().map(|p| p.1).collect();
    expect_eq(
        "source UIDs copied (unknown skipped)",
        sources,
        vec![u1, u2],
    )?;
    expect(
        "destination UIDs ascend, above the existing message",
        strictly_ascending(&targets) && targets.iter().all(|&t| t > existing),
        (&targets, existing),
    )?;
    expect_eq("messages in Dest", status.messages, 3)?;
    expect_eq("unclaimed \\Recent in Dest", status.recent, 3)?;
    let source = snapshot(&*handle).await?;
    let dest_handle = open(&*session, &dest, OpenMode::ReadOnly).await?;
    let copies = snapshot(&*dest_handle).await?;
    for &(from, to) in &result.uids {
        let original = source.messages.iter().find(|m| m.uid == from);
        let copy = copies.messages.iter().find(|m| m.uid == to);
        let (Some(original), Some(copy)) = (original, copy) else {
            return Err(fail(
                "both original and copy exist",
                format!("{from} -> {to}"),
            ));
        };
        expect_eq("flags of the copy", &copy.flags, &original.flags)?;
        expect_eq(
            "internal date of the copy",
            copy.internal_date,
            original.internal_date,
        )?;
        expect_eq(
            "bytes of the copy",
            dest_handle.fetch_message(to).await.step("fetch copy")?,
            handle.fetch_message(from).await.step("fetch original")?,
        )?;
    }
    expect_eq("messages left in the source", source.messages.len(), 3)?;
    Ok(Passed::Yes)
}

async fn copy_to_missing_mailbox_fails(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let uid = append_one(&*session, &inbox, 1, &[]).await?;
    let gone = create(&*session, "Gone").await?;
    session.delete(&gone).await.step("delete")?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    expect_err(
        "copy_to a deleted mailbox",
        handle.copy_to(&[uid], &gone).await,
        &[ErrorCode::NonExistent],
    )?;
    expect_err(
        "move_to a deleted mailbox",
        handle.move_to(&[uid], &gone).await,
        &[ErrorCode::NonExistent],
    )?;
    expect_eq(
        "the message stays",
        uids_of(&snapshot(&*handle).await?),
        vec![uid],
    )?;
    Ok(Passed::Yes)
}

async fn move_reports_uid_pairs(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let uids = append(&*session, &inbox, 1, 3).await?;
    let dest = create(&*session, "Dest").await?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    let point = snapshot(&*handle).await?.sync_point();
    let result = handle
        .move_to(&[uids[0], uids[2]], &dest)
        .await
        .step("move_to(Dest)")?;
    let sources: Vec<u32> = result.uids.iter().map(|p| p.0).collect();
    expect_eq("source UIDs moved", sources, vec![uids[0], uids[2]])?;
    expect_eq(
        "UIDs left in the source",
        uids_of(&snapshot(&*handle).await?),
        vec![uids[1]],
    )?;
    let changes = handle.changes_since(point).await.step("changes_since")?;
    let expunged: Vec<u32> = changes.expunged.iter().map(|e| e.uid).collect();
    expect_eq(
        "tombstones left by the move",
        expunged,
        vec![uids[0], uids[2]],
    )?;
    let dest_handle = open(&*session, &dest, OpenMode::ReadOnly).await?;
    let moved = snapshot(&*dest_handle).await?;
    let targets: Vec<u32> = result.uids.iter().map(|p| p.1).collect();
    expect_eq("UIDs in Dest", uids_of(&moved), targets.clone())?;
    for (n, uid) in [(1, targets[0]), (3, targets[1])] {
        expect_eq(
            "bytes of a moved message",
            dest_handle.fetch_message(uid).await.step("fetch")?,
            raw_message(n),
        )?;
    }
    expect_err(
        "move_to the same mailbox",
        handle.move_to(&[uids[1]], &inbox).await,
        &[ErrorCode::Cannot],
    )?;
    Ok(Passed::Yes)
}

// ---- handles ----------------------------------------------------------------

async fn read_only_handle_refuses_changes(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let uid = append_one(&*session, &inbox, 1, &[Flag::Deleted]).await?;
    let dest = create(&*session, "Dest").await?;
    let handle = open(&*session, &inbox, OpenMode::ReadOnly).await?;
    expect_eq("mode()", handle.mode(), OpenMode::ReadOnly)?;
    expect_err(
        "store on a read-only handle",
        handle
            .store(&[uid], StoreOp::Add, &[Flag::Seen], None)
            .await,
        &[ErrorCode::NoPerm],
    )?;
    expect_err(
        "expunge on a read-only handle",
        handle.expunge(None).await,
        &[ErrorCode::NoPerm],
    )?;
    expect_err(
        "move_to from a read-only handle",
        handle.move_to(&[uid], &dest).await,
        &[ErrorCode::NoPerm],
    )?;
    let snap = snapshot(&*handle).await?;
    expect_eq("the message is untouched", snap.messages.len(), 1)?;
    expect_eq(
        "its flags are untouched",
        snap.messages[0].flags.clone(),
        flags(&[Flag::Deleted]),
    )?;
    Ok(Passed::Yes)
}

async fn fetch_expunged_fails(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let uid = append_one(&*session, &inbox, 1, &[Flag::Deleted]).await?;
    let handle = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    handle.expunge(None).await.step("expunge")?;
    expect_err(
        "fetch of an expunged message",
        handle.fetch_message(uid).await,
        &[ErrorCode::ExpungeIssued, ErrorCode::NonExistent],
    )?;
    expect_err(
        "fetch of a UID never assigned",
        handle.fetch_message(uid + 1000).await,
        &[ErrorCode::NonExistent, ErrorCode::ExpungeIssued],
    )?;
    Ok(Passed::Yes)
}

/// The bytes `range` names of `whole`, cut to its bounds as
/// [`Mailbox::fetch_range`] promises.
fn expected_range(whole: &Bytes, range: std::ops::Range<u64>) -> Bytes {
    let len = whole.len() as u64;
    let end = range.end.min(len);
    let start = range.start.min(end);
    whole.slice(start as usize..end as usize)
}

async fn fetch_range_agrees_with_message(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let crlf = raw_message(4);
    // Bare LF line ends, as an MTA writes them: a backend that serves them
    // as CRLF must cut the ranges out of what it serves.
    let bare_lf = Bytes::from_static(b"Subject: bare LF\n\nline one\nline two\n");
    // Larger than one read of a backend that buffers, and not a round size.
    let large = Bytes::from(
        (0..20_000)
            .map(|n| format!("line {n:05} of a large body\r\n"))
            .collect::<String>(),
    );
    let fits = |raw: &Bytes| {
        session
            .append_limit()
            .is_none_or(|limit| raw.len() as u64 <= limit)
    };
    let messages = [crlf, bare_lf, large]
        .into_iter()
        .filter(fits)
        .map(|raw| AppendMessage::new(Flags::new(), date(4), raw))
        .collect();
    let uids = session.append(&inbox, messages).await.step("append")?.uids;
    let handle = open(&*session, &inbox, OpenMode::ReadOnly).await?;
    for uid in uids {
        let whole = handle.fetch_message(uid).await.step("fetch_message")?;
        let len = whole.len() as u64;
        let ranges = [
            0..len,
            0..0,
            0..1,
            3..17,
            len / 3..len / 2,
            len - 1..len,
            len - 5..len + 10,
            len..len + 5,
            len + 5..len + 10,
            std::ops::Range { start: 17, end: 3 },
            0..u64::MAX,
        ];
        for range in ranges {
            let part = handle
                .fetch_range(uid, range.clone())
                .await
                .step(&format!("fetch_range({uid}, {range:?})"))?;
            let expected = expected_range(&whole, range.clone());
            if part != expected {
                return Err(fail(
                    format!(
                        "fetch_range({uid}, {range:?}) gives those bytes of fetch_message \
                         ({} bytes of a {len}-byte message)",
                        expected.len()
                    ),
                    format!("{} other bytes", part.len()),
                ));
            }
        }
    }
    let gone = append_one(&*session, &inbox, 5, &[Flag::Deleted]).await?;
    let writer = open(&*session, &inbox, OpenMode::ReadWrite).await?;
    writer.expunge(None).await.step("expunge")?;
    expect_err(
        "fetch_range of an expunged message",
        handle.fetch_range(gone, 0..10).await,
        &[ErrorCode::ExpungeIssued, ErrorCode::NonExistent],
    )?;
    expect_err(
        "fetch_range of a UID never assigned",
        handle.fetch_range(gone + 1000, 0..10).await,
        &[ErrorCode::NonExistent, ErrorCode::ExpungeIssued],
    )?;
    Ok(Passed::Yes)
}

async fn metadata_cache_round_trip(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    let uid = append_one(&*session, &inbox, 1, &[]).await?;
    let handle = open(&*session, &inbox, OpenMode::ReadOnly).await?;
    let meta = Bytes::from_static(b"engine metadata v1");
    handle
        .store_metadata(uid, meta.clone())
        .await
        .step("store_metadata")?;
    let cached = handle.cached_metadata(uid).await.step("cached_metadata")?;
    expect(
        "cached_metadata is what was stored, or nothing",
        cached.as_ref().is_none_or(|c| *c == meta),
        &cached,
    )?;
    let unknown = handle
        .cached_metadata(uid + 1000)
        .await
        .step("cached_metadata(unknown)")?;
    expect_eq("cached_metadata of an unknown UID", unknown, None)?;
    Ok(Passed::Yes)
}

async fn status_counts(ctx: Ctx) -> Outcome {
    let session = ctx.login().await?;
    let inbox = lookup(&*session, "INBOX").await?;
    append_one(&*session, &inbox, 1, &[Flag::Seen]).await?;
    append_one(&*session, &inbox, 2, &[Flag::Seen, Flag::Deleted]).await?;
    let last = append_one(&*session, &inbox, 3, &[]).await?;
    let status = session.status(&inbox).await.step("status")?;
    let size: u64 = (1..=3).map(|n| raw_message(n).len() as u64).sum();
    expect_eq(
        "(messages, unseen, deleted, size)",
        (status.messages, status.unseen, status.deleted, status.size),
        (3, 1, 1, size),
    )?;
    expect(
        "UIDNEXT is above the last UID",
        status.uidnext > last,
        (status.uidnext, last),
    )?;
    let handle = open(&*session, &inbox, OpenMode::ReadOnly).await?;
    let snap = snapshot(&*handle).await?;
    expect_eq(
        "(uidvalidity, uidnext, highest modseq) of STATUS vs snapshot",
        (status.uidvalidity, status.uidnext, status.highest_modseq),
        (snap.uidvalidity, snap.uidnext, snap.highest_modseq),
    )?;
    Ok(Passed::Yes)
}

async fn concurrent_appends(ctx: Ctx) -> Outcome {
    const EACH: usize = 20;
    let inbox = lookup(&*ctx.login().await?, "INBOX").await?;
    let mut tasks = Vec::new();
    for writer in 0..2 {
        let session = ctx.login().await?;
        let inbox = inbox.clone();
        tasks.push(tokio::spawn(async move {
            let mut uids = Vec::with_capacity(EACH);
            for n in 0..EACH {
                let result = session
                    .append(&inbox, vec![message(writer * EACH + n, &[])])
                    .await?;
                uids.extend(result.uids);
                tokio::task::yield_now().await;
            }
            Ok::<_, BackendError>(uids)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        let uids = task
            .await
            .map_err(|e| fail("the writer task finishes", format!("{e:?}")))?
            .step("concurrent append")?;
        expect(
            "each writer sees its UIDs ascend",
            strictly_ascending(&uids),
            &uids,
        )?;
        all.extend(uids);
    }
    all.sort_unstable();
    expect("no UID given twice", strictly_ascending(&all), &all)?;
    let session = ctx.login().await?;
    let handle = open(&*session, &inbox, OpenMode::ReadOnly).await?;
    expect_eq(
        "snapshot after concurrent appends",
        uids_of(&snapshot(&*handle).await?),
        all,
    )?;
    Ok(Passed::Yes)
}
