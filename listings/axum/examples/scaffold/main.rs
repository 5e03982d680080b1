//! Runs the step handlers generated from the book's `quickstart-rust` plugin in a Tasker
//! worker, creates one task of the generated template, waits for it, and prints each
//! step's result.
//!
//!     cargo run --example scaffold -- NAMESPACE NAME CONTEXT_JSON
//!
//! The worker reads TASKER_CONFIG_PATH, TASKER_TEMPLATE_PATH and DATABASE_URL, as the
//! Axum app's does; ORCHESTRATION_URL names the server. The REST client is the app's.

mod handlers {
    pub mod compose_greeting;
    pub mod deliver_greeting;
}

use std::sync::Arc;

use axum_quickstart::handlers::Registry;
use axum_quickstart::tasker::{MAX_WAIT, POLL_INTERVAL, TaskRequest, TaskerApi};
use serde_json::Value;
use tasker_worker::worker::handlers::{StepHandler, StepHandlerRegistry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [namespace, name, context] = args.as_slice() else {
        anyhow::bail!(
            "usage: cargo run --example scaffold -- NAMESPACE NAME CONTEXT_JSON"
        );
    };
    let mut context: Value = serde_json::from_str(context)?;
    // Tasker answers 409 to a second task with the same context: each run is new.
    context["run_id"] = uuid::Uuid::new_v4().to_string().into();

    // The app's registry, empty: only these two handlers, by their callables.
    let handlers = Registry::default();
    for handler in [
        Arc::new(handlers::compose_greeting::ComposeGreeting) as Arc<dyn StepHandler>,
        Arc::new(handlers::deliver_greeting::DeliverGreeting),
    ] {
        let callable = handler.name().to_owned();
        handlers.register(&callable, handler);
    }
    // The worker registers the templates under TASKER_TEMPLATE_PATH, then routes the
    // steps it receives to the handlers: the Axum app's start-up, with this registry.
    let mut worker = axum_quickstart::worker::start_with(handlers, "scaffold").await?;

    let url =
        std::env::var("ORCHESTRATION_URL").unwrap_or("http://127.0.0.1:8080".into());
    let api = TaskerApi::new(&url);
    let request = TaskRequest {
        name: name.clone(),
        namespace: namespace.clone(),
        version: "1.0.0".into(),
        context,
        initiator: "scaffold".into(),
        source_system: "cli".into(),
        reason: "scaffold check".into(),
    };
    let task = api.create_task(&request, "run_id").await?;
    api.wait_for_task_completion(task.task_uuid, MAX_WAIT, POLL_INTERVAL)
        .await?;
    let mut steps = api.get_task_steps(task.task_uuid).await?;
    steps.sort_by(|a, b| a.name.cmp(&b.name));
    for step in steps {
        let result = step.results.as_ref().and_then(|r| r.get("result"));
        println!("{}: {}", step.name, serde_json::to_string(&result)?);
    }
    worker.stop().await?;
    Ok(())
}
