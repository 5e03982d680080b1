"""The app's own records (SQLAlchemy 2, async, asyncpg). Tasker keeps workflow state in
its own database; the app keeps what the business cares about plus the task_uuid linking
them."""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool

DEFAULT_URL = "postgresql+asyncpg://tasker:tasker@127.0.0.1:54329/example_fastapi"


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_email: Mapped[str] = mapped_column(String, nullable=False)
    items: Mapped[list] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql"), nullable=False
    )
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    # submitted: task created | queued: background job pending | failed: failure_reason
    status: Mapped[str] = mapped_column(String, nullable=False)
    task_uuid: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class AnalyticsJob(Base):
    __tablename__ = "analytics_jobs"
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    source: Mapped[str] = mapped_column(String, nullable=False)
    date_from: Mapped[date] = mapped_column(Date, nullable=False)
    date_to: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String, nullable=False)
    task_uuid: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class StockLevel(Base):
    """The batch pattern's import: one row per imported stock line. `writes` counts how
    many times the row was written, so a row processed twice shows as 2."""

    __tablename__ = "stock_levels"
    import_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    row_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    writes: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")


class ImportCheckpoint(Base):
    """How far each batch got, advanced in the same transaction as the rows it covers."""

    __tablename__ = "import_checkpoints"
    import_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    batch_id: Mapped[str] = mapped_column(String, primary_key=True)
    next_row: Mapped[int] = mapped_column(Integer, nullable=False)


class Charge(Base):
    """The payment pattern's charges, at most one per payment: the payment's id is the
    key, as it would be a card processor's idempotency key, so a payment asked for again
    finds its charge instead of making another."""

    __tablename__ = "charges"
    payment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger, nullable=False)
    task_uuid: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    charged_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


def make_engine() -> AsyncEngine:
    return create_async_engine(
        os.environ.get("APP_DATABASE_URL", DEFAULT_URL), pool_size=5
    )


def step_engine() -> AsyncEngine:
    """An engine for one step handler call. tasker-py runs each async call under an
    event loop of its own, and a connection of the app's pool belongs to another loop:
    so each call opens (and disposes of) its own."""
    return create_async_engine(
        os.environ.get("APP_DATABASE_URL", DEFAULT_URL), poolclass=NullPool
    )


async def create_schema(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)


def sessions(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)
