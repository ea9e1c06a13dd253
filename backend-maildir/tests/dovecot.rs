//! A Maildir as the reference Dovecot 2.3 wrote it (files copied from one
//! it served: LF line ends, `S=`/`W=` names, `dovecot-uidlist` v3,
//! `dovecot-keywords`, `subscriptions`), served in place; and changes made
//! by other programs while sessions run.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use imapkit_maildir::{Layout, MaildirBackend};
use imapkit_server::backend::{
    AppendMessage, ConnectionInfo, Credentials, Flag, Flags, InternalDate, MailboxInfo, OpenMode,
    StoredPassword, SyncPoint,
};
use imapkit_server::{Backend, Session};

const BODY: &str = "From: a@b.c\nSubject: hi\n\nbody\n";
const FIRST: &str = "1796281365.M676110P7271.vm,S=30,W=34";
const SECOND: &str = "1796281365.M678992P7271.vm,S=30,W=34";

/// Writes the files Dovecot left after: APPEND (\Seen $Forwarded NonJunk),
/// APPEND (\Flagged \Answered \Draft), STORE 1 +FLAGS (\Deleted),
/// CREATE Sent, Work/Projects, Entwürfe, SUBSCRIBE Sent, Work/Projects.
fn dovecot_maildir(root: &Path) {
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(root.join(sub)).unwrap();
    }
    fs::write(
        root.join("dovecot-uidlist"),
        format!("3 V1796281367 N3 G291b3b271514116b671c000083ecc375\n1 :{FIRST}\n2 :{SECOND}\n"),
    )
    .unwrap();
    fs::write(root.join("dovecot-keywords"), "0 $Forwarded\n1 NonJunk\n").unwrap();
    fs::write(root.join("subscriptions"), "V\t2\n\nSent\nWork\tProjects\n").unwrap();
    fs::write(root.join("cur").join(format!("{FIRST}:2,STab")), BODY).unwrap();
    fs::write(root.join("cur").join(format!("{SECOND}:2,DFR")), BODY).unwrap();
    for (dir, guid) in [
        (".Sent", "281b3b271514116b671c000083ecc375"),
        (".Work.Projects", "381b3b271514116b671c000083ecc375"),
        (".Entw&APw-rfe", "481b3b271514116b671c000083ecc375"),
    ] {
        for sub in ["cur", "new", "tmp"] {
            fs::create_dir_all(root.join(dir).join(sub)).unwrap();
        }
        fs::write(root.join(dir).join("maildirfolder"), "").unwrap();
        fs::write(
            root.join(dir).join("dovecot-uidlist"),
            format!("3 V1796281366 N1 G{guid}\n"),
        )
        .unwrap();
    }
}

async fn login(root: &Path) -> Box<dyn Session> {
    let backend = MaildirBackend::new(Layout::MaildirPlusPlus);
    backend
        .add_user("alice", StoredPassword::plain("secret"), root)
        .unwrap();
    let backend: Arc<dyn Backend> = Arc::new(backend);
    backend
        .authenticate(
            &Credentials::password("alice", "secret"),
            &ConnectionInfo::default(),
        )
        .await
        .unwrap()
}

fn keyword(word: &str) -> Flag {
    Flag::Keyword(word.to_string())
}

