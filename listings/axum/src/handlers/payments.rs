//! The steps of `card_payment`: a charge against a card processor that is down for the
//! first attempts (as many as the task context's `processor_failures`), then a receipt.
//! The app's `charges` table plays the processor's ledger.

use serde_json::{Value, json};
use tasker_shared::types::base::TaskSequenceStep;
use uuid::Uuid;

use super::app_db::{database, db};
use super::{Outcome, StepFailure, input, parent};

// ANCHOR: charge_card
/// Fails with a retryable error while the processor is "down": Tasker runs the step
/// again after a backoff, up to the template's `max_attempts`. Then charges the payment
/// once, keyed by its id: a payment charged before (by an earlier attempt or an earlier
/// task for it) answers with that charge instead of a new one.
pub async fn charge_card(step: &TaskSequenceStep) -> Outcome {
    let payment_id: Uuid = input(step, "payment_id")?;
    let amount_cents: i64 = input(step, "amount_cents")?;
    let failures: i32 = input(step, "processor_failures")?;
    // `attempts` counts the attempts before this one: 0 on the first run.
    let attempt = step.workflow_step.attempts.unwrap_or(0) + 1;
    if attempt <= failures {
        return Err(StepFailure::retryable(
            "processor_unavailable",
            format!("attempt {attempt}: the card processor did not answer"),
        ));
    }
    let db = db()?;
    sqlx::query(
        "INSERT INTO charges (payment_id, amount_cents, task_uuid, attempt) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (payment_id) DO NOTHING",
    )
    .bind(payment_id)
    .bind(amount_cents)
    .bind(step.task.task.task_uuid)
    .bind(attempt)
    .execute(db)
    .await
    .map_err(database)?;
    let (charged_cents, charged_by): (i64, Uuid) = sqlx::query_as(
        "SELECT amount_cents, task_uuid FROM charges WHERE payment_id = $1",
    )
    .bind(payment_id)
    .fetch_one(db)
    .await
    .map_err(database)?;
    Ok(json!({
        "charged_cents": charged_cents,
        "attempt": attempt,
        "charged_by_task": charged_by,
    }))
}
// ANCHOR_END: charge_card

pub async fn send_receipt(step: &TaskSequenceStep) -> Outcome {
    let charge: Value = parent(step, "charge_card")?;
    Ok(json!({ "receipt_for_cents": charge["charged_cents"] }))
}
