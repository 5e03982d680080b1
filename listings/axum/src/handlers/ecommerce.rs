//! The five steps of `ecommerce_order_processing`. Each reads the task context and the
//! results of the steps before it; nothing here talks to a real payment provider.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tasker_shared::types::base::TaskSequenceStep;

use super::{Outcome, StepFailure, input, parent};
use crate::money::{Cents, TAX_RATE_PERCENT, Totals};
use crate::validation::{MAX_ORDER_TOTAL, MAX_QUANTITY, MAX_UNIT_PRICE};

/// A cart line as the task context carries it: money in whole cents.
#[derive(Debug, Deserialize)]
pub struct CartItem {
    pub sku: String,
    pub name: String,
    pub quantity: u64,
    pub unit_price_cents: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ValidatedItem {
    pub sku: String,
    pub name: String,
    pub quantity: u64,
    pub unit_price_cents: i64,
    pub line_total_cents: i64,
}

#[derive(Debug, Deserialize)]
pub struct ValidatedCart {
    pub validated_items: Vec<ValidatedItem>,
    pub item_count: u64,
    pub total_cents: i64,
}

/// The line's total, if the task context holds a line the app could have accepted.
fn line_total(item: &CartItem) -> Option<Cents> {
    let price = Some(Cents::new(item.unit_price_cents))
        .filter(|p| (Cents::new(1)..=MAX_UNIT_PRICE).contains(p))?;
    let quantity = Some(item.quantity).filter(|q| (1..=MAX_QUANTITY).contains(q))?;
    price.checked_mul(quantity)
}

// ANCHOR: validate_cart
/// Prices the cart in whole cents: line totals, subtotal, 8% tax, shipping (free from
/// 100.00), total. Each line passes the API's limits again, so the total is the quote.
pub async fn validate_cart(step: &TaskSequenceStep) -> Outcome {
    let items: Vec<CartItem> = input(step, "cart_items")?;
    if items.is_empty() {
        return Err(StepFailure::permanent(
            "empty_cart",
            "the cart has no items",
        ));
    }
    let mut validated = Vec::new();
    let mut subtotal = Cents::ZERO;
    for item in &items {
        let bad = || {
            StepFailure::permanent(
                "invalid_item",
                format!("{}: bad quantity or price", item.sku),
            )
        };
        let line = line_total(item).ok_or_else(bad)?;
        subtotal = subtotal
            .checked_add(line)
            .filter(|s| *s <= MAX_ORDER_TOTAL)
            .ok_or_else(bad)?;
        validated.push(ValidatedItem {
            sku: item.sku.clone(),
            name: item.name.clone(),
            quantity: item.quantity,
            unit_price_cents: item.unit_price_cents,
            line_total_cents: line.get(),
        });
    }
    let totals = Totals::for_subtotal(subtotal);
    Ok(json!({
        "validated_items": validated,
        "item_count": items.iter().map(|i| i.quantity).sum::<u64>(),
        "tax_rate_percent": TAX_RATE_PERCENT,
        "subtotal_cents": totals.subtotal.get(),
        "tax_cents": totals.tax.get(),
        "shipping_cents": totals.shipping.get(),
        "total_cents": totals.total.get(),
    }))
}
// ANCHOR_END: validate_cart

pub async fn process_payment(step: &TaskSequenceStep) -> Outcome {
    let cart: ValidatedCart = parent(step, "validate_cart")?;
    let email: String = input(step, "customer_email")?;
    Ok(json!({
        "payment_id": format!("pay_{}", step.workflow_step.workflow_step_uuid.simple()),
        "amount_charged_cents": cart.total_cents,
        "currency": "USD",
        "customer_email": email,
        "status": "captured",
    }))
}

pub async fn update_inventory(step: &TaskSequenceStep) -> Outcome {
    let cart: ValidatedCart = parent(step, "validate_cart")?;
    let reservations: Vec<_> = cart
        .validated_items
        .iter()
        .map(|i| json!({ "sku": i.sku, "quantity_reserved": i.quantity }))
        .collect();
    Ok(json!({ "reservations": reservations, "units_reserved": cart.item_count }))
}

pub async fn create_order(step: &TaskSequenceStep) -> Outcome {
    let cart: ValidatedCart = parent(step, "validate_cart")?;
    let payment: serde_json::Value = parent(step, "process_payment")?;
    let order_id: String = input(step, "order_id")?;
    let short: String = order_id.chars().take(8).collect();
    Ok(json!({
        "order_number": format!("ORD-{}", short.to_uppercase()),
        "order_id": order_id,
        "total_cents": cart.total_cents,
        "payment_id": payment["payment_id"],
        "item_count": cart.item_count,
    }))
}

pub async fn send_confirmation(step: &TaskSequenceStep) -> Outcome {
    let order: serde_json::Value = parent(step, "create_order")?;
    let email: String = input(step, "customer_email")?;
    // ANCHOR: busy_relay
    // Mail to `busy-relay.example` stands for a relay that turns the first attempt away,
    // so the "When things go wrong" chapter can show a retry. `attempts` counts the
    // attempts before this one.
    let first_attempt = step.workflow_step.attempts.unwrap_or(0) == 0;
    if email.ends_with("@busy-relay.example") && first_attempt {
        let message = "the mail relay is busy; try again later";
        return Err(StepFailure::retryable("relay_busy", message));
    }
    // ANCHOR_END: busy_relay
    Ok(json!({
        "sent_to": email,
        "order_number": order["order_number"],
        "template": "order_confirmation",
    }))
}
