//! What an order request may contain. Every limit is stated here, once; a request outside
//! them is answered 422 with one message per field, before anything is stored or sent to
//! Tasker (which would refuse some of it with an error the client could not act on).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::api::ApiError;
use crate::money::{Cents, Totals};

// ANCHOR: limits
/// Request bodies larger than this are refused before they are parsed (413).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
pub const MAX_ITEMS: usize = 100;
pub const MAX_QUANTITY: u64 = 10_000;
pub const MAX_UNIT_PRICE: Cents = Cents::new(100_000_00);
/// No order may cost more than this, tax and shipping included.
pub const MAX_ORDER_TOTAL: Cents = Cents::new(1_000_000_00);
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_SKU_CHARS: usize = 64;
pub const MAX_NAME_CHARS: usize = 200;
// ANCHOR_END: limits

/// One line of a validated cart.
#[derive(Debug, Clone, PartialEq)]
pub struct LineItem {
    pub sku: String,
    pub name: String,
    pub quantity: u64,
    pub unit_price: Cents,
}

/// A validated order, ready to store and to hand to Tasker.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub customer_email: String,
    pub items: Vec<LineItem>,
    pub totals: Totals,
}

impl NewOrder {
    /// The cart as the task context carries it (prices as dollars, as the client sent them).
    pub fn items_json(&self) -> Value {
        self.items
            .iter()
            .map(|i| {
                json!({
                    "sku": i.sku,
                    "name": i.name,
                    "quantity": i.quantity,
                    "unit_price": i.unit_price.dollars(),
                })
            })
            .collect()
    }
}

