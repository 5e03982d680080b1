//! `POST /analytics/jobs` and `GET /analytics/jobs/{id}`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiError, json_body};
use crate::tasker::TaskRequest;
use crate::validation::is_label;

pub const MAX_SOURCE_CHARS: usize = 64;

fn validate(body: &Value) -> Result<(String, NaiveDate, NaiveDate), ApiError> {
    let mut errors = BTreeMap::new();
    let source = body["source"].as_str().unwrap_or("").trim().to_string();
    if source.is_empty() {
        errors.insert("source".to_string(), "is required".to_string());
    } else if !is_label(&source, 1, MAX_SOURCE_CHARS) {
        let message = format!(
            "must be at most {MAX_SOURCE_CHARS} characters, none of them control characters"
        );
        errors.insert("source".to_string(), message);
    }
    let mut date = |field: &str| match body[field]
        .as_str()
        .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
    {
        Some(Ok(d)) => Some(d),
        _ => {
            errors.insert(
                field.to_string(),
                "must be a date like 2026-11-01".to_string(),
            );
            None
        }
    };
    let (from, to) = (date("date_from"), date("date_to"));
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.insert("date_to".into(), "must not be before date_from".into());
        } else if (t - f).num_days() > 366 {
            errors.insert("date_to".into(), "the range may span at most a year".into());
        }
    }
    match (errors.is_empty(), from, to) {
        (true, Some(f), Some(t)) => Ok((source, f, t)),
        _ => Err(ApiError::Invalid(errors)),
    }
}

pub async fn create(
    State(app): State<AppState>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (source, from, to) = validate(&json_body(body)?)?;
    let id = Uuid::now_v7();
    let mut tx = app.db.begin().await?;
    sqlx::query(
        "INSERT INTO analytics_jobs (id, source, date_from, date_to, status) \
         VALUES ($1, $2, $3, $4, 'submitted')",
    )
    .bind(id)
    .bind(&source)
    .bind(from)
    .bind(to)
    .execute(&mut *tx)
    .await?;
    let request = TaskRequest {
        name: "analytics_pipeline".into(),
        namespace: "analytics_rs".into(),
        version: "1.0.0".into(),
        context: json!({ "job_id": id, "source": source, "date_from": from, "date_to": to }),
        initiator: "axum-quickstart".into(),
        source_system: "web".into(),
        reason: "analytics job requested".into(),
    };
    let task = app.tasker.create_task(&request).await?;
    sqlx::query("UPDATE analytics_jobs SET task_uuid = $2 WHERE id = $1")
        .bind(id)
        .bind(task.task_uuid)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "task_uuid": task.task_uuid, "status": "submitted" })),
    ))
}

pub async fn show(
    State(app): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<Value>, ApiError> {
    let row: Option<(Uuid, String, NaiveDate, NaiveDate, String, Option<Uuid>)> =
        sqlx::query_as("SELECT id, source, date_from, date_to, status, task_uuid FROM analytics_jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(&app.db)
            .await?;
    let (id, source, from, to, status, task_uuid) =
        row.ok_or(ApiError::NotFound("no such analytics job"))?;
    Ok(Json(
        json!({ "id": id, "source": source, "date_from": from, "date_to": to, "status": status, "task_uuid": task_uuid }),
    ))
}
