"""Request validation with every problem reported at once, keyed by field path
(`cart_items[1].quantity`), mirroring the Axum app."""

from __future__ import annotations

import math
from datetime import date
from typing import Any


class Invalid(Exception):
    def __init__(self, fields: dict[str, str]):
        super().__init__("validation failed")
        self.fields = fields


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def validate_order(body: Any) -> tuple[str, list[dict]]:
    if not isinstance(body, dict):
        raise Invalid({"body": "must be a JSON object"})
    errors: dict[str, str] = {}
    email = str(body.get("customer_email") or "").strip()
    user, _, domain = email.partition("@")
    if not email:
        errors["customer_email"] = "is required"
    elif not user or "." not in domain or domain.startswith(".") or domain.endswith(".") or " " in email:
        errors["customer_email"] = "is not a valid email address"
    items = body.get("cart_items")
    clean: list[dict] = []
    if not isinstance(items, list):
        errors["cart_items"] = "is required and must be a list"
    elif not items:
        errors["cart_items"] = "must contain at least one item"
    else:
        for i, item in enumerate(items):
            item = item if isinstance(item, dict) else {}
            sku = str(item.get("sku") or "").strip()
            if not sku:
                errors[f"cart_items[{i}].sku"] = "is required"
            qty = item.get("quantity")
            if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= 10_000:
                errors[f"cart_items[{i}].quantity"] = "must be a whole number from 1 to 10000"
            price = _number(item.get("unit_price"))
            if price is None or price <= 0:
                errors[f"cart_items[{i}].unit_price"] = "must be a number greater than 0"
            clean.append({"sku": sku, "name": item.get("name") or sku, "quantity": qty, "unit_price": price})
    if errors:
        raise Invalid(errors)
    return email, clean


def validate_job(body: Any) -> tuple[str, date, date]:
    if not isinstance(body, dict):
        raise Invalid({"body": "must be a JSON object"})
    errors: dict[str, str] = {}
    source = str(body.get("source") or "").strip()
    if not source:
        errors["source"] = "is required"
    dates: dict[str, date] = {}
    for field in ("date_from", "date_to"):
        try:
            dates[field] = date.fromisoformat(str(body.get(field)))
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
