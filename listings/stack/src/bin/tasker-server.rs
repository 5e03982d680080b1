//! The orchestration server the book runs against.
//!
//! Tasker 0.1.8 ships its server as a library; this binary is the few lines that boot it,
//! wait for SIGINT/SIGTERM, and stop it within the configured shutdown budget, so that
//! `scripts/stack down` never leaves a half-stopped process behind.
//!
//! Configuration comes entirely from the environment that `scripts/stack` prepares:
//! `TASKER_CONFIG_PATH` (the generated orchestration TOML), `TASKER_ENV`, `DATABASE_URL`,
//! `TASKER_WEB_BIND_ADDRESS` and `TASKER_ORCHESTRATION_GRPC_BIND_ADDRESS`.

use std::time::Duration;

use anyhow::{Context, Result};
use tasker_orchestration::orchestration::bootstrap::OrchestrationBootstrap;
use tokio::signal::unix::{SignalKind, signal};

#[tokio::main]
async fn main() -> Result<()> {
    tasker_shared::logging::init_tracing();

    let mut handle = OrchestrationBootstrap::bootstrap()
        .await
        .map_err(|e| anyhow::anyhow!("orchestration failed to start: {e}"))?;
    eprintln!("tasker-server: orchestration started (pid {})", std::process::id());

    let mut term = signal(SignalKind::terminate()).context("installing SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("installing SIGINT handler")?;
    let which = tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    };
    eprintln!("tasker-server: {which} received, shutting down");

    let budget_ms =
        handle.tasker_config.orchestration.as_ref().map(|o| o.shutdown_timeout_ms).unwrap_or(30_000);
    match tokio::time::timeout(Duration::from_millis(budget_ms), handle.stop()).await {
        Ok(Ok(())) => eprintln!("tasker-server: stopped cleanly"),
        Ok(Err(e)) => anyhow::bail!("orchestration did not stop cleanly: {e}"),
        Err(_) => anyhow::bail!("orchestration still running after {budget_ms} ms; exiting anyway"),
    }
    Ok(())
}
