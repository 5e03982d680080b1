//! Hostile input, generated with proptest: whatever a client sends, the app answers 4xx
//! with field errors and stores nothing, or creates the order with exactly the total an
//! independent integer-cents computation gives. Never a 5xx, a panic or a dropped
//! connection. Runs against the app's background-job path (`/orders/async`) with Tasker a
//! closed port and no worker: an accepted order is stored and its job fails at once, so
//! thousands of generated orders leave no Tasker tasks behind for the next worker to run.
//! A failure prints the shrunk request; proptest keeps its seed in
//! `tests/hostile.proptest-regressions` to replay it.

mod common;

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use common::{App, app_database_url, spawn_app};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use serde_json::{Value, json};

fn app() -> &'static str {
    static APP: OnceLock<App> = OnceLock::new();
    let closed = [
        ("ORCHESTRATION_URL", "http://127.0.0.1:9"),
        ("APP_WORKER", "off"),
    ];
    &APP.get_or_init(|| spawn_app(&closed)).url
}

/// The app's orders table, read directly, to prove rejections store nothing.
struct Orders {
    runtime: tokio::runtime::Runtime,
    pool: sqlx::PgPool,
}

fn orders() -> &'static Orders {
    static ORDERS: OnceLock<Orders> = OnceLock::new();
    ORDERS.get_or_init(|| {
        // The app creates its tables when it starts: on a new database they exist only
        // then (cargo runs this binary before live.rs, whose app would create them too).
        app();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let pool = runtime
            .block_on(sqlx::PgPool::connect(&app_database_url()))
            .expect("connecting to example_axum");
        Orders { runtime, pool }
    })
}

impl Orders {
    fn count(&self) -> i64 {
        let query =
            sqlx::query_scalar("SELECT count(*) FROM orders").fetch_one(&self.pool);
        self.runtime.block_on(query).unwrap()
    }

    fn total_cents(&self, id: &str) -> i64 {
        let query =
            sqlx::query_scalar("SELECT total_cents FROM orders WHERE id = $1::uuid")
                .bind(id)
                .fetch_one(&self.pool);
        self.runtime.block_on(query).unwrap()
    }
}

/// The order total the spec gives, in cents, or why the app must refuse the cart. Prices
/// are read from their JSON text, not with the app's arithmetic.
fn independent_total_cents(body: &Value) -> Result<i64, String> {
    let text_ok = |v: &Value, low: usize, high: usize| {
        v.as_str().is_some_and(|s| {
            let s = s.trim();
            (low..=high).contains(&s.chars().count()) && !s.chars().any(char::is_control)
        })
    };
    let items = body["cart_items"].as_array().ok_or("no cart")?;
    if !(1..=100).contains(&items.len()) {
        return Err("cart size".into());
    }
    if !text_ok(&body["customer_email"], 3, 254) {
        return Err("email".into());
    }
    let mut subtotal: i64 = 0;
    for item in items {
        if !text_ok(&item["sku"], 1, 64)
            || !(item["name"].is_null() || text_ok(&item["name"], 0, 200))
        {
            return Err(format!("sku or name in {item}"));
        }
        let quantity = item["quantity"]
            .as_i64()
            .filter(|q| (1..=10_000).contains(q));
        let quantity = quantity.ok_or(format!("quantity in {item}"))?;
        let price = match &item["unit_price"] {
            Value::String(s) => s.clone(),
            other => return Err(format!("price {other} is not a decimal string")),
        };
        let (whole, cents) = price.split_once('.').unwrap_or((&price, ""));
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(cents)
            || cents.len() > 2
            || (price.contains('.') && cents.is_empty())
            || whole.len() > 6
        {
            return Err(format!("price {price} is not whole cents"));
        }
        let cents: i64 = whole.parse::<i64>().unwrap() * 100
            + format!("{cents:0<2}").parse::<i64>().unwrap();
        if !(1..=100_000_00).contains(&cents) {
            return Err(format!("price {price} out of range"));
        }
        subtotal += cents * quantity;
    }
    let total =
        subtotal + (subtotal * 8 + 50) / 100 + if subtotal >= 100_00 { 0 } else { 9_99 };
    if total > 1_000_000_00 {
        Err("order total over the limit".into())
    } else {
        Ok(total)
    }
}

fn post(raw: String) -> reqwest::blocking::Response {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
        .post(format!("{}/orders/async", app()))
        .header("content-type", "application/json")
        .body(raw)
        .send()
        .expect("the app answers (no dropped connection)")
}

fn check(
    sent: Option<&Value>,
    response: reqwest::blocking::Response,
    before: i64,
) -> Result<(), TestCaseError> {
    let status = response.status().as_u16();
    let answer: Value = response.json().unwrap_or(Value::Null);
    prop_assert!(status < 500, "{status}: {answer}");
    if status == 202 {
        let sent = sent.ok_or_else(|| TestCaseError::fail("accepted a raw body"))?;
        let want = independent_total_cents(sent).map_err(|why| {
            TestCaseError::fail(format!("accepted what the spec refuses ({why})"))
        })?;
        prop_assert_eq!(
            orders().total_cents(answer["id"].as_str().unwrap()),
            want,
            "stored total"
        );
        return Ok(());
    }
    prop_assert!((400..500).contains(&status), "{status}: {answer}");
    prop_assert_eq!(&answer["error"], "validation_failed", "{}", answer);
    prop_assert!(
        answer["fields"].as_object().is_some_and(|f| !f.is_empty()),
        "{}",
        answer
    );
    prop_assert_eq!(orders().count(), before, "a refused order was stored");
    Ok(())
}

