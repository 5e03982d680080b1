"""The FastAPI app against the live stack: real HTTP, a real tasker-py worker, real
Tasker. One app process serves every test (one worker per namespace); a second instance
without a worker points at a closed port to play "Tasker is down" (tests/conftest.py)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from datetime import datetime

import httpx
import pytest
from conftest import (
    ORCHESTRATION_URL,
    cart,
    expected_totals,
    orders_for,
    steps,
    unique_email,
    wait,
)

from app.tasker_api import TaskerApi, TaskerError, WaitError


def test_an_order_runs_all_five_steps_and_prices_the_cart(app_url):
    body = cart(unique_email())
    r = httpx.post(f"{app_url}/orders", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    task = wait(created["task_uuid"])
    assert task["status"] == "complete"
    assert task["completion_percentage"] == 100
    assert (task["total_steps"], task["completed_steps"]) == (5, 5)
    all_steps = steps(created["task_uuid"])
    assert sorted(s["name"] for s in all_steps) == [
        "create_order",
        "process_payment",
        "send_confirmation",
        "update_inventory",
        "validate_cart",
    ]
    assert all(s["current_state"] == "complete" for s in all_steps)
    want = expected_totals(body)
    result = next(s for s in all_steps if s["name"] == "validate_cart")["results"][
        "result"
    ]
    for field in (
        "item_count",
        "subtotal_cents",
        "tax_cents",
        "tax_rate_percent",
        "shipping_cents",
        "total_cents",
    ):
        assert result[field] == want[field], (field, result)
    lines = [i["line_total_cents"] for i in result["validated_items"]]
    assert lines == want["line_totals_cents"]
    assert created["total"] == want["total"]
    payment = next(s for s in all_steps if s["name"] == "process_payment")
    assert payment["results"]["result"]["amount_charged_cents"] == want["total_cents"]
    record = httpx.get(f"{app_url}/orders/{created['id']}").json()
    assert record["task_uuid"] == created["task_uuid"] and record["status"] == "submitted"


def test_the_analytics_pipeline_runs_and_its_extracts_run_one_at_a_time(app_url):
    """Tasker makes the three extracts ready together (no parents), but tasker-py 0.1.8
    runs handlers on one polling thread, async ones through asyncio.run, one after
    another. The chapter says so; if a later tasker-py runs them side by side, this test
    fails and the chapter's sentence must change with it."""
    r = httpx.post(
        f"{app_url}/analytics/jobs",
        json={"source": "web", "date_from": "2026-11-01", "date_to": "2026-11-07"},
    )
    assert r.status_code == 201, r.text
    task_uuid = r.json()["task_uuid"]
    task = wait(task_uuid)
    assert (task["total_steps"], task["completed_steps"]) == (8, 8)
    all_steps = steps(task_uuid)
    extracts = [s for s in all_steps if s["name"].startswith("extract_")]
    assert len(extracts) == 3
    for e in extracts:
        assert e["total_parents"] == 0
        assert e["results"]["result"]["record_count"] == 7
    windows = sorted(
        (
            datetime.fromisoformat(e["results"]["result"]["started_at"]),
            datetime.fromisoformat(e["results"]["result"]["finished_at"]),
        )
        for e in extracts
    )
    for (_, first_end), (next_start, _) in itertools.pairwise(windows):
        assert next_start >= first_end, (
            f"extracts overlapped, tasker-py now runs handlers concurrently: {windows}"
        )
    insights = next(s for s in all_steps if s["name"] == "generate_insights")
    assert insights["results"]["result"]["metrics"]["total_orders"] == sum(
        20 + d % 7 for d in range(7)
    )


def _poll_record(url: str, oid: str) -> dict:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        record = httpx.get(f"{url}/orders/{oid}").json()
        if record["status"] != "queued":
            return record
        time.sleep(0.02)
    pytest.fail(f"order {oid} still queued after 10 s")


def test_an_async_order_gets_its_task_in_the_background(app_url):
    r = httpx.post(f"{app_url}/orders/async", json=cart(unique_email()))
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "queued"
    record = _poll_record(app_url, r.json()["id"])
    assert record["status"] == "submitted", record
    assert wait(record["task_uuid"])["status"] == "complete"


def test_an_async_order_records_why_tasker_could_not_take_it(app_without_tasker):
    r = httpx.post(f"{app_without_tasker}/orders/async", json=cart(unique_email()))
    assert r.status_code == 202, r.text
    record = _poll_record(app_without_tasker, r.json()["id"])
    assert record["status"] == "failed" and record["task_uuid"] is None, record
    assert (
        "unreachable" in record["failure_reason"]
        and "127.0.0.1:9" in record["failure_reason"]
    )


def test_a_sync_order_without_tasker_is_a_503_and_stores_nothing(app_without_tasker):
    email = unique_email()
    r = httpx.post(f"{app_without_tasker}/orders", json=cart(email))
    assert r.status_code == 503, r.text
    assert r.json()["error"] == "tasker_unavailable"
    assert orders_for(email) == 0


ITEM = {"sku": "WIDGET-1", "name": "Widget", "quantity": 1, "unit_price": "5.00"}


