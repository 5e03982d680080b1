"""What a request may contain. Every limit is stated here, once; a request outside them is
answered 422 with one message per field (`cart_items[1].quantity`), before anything is
stored or sent to Tasker. The rules and messages are the Axum app's."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.money import Totals, cents_of, money_text, price

# ANCHOR: limits
MAX_BODY_BYTES = 64 * 1024  # larger bodies are refused before they are parsed (413)
MAX_ITEMS = 100
MAX_QUANTITY = 10_000
MAX_UNIT_PRICE_CENTS = 100_000_00
MAX_ORDER_TOTAL_CENTS = 1_000_000_00  # tax and shipping included
MAX_EMAIL_CHARS = 254
MAX_SKU_CHARS = 64
MAX_NAME_CHARS = 200
MAX_SOURCE_CHARS = 64
# ANCHOR_END: limits


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class Invalid(Exception):
    """A request the app refuses, with one message per field."""

    def __init__(self, fields: dict[str, str], status: int = 422):
        super().__init__("validation failed")
        self.fields = fields
        self.status = status


@dataclass(frozen=True)
class LineItem:
    sku: str
    name: str
    quantity: int
    unit_price_cents: int

    def as_context(self) -> dict:
        """The line as the task context carries it: the price in dollars."""
        return {
            "sku": self.sku,
            "name": self.name,
            "quantity": self.quantity,
            "unit_price": float(Decimal(self.unit_price_cents) / 100),
        }


@dataclass(frozen=True)
class NewOrder:
    customer_email: str
    items: list[LineItem]
    totals: Totals


def _dollars_to_cents(value: Any) -> int | None:
    """A JSON number of dollars with at most two decimals (24.99), in cents; None for
    anything else (booleans, strings, NaN, infinities, sub-cent fractions)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    # str() is the shortest decimal that reads back as the same float: what was sent.
    return cents_of(Decimal(str(value)))


def _is_label(text: Any, low: int, high: int) -> bool:
    """Text a person typed: low..high characters, none of them control characters."""
    return (
        isinstance(text, str)
        and low <= len(text) <= high
        and not any(unicodedata.category(c) == "Cc" for c in text)
    )


def _text_rule(low: int, high: int) -> str:
    length = f"{low} to {high}" if low else f"at most {high}"
    return f"must be {length} characters, none of them control characters"


def _is_email(text: str) -> bool:
    user, at, domain = text.partition("@")
    return (
        len(text) <= MAX_EMAIL_CHARS
        and all(33 <= ord(c) <= 126 for c in text)
        and at == "@"
        and bool(user)
        and "@" not in domain
        and "." in domain
        and not domain.startswith(".")
        and not domain.endswith(".")
    )


# ANCHOR: validate_order
def validate_order(body: Any) -> NewOrder:
    """Every problem at once, keyed by field path."""
    if not isinstance(body, dict):
        raise Invalid({"body": "must be a JSON object"})
    errors: dict[str, str] = {}
    raw_email = body.get("customer_email")
    email = raw_email.strip() if isinstance(raw_email, str) else ""
    if not email:
        errors["customer_email"] = "is required"
    elif not _is_email(email):
        errors["customer_email"] = "is not a valid email address"
    lines = validate_cart(body.get("cart_items"), errors)
    if errors:
        raise Invalid(errors)
    totals = price([(line.unit_price_cents, line.quantity) for line in lines])
    if totals.total > MAX_ORDER_TOTAL_CENTS:
        total, limit = money_text(totals.total), money_text(MAX_ORDER_TOTAL_CENTS)
        message = f"the order total {total} exceeds the limit of {limit}"
        raise Invalid({"cart_items": message})
    return NewOrder(email, lines, totals)


# ANCHOR_END: validate_order


def validate_cart(items: Any, errors: dict[str, str]) -> list[LineItem]:
    """The cart's lines; what is wrong with them goes into `errors`."""
    if not isinstance(items, list):
        errors["cart_items"] = "is required and must be a list"
    elif not items:
        errors["cart_items"] = "must contain at least one item"
    elif len(items) > MAX_ITEMS:
        errors["cart_items"] = f"may contain at most {MAX_ITEMS} items"
    else:
        lines = [_line_item(i, item, errors) for i, item in enumerate(items)]
        return [line for line in lines if line is not None]
    return []


def _line_item(i: int, item: Any, errors: dict[str, str]) -> LineItem | None:
    field = f"cart_items[{i}]"
    if not isinstance(item, dict):
        errors[field] = "must be an object"
        return None
    sku = item.get("sku")
    sku = sku.strip() if isinstance(sku, str) else None
    if not _is_label(sku, 1, MAX_SKU_CHARS):
        errors[f"{field}.sku"] = _text_rule(1, MAX_SKU_CHARS)
    # The name is optional and defaults to the SKU.
    name = item.get("name")
    name = sku if name is None else name.strip() if isinstance(name, str) else None
    if not _is_label(name, 0, MAX_NAME_CHARS):
        errors[f"{field}.name"] = _text_rule(0, MAX_NAME_CHARS)
    quantity = item.get("quantity")
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not 1 <= quantity <= MAX_QUANTITY
    ):
        errors[f"{field}.quantity"] = f"must be a whole number from 1 to {MAX_QUANTITY}"
        quantity = None
    cents = _dollars_to_cents(item.get("unit_price"))
    if cents is None or not 1 <= cents <= MAX_UNIT_PRICE_CENTS:
        limit = money_text(MAX_UNIT_PRICE_CENTS)
        errors[f"{field}.unit_price"] = (
            f"must be an amount from 0.01 to {limit}, in whole cents"
        )
        cents = None
    if f"{field}.sku" in errors or f"{field}.name" in errors or None in (quantity, cents):
        return None
    return LineItem(sku, name, quantity, cents)


def validate_job(body: Any) -> tuple[str, date, date]:
    if not isinstance(body, dict):
        raise Invalid({"body": "must be a JSON object"})
    errors: dict[str, str] = {}
    source = body.get("source")
    source = source.strip() if isinstance(source, str) else ""
    if not source:
        errors["source"] = "is required"
    elif not _is_label(source, 1, MAX_SOURCE_CHARS):
        errors["source"] = _text_rule(0, MAX_SOURCE_CHARS)
    dates: dict[str, date] = {}
    for field in ("date_from", "date_to"):
        value = body.get(field)
        try:
            if not isinstance(value, str) or not _DATE.fullmatch(value):
                raise ValueError(value)
            dates[field] = date.fromisoformat(value)
        except ValueError:
            errors[field] = "must be a date like 2026-11-01"
    if len(dates) == 2:
        if dates["date_to"] < dates["date_from"]:
            errors["date_to"] = "must not be before date_from"
        elif (dates["date_to"] - dates["date_from"]).days > 366:
            errors["date_to"] = "the range may span at most a year"
    if errors:
        raise Invalid(errors)
    return source, dates["date_from"], dates["date_to"]
