//! A worker killed in the middle of a batch import, and the import finished by a second
//! run. No other worker may serve the import's namespace meanwhile, or it would go on
//! running the first run's batches beside the second's: the test gives `stock_import` a
//! namespace of its own, which only the apps it starts serve.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum_quickstart::tasker::TaskRequest;
use uuid::Uuid;

mod common;

use common::tasks::{NAMESPACE, import, imported, request, run_request, tasker};
use common::{App, orchestration_url, spawn_app};

const OWN_NAMESPACE: &str = "killed_worker_rs";

/// The app's templates, `stock_import` moved to this test's namespace.
fn templates() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("killed-worker-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir("templates").unwrap() {
        let path = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if path.file_stem().is_some_and(|s| s == "stock_import") {
            let from = format!("namespace_name: {NAMESPACE}");
            assert!(text.contains(&from), "{}: no `{from}`", path.display());
            text = text.replace(&from, &format!("namespace_name: {OWN_NAMESPACE}"));
        }
        std::fs::write(dir.join(path.file_name().unwrap()), text).unwrap();
    }
    dir
}

async fn start_app(templates: &Path) -> App {
    let templates = templates.display().to_string();
    tokio::task::spawn_blocking(move || {
        spawn_app(&[("TASKER_TEMPLATE_PATH", &templates)])
    })
    .await
    .unwrap()
}

fn import_request(import_id: Uuid, run: u32) -> TaskRequest {
    let mut request = request("stock_import", import(import_id, run));
    request.namespace = OWN_NAMESPACE.into();
    request
}

/// A worker killed in the middle of the import: Tasker 0.1.8 leaves the batches it had
/// claimed `in_progress` for good, so the import is cancelled and asked for again. The
/// second run resumes each batch at its checkpoint: every row once, none lost.
#[tokio::test]
async fn an_import_whose_worker_was_killed_finishes_on_a_second_run() {
    let templates = templates();
    let doomed = start_app(&templates).await;
    let import_id = Uuid::new_v4();
    let first = tasker()
        .create_task(&import_request(import_id, 1), "import_id")
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while imported(import_id).await.0 < 1_000 {
        assert!(Instant::now() < deadline, "the import did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    doomed.kill();
    let (rows_at_kill, _) = imported(import_id).await;
    assert!(
        rows_at_kill < 5_000,
        "the kill came too late: {rows_at_kill} rows"
    );

    // The worker comes back, as a restart would bring it.
    let _restarted = start_app(&templates).await;
    let stuck = tasker().get_task_steps(first.task_uuid).await.unwrap();
    assert!(
        stuck.iter().any(|s| s.current_state == "in_progress"),
        "{stuck:?}"
    );
    let cancelled = reqwest::Client::new()
        .delete(format!(
            "{}/v1/tasks/{}",
            orchestration_url(),
            first.task_uuid
        ))
        .send()
        .await
        .unwrap();
    assert!(
        cancelled.status().is_success(),
        "{}",
        cancelled.text().await.unwrap()
    );

    let (_, status, steps) =
        run_request(&import_request(import_id, 2), "import_id").await;
    assert_eq!(status, "complete");
    let resumed = steps
        .values()
        .filter(|s| s.result().is_some_and(|r| !r["resumed_from"].is_null()))
        .count();
    assert!(resumed > 0, "no batch resumed from a checkpoint: {steps:?}");
    assert_eq!(
        imported(import_id).await,
        (5_000, 5_000),
        "every row once, none lost"
    );
    std::fs::remove_dir_all(&templates).unwrap();
}
