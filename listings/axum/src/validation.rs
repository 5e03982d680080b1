//! What an order request may contain. Every limit is stated here, once; a request outside
//! them is answered 422 with one message per field, before anything is stored or sent to
//! Tasker (which would refuse some of it with an error the client could not act on).

use std::collections::BTreeMap;

use garde::Validate;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::api::{ApiError, invalid};
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
    /// The cart as the task context carries it: money in whole cents.
    pub fn items_json(&self) -> Value {
        self.items
            .iter()
            .map(|i| {
                json!({
                    "sku": i.sku,
                    "name": i.name,
                    "quantity": i.quantity,
                    "unit_price_cents": i.unit_price.get(),
                })
            })
            .collect()
    }
}

// ANCHOR: order_request
/// An order as the client sends it. serde types each field; a field of the wrong type
/// stops there (serde reads on no further), and serde_path_to_error names it. garde then
/// checks every value against its limit and names every field outside one at once.
#[derive(Debug, Deserialize, Validate)]
pub struct OrderRequest {
    #[serde(default)]
    #[garde(custom(email))]
    pub customer_email: String,
    #[garde(required, length(min = 1, max = MAX_ITEMS), dive)]
    pub cart_items: Option<Vec<CartItem>>,
}

#[derive(Debug, Deserialize, Validate)]
pub struct CartItem {
    #[serde(default)]
    #[garde(custom(label(1, MAX_SKU_CHARS)))]
    pub sku: String,
    /// Optional: defaults to the SKU.
    #[garde(custom(optional_label(MAX_NAME_CHARS)))]
    pub name: Option<String>,
    #[garde(required, range(min = 1, max = MAX_QUANTITY))]
    pub quantity: Option<u64>,
    /// Dollars as a decimal string, with at most two decimals ("24.99").
    #[garde(required, custom(amount))]
    pub unit_price: Option<String>,
}
// ANCHOR_END: order_request

impl OrderRequest {
    /// The order to store and hand to Tasker, once its values passed `validate`; an order
    /// over the total limit is refused here, where its total is known.
    pub fn into_new_order(self) -> Result<NewOrder, ApiError> {
        let items: Vec<LineItem> = (self.cart_items.unwrap_or_default().into_iter())
            .map(|item| {
                let sku = item.sku.trim().to_string();
                LineItem {
                    name: item
                        .name
                        .map_or_else(|| sku.clone(), |n| n.trim().to_string()),
                    sku,
                    quantity: item.quantity.unwrap_or_default(),
                    unit_price: (item.unit_price.as_deref())
                        .and_then(Cents::parse)
                        .unwrap_or_default(),
                }
            })
            .collect();
        // Bounded: at most 100 lines of 10,000 × 100,000.00, far inside an i64 of cents.
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
            return Err(invalid("cart_items", &message));
        }
        let customer_email = self.customer_email.trim().to_string();
        Ok(NewOrder {
            customer_email,
            items,
            totals,
        })
    }
}

fn email(email: &str, _: &()) -> garde::Result {
    match email.trim() {
        "" => Err(garde::Error::new("is required")),
        e if !is_email(e) => Err(garde::Error::new("is not a valid email address")),
        _ => Ok(()),
    }
}

fn label(min: usize, max: usize) -> impl FnOnce(&str, &()) -> garde::Result {
    move |text, _| match is_label(text.trim(), min, max) {
        true => Ok(()),
        false => Err(garde::Error::new(format!(
            "must be {min} to {max} characters, none of them control characters"
        ))),
    }
}

fn optional_label(max: usize) -> impl FnOnce(&Option<String>, &()) -> garde::Result {
    move |text, ctx| match text {
        Some(text) => label(0, max)(text, ctx),
        None => Ok(()),
    }
}

