//! The five steps of `ecommerce_order_processing`. Each reads the task context and the
//! results of the steps before it; nothing here talks to a real payment provider.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tasker_shared::types::base::TaskSequenceStep;

use super::{Outcome, StepFailure, input, parent};
use crate::money::{Cents, TAX_RATE_PERCENT, shipping_for};

#[derive(Debug, Deserialize)]
pub struct CartItem {
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    pub unit_price: f64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ValidatedItem {
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    pub unit_price: f64,
    pub line_total: f64,
}

#[derive(Debug, Deserialize)]
pub struct ValidatedCart {
    pub validated_items: Vec<ValidatedItem>,
    pub item_count: u32,
    pub total: f64,
}

// ANCHOR: validate_cart
/// Prices the cart: line totals, subtotal, 8% tax, shipping (free from 100.00), total.
/// Amounts are computed in whole cents and reported with two decimals.
pub async fn validate_cart(step: &TaskSequenceStep) -> Outcome {
    let items: Vec<CartItem> = input(step, "cart_items")?;
    if items.is_empty() {
        return Err(StepFailure::permanent("empty_cart", "the cart has no items"));
    }
    let mut validated = Vec::new();
    let mut subtotal = Cents(0);
    for item in &items {
        if item.quantity == 0 || item.unit_price <= 0.0 {
            return Err(StepFailure::permanent("invalid_item", format!("{}: bad quantity or price", item.sku)));
        }
        let line_total = Cents::from_amount(item.unit_price).times(item.quantity);
        subtotal = subtotal + line_total;
        validated.push(ValidatedItem {
            sku: item.sku.clone(),
            name: item.name.clone(),
            quantity: item.quantity,
            unit_price: item.unit_price,
            line_total: line_total.amount(),
        });
    }
    let tax = subtotal.percent(TAX_RATE_PERCENT);
    let shipping = shipping_for(subtotal);
    Ok(json!({
        "validated_items": validated,
        "item_count": items.iter().map(|i| i.quantity).sum::<u32>(),
        "subtotal": subtotal.amount(),
        "tax": tax.amount(),
        "tax_rate": TAX_RATE_PERCENT as f64 / 100.0,
        "shipping": shipping.amount(),
        "total": (subtotal + tax + shipping).amount(),
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
    Ok(json!({
        "order_number": format!("ORD-{}", &order_id[..8].to_uppercase()),
        "order_id": order_id,
        "total": cart.total,
        "payment_id": payment["payment_id"],
        "item_count": cart.item_count,
    }))
}

pub async fn send_confirmation(step: &TaskSequenceStep) -> Outcome {
    let order: serde_json::Value = parent(step, "create_order")?;
    let email: String = input(step, "customer_email")?;
    Ok(json!({
        "sent_to": email,
        "order_number": order["order_number"],
        "template": "order_confirmation",
    }))
}
