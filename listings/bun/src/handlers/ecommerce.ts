// The five steps of ecommerce_order_processing, for the TypeScript worker in
// @tasker-systems/tasker. Each reads the task context and the results of earlier steps;
// nothing here talks to a real payment provider.
import { ErrorType, type StepContext, StepHandler, type StepHandlerResult } from "@tasker-systems/tasker";
import { type CartItem, dollars, priceCart, TAX_RATE } from "../money";

interface ValidatedCart {
  validated_items: (CartItem & { line_total: number })[];
  item_count: number;
  total: number;
}

// ANCHOR: validate_cart
/** Prices the cart: line totals, subtotal, 8% tax, shipping (free from 100.00), total. */
export class ValidateCartHandler extends StepHandler {
  static handlerName = "Ecommerce.ValidateCartHandler";
  static handlerVersion = "1.0.0";

  async call(context: StepContext): Promise<StepHandlerResult> {
    const items = (context.getInput("cart_items") as CartItem[] | undefined) ?? [];
    if (items.length === 0) return this.failure("the cart has no items", ErrorType.VALIDATION_ERROR, false);
    const bad = items.find((item) => !(item.quantity > 0 && item.unit_price > 0));
    if (bad) return this.failure(`${bad.sku}: bad quantity or price`, ErrorType.VALIDATION_ERROR, false);

    const priced = priceCart(items);
    const validated = items.map((item, i) => ({ ...item, line_total: dollars(priced.lineTotals[i] ?? 0) }));
    return this.success({
      validated_items: validated,
      item_count: validated.reduce((sum, item) => sum + item.quantity, 0),
      subtotal: dollars(priced.subtotal),
      tax: dollars(priced.tax),
      tax_rate: TAX_RATE,
      shipping: dollars(priced.shipping),
      total: dollars(priced.total),
    });
  }
}
// ANCHOR_END: validate_cart

export class ProcessPaymentHandler extends StepHandler {
  static handlerName = "Ecommerce.ProcessPaymentHandler";
  static handlerVersion = "1.0.0";

  async call(context: StepContext): Promise<StepHandlerResult> {
    const cart = context.getDependencyResult("validate_cart") as ValidatedCart;
    return this.success({
      payment_id: `pay_${context.stepUuid.replaceAll("-", "")}`,
      amount_charged: cart.total,
      currency: "USD",
      customer_email: context.getInput("customer_email"),
      status: "captured",
    });
  }
}

export class UpdateInventoryHandler extends StepHandler {
  static handlerName = "Ecommerce.UpdateInventoryHandler";
  static handlerVersion = "1.0.0";

  async call(context: StepContext): Promise<StepHandlerResult> {
    const cart = context.getDependencyResult("validate_cart") as ValidatedCart;
    const reservations = cart.validated_items.map((i) => ({ sku: i.sku, quantity_reserved: i.quantity }));
    return this.success({ reservations, units_reserved: cart.item_count });
  }
}

export class CreateOrderHandler extends StepHandler {
  static handlerName = "Ecommerce.CreateOrderHandler";
  static handlerVersion = "1.0.0";

  async call(context: StepContext): Promise<StepHandlerResult> {
    const cart = context.getDependencyResult("validate_cart") as ValidatedCart;
    const payment = context.getDependencyResult("process_payment") as { payment_id: string };
    const orderId = String(context.getInput("order_id"));
    return this.success({
      order_number: `ORD-${orderId.slice(0, 8).toUpperCase()}`,
      order_id: orderId,
      total: cart.total,
      payment_id: payment.payment_id,
      item_count: cart.item_count,
    });
  }
}

export class SendConfirmationHandler extends StepHandler {
  static handlerName = "Ecommerce.SendConfirmationHandler";
  static handlerVersion = "1.0.0";

  async call(context: StepContext): Promise<StepHandlerResult> {
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
