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

fn days(step: &TaskSequenceStep) -> Result<i64, StepFailure> {
    let from: NaiveDate = input(step, "date_from")?;
    let to: NaiveDate = input(step, "date_to")?;
    Ok((to - from).num_days() + 1)
}

pub async fn extract(step: &TaskSequenceStep, callable: &str) -> Outcome {
    let started_at = Utc::now();
    let days = days(step)?;
    tokio::time::sleep(EXTRACT_LATENCY).await;
    let records: Vec<Value> = (0..days)
        .map(|d| match callable {
            "extract_sales_data" => json!({ "day": d, "orders": 20 + d % 7, "revenue": 1000 + 37 * d }),
            "extract_inventory_data" => json!({ "day": d, "units_on_hand": 500 - 3 * d }),
            _ => json!({ "day": d, "new_customers": 5 + d % 3 }),
        })
        .collect();
    Ok(json!({
        "source": callable.trim_start_matches("extract_").trim_end_matches("_data"),
        "record_count": records.len(),
        "records": records,
        "started_at": started_at.to_rfc3339(),
        "finished_at": Utc::now().to_rfc3339(),
    }))
}

fn sum(records: &[Value], field: &str) -> i64 {
    records.iter().filter_map(|r| r[field].as_i64()).sum()
}

pub async fn transform(step: &TaskSequenceStep, extract_step: &str) -> Outcome {
    let extracted: Value = parent(step, extract_step)?;
    let records = extracted["records"].as_array().cloned().unwrap_or_default();
    let summary = match extract_step {
        "extract_sales_data" => json!({ "total_orders": sum(&records, "orders"), "total_revenue": sum(&records, "revenue") }),
        "extract_inventory_data" => json!({
            "closing_units": records.last().map(|r| r["units_on_hand"].clone()).unwrap_or(json!(0)),
        }),
        _ => json!({ "new_customers": sum(&records, "new_customers") }),
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
    let mut insights = vec![format!("{} orders brought in {} in revenue", m["total_orders"], m["total_revenue"])];
    if m["closing_units"].as_i64().unwrap_or(0) < 450 {
        insights.push("inventory is running low: reorder soon".to_string());
    }
    Ok(json!({ "insights": insights, "metrics": m }))
}
