//! The Axum app against the live stack (`scripts/stack up`): real HTTP, a real worker, real
//! Tasker. One app process serves every test here (one worker per namespace, as Tasker
//! expects); a second instance without a worker points at a closed port to play "Tasker is
//! down".

use std::time::{Duration, Instant};

use axum_quickstart::tasker::{POLL_INTERVAL, TaskRequest, TaskerApi, WaitError};
use serde_json::{Value, json};
use tokio::sync::OnceCell;
use uuid::Uuid;

mod common;

use common::{App, app_database_url, orchestration_url, spawn_app};

/// The app with its worker, shared by all tests.
async fn app() -> &'static str {
    static APP: OnceCell<App> = OnceCell::const_new();
    &APP.get_or_init(|| async {
        let app = tokio::task::spawn_blocking(|| spawn_app(&[]))
            .await
            .unwrap();
        prime_templates(&app.url).await;
        app
    })
    .await
    .url
}

/// One task of each template, one at a time, before the tests run in parallel. Tasker 0.1.8
/// creates a template's step rows on its first task; two first tasks at the same moment
/// collide on a unique constraint and one is answered 500 (seen on a fresh database).
async fn prime_templates(url: &str) {
    let (orders, _) = post(format!("{url}/orders"), cart(&unique_email())).await;
    let job =
        json!({ "source": "prime", "date_from": "2026-11-01", "date_to": "2026-11-01" });
    let (jobs, _) = post(format!("{url}/analytics/jobs"), job).await;
    assert!(
        orders == 201 && jobs == 201,
        "priming the templates through the app failed: {orders}, {jobs}"
    );
}

/// A second instance whose Tasker is a closed port, and which runs no worker.
async fn app_without_tasker() -> &'static str {
    static APP: OnceCell<App> = OnceCell::const_new();
    let closed = [
        ("ORCHESTRATION_URL", "http://127.0.0.1:9"),
        ("APP_WORKER", "off"),
    ];
    &APP.get_or_init(|| async {
        tokio::task::spawn_blocking(move || spawn_app(&closed))
            .await
            .unwrap()
    })
    .await
    .url
}

fn tasker() -> TaskerApi {
    TaskerApi::new(orchestration_url())
}

async fn db() -> sqlx::PgPool {
    sqlx::PgPool::connect(&app_database_url())
        .await
        .expect("connecting to example_axum")
}

async fn orders_for(email: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM orders WHERE customer_email = $1")
        .bind(email)
        .fetch_one(&db().await)
        .await
        .unwrap()
}

fn unique_email() -> String {
    format!("buyer-{}@example.com", Uuid::new_v4().simple())
}

