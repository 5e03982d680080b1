//! `POST /orders`, `POST /orders/async`, `GET /orders/{id}`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiError, json_body};
use crate::money::order_total;
use crate::tasker::TaskRequest;

/// A validated order, ready to store and to hand to Tasker.
pub struct NewOrder {
    pub customer_email: String,
    pub items: Vec<Value>,
    pub total: f64,
}

/// Every problem at once, keyed by field path (`cart_items[1].quantity`).
pub fn validate_order(body: &Value) -> Result<NewOrder, ApiError> {
    let mut errors = BTreeMap::new();
    let email = body["customer_email"].as_str().unwrap_or("").trim().to_string();
    let well_formed = email.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    });
    if email.is_empty() {
        errors.insert("customer_email".into(), "is required".into());
    } else if !well_formed || email.contains(char::is_whitespace) {
        errors.insert("customer_email".into(), "is not a valid email address".into());
    }
    let mut items = Vec::new();
    let mut lines = Vec::new();
    match body["cart_items"].as_array() {
        None => {
            errors.insert("cart_items".into(), "is required and must be a list".into());
        }
        Some(list) if list.is_empty() => {
            errors.insert("cart_items".into(), "must contain at least one item".into());
        }
        Some(list) => {
            for (i, item) in list.iter().enumerate() {
                let field = |name: &str| format!("cart_items[{i}].{name}");
                let sku = item["sku"].as_str().unwrap_or("").trim();
                if sku.is_empty() {
                    errors.insert(field("sku"), "is required".into());
                }
                let name = item["name"].as_str().unwrap_or(sku).to_string();
                let quantity = item["quantity"].as_u64().filter(|q| *q > 0 && *q <= 10_000);
                if quantity.is_none() {
                    errors.insert(field("quantity"), "must be a whole number from 1 to 10000".into());
                }
                let price = item["unit_price"].as_f64().filter(|p| *p > 0.0 && p.is_finite());
                if price.is_none() {
                    errors.insert(field("unit_price"), "must be a number greater than 0".into());
                }
                if let (Some(q), Some(p)) = (quantity, price) {
                    lines.push((p, q as u32));
                    items.push(json!({ "sku": sku, "name": name, "quantity": q, "unit_price": p }));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(NewOrder { customer_email: email, items, total: order_total(lines).amount() })
}

pub fn order_task(order_id: Uuid, order: &NewOrder) -> TaskRequest {
    TaskRequest {
        name: "ecommerce_order_processing".into(),
        namespace: "ecommerce_rs".into(),
        version: "1.0.0".into(),
        context: json!({
            "order_id": order_id,
            "customer_email": order.customer_email,
            "cart_items": order.items,
        }),
        initiator: "axum-quickstart".into(),
        source_system: "web".into(),
        reason: "order placed".into(),
    }
}

// ANCHOR: order_id
/// A retried request must not become a second order. With an `Idempotency-Key` header the
/// order id is derived from the key, so a retry carries the same id into both the database
/// (primary key) and the task context (Tasker's identity): either answers 409.
fn order_id(headers: &HeaderMap) -> Uuid {
    match headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
        Some(key) => Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("urn:axum-quickstart:order:{key}").as_bytes()),
        None => Uuid::now_v7(),
    }
}
// ANCHOR_END: order_id

/// A primary-key clash on insert means the same Idempotency-Key was used before.
fn duplicate_or(e: sqlx::Error, id: Uuid) -> ApiError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            ApiError::Duplicate(format!("order {id} was already submitted with this Idempotency-Key"))
        }
        _ => e.into(),
    }
}

/// Stores a validated order; a primary-key clash is a reused Idempotency-Key (409).
async fn insert_order<'e>(db: impl sqlx::PgExecutor<'e>, id: Uuid, order: &NewOrder, status: &str) -> Result<(), ApiError> {
    sqlx::query("INSERT INTO orders (id, customer_email, items, total, status) VALUES ($1, $2, $3, $4::numeric, $5)")
        .bind(id)
        .bind(&order.customer_email)
        .bind(json!(order.items))
        .bind(order.total.to_string())
        .bind(status)
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
    insert_order(&mut *tx, id, &order, "submitted").await?;
    let task = app.tasker.create_task(&order_task(id, &order)).await?;
    sqlx::query("UPDATE orders SET task_uuid = $2 WHERE id = $1")
        .bind(id)
        .bind(task.task_uuid)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "task_uuid": task.task_uuid, "status": "submitted", "total": order.total })),
    ))
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
    insert_order(&app.db, id, &order, "queued").await?;
    let request = order_task(id, &order);
    tokio::spawn(async move {
        let (status, task_uuid, reason) = match app.tasker.create_task(&request).await {
            Ok(task) => ("submitted", Some(task.task_uuid), None),
            Err(e) => ("failed", None, Some(e.to_string())),
        };
        let saved = sqlx::query(
            "UPDATE orders SET status = $2, task_uuid = $3, failure_reason = $4, updated_at = now() WHERE id = $1",
        )
        .bind(id)
        .bind(status)
        .bind(task_uuid)
        .bind(&reason)
        .execute(&app.db)
        .await;
        if let Err(e) = saved {
            eprintln!("order {id}: could not record the background job's outcome ({status}): {e}");
        }
    });
    Ok((StatusCode::ACCEPTED, Json(json!({ "id": id, "status": "queued" }))))
}
// ANCHOR_END: create_order_async

pub async fn show(State(app): State<AppState>, Path(id): Path<Uuid>) -> Result<Json<Value>, ApiError> {
    let row: Option<(Uuid, String, Value, String, String, Option<Uuid>, Option<String>)> = sqlx::query_as(
        "SELECT id, customer_email, items, total::text, status, task_uuid, failure_reason FROM orders WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&app.db)
    .await?;
    let (id, email, items, total, status, task_uuid, failure_reason) = row.ok_or(ApiError::NotFound("no such order"))?;
    Ok(Json(json!({
        "id": id,
        "customer_email": email,
        "items": items,
        "total": total.parse::<f64>().unwrap_or_default(),
        "status": status,
        "task_uuid": task_uuid,
        "failure_reason": failure_reason,
    })))
}
