// Hostile input, generated with fast-check: whatever a client sends, the app answers 4xx
// with field errors and stores nothing, or creates the order with exactly the total an
// independent integer-cents computation gives. Never a 5xx. Runs against the app's
// database on the live stack; a failure prints fast-check's seed and path, and the shrunk
// request, to replay it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import { createApp } from "../src/app";
import { connect, createSchema } from "../src/db";
import { TaskerApi } from "../src/tasker";
import { MAX_BODY_BYTES } from "../src/validation";

const sql = connect();
const jobs = new Set<Promise<void>>();
/** The app with its Tasker a closed port: an accepted order is stored and its background
 *  job fails at once, so thousands of generated orders leave no Tasker tasks behind, and
 *  shrinking a failure costs none. */
let app: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  await createSchema(sql);
  const closed = new TaskerApi("http://127.0.0.1:9", 2_000);
  const { fetch } = createApp({ sql, tasker: closed, jobs });
  app = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch });
});

afterAll(async () => {
  await Promise.allSettled([...jobs]);
  await app?.stop();
  await sql.close();
});

const count = async () => Number((await sql`SELECT count(*) AS n FROM orders`)[0].n);
const storedCents = async (id: string) =>
  Number(
    (await sql`SELECT (total * 100)::bigint AS c FROM orders WHERE id = ${id}`)[0].c,
  );

/** The order total the spec gives, in cents, or an Error for a cart to refuse. Prices are
 *  read from their decimal text, not with the app's arithmetic. */
function independentTotalCents(body: unknown): number {
  const items = (body as { cart_items: { quantity: unknown; unit_price: unknown }[] })
    .cart_items;
  if (!Array.isArray(items) || items.length < 1 || items.length > 100) {
    throw new Error("cart size");
  }
  const bounded = (value: unknown, low: number, high: number) => {
    const text = typeof value === "string" ? value.trim() : null;
    const length = text === null ? -1 : [...text].length;
    return text !== null && length >= low && length <= high && !/\p{Cc}/u.test(text);
  };
  const email = (body as { customer_email?: unknown }).customer_email;
  if (!bounded(email, 3, 254)) throw new Error("email");
  let subtotal = 0n;
  for (const item of items as Record<string, unknown>[]) {
    const { quantity, unit_price: price } = item;
    if (!bounded(item.sku, 1, 64)) throw new Error(`sku ${String(item.sku)}`);
    if (item.name != null && !bounded(item.name, 0, 200)) throw new Error("name");
    if (
      !Number.isInteger(quantity) ||
      Number(quantity) < 1 ||
      Number(quantity) > 10_000
    ) {
      throw new Error(`quantity ${quantity}`);
    }
    const text = String(price);
    const match = /^([0-9]{1,6})(?:\.([0-9]{1,2}))?$/.exec(text);
    if (typeof price !== "string" || !match)
      throw new Error(`price ${text} is not a decimal string`);
    const cents =
      BigInt(match[1] ?? "0") * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
    if (cents < 1n || cents > 10_000_000n) throw new Error(`price ${text} out of range`);
    subtotal += cents * BigInt(quantity as number);
  }
  const tax = (subtotal * 8n + 50n) / 100n;
  const total = subtotal + tax + (subtotal >= 10_000n ? 0n : 999n);
  if (total > 100_000_000n) throw new Error("order total over the limit");
  return Number(total);
}

async function checkAnswer(response: Response, sent: unknown, before: number) {
  const answer = (await response.json()) as Record<string, unknown>;
  expect(response.status).toBeLessThan(500);
  if (response.status === 201 || response.status === 202) {
    const want = independentTotalCents(sent);
    expect(await storedCents(String(answer.id))).toBe(want);
    if (response.status === 201) {
      const [whole = "", part = ""] = String(answer.total).split(".");
      expect(Number(whole) * 100 + Number(part)).toBe(want);
    }
    return;
  }
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(answer.error).toBe("validation_failed");
  expect(Object.keys(answer.fields as object).length).toBeGreaterThan(0);
  expect(await count()).toBe(before);
}

const post = (body: string) =>
  fetch(new URL("/orders/async", app.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });

const wrong = fc.oneof(fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}));
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 300 }),
  fc
    .tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 31 }))
    .map(([s, c]) => s + String.fromCharCode(c)),
  fc.constant(""),
);
/** A string just past a length limit (the spec's: SKU 64, name 200, email 254): the first
 *  value a dropped limit would let through. */
const justPast = (limit: number, suffix = "") =>
  fc
    .integer({ min: limit + 1, max: limit + 5 })
    .map((n) => "n".repeat(n - suffix.length) + suffix);
