//! The backend contract of imapkit-server's test kit, run against the
//! memory backend.

use std::sync::Arc;

use imapkit_memory::MemoryBackend;
use imapkit_server::testkit::{run_contract, Outcome};
use imapkit_server::Backend;

fn fresh() -> Arc<dyn Backend> {
    let backend = MemoryBackend::new();
    backend.add_user("alice", "wonderland");
    backend.add_user("bob", "builder");
    Arc::new(backend)
}

#[tokio::test]
async fn memory_backend_keeps_the_contract() {
    let report = run_contract(fresh, "alice", "wonderland").await;
    report.assert_all_passed();
    assert!(report.results.len() >= 40, "every check ran:\n{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract_holds_on_a_multi_threaded_runtime() {
    let report = run_contract(fresh, "bob", "builder").await;
    report.assert_all_passed();
}

#[tokio::test]
async fn multiappend_atomicity_is_checked_with_an_append_limit() {
    let report = run_contract(
        || {
            let backend = MemoryBackend::new();
            backend.add_user("alice", "wonderland");
            backend.set_append_limit(Some(4096));
            Arc::new(backend)
        },
        "alice",
        "wonderland",
    )
    .await;
    report.assert_all_passed();
    let check = report
        .get("multiappend_all_or_nothing")
        .expect("the check exists");
    assert_eq!(check.outcome, Outcome::Passed, "{report}");
}
