"""The five steps of ecommerce_order_processing. Each reads the task context and the
results of the steps before it; nothing here talks to a real payment provider."""

from tasker_core import StepContext, StepHandler, StepHandlerResult

from app.money import TAX_RATE_PERCENT, price
from app.validation import validate_cart


def _permanent(code: str, message: str) -> StepHandlerResult:
    return StepHandlerResult.failure(message, retryable=False, error_code=code)


# ANCHOR: validate_cart
class ValidateCartHandler(StepHandler):
    """Prices the cart in whole cents: line totals, subtotal, 8% tax, shipping (free from
    100.00), total. Each line passes the API's limits again, so the total is the quote."""

    handler_name = "app.handlers.ecommerce.ValidateCartHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        items = context.get_input("cart_items") or []
        if not items:
            return _permanent("empty_cart", "the cart has no items")
        errors: dict[str, str] = {}
        lines = validate_cart(items, errors)
        if errors:
            return _permanent("invalid_item", f"bad quantity or price: {errors}")
        totals = price([(line.unit_price_cents, line.quantity) for line in lines])
        validated = [
            {**line.model_dump(), "line_total_cents": cents}
            for line, cents in zip(lines, totals.line_totals, strict=True)
        ]
        return StepHandlerResult.success(
            {
                "validated_items": validated,
                "item_count": sum(line.quantity for line in lines),
                "tax_rate_percent": TAX_RATE_PERCENT,
                "subtotal_cents": totals.subtotal,
                "tax_cents": totals.tax,
                "shipping_cents": totals.shipping,
                "total_cents": totals.total,
            }
        )
        # ANCHOR_END: validate_cart


class ProcessPaymentHandler(StepHandler):
    handler_name = "app.handlers.ecommerce.ProcessPaymentHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        cart = context.get_dependency_result("validate_cart")
        return StepHandlerResult.success(
            {
                "payment_id": f"pay_{context.step_uuid.hex}",
                "amount_charged_cents": cart["total_cents"],
                "currency": "USD",
                "customer_email": context.get_input("customer_email"),
                "status": "captured",
            }
        )


class UpdateInventoryHandler(StepHandler):
    handler_name = "app.handlers.ecommerce.UpdateInventoryHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        cart = context.get_dependency_result("validate_cart")
        reservations = [
            {"sku": i["sku"], "quantity_reserved": i["quantity"]}
            for i in cart["validated_items"]
        ]
        return StepHandlerResult.success(
            {"reservations": reservations, "units_reserved": cart["item_count"]}
        )


class CreateOrderHandler(StepHandler):
    handler_name = "app.handlers.ecommerce.CreateOrderHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        cart = context.get_dependency_result("validate_cart")
        payment = context.get_dependency_result("process_payment")
        order_id = str(context.get_input("order_id"))
        return StepHandlerResult.success(
            {
                "order_number": f"ORD-{order_id[:8].upper()}",
                "order_id": order_id,
                "total_cents": cart["total_cents"],
                "payment_id": payment["payment_id"],
                "item_count": cart["item_count"],
            }
        )


class SendConfirmationHandler(StepHandler):
    handler_name = "app.handlers.ecommerce.SendConfirmationHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        order = context.get_dependency_result("create_order")
        return StepHandlerResult.success(
            {
                "sent_to": context.get_input("customer_email"),
                "order_number": order["order_number"],
                "template": "order_confirmation",
            }
        )
