"""The "Patterns" part of the book, against the live stack: a decision point, retries with
backoff, a batch import, and a worker killed in the middle of one. Each test would fail
if Tasker stopped doing what the chapter says it does."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
from conftest import APP_DB, HERE, ORCHESTRATION_URL, app_process

from app.tasker_api import TaskerApi, WaitError

NAMESPACE = "patterns_py"


def run(name: str, context: dict, key: str, namespace: str = NAMESPACE):
    """Creates the task, waits for it to stop; its uuid, status and steps by name."""

    async def go():
        api = TaskerApi(ORCHESTRATION_URL)
        try:
            task = await api.create_task(
                name, namespace, context, "a pattern", identified_by=key
            )
            try:
                status = (await api.wait_for_task_completion(task["task_uuid"], 60))[
                    "status"
                ]
            except WaitError as e:
                status = e.status
            steps = await api.get_task_steps(task["task_uuid"])
            return task["task_uuid"], status, {s["name"]: s for s in steps}
        finally:
            await api.client.aclose()

    return asyncio.run(go())


def result(step: dict) -> dict:
    return step["results"]["result"]


async def _fetch(sql: str, *args, db: str = APP_DB):
    conn = await asyncpg.connect(db)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


def fetch(sql: str, *args, db: str = APP_DB):
    return asyncio.run(_fetch(sql, *args, db=db))


@pytest.mark.parametrize(
    ("total_cents", "branch", "by"),
    [
        (2_499, "auto_approve", "rules"),
        (99_999, "auto_approve", "rules"),
        (100_000, "manual_review", "review queue"),
        (250_000, "manual_review", "review queue"),
    ],
)
def test_a_decision_creates_only_the_branch_it_names(app_url, total_cents, branch, by):
    context = {"order_id": str(uuid.uuid4()), "total_cents": total_cents}
    _, status, steps = run("order_review", context, "order_id")
    assert status == "complete", steps
    assert sorted(steps) == sorted(
        ["assess_order", "route_order", branch, "confirm_order"]
    )
    assert result(steps["confirm_order"])["approved_by"] == by


def charge(payment_id: str) -> tuple | None:
    """The app's charge of the payment, if any: amount, the task that made it, attempt."""
    rows = fetch(
        "SELECT amount_cents, task_uuid::text, attempt FROM charges "
        "WHERE payment_id = $1",
        uuid.UUID(payment_id),
    )
    return tuple(rows[0]) if rows else None


def payment(processor_failures: int) -> dict:
    """A card_payment context for a new payment of 24.99."""
    return {
        "payment_id": str(uuid.uuid4()),
        "amount_cents": 2_499,
        "processor_failures": processor_failures,
    }


def test_a_retryable_failure_is_retried_at_once(app_url):
    """tasker-py 0.1.8 sends its failures without orchestration metadata, and Tasker 0.1.8
    computes a backoff only from that: the Axum app's retries wait 2 s, then 4 s; these
    follow one another within a second."""
    context = payment(processor_failures=2)
    task_uuid, status, steps = run("card_payment", context, "payment_id")
    assert status == "complete"
    assert charge(context["payment_id"]) == (2_499, task_uuid, 3)
    step = steps["charge_card"]
    assert step["attempts"] == 3
    assert result(step)["attempt"] == 3
    starts = [
        row["created_at"]
        for row in fetch(
            "SELECT created_at FROM tasker.workflow_step_transitions "
            "WHERE workflow_step_uuid = $1 AND to_state = 'in_progress' "
            "ORDER BY created_at",
            uuid.UUID(step["step_uuid"]),
            db=os.environ["DATABASE_URL"],
        )
    ]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 2 and all(gap < 1 for gap in gaps), gaps


def test_a_step_out_of_attempts_blocks_its_task_and_stays_out_of_the_dlq(app_url):
    context = payment(processor_failures=3)
    task_uuid, status, steps = run("card_payment", context, "payment_id")
    assert status == "blocked_by_failures"
    assert charge(context["payment_id"]) is None, (
        "no charge for a payment out of attempts"
    )
    step = steps["charge_card"]
    assert (step["current_state"], step["attempts"]) == ("error", 3)
    error = step["results"]["error"]["message"]
    assert error == "attempt 3: the card processor did not answer"
    assert steps["send_receipt"]["current_state"] == "pending"
    dlq = httpx.get(f"{ORCHESTRATION_URL}/v1/dlq").json()
    assert task_uuid not in [entry["task_uuid"] for entry in dlq]


