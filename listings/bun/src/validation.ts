// What a request may contain. Every limit is stated here, once; a request outside them is
// answered 422 with one message per field (`cart_items[1].quantity`), before anything is
// stored or sent to Tasker. The rules and messages are the Axum app's.
import { centsOf, moneyText, priceLines, type Totals } from "./money";

// ANCHOR: limits
/** Larger request bodies are refused before they are parsed (413). */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_ITEMS = 100;
export const MAX_QUANTITY = 10_000;
export const MAX_UNIT_PRICE_CENTS = 100_000_00;
/** No order may cost more, tax and shipping included. */
export const MAX_ORDER_TOTAL_CENTS = 1_000_000_00;
export const MAX_EMAIL_CHARS = 254;
export const MAX_SKU_CHARS = 64;
export const MAX_NAME_CHARS = 200;
export const MAX_SOURCE_CHARS = 64;
// ANCHOR_END: limits

export class Invalid extends Error {
  constructor(
    readonly fields: Record<string, string>,
    readonly status: 413 | 415 | 422 = 422,
  ) {
    super("validation failed");
  }
}

export interface LineItem {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
}

export interface NewOrder {
  email: string;
  items: LineItem[];
  totals: Totals;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const trimmed = (value: unknown): string | null =>
  typeof value === "string" ? value.trim() : null;
/** Characters, as code points (what the other apps count), not UTF-16 units. */
const length = (text: string): number => [...text].length;

/** Text a person typed: low..high characters, none of them control characters. */
function isLabel(text: string | null, low: number, high: number): text is string {
  return (
    text !== null && length(text) >= low && length(text) <= high && !/\p{Cc}/u.test(text)
  );
}

function textRule(low: number, high: number): string {
  const range = low > 0 ? `${low} to ${high}` : `at most ${high}`;
  return `must be ${range} characters, none of them control characters`;
}

/** `user@domain.tld`: printable ASCII without spaces, one `@`, a dot inside the domain. */
function isEmail(email: string): boolean {
  const at = email.indexOf("@");
  const domain = email.slice(at + 1);
  return (
    email.length <= MAX_EMAIL_CHARS &&
    /^[\x21-\x7e]+$/.test(email) &&
    at > 0 &&
    !domain.includes("@") &&
    domain.includes(".") &&
    !domain.startsWith(".") &&
    !domain.endsWith(".")
  );
}

// ANCHOR: validate_order
/** Every problem at once, keyed by field path. */
export function validateOrder(body: unknown): NewOrder {
  if (!isObject(body)) throw new Invalid({ body: "must be a JSON object" });
  const errors: Record<string, string> = {};
  const email = trimmed(body.customer_email) ?? "";
  if (!email) errors.customer_email = "is required";
  else if (!isEmail(email)) errors.customer_email = "is not a valid email address";
  const items = validateCart(body.cart_items, errors);
  if (Object.keys(errors).length > 0) throw new Invalid(errors);

  const totals = priceLines(items.map((i) => [i.unitPriceCents, i.quantity]));
  if (totals.total > MAX_ORDER_TOTAL_CENTS) {
    const [total, limit] = [moneyText(totals.total), moneyText(MAX_ORDER_TOTAL_CENTS)];
    const message = `the order total ${total} exceeds the limit of ${limit}`;
    throw new Invalid({ cart_items: message });
  }
  return { email, items, totals };
}
// ANCHOR_END: validate_order

/** The cart's lines; what is wrong with them goes into `errors`. */
export function validateCart(raw: unknown, errors: Record<string, string>): LineItem[] {
  if (!Array.isArray(raw)) errors.cart_items = "is required and must be a list";
  else if (raw.length === 0) errors.cart_items = "must contain at least one item";
  else if (raw.length > MAX_ITEMS)
    errors.cart_items = `may contain at most ${MAX_ITEMS} items`;
  else return raw.flatMap((entry, i) => lineItem(i, entry, errors) ?? []);
  return [];
}

function lineItem(i: number, item: unknown, errors: Record<string, string>) {
  const field = `cart_items[${i}]`;
  if (!isObject(item)) {
    errors[field] = "must be an object";
    return null;
  }
  const sku = trimmed(item.sku);
  if (!isLabel(sku, 1, MAX_SKU_CHARS))
    errors[`${field}.sku`] = textRule(1, MAX_SKU_CHARS);
  // The name is optional and defaults to the SKU.
  const name = item.name === undefined || item.name === null ? sku : trimmed(item.name);
  if (!isLabel(name, 0, MAX_NAME_CHARS))
    errors[`${field}.name`] = textRule(0, MAX_NAME_CHARS);
  const quantity = wholeNumber(item.quantity, 1, MAX_QUANTITY);
  if (quantity === null)
    errors[`${field}.quantity`] = `must be a whole number from 1 to ${MAX_QUANTITY}`;
  const cents = centsOf(item.unit_price);
  const price =
    cents !== null && cents >= 1 && cents <= MAX_UNIT_PRICE_CENTS ? cents : null;
  if (price === null) {
    const limit = moneyText(MAX_UNIT_PRICE_CENTS);
    errors[`${field}.unit_price`] =
      `must be an amount from 0.01 to ${limit}, in whole cents`;
  }
  if (!isLabel(sku, 1, MAX_SKU_CHARS) || !isLabel(name, 0, MAX_NAME_CHARS)) return null;
  if (quantity === null || price === null) return null;
  return { sku, name, quantity, unitPriceCents: price } satisfies LineItem;
}

function wholeNumber(value: unknown, low: number, high: number): number | null {
  const ok = typeof value === "number" && Number.isInteger(value) && value >= low;
  return ok && value <= high ? value : null;
}

const DAY_MS = 86_400_000;

/** A calendar date written YYYY-MM-DD, as milliseconds since the epoch, or null. */
function parseDate(value: unknown): number | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real date survives the round trip.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value
    ? null
    : ms;
}

export function validateJob(body: unknown): {
  source: string;
  dateFrom: string;
  dateTo: string;
} {
  if (!isObject(body)) throw new Invalid({ body: "must be a JSON object" });
  const errors: Record<string, string> = {};
  const source = trimmed(body.source) ?? "";
  if (!source) errors.source = "is required";
  else if (!isLabel(source, 1, MAX_SOURCE_CHARS))
    errors.source = textRule(0, MAX_SOURCE_CHARS);
  const from = parseDate(body.date_from);
  const to = parseDate(body.date_to);
  if (from === null) errors.date_from = "must be a date like 2026-11-01";
  if (to === null) errors.date_to = "must be a date like 2026-11-01";
  if (from !== null && to !== null) {
    if (to < from) errors.date_to = "must not be before date_from";
    else if ((to - from) / DAY_MS > 366)
      errors.date_to = "the range may span at most a year";
  }
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
  return { source, dateFrom: body.date_from as string, dateTo: body.date_to as string };
}
