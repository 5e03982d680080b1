//! The app's own database, as the patterns' step handlers reach it: the import's rows and
//! checkpoints, the payments' charges. Tasker hands a handler only the step, so the pool
//! is set once at start-up.

use std::sync::OnceLock;

use sqlx::PgPool;

use super::StepFailure;

static APP_DB: OnceLock<PgPool> = OnceLock::new();

/// Called once at start-up, before the worker takes steps.
pub fn use_database(db: PgPool) {
    let _ = APP_DB.set(db);
}

pub fn db() -> Result<&'static PgPool, StepFailure> {
    APP_DB.get().ok_or_else(|| {
        StepFailure::permanent("no_database", "the app's database is not configured")
    })
}

/// A database error may pass (a restart, a full pool): retryable.
pub fn database(e: sqlx::Error) -> StepFailure {
    StepFailure::retryable("database", format!("the app's database: {e}"))
}
