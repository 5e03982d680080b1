"""Hostile input, generated: whatever a client sends, the app answers 4xx with field
errors and stores nothing, or creates the order with exactly the total an independent
integer-cents computation gives. Never a 5xx. Orders go to the background-job path of an
app whose Tasker is a closed port (tests/conftest.py): an accepted order is stored and its
job fails at once, so thousands of generated orders leave no Tasker tasks behind.
Hypothesis prints the shrunk failing request and a @reproduce_failure blob to replay
it."""

from __future__ import annotations

import asyncio
import json
import re
from decimal import Decimal

import asyncpg
import httpx
import pytest
from conftest import APP_DB
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.validation import MAX_BODY_BYTES

# Bounded so the suite stays fast: most generated requests are refused in milliseconds.
RUNS = settings(
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CONTROL = st.characters(min_codepoint=0, max_codepoint=31)
TEXT = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.builds(
        lambda a, c, b: a + c + b, st.text(max_size=5), CONTROL, st.text(max_size=5)
    ),
    st.just(""),
    st.just("WIDGET-1"),
)


def just_past(limit: int, suffix: str = "") -> st.SearchStrategy[str]:
    """A string just past a length limit (the spec's: SKU 64, name 200, email 254): the
    first value a dropped limit would let through."""
    return st.integers(limit + 1, limit + 5).map(
        lambda n: "n" * (n - len(suffix)) + suffix
    )


def amount(cents: int) -> str:
    """1999 → "19.99", as a client sends it."""
    return f"{cents // 100}.{cents % 100:02d}"


WRONG = st.one_of(
    st.none(), st.booleans(), st.lists(st.integers(), max_size=2), st.just({})
)
# Amounts are decimal strings ("24.99"). Near misses: JSON numbers, signs, exponents,
# spaces, sub-cent digits, non-ASCII digits, just past the limits.
EDGE_MONEY = st.sampled_from(
    [
        24.99,
        0,
        1,
        "0",
        "0.00",
        "-0.01",
        "+1.00",
        "0.001",
        "24.999",
        "1e3",
        " 1.00",
        "1.00 ",
        "1.",
        ".50",
        "1,00",
        "\u0663.00",
        "100000.01",
        "1000000",
        "NaN",
        "Infinity",
    ]
)
MONEY = st.one_of(
    EDGE_MONEY,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.decimals(min_value=0, max_value=200_000, places=3).map(str),
    st.decimals(min_value=0, max_value=200_000, places=2).map(str),
    st.text(max_size=6),
    WRONG,
)
QUANTITY = st.one_of(
    st.sampled_from([0, -1, 10_001, 2**63, -(2**63), 1.5]),
    st.integers(min_value=-5, max_value=12_000),
    st.text(max_size=3),
    WRONG,
)
EMAIL = st.one_of(st.emails().filter(lambda e: len(e) < 80), TEXT, WRONG)
ITEM = st.one_of(
    st.fixed_dictionaries(
        {"sku": st.one_of(TEXT, WRONG), "quantity": QUANTITY, "unit_price": MONEY},
        optional={"name": st.one_of(TEXT, WRONG)},
    ),
    WRONG,
    TEXT,
)
CART = st.one_of(
    st.lists(ITEM, max_size=6),
    st.integers(min_value=99, max_value=102).map(
        lambda n: [{"sku": "A", "quantity": 1, "unit_price": "1.00"}] * n
    ),
    WRONG,
)
# Carts the app should take, near its limits, so the priced path is generated too.
GOOD_ITEM = st.fixed_dictionaries(
    {
        "sku": st.text(
            st.characters(categories=["L", "N", "Pd"]), min_size=1, max_size=64
        ),
        # Mostly everyday carts (most good orders stay under the total cap and are
        # accepted), sometimes ones at the limits.
        "quantity": st.one_of(
            st.integers(1, 20),
            st.integers(1, 20),
            st.integers(1, 20),
            st.sampled_from([1, 9_999, 10_000]),
        ),
        "unit_price": st.one_of(
            st.integers(1, 100_00).map(amount),
            st.integers(1, 100_00).map(amount),
            st.integers(1, 100_000_00).map(amount),
            st.sampled_from(["0.01", "0.29", "0.3", "99.99", "100000", "100000.00"]),
        ),
    },
    optional={"name": st.text(st.characters(categories=["L", "Zs"]), max_size=200)},
)
GOOD_BODY = st.fixed_dictionaries(
    {
        "customer_email": st.just("buyer@example.com"),
        "cart_items": st.lists(GOOD_ITEM, min_size=1, max_size=4),
    }
)


HOSTILE_VALUE = {
    "sku": st.one_of(just_past(64), TEXT, WRONG),
    "name": st.one_of(just_past(200), TEXT, WRONG),
    "customer_email": st.one_of(just_past(254, "@example.com"), EMAIL),
    "quantity": st.one_of(QUANTITY, MONEY),
    "unit_price": st.one_of(MONEY, QUANTITY),
}