fn amount(text: &Option<String>, _: &()) -> garde::Result {
    let cents = text.as_deref().and_then(Cents::parse);
    match cents.filter(|p| (Cents::new(1)..=MAX_UNIT_PRICE).contains(p)) {
        Some(_) => Ok(()),
        None => Err(garde::Error::new(format!(
            "must be an amount from 0.01 to {MAX_UNIT_PRICE}, in whole cents"
        ))),
    }
}

/// A request body as `T`: a field of the wrong type, or every value outside its limits,
/// as field errors keyed by path (`cart_items[1].quantity`).
pub fn checked<T>(body: &Value) -> Result<T, ApiError>
where
    T: DeserializeOwned + Validate<Context = ()>,
{
    // serde would read a struct from an array too, by position.
    if !body.is_object() {
        return Err(invalid("body", "must be a JSON object"));
    }
    let request: T = serde_path_to_error::deserialize(body)
        .map_err(|e| invalid(&e.path().to_string(), &e.inner().to_string()))?;
    request.validate().map_err(|report| {
        let mut fields = BTreeMap::new();
        for (path, error) in report.iter() {
            fields
                .entry(path.to_string())
                .or_insert_with(|| error.message().to_string());
        }
        ApiError::Invalid(fields)
    })?;
    Ok(request)
}

/// An order request body as a `NewOrder`: every problem as a field error.
pub fn validate_order(body: &Value) -> Result<NewOrder, ApiError> {
    checked::<OrderRequest>(body)?.into_new_order()
}

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
            { "sku": "WIDGET-1", "name": "Widget", "quantity": 2, "unit_price": "24.99" },
            { "sku": "GADGET-7", "quantity": 1, "unit_price": "12.50" } ] });
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
            json!(24.99),
            json!("0"),
            json!("-1"),
            json!("24.999"),
            json!("1e3"),
            json!(" 1.00"),
            json!("100000.01"),
        ] {
            let f = fields(
                json!({ "customer_email": "a@b.co", "cart_items": [item(price.clone())] }),
            );
            assert!(f.contains_key("cart_items[0].unit_price"), "{price}: {f:?}");
        }
    }

    #[test]
    fn the_order_total_is_bounded() {
        let big = json!({ "sku": "A", "quantity": 10_000, "unit_price": "100000" });
        let f = fields(json!({ "customer_email": "a@b.co", "cart_items": [big] }));
        assert!(
            f["cart_items"].contains("exceeds the limit of 1000000.00"),
            "{f:?}"
        );
    }

    #[test]
    fn strings_are_bounded_and_printable() {
        let long_sku = json!({ "sku": "S".repeat(65), "quantity": 1, "unit_price": "1" });
        let control = json!({ "sku": "A\u{7}", "name": "bell\u{0}", "quantity": 1, "unit_price": "1" });
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
            json!({ "customer_email": "a@b.co", "cart_items": vec![item(json!("1")); 101] }),
        );
        assert!(f["cart_items"].contains("100"), "{f:?}");
    }

    #[test]
    fn a_field_of_the_wrong_type_is_named() {
        // serde reads no further than the first field of the wrong type.
        let line = |k: &str, v: Value| {
            let mut item = json!({ "sku": "A", "quantity": 1, "unit_price": "1" });
            item[k] = v;
            json!({ "customer_email": "a@b.co", "cart_items": [item] })
        };
        let cases = [
            (
                json!({ "customer_email": 7, "cart_items": [] }),
                "customer_email",
            ),
            (
                json!({ "customer_email": "a@b.co", "cart_items": ["x"] }),
                "cart_items[0]",
            ),
            (line("sku", json!(1)), "cart_items[0].sku"),
            (line("quantity", json!(1.5)), "cart_items[0].quantity"),
            (line("unit_price", Value::Null), "cart_items[0].unit_price"),
            (line("unit_price", json!(24.99)), "cart_items[0].unit_price"),
            (json!([1]), "body"),
        ];
        for (body, field) in cases {
            let f = fields(body.clone());
            assert!(f.contains_key(field), "{body}: {f:?}");
        }
    }
}
