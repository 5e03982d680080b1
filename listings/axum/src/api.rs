//! HTTP answers shared by the routes: JSON bodies, field errors, and how Tasker's failures
//! map to status codes.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::tasker::TaskerError;
use crate::validation::MAX_BODY_BYTES;

#[derive(Debug)]
pub enum ApiError {
    /// 422: the request body is not acceptable; one message per field.
    Invalid(BTreeMap<String, String>),
    /// 413: the body is larger than the app reads; answered like any field error.
    TooLarge,
    /// 415: the body is not declared as JSON. A browser sends `text/plain` across sites
    /// without asking first, so only a declared JSON body is read.
    NotJson,
    NotFound(&'static str),
    /// 409: the order or task exists already (a reused Idempotency-Key).
    Duplicate(String),
    /// 503: Tasker could not be reached; nothing was stored.
    TaskerDown(String),
    /// 502: Tasker answered, but not with a task.
    TaskerRejected(String),
    Internal(String),
}

impl From<TaskerError> for ApiError {
    fn from(e: TaskerError) -> Self {
        match e {
            TaskerError::Unreachable { .. } => ApiError::TaskerDown(e.to_string()),
            TaskerError::Duplicate(_) => ApiError::Duplicate(e.to_string()),
            TaskerError::Rejected { .. } => ApiError::TaskerRejected(e.to_string()),
            TaskerError::NotIdentifiable(_) => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "error": "validation_failed", "fields": fields }),
            ),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({ "error": "validation_failed", "fields": {
                    "body": format!("must be at most {MAX_BODY_BYTES} bytes") } }),
            ),
            ApiError::NotJson => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                json!({ "error": "validation_failed", "fields": {
                    "body": "must be sent with content-type: application/json" } }),
            ),
            ApiError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                json!({ "error": "not_found", "message": what }),
            ),
            ApiError::Duplicate(m) => (
                StatusCode::CONFLICT,
                json!({ "error": "duplicate", "message": m }),
            ),
            ApiError::TaskerDown(m) => (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "error": "tasker_unavailable", "message": m, "stored": false }),
            ),
            ApiError::TaskerRejected(m) => (
                StatusCode::BAD_GATEWAY,
                json!({ "error": "tasker_rejected", "message": m }),
            ),
            ApiError::Internal(m) => {
                // The details stay in the server's log: they are about the server, not the request.
                eprintln!("internal error: {m}");
                let message =
                    "the server could not complete the request; nothing was stored";
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({ "error": "internal", "message": message }),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// Accepts any JSON object and turns every other body (malformed, nested too deeply for
/// the parser, too large, not an object) into a field error on `body`, instead of axum's
/// plain-text rejection.
pub fn json_body(body: Result<Json<Value>, JsonRejection>) -> Result<Value, ApiError> {
    match body {
        Ok(Json(v)) if v.is_object() => Ok(v),
        Ok(_) => Err(invalid("body", "must be a JSON object")),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(ApiError::TooLarge)
        }
        Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::NotJson),
        Err(rejection) => Err(invalid("body", &rejection.body_text())),
    }
}

pub fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::Invalid(BTreeMap::from([(field.to_string(), message.to_string())]))
}
