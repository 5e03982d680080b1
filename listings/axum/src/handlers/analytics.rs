//! The eight steps of `analytics_pipeline`. The data is synthetic but deterministic (derived
//! from the job's date range), so the results can be checked; each extract records when it
//! ran so a test can show the three really ran at the same time.

use std::time::Duration;

use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};
use tasker_shared::types::base::TaskSequenceStep;

use super::{Outcome, StepFailure, input, parent};

/// Stands in for a slow query against a source system.
const EXTRACT_LATENCY: Duration = Duration::from_millis(300);

/// The three systems the pipeline reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Sales,
    Inventory,
    Customers,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Sales => "sales",
            Source::Inventory => "inventory",
            Source::Customers => "customers",
        }
    }

    /// The template's name for the step that extracts this source (a dependency name).
    pub fn extract_step(self) -> &'static str {
        match self {
            Source::Sales => "extract_sales_data",
            Source::Inventory => "extract_inventory_data",
            Source::Customers => "extract_customer_data",
        }
    }

    fn record(self, day: i64) -> Value {
        match self {
            Source::Sales => {
                json!({ "day": day, "orders": 20 + day % 7, "revenue": 1000 + 37 * day })
            }
            Source::Inventory => json!({ "day": day, "units_on_hand": 500 - 3 * day }),
            Source::Customers => json!({ "day": day, "new_customers": 5 + day % 3 }),
        }
    }
}

fn days(step: &TaskSequenceStep) -> Result<i64, StepFailure> {
    let from: NaiveDate = input(step, "date_from")?;
    let to: NaiveDate = input(step, "date_to")?;
    Ok((to - from).num_days() + 1)
}

pub async fn extract(step: &TaskSequenceStep, source: Source) -> Outcome {
    let started_at = Utc::now();
    let days = days(step)?;
    tokio::time::sleep(EXTRACT_LATENCY).await;
    let records: Vec<Value> = (0..days).map(|day| source.record(day)).collect();
    Ok(json!({
        "source": source.name(),
        "record_count": records.len(),
        "records": records,
        "started_at": started_at.to_rfc3339(),
        "finished_at": Utc::now().to_rfc3339(),
    }))
}

fn sum(records: &[Value], field: &str) -> i64 {
    records.iter().filter_map(|r| r[field].as_i64()).sum()
}

pub async fn transform(step: &TaskSequenceStep, source: Source) -> Outcome {
    let extracted: Value = parent(step, source.extract_step())?;
    let records = extracted["records"].as_array().cloned().unwrap_or_default();
    let summary = match source {
        Source::Sales => json!({
            "total_orders": sum(&records, "orders"),
            "total_revenue": sum(&records, "revenue"),
        }),
        Source::Inventory => json!({
            "closing_units": records.last().map(|r| r["units_on_hand"].clone()).unwrap_or(json!(0)),
        }),
        Source::Customers => json!({ "new_customers": sum(&records, "new_customers") }),
    };
    Ok(json!({ "days": records.len(), "summary": summary }))
}

pub async fn aggregate_metrics(step: &TaskSequenceStep) -> Outcome {
    let sales: Value = parent(step, "transform_sales")?;
    let inventory: Value = parent(step, "transform_inventory")?;
    let customers: Value = parent(step, "transform_customers")?;
    let revenue = sales["summary"]["total_revenue"].as_i64().unwrap_or(0);
    let orders = sales["summary"]["total_orders"].as_i64().unwrap_or(0);
    Ok(json!({
        "total_revenue": revenue,
        "total_orders": orders,
        "average_order_value": if orders > 0 { revenue as f64 / orders as f64 } else { 0.0 },
        "closing_units": inventory["summary"]["closing_units"],
        "new_customers": customers["summary"]["new_customers"],
    }))
}

pub async fn generate_insights(step: &TaskSequenceStep) -> Outcome {
    let m: Value = parent(step, "aggregate_metrics")?;
    let mut insights = vec![format!(
        "{} orders brought in {} in revenue",
        m["total_orders"], m["total_revenue"]
    )];
    if m["closing_units"].as_i64().unwrap_or(0) < 450 {
        insights.push("inventory is running low: reorder soon".to_string());
    }
    Ok(json!({ "insights": insights, "metrics": m }))
}
