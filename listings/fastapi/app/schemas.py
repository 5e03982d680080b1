"""What the API answers, as Pydantic models: FastAPI checks every answer against them and
publishes them in /openapi.json, with the request models of validation.py."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

# submitted: its task exists | queued: the background job has not created it yet
# | failed: the job could not (failure_reason says why)
OrderStatus = Literal["submitted", "queued", "failed"]
# Amounts leave as they arrive: decimal strings with two decimals ("77.47").
Money = Annotated[Decimal, Field(decimal_places=2, examples=["77.47"])]


class OrderCreated(BaseModel):
    id: uuid.UUID
    task_uuid: uuid.UUID
    status: Literal["submitted"]
    total: Money


class OrderQueued(BaseModel):
    id: uuid.UUID
    status: Literal["queued"]


class OrderView(BaseModel):
    id: uuid.UUID
    customer_email: str
    items: list[dict]
    total: Money
    status: OrderStatus
    task_uuid: uuid.UUID | None
    failure_reason: str | None


class JobCreated(BaseModel):
    id: uuid.UUID
    task_uuid: uuid.UUID
    status: Literal["submitted"]


class JobView(BaseModel):
    id: uuid.UUID
    source: str
    date_from: date
    date_to: date
    status: Literal["submitted"]
    task_uuid: uuid.UUID | None
