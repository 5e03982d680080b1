//! The steps of `card_payment`: a charge against a card processor that is down for the
//! first attempts (as many as the task context's `processor_failures`), then a receipt.

use serde_json::{Value, json};
use tasker_shared::types::base::TaskSequenceStep;

use super::{Outcome, StepFailure, input, parent};

// ANCHOR: charge_card
/// Fails with a retryable error while the processor is "down": Tasker runs the step
/// again after a backoff, up to the template's `max_attempts`.
pub async fn charge_card(step: &TaskSequenceStep) -> Outcome {
    let failures: i32 = input(step, "processor_failures")?;
    // `attempts` counts the attempts before this one: 0 on the first run.
    let attempt = step.workflow_step.attempts.unwrap_or(0) + 1;
    if attempt <= failures {
        return Err(StepFailure::retryable(
            "processor_unavailable",
            format!("attempt {attempt}: the card processor did not answer"),
        ));
    }
    let amount_cents: i64 = input(step, "amount_cents")?;
    Ok(json!({ "charged_cents": amount_cents, "attempt": attempt }))
}
// ANCHOR_END: charge_card

pub async fn send_receipt(step: &TaskSequenceStep) -> Outcome {
    let charge: Value = parent(step, "charge_card")?;
    Ok(json!({ "receipt_for_cents": charge["charged_cents"] }))
}