def test_a_payment_asked_for_again_is_charged_once(app_url):
    context = payment(processor_failures=0)
    first_task, status, _ = run("card_payment", context, "payment_id")
    assert status == "complete"
    # A second task for the same payment, as an operator asks for one after a stalled
    # task; its context says what it retries, or Tasker would refuse it as the same task.
    again = {**context, "retry_of": first_task}
    _, status, steps = run("card_payment", again, "retry_of")
    assert status == "complete"
    assert result(steps["charge_card"])["charged_by_task"] == first_task
    assert charge(context["payment_id"]) == (2_499, first_task, 1)


def imported(import_id: str) -> tuple[int, int]:
    row = fetch(
        "SELECT count(*), coalesce(sum(writes), 0) FROM stock_levels "
        "WHERE import_id = $1",
        uuid.UUID(import_id),
    )[0]
    return row[0], row[1]


def test_a_batch_import_runs_one_step_per_batch_and_lands_every_row_once(app_url):
    import_id = str(uuid.uuid4())
    context = {"import_id": import_id, "row_count": 5_000, "run": 1}
    _, status, steps = run("stock_import", context, "import_id")
    assert status == "complete", steps
    batches = sorted(name for name in steps if name.startswith("import_batch_"))
    assert batches == [f"import_batch_00{i}" for i in range(1, 6)]
    assert result(steps["finish_import"]) == {
        "rows": 5_000,
        "writes": 5_000,
        "batches": 5,
    }
    assert imported(import_id) == (5_000, 5_000)


def test_an_import_whose_worker_was_killed_finishes_on_a_second_run(tmp_path: Path):
    """Tasker 0.1.8 leaves the batch the killed worker had claimed in_progress for good,
    so the import is cancelled and asked for again; the second run resumes each batch at
    its checkpoint. stock_import gets a namespace of its own, served only by the apps
    this test starts: another worker would go on running the first run's batches."""
    own = "killed_worker_py"
    for template in (HERE / "templates").glob("*.yaml"):
        text = template.read_text()
        if template.stem == "stock_import":
            text = text.replace(f"namespace_name: {NAMESPACE}", f"namespace_name: {own}")
        (tmp_path / template.name).write_text(text)
    templates = {"TASKER_TEMPLATE_PATH": str(tmp_path)}
    import_id = str(uuid.uuid4())
    first_run = {"import_id": import_id, "row_count": 5_000, "run": 1}
    with app_process(templates) as (doomed, _):
        task = httpx.post(
            f"{ORCHESTRATION_URL}/v1/tasks",
            json={
                "name": "stock_import",
                "namespace": own,
                "version": "1.0.0",
                "context": first_run,
                "initiator": "tests",
                "source_system": "tests",
                "reason": "killed mid-batch",
            },
        ).json()
        deadline = time.monotonic() + 30
        while imported(import_id)[0] < 1_000:
            assert time.monotonic() < deadline, "the import did not start"
            time.sleep(0.02)
        doomed.kill()
        doomed.wait()
    assert imported(import_id)[0] < 5_000, "the kill came too late"
    with app_process(templates):
        stuck = httpx.get(
            f"{ORCHESTRATION_URL}/v1/tasks/{task['task_uuid']}/workflow_steps"
        ).json()
        assert any(s["current_state"] == "in_progress" for s in stuck), stuck
        cancelled = httpx.delete(f"{ORCHESTRATION_URL}/v1/tasks/{task['task_uuid']}")
        assert cancelled.is_success, cancelled.text
        second_run = {**first_run, "run": 2}
        _, status, steps = run("stock_import", second_run, "import_id", namespace=own)
    assert status == "complete", steps
    assert any(
        result(s).get("resumed_from") is not None
        for name, s in steps.items()
        if name.startswith("import_batch_")
    ), steps
    assert imported(import_id) == (5_000, 5_000), "every row once, none lost"
