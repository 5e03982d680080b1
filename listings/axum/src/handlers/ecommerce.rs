//! The five steps of `ecommerce_order_processing`. Each reads the task context and the
//! results of the steps before it; nothing here talks to a real payment provider.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tasker_shared::types::base::TaskSequenceStep;

use super::{Outcome, StepFailure, input, parent};
use crate::money::{Cents, TAX_RATE_PERCENT, Totals};
use crate::validation::{MAX_ORDER_TOTAL, MAX_QUANTITY, MAX_UNIT_PRICE};

/// A cart line as the task context carries it: prices in dollars.
#[derive(Debug, Deserialize)]
pub struct CartItem {
    pub sku: String,
    pub name: String,
    pub quantity: u64,
    pub unit_price: f64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ValidatedItem {
    pub sku: String,
    pub name: String,
    pub quantity: u64,
    pub unit_price: f64,
    pub line_total: f64,
}

#[derive(Debug, Deserialize)]
pub struct ValidatedCart {
    pub validated_items: Vec<ValidatedItem>,
    pub item_count: u64,
    pub total: f64,
}

/// The item's price in cents, if the task context holds one the app could have accepted.
fn line_total(item: &CartItem) -> Option<Cents> {
    let price = Cents::from_dollars(item.unit_price)
        .filter(|p| (Cents::new(1)..=MAX_UNIT_PRICE).contains(p))?;
    let quantity = Some(item.quantity).filter(|q| (1..=MAX_QUANTITY).contains(q))?;
    price.checked_mul(quantity)
}

// ANCHOR: validate_cart
/// Prices the cart: line totals, subtotal, 8% tax, shipping (free from 100.00), total.
/// Amounts are computed in whole cents and reported as dollars.
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
            unit_price: item.unit_price,
            line_total: line.dollars(),
        });
    }
    let totals = Totals::for_subtotal(subtotal);
    Ok(json!({
        "validated_items": validated,
        "item_count": items.iter().map(|i| i.quantity).sum::<u64>(),
        "subtotal": totals.subtotal.dollars(),
        "tax": totals.tax.dollars(),
        "tax_rate": TAX_RATE_PERCENT as f64 / 100.0,
        "shipping": totals.shipping.dollars(),
        "total": totals.total.dollars(),
    }))
}
// ANCHOR_END: validate_cart

pub async fn process_payment(step: &TaskSequenceStep) -> Outcome {
    let cart: ValidatedCart = parent(step, "validate_cart")?;
    let email: String = input(step, "customer_email")?;
    Ok(json!({
        "payment_id": format!("pay_{}", step.workflow_step.workflow_step_uuid.simple()),
        "amount_charged": cart.total,
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
        "total": cart.total,
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