/// The count of orders before and after a request means something only if no other test
/// of this process stores an order in between: one request at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn send(body: &Value) -> Result<(), TestCaseError> {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let before = orders().count();
    check(Some(body), post(body.to_string()), before)
}

fn wrong() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        Just(json!([])),
        Just(json!({}))
    ]
}

/// Strings: short, empty, with a control character, and just past each length limit.
fn text() -> impl Strategy<Value = Value> {
    prop_oneof![
        ".{0,20}".prop_map(Value::from),
        ("[a-z]{0,4}", 0u8..32)
            .prop_map(|(s, c)| Value::from(format!("{s}{}", c as char))),
        Just(json!("")),
        (65usize..70).prop_map(|n| Value::from("s".repeat(n))),
        (201usize..210).prop_map(|n| Value::from("ü".repeat(n))),
        (250usize..260).prop_map(|n| Value::from(format!("{}@b.co", "a".repeat(n)))),
    ]
}

/// 1999 → "19.99", as a client sends an amount.
fn amount(cents: i64) -> Value {
    Value::from(format!("{}.{:02}", cents / 100, cents % 100))
}

/// Amounts are decimal strings; near misses: JSON numbers, signs, exponents, spaces,
/// sub-cent digits, non-ASCII digits, just past the limits.
fn money() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            json!(24.99),
            json!(0),
            json!(1),
            json!("0"),
            json!("0.00"),
            json!("-0.01"),
            json!("+1.00"),
            json!("0.001"),
            json!("24.999"),
            json!("1e3"),
            json!(" 1.00"),
            json!("1.00 "),
            json!("1."),
            json!(".50"),
            json!("1,00"),
            json!("\u{663}.00"),
            json!("100000.01"),
            json!("1000000"),
        ]),
        any::<f64>().prop_map(|p| json!(p)),
        (0i64..20_000_000).prop_map(amount),
        (0.0f64..200_000.0).prop_map(|p| Value::from(p.to_string())),
        "[0-9.e-]{0,6}".prop_map(Value::from),
        wrong(),
    ]
}

fn quantity() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            json!(0),
            json!(-1),
            json!(10_001),
            json!(1.5),
            json!(u64::MAX)
        ]),
        (-5i64..12_000).prop_map(|q| json!(q)),
        "[0-9]{0,3}".prop_map(Value::from),
        wrong(),
    ]
}

/// Mostly everyday carts (so that most good orders stay under the total cap and are
/// accepted), sometimes ones at the limits.
fn good_item() -> impl Strategy<Value = Value> {
    let quantity =
        prop_oneof![4 => 1u64..=20, 1 => prop::sample::select(vec![9_999u64, 10_000])];
    let cents = prop_oneof![4 => 1i64..=100_00, 1 => 1i64..=100_000_00];
    ("[A-Z0-9-]{1,64}", quantity, cents).prop_map(|(sku, quantity, cents)| {
        json!({ "sku": sku, "quantity": quantity, "unit_price": amount(cents) })
    })
}

fn good_order() -> impl Strategy<Value = Value> {
    prop::collection::vec(good_item(), 1..=4).prop_map(
        |items| json!({ "customer_email": "buyer@example.com", "cart_items": items }),
    )
}

/// A good order with one field replaced by hostile input: if the app drops any one check,
/// this is the request that shows it.
fn one_hostile_field() -> impl Strategy<Value = Value> {
    // Each field gets the kind of hostile value that probes its own checks, or a wrong type.
    let field_and_value = prop_oneof![
        (Just("sku"), prop_oneof![text(), wrong()]),
        (Just("name"), prop_oneof![text(), wrong()]),
        (Just("quantity"), quantity()),
        (Just("unit_price"), money()),
        (Just("customer_email"), prop_oneof![text(), wrong()]),
    ];
    (good_order(), field_and_value, any::<prop::sample::Index>()).prop_map(
        |(mut order, (field, value), at)| {
            if field == "customer_email" {
                order["customer_email"] = value;
            } else {
                let items = order["cart_items"].as_array_mut().unwrap();
                let i = at.index(items.len());
                items[i][field] = value;
            }
            order
        },
    )
}

fn any_body() -> impl Strategy<Value = Value> {
    let items = prop::collection::vec(prop_oneof![good_item(), wrong(), text()], 0..6);
    prop_oneof![
        good_order(),
        (
            prop_oneof![text(), wrong()],
            prop_oneof![items.prop_map(Value::from), wrong()]
        )
            .prop_map(
                |(email, cart)| json!({ "customer_email": email, "cart_items": cart })
            ),
        (99usize..=102).prop_map(|n| json!({
            "customer_email": "buyer@example.com",
            "cart_items": vec![json!({ "sku": "A", "quantity": 1, "unit_price": "1.00" }); n],
        })),
        wrong(),
        text(),
    ]
}

