//! `POST /orders`, `POST /orders/async`, `GET /orders/{id}`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiError, json_body};
use crate::money::Cents;
use crate::tasker::TaskRequest;
use crate::validation::{NewOrder, validate_order};

pub fn order_task(order_id: Uuid, order: &NewOrder) -> TaskRequest {
    TaskRequest {
        name: "ecommerce_order_processing".into(),
        namespace: "ecommerce_rs".into(),
        version: "1.0.0".into(),
        context: json!({
            "order_id": order_id,
            "customer_email": order.customer_email,
            "cart_items": order.items_json(),
        }),
        initiator: "axum-quickstart".into(),
        source_system: "web".into(),
        reason: "order placed".into(),
    }
}

// ANCHOR: order_id
/// A retried request must not become a second order. With an `Idempotency-Key` header
/// the order id is derived from the key, so a retry carries the same id into both the
/// database (primary key) and the task context (Tasker's identity): either answers 409.
fn order_id(headers: &HeaderMap) -> Uuid {
    match headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
        Some(key) => {
            let name = format!("urn:axum-quickstart:order:{key}");
            Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
        }
        None => Uuid::now_v7(),
    }
}
// ANCHOR_END: order_id

/// A primary-key clash on insert means the same Idempotency-Key was used before.
fn duplicate_or(e: sqlx::Error, id: Uuid) -> ApiError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => ApiError::Duplicate(
            format!("order {id} was already submitted with this Idempotency-Key"),
        ),
        _ => e.into(),
    }
}

/// Where an order stands: `Submitted`, its task exists; `Queued`, the background job has
/// not created it yet; `Failed`, the job could not (`failure_reason` says why).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    Submitted,
    Queued,
    Failed,
}

impl OrderStatus {
    /// As the `status` column holds it (its CHECK constraint lists the same three).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Submitted => "submitted",
            OrderStatus::Queued => "queued",
            OrderStatus::Failed => "failed",
        }
    }
}

/// Stores a validated order; a primary-key clash is a reused Idempotency-Key (409).
async fn insert_order<'e>(
    db: impl sqlx::PgExecutor<'e>,
    id: Uuid,
    order: &NewOrder,
    status: OrderStatus,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO orders (id, customer_email, items, total_cents, status) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(&order.customer_email)
    .bind(order.items_json())
    .bind(order.totals.total.get())
    .bind(status.as_str())
    .execute(db)
    .await
    .map_err(|e| duplicate_or(e, id))?;
    Ok(())
}

// ANCHOR: create_order
/// Stores the order and creates its task in one go: the row is inserted inside a
/// transaction that commits only once Tasker has accepted the task, so a failure leaves
/// neither an order without a task nor a task without an order.
pub async fn create(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let order = validate_order(&json_body(body)?)?;
    let id = order_id(&headers);
    let mut tx = app.db.begin().await?;
    insert_order(&mut *tx, id, &order, OrderStatus::Submitted).await?;
    let task = app
        .tasker
        .create_task(&order_task(id, &order), "order_id")
        .await?;
    sqlx::query("UPDATE orders SET task_uuid = $2 WHERE id = $1")
        .bind(id)
        .bind(task.task_uuid)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let answer = json!({
        "id": id,
        "task_uuid": task.task_uuid,
        "status": OrderStatus::Submitted,
        "total": order.totals.total.to_string(),
    });
    Ok((StatusCode::CREATED, Json(answer)))
}
// ANCHOR_END: create_order

// ANCHOR: create_order_async
/// Answers at once and creates the task in the background. The record says what happened:
/// `queued`, then `submitted` with a task_uuid, or `failed` with the reason.
pub async fn create_async(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let order = validate_order(&json_body(body)?)?;
    let id = order_id(&headers);
    insert_order(&app.db, id, &order, OrderStatus::Queued).await?;
    let request = order_task(id, &order);
    tokio::spawn(async move {
        let (status, task_uuid, reason) =
            match app.tasker.create_task(&request, "order_id").await {
                Ok(task) => (OrderStatus::Submitted, Some(task.task_uuid), None),
                Err(e) => (OrderStatus::Failed, None, Some(e.to_string())),
            };
        let saved = sqlx::query(
            "UPDATE orders SET status = $2, task_uuid = $3, failure_reason = $4, \
             updated_at = now() WHERE id = $1",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(task_uuid)
        .bind(&reason)
        .execute(&app.db)
        .await;
        if let Err(e) = saved {
            eprintln!(
                "order {id}: the background job's outcome ({status:?}) was not saved: {e}"
            );
        }
    });
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "id": id, "status": OrderStatus::Queued })),
    ))
}
// ANCHOR_END: create_order_async

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: Uuid,
    customer_email: String,
    items: Value,
    total_cents: i64,
    status: String,
    task_uuid: Option<Uuid>,
    failure_reason: Option<String>,
}

pub async fn show(
    State(app): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<Value>, ApiError> {
    let row: Option<OrderRow> = sqlx::query_as(
        "SELECT id, customer_email, items, total_cents, status, task_uuid, failure_reason \
         FROM orders WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&app.db)
    .await?;
    let order = row.ok_or(ApiError::NotFound("no such order"))?;
    Ok(Json(json!({
        "id": order.id,
        "customer_email": order.customer_email,
        "items": order.items,
        "total": Cents::new(order.total_cents).to_string(),
        "status": order.status,
        "task_uuid": order.task_uuid,
        "failure_reason": order.failure_reason,
    })))
}
