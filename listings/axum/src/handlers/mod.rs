//! Step handlers and the registry the Tasker worker dispatches to.
//!
//! Tasker's `StepHandler` trait is the whole contract: receive a `TaskSequenceStep` (task
//! context, results of the steps this one depends on, the step's definition) and return a
//! `StepExecutionResult`. Each handler here is a plain async function returning JSON or a
//! `StepFailure`; `Handler` names them, and `QuickstartHandler` adapts them to the trait.

pub mod analytics;
pub mod app_db;
pub mod ecommerce;
pub mod imports;
pub mod payments;
pub mod review;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, LazyLock, RwLock};
use std::time::Instant;

use async_trait::async_trait;
use serde_json::Value;
use tasker_shared::TaskerResult;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::models::core::task_template::TaskTemplate;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_worker::worker::handlers::{StepHandler, StepHandlerRegistry};

use analytics::Source;

/// Why a step failed, and whether trying again could help.
#[derive(Debug)]
pub struct StepFailure {
    pub message: String,
    pub code: &'static str,
    pub retryable: bool,
}

impl StepFailure {
    pub fn permanent(code: &'static str, message: impl Into<String>) -> Self {
        StepFailure {
            message: message.into(),
            code,
            retryable: false,
        }
    }

    pub fn retryable(code: &'static str, message: impl Into<String>) -> Self {
        StepFailure {
            message: message.into(),
            code,
            retryable: true,
        }
    }
}

/// Reading a field the template guarantees but the data lacks is a permanent failure.
pub fn input<T: serde::de::DeserializeOwned>(
    step: &TaskSequenceStep,
    field: &str,
) -> Result<T, StepFailure> {
    step.get_context_field(field).map_err(|e| {
        StepFailure::permanent(
            "invalid_context",
            format!("task context field `{field}`: {e}"),
        )
    })
}

pub fn parent<T: serde::de::DeserializeOwned>(
    step: &TaskSequenceStep,
    name: &str,
) -> Result<T, StepFailure> {
    step.get_dependency_result_column_value(name).map_err(|e| {
        StepFailure::permanent("missing_dependency", format!("result of `{name}`: {e}"))
    })
}

pub type Outcome = Result<Value, StepFailure>;

// ANCHOR: handlers
/// Every step handler of the app, by workflow. The compiler holds `callable` and `run`
/// to every variant; the registry holds the task templates to `callable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handler {
    Order(OrderStep),
    /// The analytics pipeline's steps (below, and in analytics.rs).
    Analytics(AnalyticsStep),
    /// The steps of the Patterns part's workflows (below, and in review.rs,
    /// payments.rs and imports.rs).
    Pattern(PatternStep),
}

impl Handler {
    pub fn all() -> impl Iterator<Item = Handler> {
        let orders = OrderStep::ALL.into_iter().map(Handler::Order);
        let analytics = AnalyticsStep::ALL.into_iter().map(Handler::Analytics);
        orders
            .chain(analytics)
            .chain(PatternStep::ALL.into_iter().map(Handler::Pattern))
    }

    /// The `handler.callable` a task template names this handler by.
    pub fn callable(self) -> &'static str {
        match self {
            Handler::Order(step) => step.callable(),
            Handler::Analytics(step) => step.callable(),
            Handler::Pattern(step) => step.callable(),
        }
    }

    async fn run(self, step: &TaskSequenceStep) -> Outcome {
        match self {
            Handler::Order(handler) => handler.run(step).await,
            Handler::Analytics(handler) => handler.run(step).await,
            Handler::Pattern(handler) => handler.run(step).await,
        }
    }
}

/// The order workflow's steps (ecommerce.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderStep {
    ValidateCart,
    ProcessPayment,
    UpdateInventory,
    CreateOrder,
    SendConfirmation,
}

impl OrderStep {
    const ALL: [OrderStep; 5] = [
        OrderStep::ValidateCart,
        OrderStep::ProcessPayment,
        OrderStep::UpdateInventory,
        OrderStep::CreateOrder,
        OrderStep::SendConfirmation,
    ];