@pytest.mark.parametrize("path", ["/orders", "/orders/async"])
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cart_items": [ITEM]}, "customer_email"),
        ({"customer_email": "not-an-email", "cart_items": [ITEM]}, "customer_email"),
        ({"customer_email": "{email}", "cart_items": []}, "cart_items"),
        ({"customer_email": "{email}"}, "cart_items"),
        (
            {
                "customer_email": "{email}",
                "cart_items": [{"sku": "A", "quantity": 0, "unit_price": "5.00"}],
            },
            "cart_items[0].quantity",
        ),
        (
            {
                "customer_email": "{email}",
                "cart_items": [{"sku": "A", "quantity": -2, "unit_price": "5.00"}],
            },
            "cart_items[0].quantity",
        ),
        (
            {
                "customer_email": "{email}",
                "cart_items": [{"sku": "A", "quantity": 1, "unit_price": "0"}],
            },
            "cart_items[0].unit_price",
        ),
        (
            {
                "customer_email": "{email}",
                "cart_items": [{"sku": "A", "quantity": 1, "unit_price": "-3.50"}],
            },
            "cart_items[0].unit_price",
        ),
    ],
)
def test_bad_input_is_a_422_with_field_errors_and_stores_nothing(
    app_url, path, body, field
):
    email = unique_email()
    if body.get("customer_email") == "{email}":
        body = {**body, "customer_email": email}
    r = httpx.post(f"{app_url}{path}", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "validation_failed"
    assert field in r.json()["fields"], r.json()
    assert orders_for(email) == 0


@pytest.mark.parametrize("path", ["/orders", "/orders/async"])
def test_a_malformed_body_is_a_422(app_url, path):
    r = httpx.post(
        f"{app_url}{path}",
        content=b'{"customer_email": "x@example.com", "cart_items": [',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert "body" in r.json()["fields"]


def test_bad_analytics_input_names_every_field(app_url):
    r = httpx.post(
        f"{app_url}/analytics/jobs",
        json={"source": "", "date_from": "2026-13-01", "date_to": "x"},
    )
    assert r.status_code == 422
    assert {"source", "date_from", "date_to"} <= set(r.json()["fields"])


def test_the_same_idempotency_key_twice_is_a_409_not_a_second_order(app_url):
    email = unique_email()
    headers = {"Idempotency-Key": f"order-{uuid.uuid4()}"}
    assert (
        httpx.post(f"{app_url}/orders", json=cart(email), headers=headers).status_code
        == 201
    )
    second = httpx.post(f"{app_url}/orders", json=cart(email), headers=headers)
    assert second.status_code == 409, second.text
    assert second.json()["error"] == "duplicate"
    assert orders_for(email) == 1


def analytics_body(context: dict) -> dict:
    return {
        "name": "analytics_pipeline",
        "namespace": "analytics_py",
        "version": "1.0.0",
        "context": context,
        "initiator": "tests",
        "source_system": "tests",
        "reason": "identity check",
    }


def test_a_request_tasker_already_accepted_is_answered_with_its_task():
    """Tasker refuses the same request twice (409); create_task answers that 409 with
    the task the first request created."""
    context = {
        "job_id": str(uuid.uuid4()),
        "date_from": "2026-11-01",
        "date_to": "2026-11-01",
    }

    async def run():
        api = TaskerApi(ORCHESTRATION_URL)
        try:
            args = ("analytics_pipeline", "analytics_py", context, "identity check")
            first = await api.create_task(*args, identified_by="job_id")
            refused = await api.client.post(
                f"{ORCHESTRATION_URL}/v1/tasks", json=analytics_body(context)
            )
            assert refused.status_code == 409, refused.text
            again = await api.create_task(*args, identified_by="job_id")
            assert again["task_uuid"] == first["task_uuid"]
        finally:
            await api.client.aclose()

    asyncio.run(run())


def test_a_5xx_is_retried_and_the_last_answer_passed_on():
    """A context nested deeper than Tasker 0.1.8 stores is answered 500 and creates
    nothing: every attempt fails, and the error says how many were made."""
    deep: dict = {"job_id": str(uuid.uuid4())}
    for level in range(11):
        deep = {f"level_{level}": deep}
    deep["job_id"] = str(uuid.uuid4())

    async def run():
        api = TaskerApi(ORCHESTRATION_URL)
        try:
            with pytest.raises(TaskerError) as err:
                await api.create_task(
                    "analytics_pipeline",
                    "analytics_py",
                    deep,
                    "too deep",
                    identified_by="job_id",
                )
            return str(err.value)
        finally:
            await api.client.aclose()

    message = asyncio.run(run())
    assert message.startswith("Tasker answered 500"), message
    assert message.endswith("(after 3 attempts)"), message


def test_an_unknown_order_is_a_404(app_url):
    assert httpx.get(f"{app_url}/orders/{uuid.uuid4()}").status_code == 404


def test_waiting_stops_early_with_the_failing_steps_error(app_url):
    context = {
        "order_id": str(uuid.uuid4()),
        "customer_email": unique_email(),
        "cart_items": [
            {"sku": "BAD", "name": "Bad", "quantity": 0, "unit_price_cents": 100}
        ],
    }

    async def run():
        api = TaskerApi(ORCHESTRATION_URL)
        try:
            task = await api.create_task(
                "ecommerce_order_processing",
                "ecommerce_py",
                context,
                "fails for good",
                identified_by="order_id",
            )
            started = time.monotonic()
            with pytest.raises(WaitError) as err:
                await api.wait_for_task_completion(task["task_uuid"], 20)
            assert time.monotonic() - started < 10
            return err.value
        finally:
            await api.client.aclose()

    err = asyncio.run(run())
    assert err.status == "blocked_by_failures"
    assert "validate_cart" in err.detail and "bad quantity or price" in err.detail, (
        err.detail
    )


def test_the_request_and_response_models_are_in_the_openapi_schema(app_url):
    schema = httpx.get(f"{app_url}/openapi.json").json()
    models = schema["components"]["schemas"]
    for name in ("OrderRequest", "CartItem", "JobRequest", "OrderCreated", "OrderView"):
        assert name in models, sorted(models)
    body = schema["paths"]["/orders"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert body["schema"]["$ref"].endswith("/OrderRequest")
    price = models["CartItem"]["properties"]["unit_price"]
    assert "100000" in json.dumps(price), price