async fn post(url: String, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn get(url: String) -> (u16, Value) {
    let r = reqwest::get(url).await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn cart(email: &str) -> Value {
    json!({
        "customer_email": email,
        "cart_items": [
            { "sku": "WIDGET-1", "name": "Widget", "quantity": 2, "unit_price": "24.99" },
            { "sku": "GADGET-7", "name": "Gadget", "quantity": 1, "unit_price": "12.50" },
            { "sku": "CABLE-3", "name": "Cable", "quantity": 3, "unit_price": "4.35" }
        ]
    })
}

/// The expected prices, worked out here in integer cents from the cart itself.
fn expected_totals(cart: &Value) -> Value {
    let items = cart["cart_items"].as_array().unwrap();
    let lines: Vec<(i64, i64)> = items
        .iter()
        .map(|i| {
            (
                i["unit_price"]
                    .as_str()
                    .unwrap()
                    .replace('.', "")
                    .parse::<i64>()
                    .unwrap(),
                i["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    let subtotal: i64 = lines.iter().map(|(p, q)| p * q).sum();
    let tax = (subtotal * 8 + 50) / 100;
    let shipping = if subtotal >= 10_000 { 0 } else { 999 };
    let total = subtotal + tax + shipping;
    json!({
        "item_count": lines.iter().map(|(_, q)| q).sum::<i64>(),
        "subtotal_cents": subtotal,
        "tax_cents": tax,
        "tax_rate_percent": 8,
        "shipping_cents": shipping,
        "total_cents": total,
        "total": format!("{}.{:02}", total / 100, total % 100),
        "line_totals_cents": lines.iter().map(|(p, q)| p * q).collect::<Vec<_>>(),
    })
}

fn uuid_of(v: &Value) -> Uuid {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a UUID: {v}"))
}

#[tokio::test]
async fn an_order_runs_all_five_steps_and_prices_the_cart() {
    let email = unique_email();
    let body = cart(&email);
    let (status, created) = post(format!("{}/orders", app().await), body.clone()).await;
    assert_eq!(status, 201, "{created}");
    let task_uuid = uuid_of(&created["task_uuid"]);

    let task = tasker()
        .wait_for_task_completion(task_uuid, Duration::from_secs(20), POLL_INTERVAL)
        .await
        .unwrap();
    assert_eq!(task.status, "complete");
    assert_eq!(task.completion_percentage, 100.0);
    assert_eq!((task.total_steps, task.completed_steps), (5, 5));

    let steps = tasker().get_task_steps(task_uuid).await.unwrap();
    let mut names: Vec<_> = steps.iter().map(|s| s.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "create_order",
            "process_payment",
            "send_confirmation",
            "update_inventory",
            "validate_cart"
        ]
    );
    assert!(
        steps.iter().all(|s| s.current_state == "complete"),
        "{steps:?}"
    );

    let want = expected_totals(&body);
    let validate = steps.iter().find(|s| s.name == "validate_cart").unwrap();
    let result = validate.result().expect("validate_cart has a result");
    for field in [
        "item_count",
        "subtotal_cents",
        "tax_cents",
        "tax_rate_percent",
        "shipping_cents",
        "total_cents",
    ] {
        assert_eq!(
            result[field], want[field],
            "validate_cart.{field} in {result}"
        );
    }
    let line_totals: Vec<Value> = result["validated_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["line_total_cents"].clone())
        .collect();
    assert_eq!(json!(line_totals), want["line_totals_cents"]);
    assert_eq!(
        created["total"], want["total"],
        "the API quotes the same total"
    );

    // Later steps used earlier results: the payment charged validate_cart's total.
    let payment = steps.iter().find(|s| s.name == "process_payment").unwrap();
    let payment = tasker()
        .get_step(task_uuid, payment.step_uuid)
        .await
        .unwrap();
    assert_eq!(
        payment.result().unwrap()["amount_charged_cents"],
        want["total_cents"]
    );

    let (_, record) = get(format!(
        "{}/orders/{}",
        app().await,
        created["id"].as_str().unwrap()
    ))
    .await;
    assert_eq!(record["task_uuid"], created["task_uuid"]);
    assert_eq!(record["status"], "submitted");
}

#[tokio::test]
async fn a_step_that_fails_retryably_runs_again_and_completes() {
    // The confirmation handler turns the first attempt for this domain away as retryable.
    let email = format!("buyer-{}@busy-relay.example", Uuid::new_v4().simple());
    let (status, created) = post(format!("{}/orders", app().await), cart(&email)).await;
    assert_eq!(status, 201, "{created}");
    let task_uuid = uuid_of(&created["task_uuid"]);

    let task = tasker()
        .wait_for_task_completion(task_uuid, Duration::from_secs(20), POLL_INTERVAL)
        .await
        .unwrap();
    assert_eq!(task.status, "complete");
    let steps = tasker().get_task_steps(task_uuid).await.unwrap();
    let attempts = |name: &str| steps.iter().find(|s| s.name == name).unwrap().attempts;
    assert_eq!(attempts("send_confirmation"), 2, "{steps:?}");
    assert_eq!(
        attempts("create_order"),
        1,
        "only the failing step runs again"
    );
}

#[tokio::test]
async fn the_analytics_extracts_run_side_by_side() {
    let (status, created) = post(
        format!("{}/analytics/jobs", app().await),
        json!({ "source": "web", "date_from": "2026-11-01", "date_to": "2026-11-07" }),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let task_uuid = uuid_of(&created["task_uuid"]);
    let task = tasker()
        .wait_for_task_completion(task_uuid, Duration::from_secs(20), POLL_INTERVAL)
        .await
        .unwrap();
    assert_eq!((task.total_steps, task.completed_steps), (8, 8));

    let steps: Vec<Value> = reqwest::get(format!(
        "{}/v1/tasks/{task_uuid}/workflow_steps",
        orchestration_url()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let extracts: Vec<&Value> = steps
        .iter()
        .filter(|s| s["name"].as_str().unwrap().starts_with("extract_"))
        .collect();
    assert_eq!(extracts.len(), 3);
    for e in &extracts {
        assert_eq!(
            e["total_parents"], 0,
            "{} should have no parents",
            e["name"]
        );
        assert_eq!(e["results"]["result"]["record_count"], 7);
    }
    // The worker runs them side by side: some extract starts before one that started
    // earlier has finished. (All three at once is the usual picture, but on a busy machine
    // the worker may pick the third up after the first is done, so that is not the claim;
    // one after another, as tasker-py runs them, is what this rules out.)
    let time = |s: &Value, f: &str| {
        chrono::DateTime::parse_from_rfc3339(s["results"]["result"][f].as_str().unwrap())
            .unwrap()
    };
    let mut windows: Vec<_> = extracts
        .iter()
        .map(|s| (time(s, "started_at"), time(s, "finished_at")))
        .collect();
    windows.sort();
    assert!(
        windows.windows(2).any(|pair| pair[1].0 < pair[0].1),
        "the extracts ran one after another: (start, finish) {windows:?}"
    );

    let insights = steps
        .iter()
        .find(|s| s["name"] == "generate_insights")
        .unwrap();
    assert_eq!(insights["total_parents"], 1);
    // The sales extract reports 20 + (day % 7) orders a day; the sum must survive
    // transform → aggregate → insights unchanged.
    let per_day: i64 = (0..7).map(|d| 20 + d % 7).sum();
    assert_eq!(
        insights["results"]["result"]["metrics"]["total_orders"],
        per_day
    );
}

/// The order once its background job has run (status no longer `queued`).
async fn settled_order(app: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, record) = get(format!("{app}/orders/{id}")).await;
        if record["status"] != "queued" {
            return record;
        }
        assert!(
            Instant::now() < deadline,
            "still queued after 10 s: {record}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_async_order_gets_its_task_in_the_background() {
    let email = unique_email();
    let (status, queued) =
        post(format!("{}/orders/async", app().await), cart(&email)).await;
    assert_eq!(status, 202, "{queued}");
    assert_eq!(queued["status"], "queued");
    let record = settled_order(app().await, queued["id"].as_str().unwrap()).await;
    assert_eq!(record["status"], "submitted", "{record}");
    let task = tasker()
        .wait_for_task_completion(
            uuid_of(&record["task_uuid"]),
            Duration::from_secs(20),
            POLL_INTERVAL,
        )
        .await
        .unwrap();
    assert_eq!(task.status, "complete");
}

#[tokio::test]
async fn an_async_order_records_why_tasker_could_not_take_it() {
    let email = unique_email();
    let (status, queued) = post(
        format!("{}/orders/async", app_without_tasker().await),
        cart(&email),
    )
    .await;
    assert_eq!(status, 202, "{queued}");
    let record =
        settled_order(app_without_tasker().await, queued["id"].as_str().unwrap()).await;
    assert_eq!(record["status"], "failed", "{record}");
    assert_eq!(record["task_uuid"], Value::Null);
    let reason = record["failure_reason"].as_str().unwrap();
    assert!(
        reason.contains("unreachable") && reason.contains("127.0.0.1:9"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_sync_order_without_tasker_is_a_503_and_stores_nothing() {
    let email = unique_email();
    let (status, body) = post(
        format!("{}/orders", app_without_tasker().await),
        cart(&email),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"], "tasker_unavailable");
    assert_eq!(
        orders_for(&email).await,
        0,
        "a failed order must leave no row behind"
    );
}

#[tokio::test]
async fn bad_input_is_a_422_with_field_errors_and_stores_nothing() {
    let email = unique_email();
    let item = json!({ "sku": "WIDGET-1", "name": "Widget", "quantity": 1, "unit_price": "5.00" });
    let cases = [
        (json!({ "cart_items": [item] }), "customer_email"),
        (
            json!({ "customer_email": "not-an-email", "cart_items": [item], "tag": email }),
            "customer_email",
        ),
        (
            json!({ "customer_email": email, "cart_items": [] }),
            "cart_items",
        ),
        (json!({ "customer_email": email }), "cart_items"),
        (
            json!({ "customer_email": email, "cart_items": [{ "sku": "A", "quantity": 0, "unit_price": "5.00" }] }),
            "cart_items[0].quantity",
        ),
        (
            json!({ "customer_email": email, "cart_items": [{ "sku": "A", "quantity": -2, "unit_price": "5.00" }] }),
            "cart_items[0].quantity",
        ),
        (
            json!({ "customer_email": email, "cart_items": [{ "sku": "A", "quantity": 1, "unit_price": "0" }] }),
            "cart_items[0].unit_price",
        ),
        (
            json!({ "customer_email": email, "cart_items": [{ "sku": "A", "quantity": 1, "unit_price": "-3.50" }] }),
            "cart_items[0].unit_price",
        ),
    ];
    for path in ["/orders", "/orders/async"] {
        for (body, field) in &cases {
            let (status, answer) =
                post(format!("{}{path}", app().await), body.clone()).await;
            assert_eq!(status, 422, "{path} {body} → {answer}");
            assert_eq!(answer["error"], "validation_failed");
            assert!(
                answer["fields"][*field].is_string(),
                "{path} {body}: no error for `{field}` in {answer}"
            );
        }
        let malformed = reqwest::Client::new()
            .post(format!("{}{path}", app().await))
            .header("content-type", "application/json")
            .body(format!(
                "{{\"customer_email\": \"{email}\", \"cart_items\": ["
            )) // cut off
            .send()
            .await
            .unwrap();
        assert_eq!(malformed.status().as_u16(), 422);
        let answer: Value = malformed.json().await.unwrap();
        assert!(answer["fields"]["body"].is_string(), "{answer}");
    }
    let (status, answer) = post(
        format!("{}/analytics/jobs", app().await),
        json!({ "source": "", "date_from": "2026-13-01", "date_to": "x" }),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    for field in ["source", "date_from", "date_to"] {
        assert!(
            answer["fields"][field].is_string(),
            "no error for {field}: {answer}"
        );
    }
    assert_eq!(
        orders_for(&email).await,
        0,
        "rejected orders must not be stored"
    );
}

#[tokio::test]
async fn the_same_idempotency_key_twice_is_a_409_not_a_second_order() {
    let email = unique_email();
    let key = format!("order-{}", Uuid::new_v4());
    let url = format!("{}/orders", app().await);
    let send = || {
        reqwest::Client::new()
            .post(&url)
            .header("Idempotency-Key", key.clone())
            .json(&cart(&email))
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status().as_u16(), 201);
    let second = send().await.unwrap();
    assert_eq!(second.status().as_u16(), 409);
    let answer: Value = second.json().await.unwrap();
    assert_eq!(answer["error"], "duplicate", "{answer}");
    assert_eq!(
        orders_for(&email).await,
        1,
        "the duplicate must not be stored"
    );
}

fn analytics_request(context: Value) -> TaskRequest {
    TaskRequest {
        name: "analytics_pipeline".into(),
        namespace: "analytics_rs".into(),
        version: "1.0.0".into(),
        context,
        initiator: "tests".into(),
        source_system: "tests".into(),
        reason: "identity check".into(),
    }
}

/// Tasker's own answer to the same request twice, and the client's: the second is a 409
/// from Tasker, and `create_task` answers it with the task the first one created.
#[tokio::test]
async fn a_request_tasker_already_accepted_is_answered_with_its_task() {
    let request = analytics_request(json!({
        "job_id": Uuid::new_v4(), "date_from": "2026-11-01", "date_to": "2026-11-01" }));
    let first = tasker().create_task(&request, "job_id").await.unwrap();
    let refused = tasker().post_task(&request).await.unwrap_err();
    assert!(
        matches!(refused, axum_quickstart::tasker::TaskerError::Duplicate(_)),
        "Tasker should refuse the same task twice: {refused}"
    );
    let again = tasker().create_task(&request, "job_id").await.unwrap();
    assert_eq!(
        again.task_uuid, first.task_uuid,
        "the repeat must find the first task"
    );
}

/// A 5xx is sent again; when every attempt fails, the error says how many were made. A
/// context nested deeper than Tasker 0.1.8 stores is answered 500 and creates nothing.
#[tokio::test]
async fn a_5xx_is_retried_and_the_last_answer_passed_on() {
    let mut deep = json!({ "job_id": Uuid::new_v4().to_string() });
    for level in 0..11 {
        deep = json!({ format!("level_{level}"): deep });
    }
    deep["job_id"] = json!(Uuid::new_v4().to_string());
    let err = tasker()
        .create_task(&analytics_request(deep), "job_id")
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("Tasker answered 500")
            && message.ends_with("(after 3 attempts)"),
        "{message}"
    );
}

#[tokio::test]
async fn an_unknown_order_is_a_404() {
    let (status, _) = get(format!("{}/orders/{}", app().await, Uuid::new_v4())).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn waiting_stops_early_with_the_failing_steps_error() {
    app().await; // the worker must be running to fail the step
    let request = TaskRequest {
        name: "ecommerce_order_processing".into(),
        namespace: "ecommerce_rs".into(),
        version: "1.0.0".into(),
        // Straight to Tasker, past the app's validation: validate_cart must refuse it.
        context: json!({ "order_id": Uuid::new_v4(), "customer_email": unique_email(),
                         "cart_items": [{ "sku": "BAD", "name": "Bad", "quantity": 0, "unit_price_cents": 100 }] }),
        initiator: "axum-quickstart tests".into(),
        source_system: "tests".into(),
        reason: "a step that fails for good".into(),
    };
    let task = tasker().create_task(&request, "order_id").await.unwrap();
    let started = Instant::now();
    let err = tasker()
        .wait_for_task_completion(task.task_uuid, Duration::from_secs(20), POLL_INTERVAL)
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it should not wait out the full time"
    );
    match err {
        WaitError::Failed {
            status, failures, ..
        } => {
            assert_eq!(status, "blocked_by_failures");
            assert!(
                failures.contains("validate_cart")
                    && failures.contains("bad quantity or price"),
                "{failures}"
            );
        }
        other => panic!("expected a failed task, got {other}"),
    }
}