// ANCHOR: validate_order
/// Every problem at once, keyed by field path (`cart_items[1].quantity`).
pub fn validate_order(body: &Value) -> Result<NewOrder, ApiError> {
    let mut errors = BTreeMap::new();
    let mut error = |field: String, message: &str| {
        errors.entry(field).or_insert_with(|| message.to_string());
    };
    let email = body["customer_email"].as_str().unwrap_or("").trim();
    if email.is_empty() {
        error("customer_email".into(), "is required");
    } else if !is_email(email) {
        error("customer_email".into(), "is not a valid email address");
    }
    let mut items = Vec::new();
    match body["cart_items"].as_array() {
        None => error("cart_items".into(), "is required and must be a list"),
        Some(list) if list.is_empty() => {
            error("cart_items".into(), "must contain at least one item")
        }
        Some(list) if list.len() > MAX_ITEMS => error(
            "cart_items".into(),
            &format!("may contain at most {MAX_ITEMS} items"),
        ),
        Some(list) => {
            for (i, item) in list.iter().enumerate() {
                let field = |name: &str| format!("cart_items[{i}].{name}");
                if !item.is_object() {
                    error(format!("cart_items[{i}]"), "must be an object");
                    continue;
                }
                let sku = item["sku"].as_str().map(str::trim).unwrap_or("");
                if !is_label(sku, 1, MAX_SKU_CHARS) {
                    let message = format!(
                        "must be 1 to {MAX_SKU_CHARS} characters, none of them control characters"
                    );
                    error(field("sku"), &message);
                }
                // The name is optional and defaults to the SKU.
                let name = match &item["name"] {
                    Value::Null => Some(sku),
                    Value::String(name) => Some(name.trim()),
                    _ => None,
                };
                if !name.is_some_and(|n| is_label(n, 0, MAX_NAME_CHARS)) {
                    let message = format!(
                        "must be at most {MAX_NAME_CHARS} characters, none of them control characters"
                    );
                    error(field("name"), &message);
                }
                let quantity = item["quantity"]
                    .as_u64()
                    .filter(|q| (1..=MAX_QUANTITY).contains(q));
                if quantity.is_none() {
                    error(
                        field("quantity"),
                        &format!("must be a whole number from 1 to {MAX_QUANTITY}"),
                    );
                }
                let unit_price = item["unit_price"]
                    .as_f64()
                    .and_then(Cents::from_dollars)
                    .filter(|p| (Cents::new(1)..=MAX_UNIT_PRICE).contains(p));
                if unit_price.is_none() {
                    let message = format!(
                        "must be an amount from 0.01 to {MAX_UNIT_PRICE}, in whole cents"
                    );
                    error(field("unit_price"), &message);
                }
                if let (Some(name), Some(quantity), Some(unit_price)) =
                    (name, quantity, unit_price)
                {
                    items.push(LineItem {
                        sku: sku.to_string(),
                        name: name.to_string(),
                        quantity,
                        unit_price,
                    });
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    // Bounded above: at most 100 lines of 10,000 × 100,000.00, far inside an i64 of cents.
    let subtotal = items.iter().fold(Cents::ZERO, |sum, i| {
        let line = i
            .unit_price
            .checked_mul(i.quantity)
            .expect("bounded line total");
        sum.checked_add(line).expect("bounded subtotal")
    });
    let totals = Totals::for_subtotal(subtotal);
    if totals.total > MAX_ORDER_TOTAL {
        let message = format!(
            "the order total {} exceeds the limit of {MAX_ORDER_TOTAL}",
            totals.total
        );
        return Err(ApiError::Invalid(BTreeMap::from([(
            "cart_items".into(),
            message,
        )])));
    }
    Ok(NewOrder {
        customer_email: email.to_string(),
        items,
        totals,
    })
}
// ANCHOR_END: validate_order

/// `user@domain.tld`: printable ASCII without spaces, one `@`, a dot inside the domain.
fn is_email(email: &str) -> bool {
    let printable = email.chars().all(|c| c.is_ascii_graphic());
    let shape = email.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    });
    printable && shape && email.len() <= MAX_EMAIL_CHARS
}

/// Text a person typed: a bounded number of characters, none of them control characters.
pub(crate) fn is_label(text: &str, min: usize, max: usize) -> bool {
    let n = text.chars().count();
    (min..=max).contains(&n) && !text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(body: Value) -> BTreeMap<String, String> {
        match validate_order(&body) {
            Err(ApiError::Invalid(fields)) => fields,
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    fn item(price: Value) -> Value {
        json!({ "sku": "A-1", "name": "A", "quantity": 1, "unit_price": price })
    }

    #[test]
    fn prices_the_cart_in_cents() {
        let body = json!({ "customer_email": "ada@example.com", "cart_items": [
            { "sku": "WIDGET-1", "name": "Widget", "quantity": 2, "unit_price": 24.99 },
            { "sku": "GADGET-7", "quantity": 1, "unit_price": 12.50 } ] });
        let order = validate_order(&body).unwrap();
        assert_eq!(order.totals.total, Cents::new(77_47));
        assert_eq!(
            order.items[1].name, "GADGET-7",
            "the name defaults to the SKU"
        );
    }

    #[test]
    fn money_at_the_extremes_is_refused() {
        for price in [
            json!(1e308),
            json!(1e-9),
            json!(0),
            json!(-1),
            json!(24.999),
            json!("24.99"),
            json!(100_000.01),
        ] {
            let f = fields(
                json!({ "customer_email": "a@b.co", "cart_items": [item(price.clone())] }),
            );
            assert!(f.contains_key("cart_items[0].unit_price"), "{price}: {f:?}");
        }
    }

    #[test]
    fn the_order_total_is_bounded() {
        let big = json!({ "sku": "A", "quantity": 10_000, "unit_price": 100_000 });
        let f = fields(json!({ "customer_email": "a@b.co", "cart_items": [big] }));
        assert!(
            f["cart_items"].contains("exceeds the limit of 1000000.00"),
            "{f:?}"
        );
    }

    #[test]
    fn strings_are_bounded_and_printable() {
        let long_sku = json!({ "sku": "S".repeat(65), "quantity": 1, "unit_price": 1 });
        let control = json!({ "sku": "A\u{7}", "name": "bell\u{0}", "quantity": 1, "unit_price": 1 });
        let f = fields(
            json!({ "customer_email": format!("{}@b.co", "a".repeat(260)), "cart_items": [long_sku, control] }),
        );
        assert!(
            f.contains_key("customer_email") && f.contains_key("cart_items[0].sku"),
            "{f:?}"
        );
        assert!(
            f.contains_key("cart_items[1].sku") && f.contains_key("cart_items[1].name"),
            "{f:?}"
        );
        let f = fields(
            json!({ "customer_email": "a@b.co", "cart_items": vec![item(json!(1)); 101] }),
        );
        assert_eq!(f["cart_items"], "may contain at most 100 items");
    }

    #[test]
    fn wrong_types_are_field_errors() {
        let f = fields(
            json!({ "customer_email": 7, "cart_items": ["x", { "sku": 1, "quantity": 1.5, "unit_price": null }] }),
        );
        assert!(
            f.contains_key("customer_email") && f.contains_key("cart_items[0]"),
            "{f:?}"
        );
        assert!(
            f.contains_key("cart_items[1].sku")
                && f.contains_key("cart_items[1].quantity"),
            "{f:?}"
        );
        assert!(f.contains_key("cart_items[1].unit_price"), "{f:?}");
    }
}
