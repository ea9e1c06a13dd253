//! Focused tests of the memory backend's own behaviour, beyond the contract.

use std::sync::Arc;

use bytes::Bytes;
use imapkit_memory::MemoryBackend;
use imapkit_proto::Secret;
use imapkit_server::backend::{
    AppendMessage, AuthError, BackendError, ConnectionInfo, Credentials, Flag, Flags, InternalDate,
    MailboxId, OpenMode, StoreOp, SyncPoint,
};
use imapkit_server::{Backend, Session};

async fn login(backend: &MemoryBackend, user: &str, password: &str) -> Box<dyn Session> {
    backend
        .authenticate(
            &Credentials::password(user, password),
            &ConnectionInfo::default(),
        )
        .await
        .expect("login")
}

fn message(text: &str) -> AppendMessage {
    AppendMessage::new(
        Flags::new(),
        InternalDate::now(),
        Bytes::from(format!("Subject: {text}\r\n\r\n{text}\r\n")),
    )
}

async fn inbox(session: &dyn Session) -> MailboxId {
    session.lookup("INBOX").await.expect("INBOX").id
}

#[tokio::test]
async fn users_from_a_passwd_file() {
    let backend = MemoryBackend::from_passwd_file_str(
        "# test users\nalice:{PLAIN}one\nbob:{PLAIN}two:1000:1000::/home/bob::\n",
    )
    .expect("valid file");
    login(&backend, "alice", "one").await;
    login(&backend, "bob", "two").await;
    let wrong = backend
        .authenticate(
            &Credentials::password("bob", "one"),
            &ConnectionInfo::default(),
        )
        .await;
    assert!(matches!(wrong, Err(AuthError::Rejected)));
    let err = MemoryBackend::from_passwd_file_str("alice:{MD5}x").expect_err("unsupported scheme");
    assert_eq!(err.line, 1);
}

#[tokio::test]
async fn changing_a_password_keeps_the_mail() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "old");
    let session = login(&backend, "alice", "old").await;
    let id = inbox(&*session).await;
    session
        .append(&id, vec![message("kept")])
        .await
        .expect("append");
    backend.add_user("alice", "new");
    let again = login(&backend, "alice", "new").await;
    assert_eq!(again.status(&id).await.expect("status").messages, 1);
    let old = backend
        .authenticate(
            &Credentials::password("alice", "old"),
            &ConnectionInfo::default(),
        )
        .await;
    assert!(matches!(old, Err(AuthError::Rejected)));
}

#[tokio::test]
async fn users_are_isolated() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a").add_user("bob", "b");
    let alice = login(&backend, "alice", "a").await;
    let bob = login(&backend, "bob", "b").await;
    alice.create("Private", &[]).await.expect("create");
    let id = inbox(&*alice).await;
    alice
        .append(&id, vec![message("for alice")])
        .await
        .expect("append");
    assert!(bob.lookup("Private").await.is_err());
    // Ids are per user: bob's INBOX may have the same id, never the same mail.
    let bob_inbox = inbox(&*bob).await;
    assert_eq!(bob.status(&bob_inbox).await.expect("status").messages, 0);
}

#[tokio::test]
async fn authzid_and_bearer_tokens_are_refused() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a").add_user("bob", "b");
    let as_bob = Credentials::Password {
        authzid: Some("bob".into()),
        username: "alice".into(),
        password: Secret::new("a".into()),
    };
    let result = backend
        .authenticate(&as_bob, &ConnectionInfo::default())
        .await;
    assert!(matches!(result, Err(AuthError::AuthorizationFailed)));
    let as_self = Credentials::Password {
        authzid: Some("alice".into()),
        username: "alice".into(),
        password: Secret::new("a".into()),
    };
    assert!(backend
        .authenticate(&as_self, &ConnectionInfo::default())
        .await
        .is_ok());
    let bearer = Credentials::Bearer {
        username: Some("alice".into()),
        token: Secret::new("token".into()),
    };
    let result = backend
        .authenticate(&bearer, &ConnectionInfo::default())
        .await;
    assert!(matches!(result, Err(AuthError::Unsupported)));
    assert!(!backend.supports_bearer_tokens());
}

