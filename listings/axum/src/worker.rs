//! The Tasker worker, embedded in the app process.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tasker_worker::worker::handlers::{
    HandlerDispatchConfig, HandlerDispatchService, LoadSheddingConfig, NoOpCallback,
    StepHandlerRegistry,
};
use tasker_worker::{WorkerBootstrap, WorkerSystemHandle};

use crate::handlers::Registry;

// ANCHOR: start_worker
/// Boots the worker from `TASKER_CONFIG_PATH` (it registers the templates found under
/// `TASKER_TEMPLATE_PATH` and listens on their namespaces' queues), then routes the steps
/// it receives to our handlers.
pub async fn start() -> anyhow::Result<WorkerSystemHandle> {
    // The folder the worker registers templates from: every callable needs a handler.
    let templates = std::env::var_os("TASKER_TEMPLATE_PATH")
        .map(PathBuf::from)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "TASKER_TEMPLATE_PATH is not set: where are the task templates?"
            )
        })?;
    let registry = Registry::for_templates(&templates)?;
    start_with(registry, "axum-quickstart").await
}

/// The same for any registry of handlers (the scaffold example has its own).
pub async fn start_with(
    registry: impl StepHandlerRegistry,
    service_id: &str,
) -> anyhow::Result<WorkerSystemHandle> {
    let mut worker = WorkerBootstrap::bootstrap()
        .await
        .map_err(|e| anyhow::anyhow!("Tasker worker: {e}"))?;
    let handles = worker.take_dispatch_handles().ok_or_else(|| {
        anyhow::anyhow!("the worker's dispatch channels were already taken")
    })?;
    let config = HandlerDispatchConfig {
        // Enough to run the analytics pipeline's three extracts side by side.
        max_concurrent_handlers: 8,
        handler_timeout: Duration::from_secs(30),
        service_id: service_id.into(),
        load_shedding: LoadSheddingConfig::default(),
    };
    let (service, _capacity) = HandlerDispatchService::with_callback(
        handles.dispatch_receiver,
        handles.completion_sender,
        Arc::new(registry),
        config,
        Arc::new(NoOpCallback),
    );
    tokio::spawn(service.run());
    Ok(worker)
}
// ANCHOR_END: start_worker