@st.composite
def one_bad_field(draw) -> dict:
    """A good order with one field of one item (or the email) replaced by hostile input:
    if the app drops any one check, this is the request that shows it."""
    body = draw(GOOD_BODY)
    item = draw(st.sampled_from(body["cart_items"]))
    field = draw(st.sampled_from(sorted(HOSTILE_VALUE)))
    value = draw(HOSTILE_VALUE[field])
    if field == "customer_email":
        body["customer_email"] = value
    else:
        item[field] = value
    return body


BODY = st.one_of(
    GOOD_BODY,
    st.fixed_dictionaries({"customer_email": EMAIL, "cart_items": CART}),
    st.fixed_dictionaries({"cart_items": CART}),
    WRONG,
    TEXT,
)


class Orders:
    """The app's orders table, read directly, to prove rejections store nothing."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.conn = self.loop.run_until_complete(asyncpg.connect(APP_DB))

    def count(self) -> int:
        return self.loop.run_until_complete(
            self.conn.fetchval("SELECT count(*) FROM orders")
        )

    def total_cents(self, order_id: str) -> int:
        total = self.loop.run_until_complete(
            self.conn.fetchval("SELECT total FROM orders WHERE id = $1::uuid", order_id)
        )
        return int(total * 100)

    def close(self) -> None:
        self.loop.run_until_complete(self.conn.close())
        self.loop.close()


@pytest.fixture(scope="module")
def orders():
    table = Orders()
    yield table
    table.close()


def independent_total_cents(body: dict) -> int:
    """The order total the spec gives, in integer cents, or AssertionError for a cart the
    app should have refused."""

    def bounded(value, low: int, high: int) -> bool:
        text = value.strip() if isinstance(value, str) else None
        control = text is not None and any(
            ord(c) < 32 or 127 <= ord(c) < 160 for c in text
        )
        return text is not None and low <= len(text) <= high and not control

    items = body["cart_items"]
    assert isinstance(items, list) and 1 <= len(items) <= 100, "cart size"
    assert bounded(body["customer_email"], 3, 254), "email"
    subtotal = 0
    for item in items:
        assert bounded(item["sku"], 1, 64), f"sku {item['sku']!r}"
        assert item.get("name") is None or bounded(item["name"], 0, 200), "name"
        price, quantity = item["unit_price"], item["quantity"]
        assert type(quantity) is int and 1 <= quantity <= 10_000, f"quantity {quantity!r}"
        written = isinstance(price, str) and re.fullmatch(
            r"[0-9]{1,6}(\.[0-9]{1,2})?", price
        )
        assert written, f"price {price!r} is not a decimal string"
        cents = Decimal(price) * 100
        assert 1 <= cents <= 100_000_00, f"price {price!r} out of range"
        subtotal += int(cents) * quantity
    tax = (subtotal * 8 + 50) // 100
    shipping = 0 if subtotal >= 100_00 else 9_99
    total = subtotal + tax + shipping
    assert total <= 1_000_000_00, "order total over the limit"
    return total


def check_answer(
    response: httpx.Response, sent: dict | None, orders: Orders, before: int
):
    assert response.status_code < 500, f"{response.status_code}: {response.text}"
    if response.status_code in (201, 202):
        answer = response.json()
        assert isinstance(sent, dict), f"accepted a body that is not an object: {sent!r}"
        want = independent_total_cents(sent)
        assert orders.total_cents(answer["id"]) == want, "stored total"
        if response.status_code == 201:
            assert Decimal(answer["total"]) * 100 == want, "quoted total"
        return
    assert 400 <= response.status_code < 500
    answer = response.json()
    assert answer["error"] == "validation_failed", answer
    assert isinstance(answer["fields"], dict) and answer["fields"], answer
    assert orders.count() == before, "a refused order was stored"


# One client for the module: a new one per request costs more (its TLS context) than the
# request itself.
HTTP = httpx.Client(timeout=10)


def send(app_url: str, body) -> httpx.Response:
    # NaN and Infinity too: Python's parser takes them.
    raw = json.dumps(body, allow_nan=True)
    return HTTP.post(
        f"{app_url}/orders/async",
        content=raw,
        headers={"content-type": "application/json"},
        timeout=10,
    )


def post_order(app_url: str, orders: Orders, body) -> None:
    before = orders.count()
    response = send(app_url, body)
    event(f"HTTP {response.status_code}")
    check_answer(response, body, orders, before)


@settings(RUNS, max_examples=40)
@given(body=one_bad_field())
def test_a_good_order_with_one_hostile_field_is_refused_or_priced_exactly(
    app_without_tasker, orders, body
):
    post_order(app_without_tasker, orders, body)


@settings(RUNS, max_examples=30)
@given(body=BODY)
def test_any_order_body_is_refused_with_field_errors_or_priced_exactly(
    app_without_tasker, orders, body
):
    post_order(app_without_tasker, orders, body)


@st.composite
def strings_at_their_limits(draw) -> dict:
    """An order whose every string is exactly as long as the spec allows, with none or one
    of them a few characters longer: a length limit dropped anywhere shows up as an
    accepted order that should have been refused."""
    lines = draw(st.integers(1, 3))
    places = ["none", "customer_email"]
    places += [(line, field) for line in range(lines) for field in ("sku", "name")]
    longer = draw(st.sampled_from(places))

    def text(place, limit: int, suffix: str = "") -> str:
        length = limit + (draw(st.integers(1, 5)) if place == longer else 0)
        return "n" * (length - len(suffix)) + suffix

    items = [
        {
            "sku": text((line, "sku"), 64),
            "name": text((line, "name"), 200),
            "quantity": 1,
            "unit_price": "1.00",
        }
        for line in range(lines)
    ]
    email = text("customer_email", 254, "@example.com")
    return {"customer_email": email, "cart_items": items}


@settings(RUNS, max_examples=25)
@given(body=strings_at_their_limits())
def test_strings_at_and_just_past_their_limits_are_refused_or_priced_exactly(
    app_without_tasker, orders, body
):
    post_order(app_without_tasker, orders, body)


def order(lines: int = 1, email: str = "buyer@example.com", **line) -> dict:
    """An order of `lines` identical lines: one widget at 1.00 unless `line` says."""
    item = {"sku": "WIDGET-1", "quantity": 1, "unit_price": "1.00"} | line
    return {"customer_email": email, "cart_items": [item] * lines}


# Each limit from both sides, on every run, whatever the generators above happen to draw:
# the order at the limit is taken and priced exactly, the one just past it is refused
# with an error on that field.
LIMITS = {
    "cart size": (order(lines=100), order(lines=101), "cart_items"),
    "quantity": (
        order(quantity=10_000),
        order(quantity=10_001),
        "cart_items[0].quantity",
    ),
    "unit price": (
        order(unit_price="100000.00"),
        order(unit_price="100000.01"),
        "cart_items[0].unit_price",
    ),
    # 9,259 x 100.00 plus 8% tax is 999,972.00; one more is 1,000,080.00.
    "order total": (
        order(quantity=9_259, unit_price="100.00"),
        order(quantity=9_260, unit_price="100.00"),
        "cart_items",
    ),
    "sku length": (order(sku="S" * 64), order(sku="S" * 65), "cart_items[0].sku"),
    "name length": (
        order(name="N" * 200),
        order(name="N" * 201),
        "cart_items[0].name",
    ),
    "email length": (
        order(email="b" * 242 + "@example.com"),
        order(email="b" * 243 + "@example.com"),
        "customer_email",
    ),
}


@pytest.mark.parametrize("limit", LIMITS)
def test_an_order_at_a_limit_is_taken_and_one_past_it_refused(
    app_without_tasker, orders, limit
):
    at, past, field = LIMITS[limit]
    before = orders.count()
    taken = send(app_without_tasker, at)
    assert taken.status_code == 202, taken.text
    check_answer(taken, at, orders, before)
    refused = send(app_without_tasker, past)
    # First the spec's own reason, should the app have taken it.
    check_answer(refused, past, orders, before + 1)
    assert refused.status_code == 422, refused.text
    assert field in refused.json()["fields"], refused.text


def test_a_json_order_sent_as_text_plain_is_a_415(app_url, orders):
    """What a cross-site form can send without a preflight: only declared JSON is read."""
    before = orders.count()
    order = {
        "customer_email": "a@b.co",
        "cart_items": [{"sku": "A", "quantity": 1, "unit_price": "1.00"}],
    }
    response = HTTP.post(
        f"{app_url}/orders/async",
        content=json.dumps(order),
        headers={"content-type": "text/plain"},
    )
    assert response.status_code == 415, response.text
    check_answer(response, None, orders, before)


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"[" * 5000 + b"]" * 5000, 422),  # deeper than the parser goes
        (b'{"customer_email": "a@b.co", "cart_items": [', 422),  # cut off
        (b"\xff\xfe not utf-8", 422),
        (b'{"cart_items": [' + b'{"sku": "A"},' * 9000 + b"{}]}", 413),  # over the limit
        (b" " * (MAX_BODY_BYTES + 1), 413),
    ],
)
def test_malformed_nested_and_oversized_bodies_are_4xx(app_url, orders, raw, status):
    before = orders.count()
    response = HTTP.post(
        f"{app_url}/orders",
        content=raw,
        headers={"content-type": "application/json"},
        timeout=10,
    )
    assert response.status_code == status, response.text
    check_answer(response, None, orders, before)


@settings(RUNS, max_examples=25)
@given(
    body=st.one_of(
        st.fixed_dictionaries(
            {
                "source": st.one_of(TEXT, WRONG),
                "date_from": st.one_of(st.dates().map(str), TEXT, WRONG),
                "date_to": st.one_of(st.dates().map(str), TEXT, WRONG),
            }
        ),
        WRONG,
    )
)
def test_any_analytics_job_body_is_refused_with_field_errors_or_accepted(app_url, body):
    response = HTTP.post(f"{app_url}/analytics/jobs", json=body)
    assert response.status_code < 500, f"{response.status_code}: {response.text}"
    if response.status_code != 201:
        assert response.json()["error"] == "validation_failed", response.text