#[tokio::test]
async fn debug_shows_no_password() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "hunter2");
    let session = login(&backend, "alice", "hunter2").await;
    let shown = format!("{backend:?} {session:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[tokio::test]
async fn fetch_and_copy_share_the_bytes() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a");
    let session = login(&backend, "alice", "a").await;
    let id = inbox(&*session).await;
    let body = Bytes::from_static(b"Subject: shared\r\n\r\nbody\r\n");
    let appended = AppendMessage::new(Flags::new(), InternalDate::now(), body.clone());
    let uid = session
        .append(&id, vec![appended])
        .await
        .expect("append")
        .uids[0];
    let mailbox = session.open(&id, OpenMode::ReadWrite).await.expect("open");
    let fetched = mailbox.fetch_message(uid).await.expect("fetch");
    assert_eq!(fetched.as_ptr(), body.as_ptr(), "a fetch must not copy");
    let dest = session.create("Copies", &[]).await.expect("create");
    let copied = mailbox.copy_to(&[uid], &dest).await.expect("copy");
    let other = session.open(&dest, OpenMode::ReadOnly).await.expect("open");
    let copy = other
        .fetch_message(copied.uids[0].1)
        .await
        .expect("fetch copy");
    assert_eq!(copy.as_ptr(), body.as_ptr(), "a copy shares the bytes");
}

#[tokio::test]
async fn metadata_is_cached_and_travels_with_copies() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a");
    let session = login(&backend, "alice", "a").await;
    let id = inbox(&*session).await;
    let uid = session
        .append(&id, vec![message("m")])
        .await
        .expect("append")
        .uids[0];
    let mailbox = session.open(&id, OpenMode::ReadOnly).await.expect("open");
    assert_eq!(mailbox.cached_metadata(uid).await.expect("cache"), None);
    let meta = Bytes::from_static(b"parsed");
    mailbox
        .store_metadata(uid, meta.clone())
        .await
        .expect("store metadata");
    let second = session.open(&id, OpenMode::ReadOnly).await.expect("open");
    assert_eq!(
        second.cached_metadata(uid).await.expect("cache"),
        Some(meta.clone())
    );
    let dest = session.create("Dest", &[]).await.expect("create");
    let copied = mailbox
        .copy_to(&[uid], &dest)
        .await
        .expect("copy from EXAMINE");
    let target = session.open(&dest, OpenMode::ReadOnly).await.expect("open");
    assert_eq!(
        target
            .cached_metadata(copied.uids[0].1)
            .await
            .expect("cache"),
        Some(meta)
    );
}

#[tokio::test]
async fn append_limit_refuses_big_messages() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a").set_append_limit(Some(10));
    let session = login(&backend, "alice", "a").await;
    assert_eq!(session.append_limit(), Some(10));
    let id = inbox(&*session).await;
    let big = AppendMessage::new(
        Flags::new(),
        InternalDate::now(),
        Bytes::from_static(b"01234567890"),
    );
    let result = session.append(&id, vec![big]).await;
    assert!(matches!(result, Err(BackendError::TooBig)));
    backend.set_append_limit(None);
    assert_eq!(session.append_limit(), None);
}

#[tokio::test]
async fn tombstones_after_the_sync_point_only() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a");
    let session = login(&backend, "alice", "a").await;
    let id = inbox(&*session).await;
    let uids = session
        .append(&id, vec![message("1"), message("2"), message("3")])
        .await
        .expect("append")
        .uids;
    let mailbox = session.open(&id, OpenMode::ReadWrite).await.expect("open");
    mailbox
        .store(&uids, StoreOp::Add, &[Flag::Deleted], None)
        .await
        .expect("store");
    mailbox.expunge(Some(&uids[..1])).await.expect("expunge");
    let middle = mailbox.snapshot().await.expect("snapshot").sync_point();
    mailbox.expunge(Some(&uids[1..2])).await.expect("expunge");
    let changes = mailbox.changes_since(middle).await.expect("changes");
    let vanished: Vec<u32> = changes.expunged.iter().map(|e| e.uid).collect();
    assert_eq!(vanished, [uids[1]]);
    let everything = mailbox
        .changes_since(SyncPoint::default())
        .await
        .expect("changes");
    let vanished: Vec<u32> = everything.expunged.iter().map(|e| e.uid).collect();
    assert_eq!(
        vanished,
        [uids[0], uids[1]],
        "QRESYNC from scratch sees every tombstone"
    );
    let added: Vec<u32> = everything.added.iter().map(|m| m.uid).collect();
    assert_eq!(added, [uids[2]]);
}

