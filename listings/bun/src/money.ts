// Money in whole cents, so totals add up exactly. The API and the step handlers share this,
// so the total quoted to the customer is the total the workflow computes.

export const TAX_RATE = 0.08;
const TAX_PERCENT = 8;
const FREE_SHIPPING_FROM = 100_00;
const FLAT_SHIPPING = 9_99;

export interface CartItem {
  sku: string;
  name: string;
  quantity: number;
  unit_price: number;
}

export interface PricedCart {
  lineTotals: number[];
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
}

export const cents = (amount: number): number => Math.round(amount * 100);
export const dollars = (amountInCents: number): number => amountInCents / 100;

/** Line totals, subtotal, 8% tax (half-up), shipping (free from 100.00) and total, in cents. */
export function priceCart(items: CartItem[]): PricedCart {
  const lineTotals = items.map((item) => cents(item.unit_price) * item.quantity);
  const subtotal = lineTotals.reduce((sum, line) => sum + line, 0);
  const tax = Math.floor((subtotal * TAX_PERCENT + 50) / 100);
  const shipping = subtotal >= FREE_SHIPPING_FROM ? 0 : FLAT_SHIPPING;
  return { lineTotals, subtotal, tax, shipping, total: subtotal + tax + shipping };
}
