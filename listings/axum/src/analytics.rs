//! `POST /analytics/jobs` and `GET /analytics/jobs/{id}`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use garde::Validate;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiError, json_body};
use crate::tasker::TaskRequest;
use crate::validation::{checked, is_label};

pub const MAX_SOURCE_CHARS: usize = 64;

/// An analytics job as the client sends it: serde reads the fields as text, garde checks
/// each and names every one that is wrong at once.
#[derive(Debug, Deserialize, Validate)]
struct JobRequest {
    #[serde(default)]
    #[garde(custom(a_source))]
    source: String,
    #[serde(default)]
    #[garde(custom(iso_date))]
    date_from: String,
    #[serde(default)]
    #[garde(custom(iso_date), custom(within_a_year_of(&self.date_from)))]
    date_to: String,
}

fn a_source(text: &str, _: &()) -> garde::Result {
    match text.trim() {
        "" => Err(garde::Error::new("is required")),
        t if !is_label(t, 1, MAX_SOURCE_CHARS) => Err(garde::Error::new(format!(
            "must be at most {MAX_SOURCE_CHARS} characters, none of them control characters"
        ))),
        _ => Ok(()),
    }
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn iso_date(text: &str, _: &()) -> garde::Result {
    date(text)
        .map(|_| ())
        .ok_or_else(|| garde::Error::new("must be a date like 2026-11-01"))
}

fn within_a_year_of(from: &str) -> impl FnOnce(&str, &()) -> garde::Result + '_ {
    move |to, _| match (date(from), date(to)) {
        (Some(f), Some(t)) if t < f => {
            Err(garde::Error::new("must not be before date_from"))
        }
        (Some(f), Some(t)) if (t - f).num_days() > 366 => {
            Err(garde::Error::new("the range may span at most a year"))
        }
        _ => Ok(()),
    }
}

fn validate(body: &Value) -> Result<(String, NaiveDate, NaiveDate), ApiError> {
    let job: JobRequest = checked(body)?;
    match (date(&job.date_from), date(&job.date_to)) {
        (Some(from), Some(to)) => Ok((job.source.trim().to_string(), from, to)),
        _ => unreachable!("validated dates parse"),
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
    let task = app.tasker.create_task(&request, "job_id").await?;
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
