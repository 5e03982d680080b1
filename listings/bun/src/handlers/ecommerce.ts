// The five steps of ecommerce_order_processing, for the TypeScript worker in
// @tasker-systems/tasker. Each reads the task context and the results of earlier steps;
// nothing here talks to a real payment provider.
import {
  ErrorType,
  type StepContext,
  StepHandler,
  type StepHandlerResult,
} from "@tasker-systems/tasker";
import { priceLines, TAX_PERCENT } from "../money";
import { type LineItem, validateCart } from "../validation";

interface ValidatedCart {
  validated_items: { sku: string; quantity: number; line_total_cents: number }[];
  item_count: number;
  total_cents: number;
}

// ANCHOR: validate_cart
/** Prices the cart in whole cents: line totals, subtotal, 8% tax, shipping (free from
 *  100.00), total. Each line passes the API's limits again, so the total is the quote. */
export class ValidateCartHandler extends StepHandler {
  static override handlerName = "Ecommerce.ValidateCartHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const items: unknown = context.getInput("cart_items") ?? [];
    if (Array.isArray(items) && items.length === 0) {
      return this.failure("the cart has no items", ErrorType.VALIDATION_ERROR, false);
    }
    const errors: Record<string, string> = {};
    const lines: LineItem[] = validateCart(items, errors);
    if (Object.keys(errors).length > 0) {
      const message = `bad quantity or price: ${JSON.stringify(errors)}`;
      return this.failure(message, ErrorType.VALIDATION_ERROR, false);
    }
    const totals = priceLines(lines.map((i) => [i.unitPriceCents, i.quantity]));
    const validated = lines.map((item, i) => ({
      sku: item.sku,
      name: item.name,
      quantity: item.quantity,
      unit_price_cents: item.unitPriceCents,
      line_total_cents: totals.lineTotals[i] ?? 0,
    }));
    return this.success({
      validated_items: validated,
      item_count: lines.reduce((sum, item) => sum + item.quantity, 0),
      tax_rate_percent: TAX_PERCENT,
      subtotal_cents: totals.subtotal,
      tax_cents: totals.tax,
      shipping_cents: totals.shipping,
      total_cents: totals.total,
    });
  }
}
// ANCHOR_END: validate_cart

export class ProcessPaymentHandler extends StepHandler {
  static override handlerName = "Ecommerce.ProcessPaymentHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const cart = context.getDependencyResult("validate_cart") as ValidatedCart;
    return this.success({
      payment_id: `pay_${context.stepUuid.replaceAll("-", "")}`,
      amount_charged_cents: cart.total_cents,
      currency: "USD",
      customer_email: context.getInput("customer_email"),
      status: "captured",
    });
  }
}

export class UpdateInventoryHandler extends StepHandler {
  static override handlerName = "Ecommerce.UpdateInventoryHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const cart = context.getDependencyResult("validate_cart") as ValidatedCart;
    const reservations = cart.validated_items.map((i) => ({
      sku: i.sku,
      quantity_reserved: i.quantity,
    }));
    return this.success({ reservations, units_reserved: cart.item_count });
  }
}

export class CreateOrderHandler extends StepHandler {
  static override handlerName = "Ecommerce.CreateOrderHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const cart = context.getDependencyResult("validate_cart") as ValidatedCart;
    const payment = context.getDependencyResult("process_payment") as {
      payment_id: string;
    };
    const orderId = String(context.getInput("order_id"));
    return this.success({
      order_number: `ORD-${orderId.slice(0, 8).toUpperCase()}`,
      order_id: orderId,
      total_cents: cart.total_cents,
      payment_id: payment.payment_id,
      item_count: cart.item_count,
    });
  }
}

export class SendConfirmationHandler extends StepHandler {
  static override handlerName = "Ecommerce.SendConfirmationHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const order = context.getDependencyResult("create_order") as { order_number: string };
    return this.success({
      sent_to: context.getInput("customer_email"),
      order_number: order.order_number,
      template: "order_confirmation",
    });
  }
}

export const ecommerceHandlers = [
  ValidateCartHandler,
  ProcessPaymentHandler,
  UpdateInventoryHandler,
  CreateOrderHandler,
  SendConfirmationHandler,
];
