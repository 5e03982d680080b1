"""Money in Decimal cents: totals add up exactly. Shared by the handlers and the API, so the
API quotes the customer the same total the workflow computes."""

from decimal import ROUND_HALF_UP, Decimal

TAX_RATE = Decimal("0.08")
FREE_SHIPPING_FROM = Decimal("100.00")
FLAT_SHIPPING = Decimal("9.99")
CENT = Decimal("0.01")


def money(value: float | str | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def price_cart(items: list[dict]) -> dict:
    """Line totals, subtotal, tax, shipping and total for cart items (quantity, unit_price)."""
    lines = [money(i["unit_price"]) * int(i["quantity"]) for i in items]
    subtotal = sum(lines, Decimal("0.00"))
    tax = (subtotal * TAX_RATE).quantize(CENT, rounding=ROUND_HALF_UP)
    shipping = Decimal("0.00") if subtotal >= FREE_SHIPPING_FROM else FLAT_SHIPPING
    return {
        "line_totals": lines,
        "subtotal": subtotal,
        "tax": tax,
        "shipping": shipping,
        "total": subtotal + tax + shipping,
    }