#[tokio::test]
async fn dovecots_maildir_keeps_uids_flags_names_and_subscriptions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    dovecot_maildir(root);
    let session = login(root).await;

    let mut names: Vec<String> = session
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|m| {
            format!(
                "{}{}",
                m.name,
                if m.selectable { "" } else { " (noselect)" }
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Entwürfe",
            "INBOX",
            "Sent",
            "Work (noselect)",
            "Work/Projects"
        ]
    );
    assert_eq!(
        session.subscriptions().await.unwrap(),
        ["Sent", "Work/Projects"]
    );
    let inbox = session.lookup("INBOX").await.unwrap();
    assert_eq!(inbox.id.as_str(), "291b3b271514116b671c000083ecc375");

    let mailbox = session.open(&inbox.id, OpenMode::ReadWrite).await.unwrap();
    let snapshot = mailbox.snapshot().await.unwrap();
    assert_eq!(snapshot.uidvalidity, 1_796_281_367);
    assert_eq!(snapshot.uidnext, 3);
    let uids: Vec<u32> = snapshot.messages.iter().map(|m| m.uid).collect();
    assert_eq!(uids, [1, 2]);
    let first = &snapshot.messages[0];
    let expected: Flags = [
        Flag::Seen,
        Flag::Deleted,
        keyword("$Forwarded"),
        keyword("NonJunk"),
    ]
    .into_iter()
    .collect();
    assert_eq!(first.flags, expected);
    assert_eq!(first.size, 34, "RFC822.SIZE is W=, with CRLF");
    let second: Flags = [Flag::Draft, Flag::Flagged, Flag::Answered]
        .into_iter()
        .collect();
    assert_eq!(snapshot.messages[1].flags, second);
    assert_eq!(
        mailbox.fetch_message(1).await.unwrap(),
        BODY.replace('\n', "\r\n").as_bytes()
    );

    // A new message gets UID 3, recorded as Dovecot reads it.
    let appended = session
        .append(
            &inbox.id,
            vec![AppendMessage::new(
                [keyword("NonJunk"), keyword("$label1")]
                    .into_iter()
                    .collect(),
                InternalDate::now(),
                Bytes::from_static(b"Subject: new\r\n\r\nx\r\n"),
            )],
        )
        .await
        .unwrap();
    assert_eq!(appended.uidvalidity, 1_796_281_367);
    assert_eq!(appended.uids, [3]);
    let uidlist = fs::read_to_string(root.join("dovecot-uidlist")).unwrap();
    let last = uidlist.lines().last().unwrap();
    assert!(last.starts_with("3 :"), "{uidlist}");
    let keywords = fs::read_to_string(root.join("dovecot-keywords")).unwrap();
    assert_eq!(keywords, "0 $Forwarded\n1 NonJunk\n2 $label1\n");
    let base = last.trim_start_matches("3 :");
    assert!(root.join("cur").join(format!("{base}:2,bc")).exists());

    // Dovecot's names were not touched; expunging removes the file.
    mailbox
        .store(
            &[1],
            imapkit_server::backend::StoreOp::Add,
            &[Flag::Deleted],
            None,
        )
        .await
        .unwrap();
    assert_eq!(mailbox.expunge(None).await.unwrap(), [1]);
    assert!(!root.join("cur").join(format!("{FIRST}:2,STab")).exists());
    assert!(root.join("cur").join(format!("{SECOND}:2,DFR")).exists());

    // After a restart (a new backend), UIDs and UIDVALIDITY are the same.
    drop(mailbox);
    let again = login(root).await;
    let mailbox = again.open(&inbox.id, OpenMode::ReadOnly).await.unwrap();
    let snapshot = mailbox.snapshot().await.unwrap();
    let uids: Vec<u32> = snapshot.messages.iter().map(|m| m.uid).collect();
    assert_eq!(
        (snapshot.uidvalidity, uids, snapshot.uidnext),
        (1_796_281_367, vec![2, 3], 4)
    );
}