    fn callable(self) -> &'static str {
        match self {
            OrderStep::ValidateCart => "validate_cart",
            OrderStep::ProcessPayment => "process_payment",
            OrderStep::UpdateInventory => "update_inventory",
            OrderStep::CreateOrder => "create_order",
            OrderStep::SendConfirmation => "send_confirmation",
        }
    }

    async fn run(self, step: &TaskSequenceStep) -> Outcome {
        match self {
            OrderStep::ValidateCart => ecommerce::validate_cart(step).await,
            OrderStep::ProcessPayment => ecommerce::process_payment(step).await,
            OrderStep::UpdateInventory => ecommerce::update_inventory(step).await,
            OrderStep::CreateOrder => ecommerce::create_order(step).await,
            OrderStep::SendConfirmation => ecommerce::send_confirmation(step).await,
        }
    }
}
// ANCHOR_END: handlers

/// The analytics pipeline's steps: an extract and a transform per source, then the two
/// that join them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnalyticsStep {
    Extract(Source),
    Transform(Source),
    AggregateMetrics,
    GenerateInsights,
}

impl AnalyticsStep {
    const ALL: [AnalyticsStep; 8] = [
        AnalyticsStep::Extract(Source::Sales),
        AnalyticsStep::Extract(Source::Inventory),
        AnalyticsStep::Extract(Source::Customers),
        AnalyticsStep::Transform(Source::Sales),
        AnalyticsStep::Transform(Source::Inventory),
        AnalyticsStep::Transform(Source::Customers),
        AnalyticsStep::AggregateMetrics,
        AnalyticsStep::GenerateInsights,
    ];

    fn callable(self) -> &'static str {
        match self {
            AnalyticsStep::Extract(Source::Sales) => "extract_sales_data",
            AnalyticsStep::Extract(Source::Inventory) => "extract_inventory_data",
            AnalyticsStep::Extract(Source::Customers) => "extract_customer_data",
            AnalyticsStep::Transform(Source::Sales) => "transform_sales",
            AnalyticsStep::Transform(Source::Inventory) => "transform_inventory",
            AnalyticsStep::Transform(Source::Customers) => "transform_customers",
            AnalyticsStep::AggregateMetrics => "aggregate_metrics",
            AnalyticsStep::GenerateInsights => "generate_insights",
        }
    }

    async fn run(self, step: &TaskSequenceStep) -> Outcome {
        match self {
            AnalyticsStep::Extract(source) => analytics::extract(step, source).await,
            AnalyticsStep::Transform(source) => analytics::transform(step, source).await,
            AnalyticsStep::AggregateMetrics => analytics::aggregate_metrics(step).await,
            AnalyticsStep::GenerateInsights => analytics::generate_insights(step).await,
        }
    }
}

/// The steps of the Patterns part: a review decision, a card payment with its ledger,
/// and a batch import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternStep {
    AssessOrder,
    RouteOrder,
    AutoApprove,
    ManualReview,
    ConfirmOrder,
    ChargeCard,
    SendReceipt,
    PlanImport,
    ImportBatch,
    FinishImport,
}

impl PatternStep {
    const ALL: [PatternStep; 10] = [
        PatternStep::AssessOrder,
        PatternStep::RouteOrder,
        PatternStep::AutoApprove,
        PatternStep::ManualReview,
        PatternStep::ConfirmOrder,
        PatternStep::ChargeCard,
        PatternStep::SendReceipt,
        PatternStep::PlanImport,
        PatternStep::ImportBatch,
        PatternStep::FinishImport,
    ];

    fn callable(self) -> &'static str {
        match self {
            PatternStep::AssessOrder => "assess_order",
            PatternStep::RouteOrder => "route_order",
            PatternStep::AutoApprove => "auto_approve",
            PatternStep::ManualReview => "manual_review",
            PatternStep::ConfirmOrder => "confirm_order",
            PatternStep::ChargeCard => "charge_card",
            PatternStep::SendReceipt => "send_receipt",
            PatternStep::PlanImport => "plan_import",
            PatternStep::ImportBatch => "import_batch",
            PatternStep::FinishImport => "finish_import",
        }
    }

    async fn run(self, step: &TaskSequenceStep) -> Outcome {
        match self {
            PatternStep::AssessOrder => review::assess_order(step).await,
            PatternStep::RouteOrder => review::route_order(step).await,
            PatternStep::AutoApprove => review::auto_approve(step).await,
            PatternStep::ManualReview => review::manual_review(step).await,
            PatternStep::ConfirmOrder => review::confirm_order(step).await,
            PatternStep::ChargeCard => payments::charge_card(step).await,
            PatternStep::SendReceipt => payments::send_receipt(step).await,
            PatternStep::PlanImport => imports::plan_import(step).await,
            PatternStep::ImportBatch => imports::import_batch(step).await,
            PatternStep::FinishImport => imports::finish_import(step).await,
        }
    }
}

