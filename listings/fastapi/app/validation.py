"""What a request may contain, as Pydantic models: every limit is stated here, once.
FastAPI validates each body against its model before the route runs, and main.py answers
what it refuses with 422 and one message per field path (`cart_items[1].quantity`), before
anything is stored or sent to Tasker. The rules are the Axum app's."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StrictInt,
    StrictStr,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.money import Totals, money_text, price

# ANCHOR: limits
MAX_BODY_BYTES = 64 * 1024  # larger bodies are refused before they are parsed (413)
MAX_ITEMS = 100
MAX_QUANTITY = 10_000
MAX_UNIT_PRICE = Decimal("100000.00")
MAX_ORDER_TOTAL_CENTS = 1_000_000_00  # tax and shipping included
MAX_EMAIL_CHARS = 254
MAX_SKU_CHARS = 64
MAX_NAME_CHARS = 200
MAX_SOURCE_CHARS = 64
MAX_RANGE_DAYS = 366
# ANCHOR_END: limits
# The same limit for the task context, which carries cents.
MAX_UNIT_PRICE_CENTS = int(MAX_UNIT_PRICE * 100)


class Invalid(Exception):
    """A request the app refuses, with one message per field."""

    def __init__(self, fields: dict[str, str], status: int = 422):
        super().__init__("validation failed")
        self.fields = fields
        self.status = status


def _typed_text(text: str) -> str:
    """Text a person typed: no control characters."""
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise PydanticCustomError(
            "control_character", "must not contain control characters"
        )
    return text


def _text(low: int, high: int) -> Any:
    return Annotated[
        StrictStr,
        StringConstraints(strip_whitespace=True, min_length=low, max_length=high),
        AfterValidator(_typed_text),
    ]


def _email(text: str) -> str:
    user, at, domain = text.partition("@")
    valid = (
        all(33 <= ord(c) <= 126 for c in text)
        and at == "@"
        and bool(user)
        and "@" not in domain
        and "." in domain
        and not domain.startswith(".")
        and not domain.endswith(".")
    )
    if not valid:
        raise PydanticCustomError("email", "is not a valid email address")
    return text


def _decimal_text(value: object) -> object:
    """Amounts are decimal strings ("24.99"): a JSON number would be read as a binary
    float on the way, by this app or any other. Up to six digits, then decimals, which
    the Decimal's own constraints limit to two."""
    if not isinstance(value, str):
        raise PydanticCustomError("amount_type", 'must be a string such as "24.99"')
    if not re.fullmatch(r"\d{1,6}(\.\d+)?", value, re.ASCII):
        raise PydanticCustomError("amount_format", "must be digits and a decimal point")
    # Pydantic counts decimal places after dropping trailing zeros ("0.730" has two): the
    # written digits count here, as in the other apps.
    if len(value.partition(".")[2]) > 2:
        raise PydanticCustomError(
            "decimal_max_places",
            "Decimal input should have no more than 2 decimal places",
        )
    return value


def _iso_date(value: object) -> object:
    if not isinstance(value, str) or not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", value, re.ASCII
    ):
        raise PydanticCustomError("date_format", "must be a date like 2026-11-01")
    return value


Email = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_EMAIL_CHARS),
    AfterValidator(_email),
]
# An amount of dollars as a string with at most two decimals ("24.99"); the app computes
# in whole cents.
Amount = Annotated[
    Decimal,
    BeforeValidator(_decimal_text),
    Field(gt=0, le=MAX_UNIT_PRICE, decimal_places=2),
]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class CartItem(BaseModel):
    """A line of the cart. The name is optional and defaults to the SKU."""

    sku: _text(1, MAX_SKU_CHARS)
    name: _text(0, MAX_NAME_CHARS) | None = None
    quantity: Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]
    unit_price: Amount

    @property
    def label(self) -> str:
        return self.sku if self.name is None else self.name

    @property
    def unit_price_cents(self) -> int:
        return int(self.unit_price * 100)

    def as_context(self) -> dict:
        """The line as the task context carries it: money in whole cents."""
        return {
            "sku": self.sku,
            "name": self.label,
            "quantity": self.quantity,
            "unit_price_cents": self.unit_price_cents,
        }


class ContextLine(BaseModel):
    """A cart line as the task context carries it, within the API's limits."""

    sku: str
    name: str
    quantity: Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]
    unit_price_cents: Annotated[StrictInt, Field(ge=1, le=MAX_UNIT_PRICE_CENTS)]


# ANCHOR: order_request
class OrderRequest(BaseModel):
    customer_email: Email
    cart_items: Annotated[list[CartItem], Field(min_length=1, max_length=MAX_ITEMS)]

    @field_validator("cart_items")
    @classmethod
    def _within_the_order_limit(cls, items: list[CartItem]) -> list[CartItem]:
        total = price([(i.unit_price_cents, i.quantity) for i in items]).total
        if total > MAX_ORDER_TOTAL_CENTS:
            raise PydanticCustomError(
                "order_total",
                "the order total {total} exceeds the limit of {limit}",
                {"total": money_text(total), "limit": money_text(MAX_ORDER_TOTAL_CENTS)},
            )
        return items

    @property
    def totals(self) -> Totals:
        return price([(i.unit_price_cents, i.quantity) for i in self.cart_items])


# ANCHOR_END: order_request


class JobRequest(BaseModel):
    source: _text(1, MAX_SOURCE_CHARS)
    date_from: IsoDate
    date_to: IsoDate

    @field_validator("date_to")
    @classmethod
    def _a_range_of_at_most_a_year(cls, date_to: date, info: ValidationInfo) -> date:
        date_from = info.data.get("date_from")
        if date_from is not None and date_to < date_from:
            raise PydanticCustomError("date_order", "must not be before date_from")
        if date_from is not None and (date_to - date_from).days > MAX_RANGE_DAYS:
            raise PydanticCustomError("date_range", "the range may span at most a year")
        return date_to


def field_path(loc: tuple[int | str, ...]) -> str:
    """("cart_items", 1, "quantity") → "cart_items[1].quantity"."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else part
    return path or "body"


def field_errors(errors: list[dict]) -> dict[str, str]:
    """Pydantic's errors as the app answers them: one message for each field path."""
    fields: dict[str, str] = {}
    for error in errors:
        message = "is required" if error["type"] == "missing" else error["msg"]
        fields.setdefault(field_path(tuple(error["loc"])), message)
    return fields


_CART = TypeAdapter(list[ContextLine])


def validate_cart(items: Any, errors: dict[str, str]) -> list[ContextLine]:
    """The cart as a task context carries it, checked against the API's limits (the step
    handlers price it again); what is wrong goes into `errors`."""
    try:
        return _CART.validate_python(items)
    except ValidationError as e:
        errors.update(field_errors(e.errors()))
        return []
