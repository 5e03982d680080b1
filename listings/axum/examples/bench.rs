//! Latency of the quickstart workflows, measured through the app's own API and polling helper.
//! Run by scripts/bench-quickstarts (which starts the stack and the app first).
//!
//!   cargo run --example bench -- [APP_URL] [TASKS] [LABEL]
//!
//! Any app with this book's API works: scripts/bench-quickstarts runs it against the Axum,
//! FastAPI and Bun apps.

use std::time::Instant;

use axum_quickstart::tasker::{MAX_WAIT, POLL_INTERVAL, TaskerApi};
use serde_json::{Value, json};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn p90(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 * 0.9).ceil() as usize).saturating_sub(1)]
}

async fn run(
    app: &str,
    tasker: &TaskerApi,
    path: &str,
    body: Value,
    tasks: usize,
) -> (Vec<f64>, Vec<f64>) {
    let http = reqwest::Client::new();
    let (mut latency, mut gap) = (Vec::new(), Vec::new());
    for _ in 0..tasks {
        let started = Instant::now();
        let created: Value = http
            .post(format!("{app}{path}"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let uuid = created["task_uuid"]
            .as_str()
            .expect("task_uuid")
            .parse()
            .unwrap();
        tasker
            .wait_for_task_completion(uuid, MAX_WAIT, POLL_INTERVAL)
            .await
            .unwrap();
        let observed_at = chrono::Utc::now();
        latency.push(started.elapsed().as_secs_f64() * 1000.0);
        // When did the last step finish, according to Tasker?
        let steps = tasker.get_task_steps(uuid).await.unwrap();
        let last = steps
            .iter()
            .filter_map(|s| s.completed_at.as_deref())
            .filter_map(|t| {
                chrono::DateTime::parse_from_rfc3339(t)
                    .map(|d| d.with_timezone(&chrono::Utc))
                    .or_else(|_| {
                        chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                            .map(|n| n.and_utc())
                    })
                    .ok()
            })
            .max()
            .expect("completed_at on steps");
        gap.push((observed_at - last).num_microseconds().unwrap() as f64 / 1000.0);
    }
    (latency, gap)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let app = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:3001".into());
    let tasks: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10);
    let label = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "axum, Rust worker".into());
    let tasker = TaskerApi::new(
        std::env::var("ORCHESTRATION_URL")
            .unwrap_or_else(|_| "http://127.0.0.1:8080".into()),
    );
    let order = json!({ "customer_email": "bench@example.com",
                        "cart_items": [{ "sku": "W", "name": "W", "quantity": 2, "unit_price": "9.50" }] });
    let job =
        json!({ "source": "bench", "date_from": "2026-11-01", "date_to": "2026-11-03" });
    println!(
        "{:<34} {:>6} {:>12} {:>12} {:>22}",
        format!("workflow ({label})"),
        "tasks",
        "median ms",
        "p90 ms",
        "last step → seen, ms"
    );
    for (name, path, body) in [
        ("ecommerce_order_processing (5)", "/orders", order),
        ("analytics_pipeline (8)", "/analytics/jobs", job),
    ] {
        let (latency, gap) = run(&app, &tasker, path, body, tasks).await;
        println!(
            "{name:<34} {tasks:>6} {:>12.0} {:>12.0} {:>22.0}",
            median(latency.clone()),
            p90(latency),
            median(gap)
        );
    }
}
