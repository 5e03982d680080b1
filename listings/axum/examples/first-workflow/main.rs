//! Runs this project's step handlers in a Tasker worker until Ctrl-C.

mod handlers;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use anyhow::Context;
use async_trait::async_trait;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_worker::WorkerBootstrap;
use tasker_worker::worker::handlers::{
    HandlerDispatchConfig, HandlerDispatchService, NoOpCallback, StepHandler,
    StepHandlerRegistry,
};

/// The handlers by callable, the name a template's `handler.callable` gives.
#[derive(Default)]
struct Handlers(RwLock<HashMap<String, Arc<dyn StepHandler>>>);

#[async_trait]
impl StepHandlerRegistry for Handlers {
    async fn get(&self, step: &TaskSequenceStep) -> Option<Arc<dyn StepHandler>> {
        let callable = &step.step_definition.handler.callable;
        self.0.read().unwrap().get(callable).cloned()
    }

    fn register(&self, name: &str, handler: Arc<dyn StepHandler>) {
        self.0.write().unwrap().insert(name.to_owned(), handler);
    }

    fn handler_available(&self, name: &str) -> bool {
        self.0.read().unwrap().contains_key(name)
    }

    fn registered_handlers(&self) -> Vec<String> {
        self.0.read().unwrap().keys().cloned().collect()
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let handlers = Handlers::default();
    for handler in [
        Arc::new(handlers::ComposeGreeting) as Arc<dyn StepHandler>,
        Arc::new(handlers::DeliverGreeting),
    ] {
        let callable = handler.name().to_owned();
        handlers.register(&callable, handler);
    }

    // Reads TASKER_CONFIG_PATH and DATABASE_URL, registers the templates under
    // TASKER_TEMPLATE_PATH and listens on their namespaces' queues.
    let mut worker = WorkerBootstrap::bootstrap().await?;
    let channels = worker
        .take_dispatch_handles()
        .context("no dispatch channels")?;
    // Hands each step the worker receives to the handler its callable names.
    let (dispatch, _capacity) = HandlerDispatchService::with_callback(
        channels.dispatch_receiver,
        channels.completion_sender,
        Arc::new(handlers),
        HandlerDispatchConfig::default(),
        Arc::new(NoOpCallback),
    );
    tokio::spawn(dispatch.run());

    println!("worker running: Ctrl-C stops it");
    tokio::signal::ctrl_c().await?;
    worker.stop().await?;
    Ok(())
}