/** 1999 → "19.99", as a client sends an amount. */
const amount = (cents: number) =>
  `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
// Amounts are decimal strings. Near misses: JSON numbers, signs, exponents, spaces,
// sub-cent digits, non-ASCII digits, just past the limits.
const edgeMoney = fc.constantFrom(
  24.99,
  0,
  1,
  "0",
  "0.00",
  "-0.01",
  "+1.00",
  "0.001",
  "24.999",
  "1e3",
  " 1.00",
  "1.00 ",
  "1.",
  ".50",
  "1,00",
  "\u0663.00",
  "100000.01",
  "1000000",
);
const money = fc.oneof(
  edgeMoney,
  fc.double(),
  fc.integer({ min: -1e9, max: 1e12 }),
  fc.integer({ min: 0, max: 20_000_000 }).map(amount),
  fc.double({ min: 0, max: 200_000, noNaN: true }).map(String),
  fc.string({ maxLength: 6 }),
  wrong,
);
const quantity = fc.oneof(
  fc.constantFrom(0, -1, 10_001, 2 ** 53, 1.5),
  fc.integer({ min: -5, max: 12_000 }),
  fc.string({ maxLength: 3 }),
  wrong,
);
const goodItem = fc.record(
  {
    sku: fc.stringMatching(/^[A-Z0-9-]{1,64}$/),
    name: fc.string({ maxLength: 40 }).filter((s) => !/\p{Cc}/u.test(s)),
    // Mostly everyday carts (most good orders stay under the total cap and are accepted),
    // sometimes ones at the limits.
    quantity: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 20 }), weight: 4 },
      { arbitrary: fc.constantFrom(9_999, 10_000), weight: 1 },
    ),
    unit_price: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 100_00 }).map(amount), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: 10_000_000 }).map(amount), weight: 1 },
      { arbitrary: fc.constantFrom("0.3", "7", "100000"), weight: 1 },
    ),
  },
  { requiredKeys: ["sku", "quantity", "unit_price"] },
);
const goodOrder = fc.record({
  customer_email: fc.constant("buyer@example.com"),
  cart_items: fc.array(goodItem, { minLength: 1, maxLength: 4 }),
});
/** A good order with one field replaced by hostile input: if the app drops any one check,
 *  this is the request that shows it. */
const hostileValue = {
  sku: fc.oneof(justPast(64), text, wrong),
  name: fc.oneof(justPast(200), text, wrong),
  customer_email: fc.oneof(justPast(254, "@example.com"), text, wrong),
  quantity: fc.oneof(quantity, money, text),
  unit_price: fc.oneof(money, quantity, text),
};
type Field = keyof typeof hostileValue;
const oneHostileField = fc
  .constantFrom(...(Object.keys(hostileValue) as Field[]))
  .chain((field) =>
    fc.tuple(goodOrder, fc.constant(field), fc.nat(), hostileValue[field]),
  )
  .map(([order, field, at, value]) => {
    if (field === "customer_email") return { ...order, customer_email: value };
    const items = [...order.cart_items] as Record<string, unknown>[];
    const i = at % items.length;
    items[i] = { ...items[i], [field]: value };
    return { ...order, cart_items: items };
  });
const anyBody = fc.oneof(
  goodOrder,
  fc.record({
    customer_email: fc.oneof(fc.emailAddress(), text, wrong),
    cart_items: fc.oneof(
      fc.array(fc.oneof(goodItem, wrong, text), { maxLength: 6 }),
      wrong,
    ),
  }),
  fc.integer({ min: 99, max: 102 }).map((n) => ({
    customer_email: "buyer@example.com",
    cart_items: Array.from({ length: n }, () => ({
      sku: "A",
      quantity: 1,
      unit_price: "1.00",
    })),
  })),
  wrong,
  text,
);

/** Posts `runs` generated bodies; each must be refused with field errors and store
 *  nothing, or be priced exactly (checkAnswer). */
const refusedOrPricedExactly = (bodies: fc.Arbitrary<unknown>, runs: number) =>
  fc.assert(
    fc.asyncProperty(bodies, async (body) => {
      const before = await count();
      await checkAnswer(await post(JSON.stringify(body)), body, before);
    }),
    { numRuns: runs },
  );

test("a good order with one hostile field is refused or priced exactly", async () => {
  await refusedOrPricedExactly(oneHostileField, 50);
}, 30_000);

test("any body is refused with field errors or priced exactly", async () => {
  await refusedOrPricedExactly(anyBody, 40);
}, 30_000);

/** An order whose every string is exactly as long as the spec allows, with none or one of
 *  them a few characters longer: a length limit dropped anywhere shows up as an accepted
 *  order that should have been refused. */
const stringsAtTheirLimits = fc
  .integer({ min: 1, max: 3 })
  .chain((lines) => {
    const places = ["none", "customer_email"];
    for (let line = 0; line < lines; line++) places.push(`${line}.sku`, `${line}.name`);
    return fc.tuple(
      fc.constantFrom(...places),
      fc.integer({ min: 1, max: 5 }),
      fc.constant(lines),
    );
  })
  .map(([longer, extra, lines]) => {
    const text = (place: string, limit: number, suffix = "") =>
      "n".repeat(limit + (place === longer ? extra : 0) - suffix.length) + suffix;
    return {
      customer_email: text("customer_email", 254, "@example.com"),
      cart_items: Array.from({ length: lines }, (_, line) => ({
        sku: text(`${line}.sku`, 64),
        name: text(`${line}.name`, 200),
        quantity: 1,
        unit_price: "1.00",
      })),
    };
  });

test("strings at and just past their limits are refused or priced exactly", async () => {
  await refusedOrPricedExactly(stringsAtTheirLimits, 25);
}, 30_000);

/** An order of `lines` identical lines: one widget at 1.00 unless `line` says. */
const order = (
  line: Record<string, unknown> = {},
  lines = 1,
  email = "buyer@example.com",
) => ({
  customer_email: email,
  cart_items: Array.from({ length: lines }, () => ({
    sku: "WIDGET-1",
    quantity: 1,
    unit_price: "1.00",
    ...line,
  })),
});

// Each limit from both sides, on every run, whatever the generators above happen to draw:
// the order at the limit is taken and priced exactly, the one just past it is refused
// with an error on that field.
test.each([
  ["cart size", order({}, 100), order({}, 101), "cart_items"],
  [
    "quantity",
    order({ quantity: 10_000 }),
    order({ quantity: 10_001 }),
    "cart_items[0].quantity",
  ],
  [
    "unit price",
    order({ unit_price: "100000.00" }),
    order({ unit_price: "100000.01" }),
    "cart_items[0].unit_price",
  ],
  // 9,259 x 100.00 plus 8% tax is 999,972.00; one more is 1,000,080.00.
  [
    "order total",
    order({ quantity: 9_259, unit_price: "100.00" }),
    order({ quantity: 9_260, unit_price: "100.00" }),
    "cart_items",
  ],
  [
    "sku length",
    order({ sku: "S".repeat(64) }),
    order({ sku: "S".repeat(65) }),
    "cart_items[0].sku",
  ],
  [
    "name length",
    order({ name: "N".repeat(200) }),
    order({ name: "N".repeat(201) }),
    "cart_items[0].name",
  ],
  [
    "email length",
    order({}, 1, `${"b".repeat(242)}@example.com`),
    order({}, 1, `${"b".repeat(243)}@example.com`),
    "customer_email",
  ],
])(
  "an order at the %s limit is taken and one past it refused",
  async (_, at, past, field) => {
    const before = await count();
    const taken = await post(JSON.stringify(at));
    expect(taken.status).toBe(202);
    await checkAnswer(taken, at, before);
    const refused = await post(JSON.stringify(past));
    const answer = (await refused.clone().json()) as { fields?: object };
    // First the spec's own reason, should the app have taken it.
    await checkAnswer(refused, past, before + 1);
    expect(refused.status).toBe(422);
    expect(Object.keys(answer.fields ?? {})).toContain(field);
  },
);

test("a JSON order sent as text/plain (what a cross-site form can send) is a 415", async () => {
  const before = await count();
  const order = {
    customer_email: "a@b.co",
    cart_items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
  };
  const response = await fetch(new URL("/orders/async", app.url), {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify(order),
  });
  expect(response.status).toBe(415);
  await checkAnswer(response, null, before);
});

test.each([
  ["nested deeper than anyone sends", "[".repeat(5_000) + "]".repeat(5_000), 422],
  ["cut off", '{"customer_email": "a@b.co", "cart_items": [', 422],
  ["over the size limit", `{"cart_items": [${'{"sku": "A"},'.repeat(9_000)}{}]}`, 413],
  ["blank past the size limit", " ".repeat(MAX_BODY_BYTES + 1), 413],
])("a body %s is refused with a body field error", async (_, raw, status) => {
  const before = await count();
  const response = await post(raw);
  expect(response.status).toBe(status);
  await checkAnswer(response, null, before);
});
