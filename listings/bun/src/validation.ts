// What a request may contain, as zod schemas: every limit is stated here, once. Hono's
// validator middleware checks each body against its schema before the route runs, and the
// app answers what it refuses with 422 and one message per field path
// (`cart_items[1].quantity`), before anything is stored or sent to Tasker. The rules are
// the Axum app's; the route's types are inferred from the schemas.
import { z } from "zod";
import { centsOf, moneyText, priceLines } from "./money";

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
export const MAX_RANGE_DAYS = 366;
// ANCHOR_END: limits

// A missing field reads "is required", as in the other apps; every other message is the
// schema's own or zod's.
z.config({
  customError: (issue) =>
    issue.code === "invalid_type" && issue.input === undefined
      ? "is required"
      : undefined,
});

export class Invalid extends Error {
  constructor(
    readonly fields: Record<string, string>,
    readonly status: 413 | 415 | 422 = 422,
  ) {
    super("validation failed");
  }
}

/** Text a person typed: low..high characters (code points, as the other apps count
 *  them), none of them control characters. */
const text = (low: number, high: number) => {
  const range = low > 0 ? `${low} to ${high}` : `at most ${high}`;
  return z
    .string()
    .trim()
    .refine((s) => [...s].length >= low && [...s].length <= high && !/\p{Cc}/u.test(s), {
      message: `must be ${range} characters, none of them control characters`,
    });
};

/** `user@domain.tld`: printable ASCII without spaces, one `@`, a dot inside the domain. */
const email = z
  .string()
  .trim()
  .min(1, "is required")
  .refine(
    (s) => {
      const at = s.indexOf("@");
      const domain = s.slice(at + 1);
      return (
        s.length <= MAX_EMAIL_CHARS &&
        /^[\x21-\x7e]+$/.test(s) &&
        at > 0 &&
        !domain.includes("@") &&
        domain.includes(".") &&
        !domain.startsWith(".") &&
        !domain.endsWith(".")
      );
    },
    { message: "is not a valid email address" },
  );

/** An amount of dollars as a string with at most two decimals ("24.99"), as cents. */
const amount = z
  .string({ error: 'must be a string such as "24.99"' })
  .transform((text, ctx) => {
    const cents = centsOf(text);
    if (cents === null || cents < 1 || cents > MAX_UNIT_PRICE_CENTS) {
      const limit = moneyText(MAX_UNIT_PRICE_CENTS);
      ctx.addIssue({
        code: "custom",
        message: `must be an amount from 0.01 to ${limit}, in whole cents`,
      });
      return z.NEVER;
    }
    return cents;
  });

const WHOLE_QUANTITY = `must be a whole number from 1 to ${MAX_QUANTITY}`;

// ANCHOR: cart_item
/** A line of the cart; the name is optional and defaults to the SKU. */
export const CartItem = z
  .object({
    sku: text(1, MAX_SKU_CHARS),
    name: text(0, MAX_NAME_CHARS).nullish(),
    quantity: z
      .int({ error: WHOLE_QUANTITY })
      .min(1, WHOLE_QUANTITY)
      .max(MAX_QUANTITY, WHOLE_QUANTITY),
    unit_price: amount,
  })
  .transform(({ sku, name, quantity, unit_price }) => ({
    sku,
    name: name ?? sku,
    quantity,
    unitPriceCents: unit_price,
  }));
export type LineItem = z.output<typeof CartItem>;
// ANCHOR_END: cart_item

// ANCHOR: order_request
export const OrderRequest = z
  .object({
    customer_email: email,
    cart_items: z.array(CartItem).min(1).max(MAX_ITEMS),
  })
  .transform(({ customer_email, cart_items }, ctx) => {
    const totals = priceLines(cart_items.map((i) => [i.unitPriceCents, i.quantity]));
    if (totals.total > MAX_ORDER_TOTAL_CENTS) {
      const [total, limit] = [moneyText(totals.total), moneyText(MAX_ORDER_TOTAL_CENTS)];
      const message = `the order total ${total} exceeds the limit of ${limit}`;
      ctx.addIssue({ code: "custom", path: ["cart_items"], message });
      return z.NEVER;
    }
    return { email: customer_email, items: cart_items, totals };
  });
export type NewOrder = z.output<typeof OrderRequest>;
// ANCHOR_END: order_request

const DAY_MS = 86_400_000;

/** A calendar date written YYYY-MM-DD (2026-02-30 is not one). */
const isoDate = z.string().refine(
  (s) => {
    const ms = Date.parse(`${s}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(ms).toISOString().slice(0, 10) === s;
  },
  { message: "must be a date like 2026-11-01" },
);

export const JobRequest = z
  .object({
    source: text(1, MAX_SOURCE_CHARS),
    date_from: isoDate,
    date_to: isoDate,
  })
  .superRefine(({ date_from, date_to }, ctx) => {
    const days = (Date.parse(date_to) - Date.parse(date_from)) / DAY_MS;
    if (days < 0) {
      ctx.addIssue({
        code: "custom",
        path: ["date_to"],
        message: "must not be before date_from",
      });
    } else if (days > MAX_RANGE_DAYS) {
      const message = "the range may span at most a year";
      ctx.addIssue({ code: "custom", path: ["date_to"], message });
    }
  });

/** `["cart_items", 1, "quantity"]` → `cart_items[1].quantity`; the whole body is `body`. */
const fieldPath = (path: PropertyKey[]): string =>
  path.reduce<string>(
    (at, part) =>
      typeof part === "number"
        ? `${at}[${part}]`
        : at
          ? `${at}.${String(part)}`
          : String(part),
    "",
  ) || "body";

/** zod's issues as the app answers them: one message for each field path. */
export function fieldErrors(error: z.core.$ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    fields[fieldPath(issue.path)] ??= issue.message;
  }
  return fields;
}

/** A cart line as the task context carries it: money in whole cents. */
const ContextLine = z
  .object({
    sku: z.string(),
    name: z.string(),
    quantity: z.int().min(1).max(MAX_QUANTITY),
    unit_price_cents: z.int().min(1).max(MAX_UNIT_PRICE_CENTS),
  })
  .transform(({ unit_price_cents, ...line }) => ({
    ...line,
    unitPriceCents: unit_price_cents,
  }));
const Cart = z.array(ContextLine);

/** The cart as a task context carries it, checked against the API's limits (the step
 *  handlers price it again); what is wrong goes into `errors`. */
export function validateCart(raw: unknown, errors: Record<string, string>): LineItem[] {
  const cart = Cart.safeParse(raw);
  if (cart.success) return cart.data;
  Object.assign(errors, fieldErrors(cart.error));
  return [];
}
