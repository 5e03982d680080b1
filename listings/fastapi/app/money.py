"""Money in whole cents (ints), so totals add up exactly. Shared by the handlers and the
API, so the API quotes the customer the same total the workflow computes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

TAX_RATE_PERCENT = 8
FREE_SHIPPING_FROM_CENTS = 100_00
FLAT_SHIPPING_CENTS = 9_99


def dollars(cents: int) -> Decimal:
    """7747 → Decimal("77.47"), always with two decimals (2400 → "24.00")."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def money_text(cents: int) -> str:
    """1234567 → "12345.67", as the apps write amounts in messages."""
    return f"{cents // 100}.{cents % 100:02d}"


@dataclass(frozen=True)
class Totals:
    line_totals: list[int]
    subtotal: int
    tax: int
    shipping: int
    total: int

    def dollars(self, field: str) -> Decimal:
        return dollars(getattr(self, field))


def price(lines: list[tuple[int, int]]) -> Totals:
    """Totals for (unit price in cents, quantity) lines: tax rounded half up, shipping
    free from 100.00."""
    line_totals = [cents * quantity for cents, quantity in lines]
    subtotal = sum(line_totals)
    tax = (subtotal * TAX_RATE_PERCENT + 50) // 100
    shipping = 0 if subtotal >= FREE_SHIPPING_FROM_CENTS else FLAT_SHIPPING_CENTS
    return Totals(line_totals, subtotal, tax, shipping, subtotal + tax + shipping)
