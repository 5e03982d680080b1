"""The FastAPI quickstart: the order and analytics services of the Axum chapter, in
Python, with tasker-py's worker running in the same process.

    uvicorn app.main:app --port 8000      (from listings/fastapi, with the stack's env)
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from app.body_guard import JsonBodies
from app.db import AnalyticsJob, Order, create_schema, make_engine, sessions
from app.schemas import JobCreated, JobView, OrderCreated, OrderQueued, OrderView
from app.tasker_api import TaskerApi, TaskerError
from app.validation import JobRequest, OrderRequest, field_errors

log = logging.getLogger("fastapi-quickstart")


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
    orchestration = os.environ.get("ORCHESTRATION_URL", "http://127.0.0.1:8080")
    app.state.tasker = TaskerApi(orchestration)
    # Background jobs, referenced so they cannot be garbage-collected.
    app.state.jobs = set()
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
# The routes whose body is a model: checked as bounded JSON before FastAPI parses it.
app.add_middleware(
    JsonBodies, paths=frozenset({"/orders", "/orders/async", "/analytics/jobs"})
)


# ANCHOR: invalid
@app.exception_handler(RequestValidationError)
async def invalid_body(_: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own validation, answered in the app's shape: one message per field."""
    errors = [{**e, "loc": tuple(e["loc"])[1:] or ("body",)} for e in exc.errors()]
    body = {"error": "validation_failed", "fields": field_errors(errors)}
    return JSONResponse(body, status_code=422)


# ANCHOR_END: invalid


@app.exception_handler(TaskerError)
async def tasker_failed(_: Request, exc: TaskerError) -> JSONResponse:
    kind = {503: "tasker_unavailable", 409: "duplicate"}.get(
        exc.status, "tasker_rejected"
    )
    body = {"error": kind, "message": str(exc), "stored": False}
    return JSONResponse(body, status_code=exc.status)


@app.exception_handler(Exception)
async def internal(_: Request, exc: Exception) -> JSONResponse:
    # The details stay in the log: they are about the server, not the request.
    log.exception("internal error", exc_info=exc)
    message = "the server could not complete the request; nothing was stored"
    return JSONResponse({"error": "internal", "message": message}, status_code=500)


