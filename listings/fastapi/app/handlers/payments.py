"""The steps of card_payment: a charge against a card processor that is down for the
first attempts (as many as the task context's processor_failures), then a receipt. The
app's charges table plays the processor's ledger."""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from tasker_core import StepContext, StepHandler, StepHandlerResult

from app.db import Charge, step_engine


# ANCHOR: charge_card
class ChargeCardHandler(StepHandler):
    """Fails with a retryable error while the processor is "down": Tasker runs the step
    again, up to the template's max_attempts. Then charges the payment once, keyed by
    its id: a payment charged before (by an earlier attempt or an earlier task for it)
    answers with that charge instead of a new one."""

    handler_name = "app.handlers.payments.ChargeCardHandler"

    async def call(self, context: StepContext) -> StepHandlerResult:
        # retry_count is the step's attempts before this one: 0 on the first run.
        attempt = context.retry_count + 1
        if attempt <= context.get_input("processor_failures"):
            return StepHandlerResult.failure(
                f"attempt {attempt}: the card processor did not answer",
                retryable=True,
                error_code="processor_unavailable",
            )
        payment_id = context.get_input("payment_id")
        charge = insert(Charge).values(
            payment_id=payment_id,
            amount_cents=context.get_input("amount_cents"),
            task_uuid=context.task_uuid,
            attempt=attempt,
        )
        engine = step_engine()
        try:
            async with engine.begin() as db:
                await db.execute(charge.on_conflict_do_nothing())
                charged = (
                    await db.execute(
                        select(Charge.amount_cents, Charge.task_uuid).where(
                            Charge.payment_id == payment_id
                        )
                    )
                ).one()
        finally:
            await engine.dispose()
        return StepHandlerResult.success(
            {
                "charged_cents": charged.amount_cents,
                "attempt": attempt,
                "charged_by_task": str(charged.task_uuid),
            }
        )
        # ANCHOR_END: charge_card


class SendReceiptHandler(StepHandler):
    handler_name = "app.handlers.payments.SendReceiptHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        charge = context.get_dependency_result("charge_card")
        return StepHandlerResult.success({"receipt_for_cents": charge["charged_cents"]})
