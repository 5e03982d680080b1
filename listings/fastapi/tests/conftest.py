"""What every test of the FastAPI app shares: the app started against the live stack
(scripts/stack up), a second instance whose Tasker is a closed port, and helpers to read
Tasker and the app's own database."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
import pytest

from app.tasker_api import TaskerApi

HERE = Path(__file__).resolve().parent.parent
ORCHESTRATION_URL = os.environ.get("ORCHESTRATION_URL", "http://127.0.0.1:8080")
# The app's own database: on Tasker's server (scripts/stack env), example_fastapi.
APP_DB = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/example_fastapi"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _require_stack() -> None:
    """Fails at once when nothing answers; waits up to 10 s while Tasker answers 503 (its
    readiness check times out while the server is busy with a burst of tasks)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            response = httpx.get(f"{ORCHESTRATION_URL}/health/ready", timeout=2)
        except httpx.HTTPError as e:
            pytest.fail(
                f"the Tasker stack is not running ({e}): start it with scripts/stack up"
            )
        if response.status_code == 200:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"Tasker is not ready: {response.status_code} {response.text}")
        time.sleep(0.2)


# How long the app may take to stop on SIGTERM: tasker-py's worker stops in well under a
# second; past this the app is killed, so that no failing test leaves a server behind.
STOP_GRACE_S = 10


@contextmanager
def _running_app(extra_env: dict[str, str]) -> Iterator[str]:
    """The FastAPI app (with its worker, unless APP_WORKER=off) on a free port, for as
    long as the block runs. It is stopped however the block ends, a failed assertion
    included."""
    with app_process(extra_env) as (_, url):
        yield url


@contextmanager
def app_process(extra_env: dict[str, str]) -> Iterator[tuple[subprocess.Popen, str]]:
    """The same, with its process, for a test that kills it."""
    _require_stack()
    if "TASKER_CONFIG_PATH" not in os.environ:
        pytest.fail(
            "TASKER_CONFIG_PATH is not set: run through scripts/test, "
            'or after eval "$(scripts/stack env)"'
        )
    port = _free_port()
    env = {
        **os.environ,
        "APP_DATABASE_URL": APP_DB.replace("postgresql://", "postgresql+asyncpg://"),
        "TASKER_TEMPLATE_PATH": str(HERE / "templates"),
        "RUST_LOG": "warn",
        **extra_env,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=HERE,
        env=env,
    )
    try:
        yield proc, _wait_until_healthy(proc, f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            print(f"the FastAPI app ignored SIGTERM for {STOP_GRACE_S} s: killed it")


def _wait_until_healthy(proc: subprocess.Popen, url: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"the FastAPI app exited with {proc.returncode} before answering /health"
            )
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return url
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    pytest.fail("the FastAPI app did not answer /health within 60 s")


@pytest.fixture(scope="session")
def app_url():
    with _running_app({}) as url:
        # One task of each template, one at a time, before tests run: Tasker 0.1.8 creates
        # a template's step rows on its first task, and two first tasks at the same moment
        # collide on a unique constraint (one gets a 500; seen on a fresh database).
        assert httpx.post(f"{url}/orders", json=cart(unique_email())).status_code == 201
        job = {"source": "prime", "date_from": "2026-11-01", "date_to": "2026-11-01"}
        assert httpx.post(f"{url}/analytics/jobs", json=job).status_code == 201
        yield url


@pytest.fixture(scope="session")
def app_without_tasker():
    env = {"ORCHESTRATION_URL": "http://127.0.0.1:9", "APP_WORKER": "off"}
    with _running_app(env) as url:
        yield url


def wait(task_uuid: str, max_wait: float = 20.0) -> dict:
    async def run():
        api = TaskerApi(ORCHESTRATION_URL)
        try:
            return await api.wait_for_task_completion(task_uuid, max_wait)
        finally:
            await api.client.aclose()

    return asyncio.run(run())


def steps(task_uuid: str) -> list[dict]:
    return httpx.get(
        f"{ORCHESTRATION_URL}/v1/tasks/{task_uuid}/workflow_steps", timeout=5
    ).json()


def orders_for(email: str) -> int:
    async def run():
        conn = await asyncpg.connect(APP_DB)
        try:
            return await conn.fetchval(
                "SELECT count(*) FROM orders WHERE customer_email = $1", email
            )
        finally:
            await conn.close()

    return asyncio.run(run())


def unique_email() -> str:
    return f"buyer-{uuid.uuid4().hex}@example.com"


def cart(email: str) -> dict:
    return {
        "customer_email": email,
        "cart_items": [
            {"sku": "WIDGET-1", "name": "Widget", "quantity": 2, "unit_price": "24.99"},
            {"sku": "GADGET-7", "name": "Gadget", "quantity": 1, "unit_price": "12.50"},
            {"sku": "CABLE-3", "name": "Cable", "quantity": 3, "unit_price": "4.35"},
        ],
    }


def expected_totals(body: dict) -> dict:
    """Worked out here, in integer cents, from the cart itself."""
    lines = [
        (int(Decimal(i["unit_price"]) * 100), i["quantity"]) for i in body["cart_items"]
    ]
    subtotal = sum(p * q for p, q in lines)
    tax = (subtotal * 8 + 50) // 100
    shipping = 0 if subtotal >= 10_000 else 999
    total = subtotal + tax + shipping
    return {
        "item_count": sum(q for _, q in lines),
        "subtotal_cents": subtotal,
        "tax_cents": tax,
        "tax_rate_percent": 8,
        "shipping_cents": shipping,
        "total_cents": total,
        "total": f"{total // 100}.{total % 100:02d}",
        "line_totals_cents": [p * q for p, q in lines],
    }
