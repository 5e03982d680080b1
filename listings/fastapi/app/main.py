"""The FastAPI quickstart: the order and analytics services of the Axum chapter, in Python,
with tasker-py's worker running in the same process.

    uvicorn app.main:app --port 8000      (from listings/fastapi, with the stack's env)
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from app.db import AnalyticsJob, Order, create_schema, make_engine, sessions
from app.money import price_cart
from app.tasker_api import TaskerApi, TaskerError
from app.validation import Invalid, validate_job, validate_order


# ANCHOR: lifespan
@asynccontextmanager
async def lifespan(app: FastAPI):
    """Start the Tasker worker (it registers the templates under TASKER_TEMPLATE_PATH and
    listens on their namespaces) next to the database and the REST client; stop all three
    on shutdown."""
    worker = None
    if os.environ.get("APP_WORKER", "on") != "off":
        from tasker_core import Worker

        # Handlers are found through the templates: each callable is a class path.
        worker = Worker.start()
    engine = make_engine()
    await create_schema(engine)
    app.state.sessions = sessions(engine)
    app.state.tasker = TaskerApi(os.environ.get("ORCHESTRATION_URL", "http://127.0.0.1:8080"))
    app.state.jobs = set()  # background jobs, referenced so they cannot be garbage-collected
    try:
        yield
    finally:
        await asyncio.gather(*app.state.jobs, return_exceptions=True)
        await app.state.tasker.client.aclose()
        await engine.dispose()
        if worker is not None:
            worker.stop()
# ANCHOR_END: lifespan


app = FastAPI(title="fastapi-quickstart", lifespan=lifespan)


@app.exception_handler(Invalid)
async def invalid(_: Request, exc: Invalid) -> JSONResponse:
    return JSONResponse({"error": "validation_failed", "fields": exc.fields}, status_code=422)


@app.exception_handler(TaskerError)
async def tasker_failed(_: Request, exc: TaskerError) -> JSONResponse:
    kind = {503: "tasker_unavailable", 409: "duplicate"}.get(exc.status, "tasker_rejected")
    return JSONResponse({"error": kind, "message": str(exc), "stored": False}, status_code=exc.status)


async def json_body(request: Request):
    """Any JSON body; a malformed one is a 422 with a `body` field error, like bad fields."""
    try:
        return await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise Invalid({"body": f"is not valid JSON: {e}"}) from e


def order_id(request: Request) -> uuid.UUID:
    """With an Idempotency-Key the id is derived from the key, so a retry repeats both the
    row's primary key and the task context (Tasker's identity): either answers 409."""
    key = request.headers.get("idempotency-key")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:fastapi-quickstart:order:{key}") if key else uuid.uuid4()


def order_context(oid: uuid.UUID, email: str, items: list[dict]) -> dict:
    return {"order_id": str(oid), "customer_email": email, "cart_items": items}


async def insert_order(session, oid: uuid.UUID, email: str, items: list[dict], status: str) -> JSONResponse | None:
    """Adds the order; a primary-key clash means a reused Idempotency-Key, answered with 409."""
    session.add(Order(id=oid, customer_email=email, items=items, total=price_cart(items)["total"], status=status))
    try:
        await session.flush()
    except IntegrityError:
        return JSONResponse({"error": "duplicate", "message": f"order {oid} was already submitted with this Idempotency-Key"}, status_code=409)
    return None


@app.get("/health")
async def health() -> str:
    return "ok"


# ANCHOR: create_order
@app.post("/orders", status_code=201)
async def create_order(request: Request):
    """Stores the order and creates its task in one transaction that commits only once
    Tasker has accepted the task: a failure leaves nothing half-done."""
    email, items = validate_order(await json_body(request))
    oid = order_id(request)
    async with request.app.state.sessions() as session, session.begin():
        if duplicate := await insert_order(session, oid, email, items, "submitted"):
            return duplicate
        task = await request.app.state.tasker.create_task(
            "ecommerce_order_processing", "ecommerce_py", order_context(oid, email, items), "order placed"
        )
        (await session.get(Order, oid)).task_uuid = uuid.UUID(task["task_uuid"])
    return {"id": str(oid), "task_uuid": task["task_uuid"], "status": "submitted", "total": float(price_cart(items)["total"])}
# ANCHOR_END: create_order


# ANCHOR: create_order_async
@app.post("/orders/async", status_code=202)
async def create_order_async(request: Request):
    """Answers at once; a background job creates the task and records the outcome on the
    order: `submitted` with the task_uuid, or `failed` with the reason."""
    email, items = validate_order(await json_body(request))
    oid = order_id(request)
    async with request.app.state.sessions() as session, session.begin():
        if duplicate := await insert_order(session, oid, email, items, "queued"):
            return duplicate

    async def submit() -> None:
        try:
            task = await request.app.state.tasker.create_task(
                "ecommerce_order_processing", "ecommerce_py", order_context(oid, email, items), "order placed"
            )
            outcome = {"status": "submitted", "task_uuid": uuid.UUID(task["task_uuid"])}
        except Exception as e:  # any failure must end up on the record, not in a log only
            outcome = {"status": "failed", "failure_reason": str(e)}
        async with request.app.state.sessions() as session, session.begin():
            order = await session.get(Order, oid)
            for key, value in outcome.items():
                setattr(order, key, value)

    job = asyncio.create_task(submit())
    request.app.state.jobs.add(job)
    job.add_done_callback(request.app.state.jobs.discard)
    return {"id": str(oid), "status": "queued"}
# ANCHOR_END: create_order_async


@app.get("/orders/{oid}")
async def show_order(oid: uuid.UUID, request: Request):
    async with request.app.state.sessions() as session:
        order = await session.get(Order, oid)
    if order is None:
        return JSONResponse({"error": "not_found", "message": "no such order"}, status_code=404)
    return {
        "id": str(order.id), "customer_email": order.customer_email, "items": order.items,
        "total": float(order.total), "status": order.status,
        "task_uuid": str(order.task_uuid) if order.task_uuid else None, "failure_reason": order.failure_reason,
    }


@app.post("/analytics/jobs", status_code=201)
async def create_job(request: Request):
    source, date_from, date_to = validate_job(await json_body(request))
    jid = uuid.uuid4()
    async with request.app.state.sessions() as session, session.begin():
        job = AnalyticsJob(id=jid, source=source, date_from=date_from, date_to=date_to, status="submitted")
        session.add(job)
        await session.flush()
        task = await request.app.state.tasker.create_task(
            "analytics_pipeline", "analytics_py",
            {"job_id": str(jid), "source": source, "date_from": date_from.isoformat(), "date_to": date_to.isoformat()},
            "analytics job requested",
        )
        job.task_uuid = uuid.UUID(task["task_uuid"])
    return {"id": str(jid), "task_uuid": task["task_uuid"], "status": "submitted"}


@app.get("/analytics/jobs/{jid}")
async def show_job(jid: uuid.UUID, request: Request):
    async with request.app.state.sessions() as session:
        job = await session.get(AnalyticsJob, jid)
    if job is None:
        return JSONResponse({"error": "not_found", "message": "no such analytics job"}, status_code=404)
    return {"id": str(job.id), "source": job.source, "date_from": job.date_from.isoformat(),
            "date_to": job.date_to.isoformat(), "status": job.status,
            "task_uuid": str(job.task_uuid) if job.task_uuid else None}