def order_id(request: Request) -> uuid.UUID:
    """With an Idempotency-Key the id is derived from the key, so a retry repeats both the
    row's primary key and the task context (Tasker's identity): either answers 409."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return uuid.uuid4()
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:fastapi-quickstart:order:{key}")


def order_context(oid: uuid.UUID, order: OrderRequest) -> dict:
    return {
        "order_id": str(oid),
        "customer_email": order.customer_email,
        "cart_items": [line.as_context() for line in order.cart_items],
    }


async def insert_order(session, oid: uuid.UUID, order: OrderRequest, status: str):
    """Adds the order; a primary-key clash means a reused Idempotency-Key (409)."""
    items = order_context(oid, order)["cart_items"]
    total = order.totals.dollars("total")
    session.add(
        Order(
            id=oid,
            customer_email=order.customer_email,
            items=items,
            total=total,
            status=status,
        )
    )
    try:
        await session.flush()
    except IntegrityError:
        message = f"order {oid} was already submitted with this Idempotency-Key"
        return JSONResponse({"error": "duplicate", "message": message}, status_code=409)
    return None


@app.get("/health")
async def health() -> str:
    return "ok"


# ANCHOR: create_order
@app.post("/orders", status_code=201, response_model=OrderCreated)
async def create_order(order: OrderRequest, request: Request):
    """Stores the order and creates its task in one transaction that commits only once
    Tasker has accepted the task: a failure leaves nothing half-done."""
    oid = order_id(request)
    tasker = request.app.state.tasker
    async with request.app.state.sessions() as session, session.begin():
        if duplicate := await insert_order(session, oid, order, "submitted"):
            return duplicate
        task = await tasker.create_task(
            "ecommerce_order_processing",
            "ecommerce_py",
            order_context(oid, order),
            "order placed",
            identified_by="order_id",
        )
        (await session.get(Order, oid)).task_uuid = uuid.UUID(task["task_uuid"])
    return {
        "id": str(oid),
        "task_uuid": task["task_uuid"],
        "status": "submitted",
        "total": order.totals.dollars("total"),
    }
    # ANCHOR_END: create_order


# ANCHOR: create_order_async
@app.post("/orders/async", status_code=202, response_model=OrderQueued)
async def create_order_async(order: OrderRequest, request: Request):
    """Answers at once; a background job creates the task and records the outcome on the
    order: `submitted` with the task_uuid, or `failed` with the reason."""
    oid = order_id(request)
    state = request.app.state
    async with state.sessions() as session, session.begin():
        if duplicate := await insert_order(session, oid, order, "queued"):
            return duplicate

    async def submit() -> None:
        try:
            task = await state.tasker.create_task(
                "ecommerce_order_processing",
                "ecommerce_py",
                order_context(oid, order),
                "order placed",
                identified_by="order_id",
            )
            outcome = {"status": "submitted", "task_uuid": uuid.UUID(task["task_uuid"])}
        # Any failure must end up on the record, not in a log only.
        except Exception as e:
            outcome = {"status": "failed", "failure_reason": str(e)}
        async with state.sessions() as session, session.begin():
            saved = await session.get(Order, oid)
            for key, value in outcome.items():
                setattr(saved, key, value)

    job = asyncio.create_task(submit())
    state.jobs.add(job)
    job.add_done_callback(state.jobs.discard)
    return {"id": str(oid), "status": "queued"}
    # ANCHOR_END: create_order_async


def parse_id(text: str) -> uuid.UUID | None:
    """An id from the path; one that is not a UUID names nothing (404)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@app.get("/orders/{oid}", response_model=OrderView)
async def show_order(oid: str, request: Request):
    order = None
    if (key := parse_id(oid)) is not None:
        async with request.app.state.sessions() as session:
            order = await session.get(Order, key)
    if order is None:
        body = {"error": "not_found", "message": "no such order"}
        return JSONResponse(body, status_code=404)
    return {
        "id": str(order.id),
        "customer_email": order.customer_email,
        "items": order.items,
        "total": order.total,
        "status": order.status,
        "task_uuid": str(order.task_uuid) if order.task_uuid else None,
        "failure_reason": order.failure_reason,
    }


@app.post("/analytics/jobs", status_code=201, response_model=JobCreated)
async def create_job(job_request: JobRequest, request: Request):
    source, date_from, date_to = (
        job_request.source,
        job_request.date_from,
        job_request.date_to,
    )
    jid = uuid.uuid4()
    context = {
        "job_id": str(jid),
        "source": source,
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
    }
    async with request.app.state.sessions() as session, session.begin():
        job = AnalyticsJob(
            id=jid,
            source=source,
            date_from=date_from,
            date_to=date_to,
            status="submitted",
        )
        session.add(job)
        await session.flush()
        task = await request.app.state.tasker.create_task(
            "analytics_pipeline",
            "analytics_py",
            context,
            "analytics job requested",
            identified_by="job_id",
        )
        job.task_uuid = uuid.UUID(task["task_uuid"])
    return {"id": str(jid), "task_uuid": task["task_uuid"], "status": "submitted"}


@app.get("/analytics/jobs/{jid}", response_model=JobView)
async def show_job(jid: str, request: Request):
    job = None
    if (key := parse_id(jid)) is not None:
        async with request.app.state.sessions() as session:
            job = await session.get(AnalyticsJob, key)
    if job is None:
        body = {"error": "not_found", "message": "no such analytics job"}
        return JSONResponse(body, status_code=404)
    return {
        "id": str(job.id),
        "source": job.source,
        "date_from": job.date_from.isoformat(),
        "date_to": job.date_to.isoformat(),
        "status": job.status,
        "task_uuid": str(job.task_uuid) if job.task_uuid else None,
    }
