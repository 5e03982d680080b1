"""The steps of card_payment: a charge against a card processor that is down for the
first attempts (as many as the task context's processor_failures), then a receipt."""

from tasker_core import StepContext, StepHandler, StepHandlerResult


# ANCHOR: charge_card
class ChargeCardHandler(StepHandler):
    """Fails with a retryable error while the processor is "down": Tasker runs the step
    again, up to the template's max_attempts."""

    handler_name = "app.handlers.payments.ChargeCardHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        # retry_count is the step's attempts before this one: 0 on the first run.
        attempt = context.retry_count + 1
        if attempt <= context.get_input("processor_failures"):
            return StepHandlerResult.failure(
                f"attempt {attempt}: the card processor did not answer",
                retryable=True,
                error_code="processor_unavailable",
            )
        amount_cents = context.get_input("amount_cents")
        return StepHandlerResult.success(
            {"charged_cents": amount_cents, "attempt": attempt}
        )
        # ANCHOR_END: charge_card


class SendReceiptHandler(StepHandler):
    handler_name = "app.handlers.payments.SendReceiptHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        charge = context.get_dependency_result("charge_card")
        return StepHandlerResult.success({"receipt_for_cents": charge["charged_cents"]})
