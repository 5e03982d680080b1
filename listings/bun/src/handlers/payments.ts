// The steps of card_payment: a charge against a card processor that is down for the first
// attempts (as many as the task context's processor_failures), then a receipt. The app's
// charges table plays the processor's ledger.
import {
  ErrorType,
  type StepContext,
  StepHandler,
  type StepHandlerResult,
} from "@tasker-systems/tasker";
import { handlerDb } from "../db";

// ANCHOR: charge_card
/** Fails with a retryable error while the processor is "down": Tasker runs the step
 *  again, up to the template's max_attempts. Then charges the payment once, keyed by its
 *  id: a payment charged before (by an earlier attempt or an earlier task for it)
 *  answers with that charge instead of a new one. */
export class ChargeCardHandler extends StepHandler {
  static override handlerName = "Payments.ChargeCardHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    // retryCount is the step's attempts before this one: 0 on the first run.
    const attempt = context.retryCount + 1;
    if (attempt <= (context.getInput("processor_failures") as number)) {
      const message = `attempt ${attempt}: the card processor did not answer`;
      return this.failure(message, ErrorType.RETRYABLE_ERROR, true);
    }
    const paymentId = context.getInput("payment_id") as string;
    const amountCents = context.getInput("amount_cents") as number;
    const sql = handlerDb();
    await sql`
      INSERT INTO charges (payment_id, amount_cents, task_uuid, attempt)
      VALUES (${paymentId}, ${amountCents}, ${context.taskUuid}, ${attempt})
      ON CONFLICT (payment_id) DO NOTHING`;
    const [charge] = await sql`
      SELECT amount_cents, task_uuid FROM charges WHERE payment_id = ${paymentId}`;
    return this.success({
      // PostgreSQL's bigint comes back as a string: the cents are well within a number.
      charged_cents: Number(charge.amount_cents),
      attempt,
      charged_by_task: charge.task_uuid,
    });
  }
}
// ANCHOR_END: charge_card

export class SendReceiptHandler extends StepHandler {
  static override handlerName = "Payments.SendReceiptHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const charge = context.getDependencyResult("charge_card") as {
      charged_cents: number;
    };
    return this.success({ receipt_for_cents: charge.charged_cents });
  }
}

export const paymentHandlers = [ChargeCardHandler, SendReceiptHandler];
