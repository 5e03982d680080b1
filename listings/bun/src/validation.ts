// Request validation that reports every problem at once, keyed by field path
// (`cart_items[1].quantity`), with the same messages as the Axum and FastAPI apps.
import type { CartItem } from "./money";

export class Invalid extends Error {
  constructor(readonly fields: Record<string, string>) {
    super("validation failed");
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === "string" ? value.trim() : "");

function isEmail(email: string): boolean {
  const at = email.indexOf("@");
  const domain = email.slice(at + 1);
  return at > 0 && !email.includes(" ") && domain.includes(".") && !domain.startsWith(".") && !domain.endsWith(".");
}

export function validateOrder(body: unknown): { email: string; items: CartItem[] } {
  if (!isObject(body)) throw new Invalid({ body: "must be a JSON object" });
  const errors: Record<string, string> = {};
  const email = text(body.customer_email);
  if (!email) errors.customer_email = "is required";
  else if (!isEmail(email)) errors.customer_email = "is not a valid email address";

  const items: CartItem[] = [];
  const raw = body.cart_items;
  if (!Array.isArray(raw)) errors.cart_items = "is required and must be a list";
  else if (raw.length === 0) errors.cart_items = "must contain at least one item";
  else
    raw.forEach((entry: unknown, i) => {
      const item = isObject(entry) ? entry : {};
      const sku = text(item.sku);
      const { quantity, unit_price } = item;
      if (!sku) errors[`cart_items[${i}].sku`] = "is required";
      if (!Number.isInteger(quantity) || (quantity as number) < 1 || (quantity as number) > 10_000)
        errors[`cart_items[${i}].quantity`] = "must be a whole number from 1 to 10000";
      if (typeof unit_price !== "number" || !Number.isFinite(unit_price) || unit_price <= 0)
        errors[`cart_items[${i}].unit_price`] = "must be a number greater than 0";
      items.push({ sku, name: text(item.name) || sku, quantity: quantity as number, unit_price: unit_price as number });
    });
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
  return { email, items };
}

const DAY_MS = 86_400_000;

/** A calendar date written YYYY-MM-DD, as milliseconds since the epoch, or null. */
function parseDate(value: unknown): number | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real date survives the round trip.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? null : ms;
}

export function validateJob(body: unknown): { source: string; dateFrom: string; dateTo: string } {
  if (!isObject(body)) throw new Invalid({ body: "must be a JSON object" });
  const errors: Record<string, string> = {};
  const source = text(body.source);
  if (!source) errors.source = "is required";
  const from = parseDate(body.date_from);
  const to = parseDate(body.date_to);
  if (from === null) errors.date_from = "must be a date like 2026-11-01";
  if (to === null) errors.date_to = "must be a date like 2026-11-01";
  if (from !== null && to !== null) {
    if (to < from) errors.date_to = "must not be before date_from";
    else if ((to - from) / DAY_MS > 366) errors.date_to = "the range may span at most a year";
  }
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
  return { source, dateFrom: body.date_from as string, dateTo: body.date_to as string };
}