proptest! {
    #![proptest_config(Config { cases: 200, ..Config::default() })]

    #[test]
    fn a_good_order_with_one_hostile_field_is_refused_or_priced_exactly(body in one_hostile_field()) {
        send(&body)?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 100, ..Config::default() })]

    #[test]
    fn any_body_is_refused_with_field_errors_or_priced_exactly(body in any_body()) {
        send(&body)?;
    }
}

/// What a cross-site form can send without a preflight: only declared JSON is read.
#[test]
fn a_json_order_sent_as_text_plain_is_a_415() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let before = orders().count();
    let order = json!({ "customer_email": "a@b.co",
        "cart_items": [{ "sku": "A", "quantity": 1, "unit_price": "1.00" }] });
    let response = reqwest::blocking::Client::new()
        .post(format!("{}/orders/async", app()))
        .header("content-type", "text/plain")
        .body(order.to_string())
        .send()
        .expect("the app answers");
    assert_eq!(response.status().as_u16(), 415);
    check(None, response, before).unwrap();
}

#[test]
fn malformed_nested_and_oversized_bodies_are_4xx() {
    let cases = [
        ("[".repeat(5_000) + "]".repeat(5_000).as_str(), 422),
        (
            r#"{"customer_email": "a@b.co", "cart_items": ["#.to_string(),
            422,
        ),
        (
            format!(
                r#"{{"cart_items": [{}{{}}]}}"#,
                r#"{"sku": "A"},"#.repeat(9_000)
            ),
            413,
        ),
        (" ".repeat(64 * 1024 + 1), 413),
    ];
    for (raw, status) in cases {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let before = orders().count();
        let response = post(raw.clone());
        assert_eq!(
            response.status().as_u16(),
            status,
            "{}…",
            &raw[..raw.len().min(60)]
        );
        check(None, response, before).unwrap();
    }
}

/// An order of `lines` identical lines: one widget at 1.00 unless `line` says.
fn order(line: Value, lines: usize) -> Value {
    let mut item = json!({ "sku": "WIDGET-1", "quantity": 1, "unit_price": "1.00" });
    item.as_object_mut()
        .unwrap()
        .extend(line.as_object().unwrap().clone());
    json!({ "customer_email": "buyer@example.com", "cart_items": vec![item; lines] })
}

fn with_email(mut order: Value, email: String) -> Value {
    order["customer_email"] = email.into();
    order
}

/// Each limit from both sides, on every run, whatever the generators above happen to draw:
/// the order at the limit is taken and priced exactly, the one just past it is refused with
/// an error on that field.
#[test]
fn an_order_at_a_limit_is_taken_and_one_past_it_refused() {
    let one = |line: Value| order(line, 1);
    let limits = [
        (
            "cart size",
            order(json!({}), 100),
            order(json!({}), 101),
            "cart_items",
        ),
        (
            "quantity",
            one(json!({ "quantity": 10_000 })),
            one(json!({ "quantity": 10_001 })),
            "cart_items[0].quantity",
        ),
        (
            "unit price",
            one(json!({ "unit_price": "100000.00" })),
            one(json!({ "unit_price": "100000.01" })),
            "cart_items[0].unit_price",
        ),
        // 9,259 x 100.00 plus 8% tax is 999,972.00; one more is 1,000,080.00.
        (
            "order total",
            one(json!({ "quantity": 9_259, "unit_price": "100.00" })),
            one(json!({ "quantity": 9_260, "unit_price": "100.00" })),
            "cart_items",
        ),
        (
            "sku length",
            one(json!({ "sku": "S".repeat(64) })),
            one(json!({ "sku": "S".repeat(65) })),
            "cart_items[0].sku",
        ),
        (
            "name length",
            one(json!({ "name": "N".repeat(200) })),
            one(json!({ "name": "N".repeat(201) })),
            "cart_items[0].name",
        ),
        (
            "email length",
            with_email(one(json!({})), format!("{}@example.com", "b".repeat(242))),
            with_email(one(json!({})), format!("{}@example.com", "b".repeat(243))),
            "customer_email",
        ),
    ];
    for (limit, at, past, field) in limits {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let before = orders().count();
        let taken = post(at.to_string());
        assert_eq!(taken.status().as_u16(), 202, "at the {limit} limit");
        check(Some(&at), taken, before).unwrap();
        let refused = post(past.to_string());
        let status = refused.status().as_u16();
        let answer: Value = refused.json().unwrap_or(Value::Null);
        // First the spec's own reason, should the app have taken it.
        if status == 202 {
            let why = independent_total_cents(&past).expect_err("the spec refuses it");
            panic!("past the {limit} limit, accepted what the spec refuses ({why})");
        }
        assert_eq!(status, 422, "past the {limit} limit: {answer}");
        assert!(
            answer["fields"].get(field).is_some(),
            "past the {limit} limit: {answer}"
        );
        assert_eq!(orders().count(), before + 1, "a refused order was stored");
    }
}
