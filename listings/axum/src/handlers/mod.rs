//! Step handlers and the registry the Tasker worker dispatches to.
//!
//! Tasker's `StepHandler` trait is the whole contract: receive a `TaskSequenceStep` (task
//! context, results of the steps this one depends on, the step's definition) and return a
//! `StepExecutionResult`. Each handler here is a plain async function returning JSON or a
//! `StepFailure`; `QuickstartHandler` adapts them to the trait.

pub mod analytics;
pub mod ecommerce;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use async_trait::async_trait;
use serde_json::Value;
use tasker_shared::TaskerResult;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_worker::worker::handlers::{StepHandler, StepHandlerRegistry};

/// Why a step failed, and whether trying again could help.
#[derive(Debug)]
pub struct StepFailure {
    pub message: String,
    pub code: &'static str,
    pub retryable: bool,
}

impl StepFailure {
    pub fn permanent(code: &'static str, message: impl Into<String>) -> Self {
        StepFailure { message: message.into(), code, retryable: false }
    }
}

/// Reading a field the template guarantees but the data lacks is a permanent failure.
pub fn input<T: serde::de::DeserializeOwned>(step: &TaskSequenceStep, field: &str) -> Result<T, StepFailure> {
    step.get_context_field(field)
        .map_err(|e| StepFailure::permanent("invalid_context", format!("task context field `{field}`: {e}")))
}

pub fn parent<T: serde::de::DeserializeOwned>(step: &TaskSequenceStep, name: &str) -> Result<T, StepFailure> {
    step.get_dependency_result_column_value(name)
        .map_err(|e| StepFailure::permanent("missing_dependency", format!("result of `{name}`: {e}")))
}

pub type Outcome = Result<Value, StepFailure>;

// ANCHOR: adapter
/// One struct for every handler: the callable name picks the function.
pub struct QuickstartHandler {
    callable: &'static str,
}

#[async_trait]
impl StepHandler for QuickstartHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let outcome = match self.callable {
            "validate_cart" => ecommerce::validate_cart(step).await,
            "process_payment" => ecommerce::process_payment(step).await,
            "update_inventory" => ecommerce::update_inventory(step).await,
            "create_order" => ecommerce::create_order(step).await,
            "send_confirmation" => ecommerce::send_confirmation(step).await,
            "extract_sales_data" | "extract_inventory_data" | "extract_customer_data" => {
                analytics::extract(step, self.callable).await
            }
            "transform_sales" => analytics::transform(step, "extract_sales_data").await,
            "transform_inventory" => analytics::transform(step, "extract_inventory_data").await,
            "transform_customers" => analytics::transform(step, "extract_customer_data").await,
            "aggregate_metrics" => analytics::aggregate_metrics(step).await,
            "generate_insights" => analytics::generate_insights(step).await,
            other => Err(StepFailure::permanent("unknown_handler", format!("no handler `{other}`"))),
        };
        let uuid = step.workflow_step.workflow_step_uuid;
        let elapsed = started.elapsed().as_millis() as i64;
        Ok(match outcome {
            Ok(result) => StepExecutionResult::success(uuid, result, elapsed, None),
            Err(f) => StepExecutionResult::failure(
                uuid,
                f.message,
                Some(f.code.to_string()),
                None,
                f.retryable,
                elapsed,
                None,
            ),
        })
    }

    fn name(&self) -> &str {
        self.callable
    }
}
// ANCHOR_END: adapter

pub const CALLABLES: &[&str] = &[
    "validate_cart",
    "process_payment",
    "update_inventory",
    "create_order",
    "send_confirmation",
    "extract_sales_data",
    "extract_inventory_data",
    "extract_customer_data",
    "transform_sales",
    "transform_inventory",
    "transform_customers",
    "aggregate_metrics",
    "generate_insights",
];

/// Looks handlers up by the `handler.callable` of the step's template definition.
#[derive(Default)]
pub struct Registry {
    handlers: RwLock<HashMap<String, Arc<dyn StepHandler>>>,
}

impl Registry {
    pub fn with_quickstart_handlers() -> Self {
        let registry = Registry::default();
        for callable in CALLABLES {
            registry.register(callable, Arc::new(QuickstartHandler { callable }));
        }
        registry
    }
}

#[async_trait]
impl StepHandlerRegistry for Registry {
    async fn get(&self, step: &TaskSequenceStep) -> Option<Arc<dyn StepHandler>> {
        self.handlers.read().unwrap().get(&step.step_definition.handler.callable).cloned()
    }

    fn register(&self, name: &str, handler: Arc<dyn StepHandler>) {
        self.handlers.write().unwrap().insert(name.to_string(), handler);
    }

    fn handler_available(&self, name: &str) -> bool {
        self.handlers.read().unwrap().contains_key(name)
    }

    fn registered_handlers(&self) -> Vec<String> {
        self.handlers.read().unwrap().keys().cloned().collect()
    }
}
