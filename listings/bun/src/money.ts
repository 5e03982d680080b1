// Money in whole cents, so totals add up exactly. Prices arrive as JSON numbers of dollars
// (24.99) and leave the same way; everything in between is an integer number of cents.

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

/** A JSON number of dollars with at most two decimals, in cents; null for anything else
 *  (strings, NaN, infinities, sub-cent fractions, amounts past what doubles hold exactly). */
export function centsOf(amount: unknown): number | null {
  if (typeof amount !== "number" || !Number.isFinite(amount)) return null;
  if (Math.abs(amount) >= 1e13) return null;
  // String() is the shortest decimal that reads back as the same number: what was sent.
  const [digits = "", exponent = "0"] = String(amount).split("e");
  const decimals = (digits.split(".")[1] ?? "").length - Number(exponent);
  return decimals <= 2 ? Math.round(amount * 100) : null;
}

export const dollars = (cents: number): number => cents / 100;

/** 1234567 → "12345.67", as the apps write amounts in messages. */
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