// ANCHOR: worker_id
/// This process's name in step results: `TASKER_WORKER_ID`, as in the worker's config.
static WORKER_ID: LazyLock<String> = LazyLock::new(|| {
    std::env::var("TASKER_WORKER_ID").unwrap_or_else(|_| "axum-quickstart".to_string())
});
// ANCHOR_END: worker_id

// ANCHOR: adapter
/// Adapts a `Handler` to Tasker's trait: runs it, times it, and reports the outcome.
pub struct QuickstartHandler(Handler);

#[async_trait]
impl StepHandler for QuickstartHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let outcome = self.0.run(step).await;
        let uuid = step.workflow_step.workflow_step_uuid;
        let elapsed = started.elapsed().as_millis() as i64;
        let mut result = match outcome {
            Ok(result) => StepExecutionResult::success(uuid, result, elapsed, None),
            Err(f) => {
                let code = Some(f.code.to_string());
                StepExecutionResult::failure(
                    uuid,
                    f.message,
                    code,
                    None,
                    f.retryable,
                    elapsed,
                    None,
                )
            }
        };
        // Which worker ran the step, for when several run one namespace.
        result.metadata.worker_id = Some(WORKER_ID.clone());
        Ok(result)
    }

    fn name(&self) -> &str {
        self.0.callable()
    }
}
// ANCHOR_END: adapter

/// Looks handlers up by the `handler.callable` of the step's template definition.
#[derive(Default)]
pub struct Registry {
    handlers: RwLock<HashMap<String, Arc<dyn StepHandler>>>,
}

impl Registry {
    /// A handler for every callable of the task templates in `dir`. Fails, naming it, on a
    /// callable no handler answers to or a handler no template uses: a typo is a startup
    /// error, not a step that fails at run time.
    pub fn for_templates(dir: &Path) -> anyhow::Result<Registry> {
        let mut wanted = BTreeSet::new();
        let entries = std::fs::read_dir(dir)
            .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let template = TaskTemplate::from_yaml_file(&path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                wanted.extend(
                    template
                        .steps
                        .into_iter()
                        .map(|s| (s.handler.callable, path.clone())),
                );
            }
        }
        let registry = Registry::default();
        for (callable, template) in &wanted {
            let handler = Handler::all()
                .find(|h| h.callable() == callable)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: no handler answers to callable `{callable}`",
                        template.display()
                    )
                })?;
            registry.register(callable, Arc::new(QuickstartHandler(handler)));
        }
        let unused: Vec<&str> = Handler::all()
            .map(|h| h.callable())
            .filter(|c| !registry.handler_available(c))
            .collect();
        anyhow::ensure!(
            unused.is_empty(),
            "handlers no template in {} uses: {unused:?}",
            dir.display()
        );
        Ok(registry)
    }
}

#[async_trait]
impl StepHandlerRegistry for Registry {
    async fn get(&self, step: &TaskSequenceStep) -> Option<Arc<dyn StepHandler>> {
        self.handlers
            .read()
            .unwrap()
            .get(&step.step_definition.handler.callable)
            .cloned()
    }

    fn register(&self, name: &str, handler: Arc<dyn StepHandler>) {
        self.handlers
            .write()
            .unwrap()
            .insert(name.to_string(), handler);
    }

    fn handler_available(&self, name: &str) -> bool {
        self.handlers.read().unwrap().contains_key(name)
    }

    fn registered_handlers(&self) -> Vec<String> {
        self.handlers.read().unwrap().keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apps_templates_and_handlers_match_one_to_one() {
        let dir = std::env::current_dir().unwrap().join("templates");
        let registry = Registry::for_templates(&dir).unwrap();
        assert_eq!(registry.registered_handlers().len(), Handler::all().count());
    }

    #[test]
    fn a_misspelled_callable_is_named() {
        let dir = std::env::temp_dir()
            .join(format!("axum-qs-templates-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let template =
            std::fs::read_to_string("templates/ecommerce_order_processing.yaml").unwrap();
        let typo = template.replace("callable: validate_cart", "callable: validate_crt");
        std::fs::write(dir.join("t.yaml"), typo).unwrap();
        let err = Registry::for_templates(&dir)
            .err()
            .expect("a typo must fail")
            .to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            err.contains("no handler answers to callable `validate_crt`"),
            "{err}"
        );
    }
}
