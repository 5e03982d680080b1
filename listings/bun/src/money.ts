// Money in whole cents, so totals add up exactly. Amounts arrive and leave as decimal
// strings ("24.99"), never as JSON numbers (binary floats); in between, and in the task
// context, they are integer numbers of cents.

export const TAX_PERCENT = 8;
const FREE_SHIPPING_FROM = 100_00;
const FLAT_SHIPPING = 9_99;

export interface Totals {
  lineTotals: number[];
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
}

/** "24.99" → 2499: up to six digits, then at most two decimals; null for anything else
 *  (numbers, signs, exponents, spaces, sub-cent digits). */
export function centsOf(amount: string): number | null {
  const match = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** 1234567 → "12345.67", as the apps write amounts in answers and messages. */
export const moneyText = (cents: number): string =>
  `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

/** Totals for [unit price in cents, quantity] lines: 8% tax rounded half up, shipping
 *  free from 100.00. */
export function priceLines(lines: [number, number][]): Totals {
  const lineTotals = lines.map(([cents, quantity]) => cents * quantity);
  const subtotal = lineTotals.reduce((sum, line) => sum + line, 0);
  const tax = Math.floor((subtotal * TAX_PERCENT + 50) / 100);
  const shipping = subtotal >= FREE_SHIPPING_FROM ? 0 : FLAT_SHIPPING;
  return { lineTotals, subtotal, tax, shipping, total: subtotal + tax + shipping };
}
