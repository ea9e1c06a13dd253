//! The backend contract of imapkit-server's test kit, run against the
//! Maildir backend in both layouts.

use std::sync::{Arc, Mutex};

use imapkit_maildir::{Layout, MaildirBackend};
use imapkit_server::backend::StoredPassword;
use imapkit_server::testkit::run_contract;
use imapkit_server::Backend;
use tempfile::TempDir;

/// Temporary Maildirs live as long as the test.
fn factory(layout: Layout, dirs: Arc<Mutex<Vec<TempDir>>>) -> impl Fn() -> Arc<dyn Backend> {
    move || {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let backend = MaildirBackend::new(layout);
        backend
            .add_user(
                "alice",
                StoredPassword::plain("wonderland"),
                dir.path().join("alice"),
            )
            .expect("a Maildir");
        dirs.lock().unwrap().push(dir);
        Arc::new(backend)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maildir_plus_plus_keeps_the_contract() {
    let dirs = Arc::default();
    let report = run_contract(
        factory(Layout::MaildirPlusPlus, dirs),
        "alice",
        "wonderland",
    )
    .await;
    report.assert_all_passed();
    assert!(report.results.len() >= 40, "every check ran:\n{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fs_layout_keeps_the_contract() {
    let dirs = Arc::default();
    let report = run_contract(factory(Layout::Fs, dirs), "alice", "wonderland").await;
    report.assert_all_passed();
}