#[tokio::test]
async fn changes_by_other_programs_are_seen() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    dovecot_maildir(root);
    let session = login(root).await;
    let inbox = session.lookup("INBOX").await.unwrap();
    let mailbox = session.open(&inbox.id, OpenMode::ReadWrite).await.unwrap();
    let since = mailbox.snapshot().await.unwrap().sync_point();

    // An MTA delivers (tmp/ then new/), mutt marks a message read (a
    // rename), another program deletes one.
    fs::write(root.join("tmp").join("1796290000.P1.mta"), BODY).unwrap();
    fs::rename(
        root.join("tmp").join("1796290000.P1.mta"),
        root.join("new").join("1796290000.P1.mta"),
    )
    .unwrap();
    fs::rename(
        root.join("cur").join(format!("{SECOND}:2,DFR")),
        root.join("cur").join(format!("{SECOND}:2,DFRS")),
    )
    .unwrap();
    fs::remove_file(root.join("cur").join(format!("{FIRST}:2,STab"))).unwrap();

    let changes = mailbox.changes_since(since).await.unwrap();
    assert_eq!(changes.added.len(), 1);
    assert_eq!(changes.added[0].uid, 3);
    assert!(changes.added[0].recent, "delivered mail is \\Recent");
    assert_eq!(changes.added[0].size, 34);
    assert_eq!(changes.updated.len(), 1);
    assert!(changes.updated[0].flags.contains(&Flag::Seen));
    let expunged: Vec<u32> = changes.expunged.iter().map(|e| e.uid).collect();
    assert_eq!(expunged, [1]);
    // Delivered mail moved to cur/ with its UID in the list.
    assert!(root.join("cur").join("1796290000.P1.mta:2,").exists());
    let uidlist = fs::read_to_string(root.join("dovecot-uidlist")).unwrap();
    assert!(uidlist.contains("3 :1796290000.P1.mta"), "{uidlist}");
    // Asking again from the new point finds nothing.
    let point = changes.sync_point();
    assert!(mailbox.changes_since(point).await.unwrap().is_empty());
    assert_ne!(point, SyncPoint::default());
}

/// Copies the directory `from` to `to` with everything in it, as `cp -r`.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Dovecot's Maildir with one message in Sent, logged in; Sent's info.
async fn with_a_sent_message(root: &Path) -> (Box<dyn Session>, MailboxInfo) {
    dovecot_maildir(root);
    let message = root
        .join(".Sent")
        .join("cur")
        .join("1796281400.M1P1.vm:2,S");
    fs::write(message, BODY).unwrap();
    let session = login(root).await;
    let sent = session.lookup("Sent").await.unwrap();
    (session, sent)
}

/// A folder copied whole carries its original's GUID; the copy gets its
/// own, so deleting the copy never reaches the original, open or not.
#[tokio::test]
async fn a_copied_folder_gets_its_own_id() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (session, sent) = with_a_sent_message(root).await;
    let open = session.open(&sent.id, OpenMode::ReadWrite).await.unwrap();
    assert_eq!(open.snapshot().await.unwrap().messages.len(), 1);
    // "Archive" sorts before "Sent", "Sent2" after; both are copies.
    copy_dir(&root.join(".Sent"), &root.join(".Archive"));
    copy_dir(&root.join(".Sent"), &root.join(".Sent2"));
    let list = session.list().await.unwrap();
    let mut ids: Vec<&str> = list.iter().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), list.len(), "every id names one folder: {list:?}");
    let id_of = |name: &str| list.iter().find(|m| m.name == name).unwrap().id.clone();
    assert_eq!(id_of("Sent"), sent.id, "the open folder keeps its id");
    for copy in ["Archive", "Sent2"] {
        assert_ne!(id_of(copy), sent.id);
        session.delete(&id_of(copy)).await.unwrap();
    }
    assert_eq!(open.snapshot().await.unwrap().messages.len(), 1);
    let sent_dir = root.join(".Sent").join("cur");
    assert_eq!(fs::read_dir(sent_dir).unwrap().count(), 1, "Sent's mail");
    // A later copy: the original keeps its GUID again.
    drop(open);
    copy_dir(&root.join(".Sent"), &root.join(".Sent3"));
    let list = session.list().await.unwrap();
    let id_of = |name: &str| list.iter().find(|m| m.name == name).unwrap().id.clone();
    assert_eq!(id_of("Sent"), sent.id);
    assert_ne!(id_of("Sent3"), sent.id);
    session.delete(&id_of("Sent3")).await.unwrap();
    assert!(root.join(".Sent").join("cur").is_dir());
}

