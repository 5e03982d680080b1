//! The greeting workflow's steps. The worker finds each one by its `name()`, which is
//! the `callable` the task template names.

use async_trait::async_trait;
use serde_json::{Value, json};
use tasker_shared::TaskerResult;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_worker::worker::handlers::StepHandler;

pub struct ComposeGreeting;

#[async_trait]
impl StepHandler for ComposeGreeting {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let name = step.get_context_field::<String>("name");
        outcome(
            step,
            name.map(|name| json!({ "greeting": format!("Hello, {name}!") })),
        )
    }

    fn name(&self) -> &str {
        "compose_greeting"
    }
}

pub struct DeliverGreeting;

#[async_trait]
impl StepHandler for DeliverGreeting {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let composed =
            step.get_dependency_result_column_value::<Value>("compose_greeting");
        outcome(
            step,
            composed.map(|c| json!({ "delivered": c["greeting"] })),
        )
    }

    fn name(&self) -> &str {
        "deliver_greeting"
    }
}

/// What Tasker records of a step: its result, or a failure that retrying cannot fix.
fn outcome(
    step: &TaskSequenceStep,
    result: anyhow::Result<Value>,
) -> TaskerResult<StepExecutionResult> {
    let uuid = step.workflow_step.workflow_step_uuid;
    Ok(match result {
        Ok(value) => StepExecutionResult::success(uuid, value, 0, None),
        Err(e) => {
            StepExecutionResult::failure(uuid, e.to_string(), None, None, false, 0, None)
        }
    })
}
