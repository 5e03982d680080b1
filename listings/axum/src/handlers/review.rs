//! The steps of `order_review`: a decision point chooses, at run time, which of two steps
//! the task gets. Orders from 1,000.00 are held for review; the rest are approved at once.

use serde_json::{Value, json};
use tasker_shared::types::base::TaskSequenceStep;

use super::{Outcome, input, parent};

/// Orders of this total or more get a `manual_review` step instead of `auto_approve`.
pub const REVIEW_FROM_CENTS: i64 = 100_000;

/// Reads the order's total from the task context.
pub async fn assess_order(step: &TaskSequenceStep) -> Outcome {
    let total_cents: i64 = input(step, "total_cents")?;
    Ok(
        json!({ "total_cents": total_cents, "needs_review": total_cents >= REVIEW_FROM_CENTS }),
    )
}

// ANCHOR: route_order
/// The decision point: its result names the steps Tasker creates next. Only steps the
/// template declares as this step's children can be named.
pub async fn route_order(step: &TaskSequenceStep) -> Outcome {
    let assessment: Value = parent(step, "assess_order")?;
    let next = if assessment["needs_review"] == true {
        "manual_review"
    } else {
        "auto_approve"
    };
    Ok(json!({
        "decision_point_outcome": { "type": "create_steps", "step_names": [next] },
        "route": next,
    }))
}
// ANCHOR_END: route_order

pub async fn auto_approve(step: &TaskSequenceStep) -> Outcome {
    let total_cents: i64 = input(step, "total_cents")?;
    Ok(json!({ "approved": true, "by": "rules", "total_cents": total_cents }))
}

/// Stands in for a person's decision: a real app would wait for one here.
pub async fn manual_review(step: &TaskSequenceStep) -> Outcome {
    let total_cents: i64 = input(step, "total_cents")?;
    Ok(json!({ "approved": true, "by": "review queue", "total_cents": total_cents }))
}

// ANCHOR: confirm_order
/// Converges the branches: it depends on both, and Tasker makes it wait for the one
/// the decision created.
pub async fn confirm_order(step: &TaskSequenceStep) -> Outcome {
    let approval: Value =
        parent(step, "manual_review").or_else(|_| parent(step, "auto_approve"))?;
    Ok(json!({ "confirmed": approval["approved"], "approved_by": approval["by"] }))
}
// ANCHOR_END: confirm_order
