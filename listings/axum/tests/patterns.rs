//! The "Patterns" part of the book, against the live stack: a decision point, retries with
//! backoff, a batch import (`killed_worker.rs` kills its worker). Each test would fail if
//! Tasker stopped doing what the chapter says it does.

use std::collections::BTreeMap;

use axum_quickstart::tasker::Step;
use chrono::NaiveDateTime;
use serde_json::{Value, json};
use tokio::sync::OnceCell;
use uuid::Uuid;

mod common;

use common::tasks::{charge, import, imported, run};
use common::{App, env, orchestration_url, spawn_app};

/// The app with its worker (it serves `patterns_rs`), shared by the tests that need no
/// worker of their own.
async fn app() -> &'static App {
    static APP: OnceCell<App> = OnceCell::const_new();
    APP.get_or_init(|| async {
        tokio::task::spawn_blocking(|| spawn_app(&[]))
            .await
            .unwrap()
    })
    .await
}

fn names(steps: &BTreeMap<String, Step>) -> Vec<&str> {
    steps.keys().map(String::as_str).collect()
}

#[tokio::test]
async fn a_decision_creates_only_the_branch_it_names() {
    app().await;
    for (total_cents, branch, by) in [
        (2_499, "auto_approve", "rules"),
        (99_999, "auto_approve", "rules"),
        (100_000, "manual_review", "review queue"),
        (250_000, "manual_review", "review queue"),
    ] {
        let context = json!({ "order_id": Uuid::new_v4(), "total_cents": total_cents });
        let (_, status, steps) = run("order_review", context, "order_id").await;
        assert_eq!(status, "complete", "{total_cents}: {steps:?}");
        let mut want = vec!["assess_order", branch, "confirm_order", "route_order"];
        want.sort();
        assert_eq!(
            names(&steps),
            want,
            "{total_cents} cents: the steps Tasker created"
        );
        let confirmed = steps["confirm_order"].result().unwrap();
        assert_eq!(confirmed["approved_by"], by, "{total_cents}: {confirmed}");
    }
}

/// When each attempt of the step started, from the step's own transitions.
async fn attempt_starts(step_uuid: Uuid) -> Vec<NaiveDateTime> {
    let db = sqlx::PgPool::connect(&env("DATABASE_URL")).await.unwrap();
    sqlx::query_scalar(
        "SELECT created_at FROM tasker.workflow_step_transitions \
         WHERE workflow_step_uuid = $1 AND to_state = 'in_progress' ORDER BY created_at",
    )
    .bind(step_uuid)
    .fetch_all(&db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_retryable_failure_is_retried_after_a_growing_backoff() {
    app().await;
    let payment_id = Uuid::new_v4();
    let context = json!({ "payment_id": payment_id, "amount_cents": 2_499, "processor_failures": 2 });
    let (task_uuid, status, steps) = run("card_payment", context, "payment_id").await;
    assert_eq!(status, "complete");
    assert_eq!(
        charge(payment_id).await,
        Some((2_499, task_uuid, 3)),
        "the app's charge: on the third attempt"
    );
    let charge = &steps["charge_card"];
    assert_eq!(charge.attempts, 3);
    assert_eq!(charge.result().unwrap()["attempt"], 3);
    let starts = attempt_starts(charge.step_uuid).await;
    assert_eq!(starts.len(), 3, "three attempts: {starts:?}");
    let gaps: Vec<i64> = starts
        .windows(2)
        .map(|w| (w[1] - w[0]).num_milliseconds())
        .collect();
    // Tasker 0.1.8 waits 2^attempts seconds after a failure (its SQL fallback; the
    // template's backoff_base_ms is not used), so at least 2 s, then at least 4 s.
    assert!(
        gaps[0] >= 2_000 && gaps[1] >= 4_000,
        "gaps between attempts: {gaps:?} ms"
    );
}

#[tokio::test]
async fn a_step_out_of_attempts_blocks_its_task_and_stays_out_of_the_dlq() {
    app().await;
    let payment_id = Uuid::new_v4();
    let context = json!({ "payment_id": payment_id, "amount_cents": 2_499, "processor_failures": 3 });
    let (task_uuid, status, steps) = run("card_payment", context, "payment_id").await;
    assert_eq!(status, "blocked_by_failures");
    assert_eq!(
        charge(payment_id).await,
        None,
        "no charge for a payment out of attempts"
    );
    let charge = &steps["charge_card"];
    assert_eq!(
        (charge.current_state.as_str(), charge.attempts),
        ("error", 3)
    );
    let error = &charge.results.as_ref().unwrap()["error"]["message"];
    assert_eq!(error, "attempt 3: the card processor did not answer");
    assert_eq!(steps["send_receipt"].current_state, "pending");
    let dlq: Value = reqwest::get(format!("{}/v1/dlq", orchestration_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = dlq
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["task_uuid"] == json!(task_uuid));
    assert!(
        !listed,
        "Tasker 0.1.8 does not put a task out of attempts in the DLQ"
    );
}

#[tokio::test]
async fn a_payment_asked_for_again_is_charged_once() {
    app().await;
    let payment_id = Uuid::new_v4();
    let context = json!({ "payment_id": payment_id, "amount_cents": 2_499, "processor_failures": 0 });
    let (first_task, status, _) =
        run("card_payment", context.clone(), "payment_id").await;
    assert_eq!(status, "complete");
    // A second task for the same payment, as an operator asks for one after a stalled
    // task; its context says what it retries, or Tasker would refuse it as the same task.
    let mut again = context;
    again["retry_of"] = json!(first_task);
    let (_, status, steps) = run("card_payment", again, "retry_of").await;
    assert_eq!(status, "complete");
    let result = steps["charge_card"].result().unwrap();
    assert_eq!(
        result["charged_by_task"],
        json!(first_task),
        "the second task found the first one's charge: {result}"
    );
    assert_eq!(charge(payment_id).await, Some((2_499, first_task, 1)));
}

#[tokio::test]
async fn a_batch_import_runs_one_step_per_batch_and_lands_every_row_once() {
    app().await;
    let import_id = Uuid::new_v4();
    let (_, status, steps) = run("stock_import", import(import_id, 1), "import_id").await;
    assert_eq!(status, "complete");
    let batches: Vec<&str> = names(&steps)
        .into_iter()
        .filter(|n| n.starts_with("import_batch_"))
        .collect();
    assert_eq!(
        batches,
        [
            "import_batch_001",
            "import_batch_002",
            "import_batch_003",
            "import_batch_004",
            "import_batch_005"
        ]
    );
    assert_eq!(
        steps["finish_import"].result().unwrap(),
        &json!({ "rows": 5_000, "writes": 5_000, "batches": 5 })
    );
    assert_eq!(imported(import_id).await, (5_000, 5_000));
}