/// A folder another program renamed is found under its new name, with its
/// id and mail, though a session had it open under the old one.
#[tokio::test]
async fn a_folder_renamed_by_another_program_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (session, sent) = with_a_sent_message(root).await;
    drop(session.open(&sent.id, OpenMode::ReadWrite).await.unwrap());
    fs::rename(root.join(".Sent"), root.join(".Old")).unwrap();
    let old = session.lookup("Old").await.unwrap();
    assert_eq!(old.id, sent.id, "the GUID went with the directory");
    let mailbox = session.open(&old.id, OpenMode::ReadWrite).await.unwrap();
    let snapshot = mailbox.snapshot().await.unwrap();
    assert_eq!(snapshot.messages.len(), 1);
    let body = mailbox
        .fetch_message(snapshot.messages[0].uid)
        .await
        .unwrap();
    assert_eq!(body, BODY.replace('\n', "\r\n"));
}

#[tokio::test]
async fn maildir_without_uidlist_numbers_by_delivery_time() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(root.join(sub)).unwrap();
    }
    // As mbsync or an MTA leave them: no uidlist, no S=/W=.
    for (name, text) in [("300.b", "c\n"), ("100.x:2,S", "a\n"), ("200.y", "b\n")] {
        let sub = if name.contains(':') { "cur" } else { "new" };
        fs::write(root.join(sub).join(name), text).unwrap();
    }
    let session = login(root).await;
    let inbox = session.lookup("INBOX").await.unwrap();
    let mailbox = session.open(&inbox.id, OpenMode::ReadOnly).await.unwrap();
    let snapshot = mailbox.snapshot().await.unwrap();
    let mut bodies = Vec::new();
    for message in &snapshot.messages {
        bodies.push(mailbox.fetch_message(message.uid).await.unwrap());
    }
    assert_eq!(bodies, ["a\r\n", "b\r\n", "c\r\n"]);
    let uids: Vec<u32> = snapshot.messages.iter().map(|m| m.uid).collect();
    assert_eq!(uids, [1, 2, 3]);
    assert!(snapshot.messages.iter().all(|m| m.size == 3));
}

#[tokio::test]
async fn keywords_beyond_26_modseqs_and_metadata_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let session = login(root).await;
    let inbox = session.lookup("INBOX").await.unwrap().id;
    let words: Vec<Flag> = (0..30).map(|i| keyword(&format!("k{i}"))).collect();
    session
        .append(
            &inbox,
            vec![AppendMessage::new(
                words.iter().cloned().collect(),
                InternalDate::now(),
                Bytes::from_static(b"Subject: k\r\n\r\nx\r\n"),
            )],
        )
        .await
        .unwrap();
    let mailbox = session.open(&inbox, OpenMode::ReadWrite).await.unwrap();
    mailbox
        .store(
            &[1],
            imapkit_server::backend::StoreOp::Add,
            &[Flag::Seen],
            None,
        )
        .await
        .unwrap();
    mailbox
        .store_metadata(1, Bytes::from_static(b"parsed"))
        .await
        .unwrap();
    let before = mailbox.snapshot().await.unwrap();
    drop(mailbox);

    let again = login(root).await;
    let mailbox = again.open(&inbox, OpenMode::ReadOnly).await.unwrap();
    let after = mailbox.snapshot().await.unwrap();
    assert_eq!(after.messages[0].flags, before.messages[0].flags);
    assert_eq!(after.messages[0].flags.keywords().len(), 30);
    assert_eq!(after.messages[0].modseq, before.messages[0].modseq);
    assert_eq!(after.highest_modseq, before.highest_modseq);
    assert_eq!(
        mailbox.cached_metadata(1).await.unwrap().as_deref(),
        Some(&b"parsed"[..])
    );
    // 26 of them are letters in the file name, the rest in our index.
    let name = fs::read_dir(root.join("cur"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let name = name.file_name();
    let info = name.to_str().unwrap().rsplit_once(":2,").unwrap().1;
    assert_eq!(info, "Sabcdefghijklmnopqrstuvwxyz");
}
