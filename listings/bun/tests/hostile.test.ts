// Hostile input, generated with fast-check: whatever a client sends, the app answers 4xx
// with field errors and stores nothing, or creates the order with exactly the total an
// independent integer-cents computation gives. Never a 5xx. Runs against the live stack;
// a failure prints fast-check's seed and path, and the shrunk request, to replay it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import { createApp } from "../src/app";
import { connect, createSchema } from "../src/db";
import { TaskerApi } from "../src/tasker";
import { MAX_BODY_BYTES } from "../src/validation";

const sql = connect();
const jobs = new Set<Promise<void>>();
let app: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  const orchestration = process.env.ORCHESTRATION_URL;
  if (!orchestration)
    throw new Error('ORCHESTRATION_URL is not set: eval "$(scripts/stack env)"');
  await createSchema(sql);
  const fetch = createApp({ sql, tasker: new TaskerApi(orchestration), jobs }).fetch;
  app = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch });
});

afterAll(async () => {
  await Promise.allSettled(jobs);
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
  let subtotal = 0n;
  for (const { quantity, unit_price: price } of items) {
    if (
      !Number.isInteger(quantity) ||
      Number(quantity) < 1 ||
      Number(quantity) > 10_000
    ) {
      throw new Error(`quantity ${quantity}`);
    }
    const text = String(price);
    const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
    if (typeof price !== "number" || !match)
      throw new Error(`price ${text} is not whole cents`);
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
  if (response.status === 201) {
    const want = independentTotalCents(sent);
    expect(await storedCents(String(answer.id))).toBe(want);
    expect(Math.round(Number(answer.total) * 100)).toBe(want);
    return;
  }
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(answer.error).toBe("validation_failed");
  expect(Object.keys(answer.fields as object).length).toBeGreaterThan(0);
  expect(await count()).toBe(before);
}

const post = (body: string) =>
  fetch(new URL("/orders", app.url), {
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
const edgeMoney = fc.constantFrom(
  0,
  -0,
  -0.01,
  0.001,
  0.005,
  1e-9,
  24.999,
  0.1 + 0.2,
  1e308,
);
const money = fc.oneof(
  edgeMoney,
  fc.double(),
  fc.integer({ min: -1e9, max: 1e12 }),
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
    quantity: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(9_999, 10_000)),
    unit_price: fc.integer({ min: 1, max: 10_000_000 }).map((cents) => cents / 100),
  },
  { requiredKeys: ["sku", "quantity", "unit_price"] },
);
const goodOrder = fc.record({
  customer_email: fc.constant("buyer@example.com"),
  cart_items: fc.array(goodItem, { minLength: 1, maxLength: 4 }),
});
/** A good order with one field replaced by hostile input: if the app drops any one check,
 *  this is the request that shows it. */
const oneHostileField = fc
  .tuple(
    goodOrder,
    fc.constantFrom("sku", "name", "quantity", "unit_price", "customer_email"),
    fc.nat(),
    fc.oneof(money, quantity, text, wrong),
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
      unit_price: 1,
    })),
  })),
  wrong,
  text,
);

test("a good order with one hostile field is refused or priced exactly", async () => {
  await fc.assert(
    fc.asyncProperty(oneHostileField, async (body) => {
      const before = await count();
      await checkAnswer(await post(JSON.stringify(body)), body, before);
    }),
    { numRuns: 50 },
  );
}, 30_000);

test("any body is refused with field errors or priced exactly", async () => {
  await fc.assert(
    fc.asyncProperty(anyBody, async (body) => {
      const before = await count();
      await checkAnswer(await post(JSON.stringify(body)), body, before);
    }),
    { numRuns: 40 },
  );
}, 30_000);

test.each([
  ["nested deeper than anyone sends", "[".repeat(5_000) + "]".repeat(5_000), 422],
  ["cut off", '{"customer_email": "a@b.co", "cart_items": [', 422],
  ["over the size limit", `{"cart_items": [${'{"sku": "A"},'.repeat(9_000)}{}]}`, 413],
  ["blank past the size limit", " ".repeat(MAX_BODY_BYTES + 1), 413],
])("a body %s is a %d with a body field error", async (_, raw, status) => {
  const before = await count();
  const response = await post(raw);
  expect(response.status).toBe(status);
  await checkAnswer(response, null, before);
});
