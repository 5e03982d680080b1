//! Creating the patterns' tasks and reading what they did, for the tests that run them.

use std::collections::BTreeMap;

use axum_quickstart::tasker::{
    MAX_WAIT, POLL_INTERVAL, Step, TaskRequest, TaskerApi, WaitError,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{app_database_url, orchestration_url};

pub fn tasker() -> TaskerApi {
    TaskerApi::new(orchestration_url())
}

/// The namespace of the patterns' templates, as `listings/axum/templates` names it.
pub const NAMESPACE: &str = "patterns_rs";

pub fn request(name: &str, context: Value) -> TaskRequest {
    TaskRequest {
        name: name.into(),
        namespace: NAMESPACE.into(),
        version: "1.0.0".into(),
        context,
        initiator: "patterns tests".into(),
        source_system: "tests".into(),
        reason: "a pattern".into(),
    }
}

/// Creates the task, waits for it to stop, and returns its status and steps by name.
pub async fn run(
    name: &str,
    context: Value,
    key: &str,
) -> (Uuid, String, BTreeMap<String, Step>) {
    run_request(&request(name, context), key).await
}

pub async fn run_request(
    request: &TaskRequest,
    key: &str,
) -> (Uuid, String, BTreeMap<String, Step>) {
    let task = tasker().create_task(request, key).await.unwrap();
    let status = match tasker()
        .wait_for_task_completion(task.task_uuid, MAX_WAIT, POLL_INTERVAL)
        .await
    {
        Ok(done) => done.status,
        Err(WaitError::Failed { status, .. }) => status,
        Err(e) => panic!("{e}"),
    };
    let steps = tasker().get_task_steps(task.task_uuid).await.unwrap();
    let steps = steps.into_iter().map(|s| (s.name.clone(), s)).collect();
    (task.task_uuid, status, steps)
}

pub async fn app_db() -> sqlx::PgPool {
    sqlx::PgPool::connect(&app_database_url()).await.unwrap()
}

/// Rows imported for `import_id`, and how many times they were written.
pub async fn imported(import_id: Uuid) -> (i64, i64) {
    sqlx::query_as("SELECT count(*), coalesce(sum(writes), 0) FROM stock_levels WHERE import_id = $1")
        .bind(import_id)
        .fetch_one(&app_db().await)
        .await
        .unwrap()
}

/// The app's charge of `payment_id`, if any: amount, the task that made it, its attempt.
pub async fn charge(payment_id: Uuid) -> Option<(i64, Uuid, i32)> {
    sqlx::query_as(
        "SELECT amount_cents, task_uuid, attempt FROM charges WHERE payment_id = $1",
    )
    .bind(payment_id)
    .fetch_optional(&app_db().await)
    .await
    .unwrap()
}

pub fn import(import_id: Uuid, run: u32) -> Value {
    json!({ "import_id": import_id, "row_count": 5_000, "run": run })
}
