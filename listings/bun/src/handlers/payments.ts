// The steps of card_payment: a charge against a card processor that is down for the first
// attempts (as many as the task context's processor_failures), then a receipt.
import {
  ErrorType,
  type StepContext,
  StepHandler,
  type StepHandlerResult,
} from "@tasker-systems/tasker";

// ANCHOR: charge_card
/** Fails with a retryable error while the processor is "down": Tasker runs the step
 *  again, up to the template's max_attempts. */
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
    const amountCents = context.getInput("amount_cents");
    return this.success({ charged_cents: amountCents, attempt });
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