#[tokio::test]
async fn rename_inbox_leaves_tombstones_and_a_new_uidvalidity() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a");
    let session = login(&backend, "alice", "a").await;
    let id = inbox(&*session).await;
    let uids = session
        .append(&id, vec![message("1"), message("2")])
        .await
        .expect("append")
        .uids;
    let selected = session.open(&id, OpenMode::ReadWrite).await.expect("open");
    let point = selected.snapshot().await.expect("snapshot").sync_point();
    session
        .rename(&id, "Archive/2024")
        .await
        .expect("rename INBOX");
    let changes = selected.changes_since(point).await.expect("changes");
    let vanished: Vec<u32> = changes.expunged.iter().map(|e| e.uid).collect();
    assert_eq!(
        vanished, uids,
        "a client with INBOX selected sees the messages go"
    );
    let archive = session.lookup("Archive/2024").await.expect("new mailbox");
    assert_ne!(archive.id, id);
    let old = session.status(&id).await.expect("status");
    let new = session.status(&archive.id).await.expect("status");
    assert_ne!(old.uidvalidity, new.uidvalidity);
    assert_eq!(new.messages, 2);
    assert!(session.lookup("Archive").await.is_ok(), "parent created");
}

#[tokio::test]
async fn childless_placeholders_are_pruned() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a");
    let session = login(&backend, "alice", "a").await;
    let parent = session.create("a", &[]).await.expect("create");
    let child = session.create("a/b", &[]).await.expect("create");
    session.delete(&parent).await.expect("delete parent");
    assert!(!session.lookup("a").await.expect("placeholder").selectable);
    session.delete(&child).await.expect("delete child");
    assert!(
        session.lookup("a").await.is_err(),
        "placeholder pruned with its last child"
    );
}

#[tokio::test]
async fn inbox_is_case_insensitive_everywhere() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a");
    let session = login(&backend, "alice", "a").await;
    let id = inbox(&*session).await;
    assert_eq!(session.lookup("inbox").await.expect("lookup").id, id);
    assert!(matches!(
        session.create("Inbox", &[]).await,
        Err(BackendError::AlreadyExists)
    ));
    session
        .create("inbox/Sub", &[])
        .await
        .expect("create child");
    assert!(session.lookup("INBOX/Sub").await.is_ok());
    session.subscribe("iNbOx").await.expect("subscribe");
    assert_eq!(session.subscriptions().await.expect("subs"), ["INBOX"]);
}

#[tokio::test]
async fn invalid_names_are_refused() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a");
    let session = login(&backend, "alice", "a").await;
    for name in ["", "a//b", "/a", "a/", "bell\u{7}"] {
        let result = session.create(name, &[]).await;
        assert!(
            matches!(result, Err(BackendError::Cannot(_))),
            "{name:?}: {result:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_copies_in_both_directions_do_not_deadlock() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a");
    let session = login(&backend, "alice", "a").await;
    let a = session.create("A", &[]).await.expect("create");
    let b = session.create("B", &[]).await.expect("create");
    session
        .append(&a, vec![message("a")])
        .await
        .expect("append");
    session
        .append(&b, vec![message("b")])
        .await
        .expect("append");
    let backend = Arc::new(backend);
    let mut tasks = Vec::new();
    for (from, to) in [(a.clone(), b.clone()), (b.clone(), a.clone())] {
        let session = login(&backend, "alice", "a").await;
        tasks.push(tokio::spawn(async move {
            let mailbox = session
                .open(&from, OpenMode::ReadWrite)
                .await
                .expect("open");
            for _ in 0..200 {
                mailbox.copy_to(&[1], &to).await.expect("copy");
            }
        }));
    }
    for task in tasks {
        task.await.expect("copier");
    }
    assert_eq!(session.status(&a).await.expect("status").messages, 201);
    assert_eq!(session.status(&b).await.expect("status").messages, 201);
}

#[tokio::test]
async fn unsorted_uid_lists_are_sorted_first() {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "a");
    let session = login(&backend, "alice", "a").await;
    let id = inbox(&*session).await;
    let uids = session
        .append(&id, vec![message("1"), message("2"), message("3")])
        .await
        .expect("append")
        .uids;
    let mailbox = session.open(&id, OpenMode::ReadWrite).await.expect("open");
    mailbox
        .store(&uids, StoreOp::Add, &[Flag::Deleted], None)
        .await
        .expect("store");
    let dest = session.create("Dest", &[]).await.expect("create");
    let copied = mailbox
        .copy_to(&[uids[2], uids[0], uids[2]], &dest)
        .await
        .expect("copy");
    let sources: Vec<u32> = copied.uids.iter().map(|p| p.0).collect();
    assert_eq!(sources, [uids[0], uids[2]]);
    let expunged = mailbox
        .expunge(Some(&[uids[2], uids[0]]))
        .await
        .expect("expunge");
    assert_eq!(expunged, [uids[0], uids[2]]);
}
