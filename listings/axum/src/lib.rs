//! The Axum quickstart: an order service and an analytics job service whose work runs as
//! Tasker workflows, with the Tasker worker embedded in the same process.

pub mod analytics;
pub mod api;
pub mod handlers;
pub mod money;
pub mod orders;
/// What `tasker-ctl generate handler --language rust` writes for the e-commerce template,
/// unchanged (tests/scaffold.rs regenerates and compares), so not formatted. Compiled,
/// never called.
#[allow(dead_code, unused_variables)]
#[rustfmt::skip]
mod scaffold;
pub mod tasker;
pub mod validation;
pub mod worker;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use sqlx::PgPool;

use crate::tasker::TaskerApi;

/// Settings, all from the environment (`scripts/stack env` prints the stack's).
pub struct Settings {
    /// This app's own database (orders, jobs); Tasker's is `DATABASE_URL`.
    pub app_database_url: String,
    pub orchestration_url: String,
    /// The orchestration API's key, where API keys are on (`TASKER_API_KEY`).
    pub tasker_api_key: Option<String>,
    pub port: u16,
    /// `false` runs the HTTP API without a worker (e.g. a second instance for a test).
    pub run_worker: bool,
}

impl Settings {
    pub fn from_env() -> Settings {
        let var = |name: &str, default: &str| {
            std::env::var(name).unwrap_or_else(|_| default.to_string())
        };
        Settings {
            app_database_url: var(
                "APP_DATABASE_URL",
                "postgresql://tasker:tasker@127.0.0.1:54329/example_axum",
            ),
            orchestration_url: var("ORCHESTRATION_URL", "http://127.0.0.1:8080"),
            tasker_api_key: std::env::var("TASKER_API_KEY")
                .ok()
                .filter(|k| !k.is_empty()),
            port: var("PORT", "3001")
                .parse()
                .expect("PORT must be a port number"),
            run_worker: var("APP_WORKER", "on") != "off",
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub tasker: TaskerApi,
}

// ANCHOR: router
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/orders", post(orders::create))
        .route("/orders/async", post(orders::create_async))
        .route("/orders/{id}", get(orders::show))
        .route("/analytics/jobs", post(analytics::create))
        .route("/analytics/jobs/{id}", get(analytics::show))
        .layer(DefaultBodyLimit::max(validation::MAX_BODY_BYTES))
        .with_state(state)
}
// ANCHOR_END: router

/// Connects to the app's database and brings its schema up to date.
pub async fn connect(url: &str) -> anyhow::Result<PgPool> {
    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(5)
        .connect(url)
        .await?;
    sqlx::migrate!("./migrations").run(&db).await?;
    Ok(db)
}
