// The Bun app against the live stack: real HTTP, a real PostgreSQL database, real Tasker.
// The app runs in this process; a second instance points at a closed port to play
// "Tasker is down". Tests that need steps to finish need the TypeScript worker
// (@tasker-systems/tasker): where it is not installed they are skipped, and bun reports them
// as skipped, never as passed. scripts/test says whether it installed the package
// (QS_TS_WORKER=installed): then a failing import is an error, not a reason to skip.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { createApp } from "../src/app";
import { connect, createSchema } from "../src/db";
import { TaskerApi, WaitError, type WorkflowStep } from "../src/tasker";

const ORCHESTRATION_URL = process.env.ORCHESTRATION_URL ?? "http://127.0.0.1:8080";
const workerInstalled = await import("@tasker-systems/tasker").then(
  () => true,
  (e: unknown) => {
    if (process.env.QS_TS_WORKER === "installed") throw e;
    return false;
  },
);
const NEEDS_WORKER = "needs @tasker-systems/tasker, which is not installed here";
// Bun's default 5 s per test is too short for a worker that may first work through the
// tasks earlier runs queued in its namespace.
const COMPLETION_MS = 60_000;

const sql = connect();
const tasker = new TaskerApi(ORCHESTRATION_URL);
const jobs = new Set<Promise<void>>();
const deadJobs = new Set<Promise<void>>();
let app: ReturnType<typeof Bun.serve>;
let appWithoutTasker: ReturnType<typeof Bun.serve>;
let stopWorker = async () => {};

const serve = (t: TaskerApi, j: Set<Promise<void>>) =>
  Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: createApp({ sql, tasker: t, jobs: j }).fetch,
  });

let n = 0;
const uniqueEmail = () => `bun-${Date.now()}-${n++}@example.com`;
const cart = (email: string) => ({
  customer_email: email,
  cart_items: [
    { sku: "WIDGET-1", name: "Widget", quantity: 2, unit_price: "24.99" },
    { sku: "GADGET-7", name: "Gadget", quantity: 1, unit_price: "12.50" },
  ],
});
const post = (
  base: URL,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  fetch(new URL(path, base), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const ordersFor = async (email: string) =>
  Number(
    (await sql`SELECT count(*) AS n FROM orders WHERE customer_email = ${email}`)[0].n,
  );

beforeAll(async () => {
  const ready = await fetch(`${ORCHESTRATION_URL}/health/ready`).catch((e) => e as Error);
  if (ready instanceof Error || !ready.ok)
    throw new Error(
      `the Tasker stack is not running at ${ORCHESTRATION_URL}: start it with scripts/stack up`,
    );
  if (workerInstalled) {
    // The native worker reads the template folder from the environment Bun started with:
    // setting process.env here would not reach it.
    if (!process.env.TASKER_TEMPLATE_PATH?.endsWith("listings/bun/templates")) {
      throw new Error(
        "export TASKER_TEMPLATE_PATH=$PWD/listings/bun/templates before bun test",
      );
    }
    const { startWorker } = await import("../src/worker");
    stopWorker = await startWorker();
  }
  const listed = (await (await fetch(`${ORCHESTRATION_URL}/v1/templates`)).json()) as {
    templates: { namespace: string }[];
  };
  const namespaces = new Set(listed.templates.map((t) => t.namespace));
  for (const ns of ["ecommerce_ts", "analytics_ts"])
    if (!namespaces.has(ns))
      throw new Error(
        `Tasker has no template in ${ns}: run scripts/stack register listings/bun/templates`,
      );
  await createSchema(sql);
  app = serve(tasker, jobs);
  appWithoutTasker = serve(new TaskerApi("http://127.0.0.1:9", 2_000), deadJobs);
  // One task of each template before the tests: Tasker 0.1.8 creates a template's step rows
  // on its first task, and two first tasks at once collide on a unique constraint.
  expect((await post(app.url, "/orders", cart(uniqueEmail()))).status).toBe(201);
  const job = { source: "prime", date_from: "2026-11-01", date_to: "2026-11-01" };
  expect((await post(app.url, "/analytics/jobs", job)).status).toBe(201);
});

afterAll(async () => {
  await Promise.allSettled([...jobs, ...deadJobs]);
  await app?.stop();
  await appWithoutTasker?.stop();
  await stopWorker();
  await sql.close();
});

describe("task creation (live: the REST API, no worker needed)", () => {
  test("an order is stored and its task exists in Tasker with the order's context", async () => {
    const email = uniqueEmail();
    const response = await post(app.url, "/orders", cart(email));
    expect(response.status).toBe(201);
    const order = (await response.json()) as {
      id: string;
      task_uuid: string;
      status: string;
      total: string;
    };
    // 2 × 24.99 + 12.50 = 62.48; tax 8% = 5.00; shipping 9.99 below 100.00
    expect(order).toMatchObject({ status: "submitted", total: "77.47" });

    const task = await tasker.getTask(order.task_uuid);
    expect(task).toMatchObject({
      name: "ecommerce_order_processing",
      namespace: "ecommerce_ts",
      total_steps: 5,
    });
    expect(task.context).toEqual({
      order_id: order.id,
      customer_email: email,
      cart_items: [
        { sku: "WIDGET-1", name: "Widget", quantity: 2, unit_price_cents: 24_99 },
        { sku: "GADGET-7", name: "Gadget", quantity: 1, unit_price_cents: 12_50 },
      ],
    });
    const stored = await (await fetch(new URL(`/orders/${order.id}`, app.url))).json();
    expect(stored).toMatchObject({
      status: "submitted",
      task_uuid: order.task_uuid,
      total: "77.47",
    });
  });

  test("the task's first step is sent to the namespace's queue for a worker", async () => {
    // Tasker's own database: the message a worker reads from worker_ecommerce_ts_queue.
    // A worker that has taken it acknowledges it by archiving it (pgmq's a_ table), so it
    // is in one of the two, with or without a worker running.
    if (!process.env.DATABASE_URL)
      throw new Error('DATABASE_URL is not set: eval "$(scripts/stack env)" first');
    const taskerDb = new SQL(process.env.DATABASE_URL);
    try {
      const order = (await (
        await post(app.url, "/orders", cart(uniqueEmail()))
      ).json()) as { task_uuid: string };
      const steps = await tasker.getTaskSteps(order.task_uuid);
      const first = steps.find((s) => s.name === "validate_cart");
      expect(first).toBeDefined();
      const sent = await taskerDb`
        SELECT 'queue' AS place FROM pgmq.q_worker_ecommerce_ts_queue
         WHERE message->>'step_uuid' = ${first?.step_uuid ?? ""}
        UNION ALL
        SELECT 'archive' FROM pgmq.a_worker_ecommerce_ts_queue
         WHERE message->>'step_uuid' = ${first?.step_uuid ?? ""}`;
      expect(sent).toHaveLength(1);
    } finally {
      await taskerDb.close();
    }
  });

  test("an analytics job is stored and its task carries the date range", async () => {
    const response = await post(app.url, "/analytics/jobs", {
      source: "web",
      date_from: "2026-11-01",
      date_to: "2026-11-07",
    });
    expect(response.status).toBe(201);
    const job = (await response.json()) as { id: string; task_uuid: string };
    const task = await tasker.getTask(job.task_uuid);
    expect(task).toMatchObject({
      name: "analytics_pipeline",
      namespace: "analytics_ts",
      total_steps: 8,
    });
    expect(task.context).toEqual({
      job_id: job.id,
      source: "web",
      date_from: "2026-11-01",
      date_to: "2026-11-07",
    });
    const stored = await (
      await fetch(new URL(`/analytics/jobs/${job.id}`, app.url))
    ).json();
    expect(stored).toMatchObject({
      date_from: "2026-11-01",
      date_to: "2026-11-07",
      task_uuid: job.task_uuid,
    });
  });

  test("an async order answers 202 and gets its task in the background", async () => {
    const response = await post(app.url, "/orders/async", cart(uniqueEmail()));
    expect(response.status).toBe(202);
    const { id, status } = (await response.json()) as { id: string; status: string };
    expect(status).toBe("queued");
    await Promise.all(jobs);
    const stored = (await (await fetch(new URL(`/orders/${id}`, app.url))).json()) as {
      task_uuid: string;
    };
    expect(stored).toMatchObject({ status: "submitted", failure_reason: null });
    expect((await tasker.getTask(stored.task_uuid)).context.order_id).toBe(id);
  });

  test("an async order records why Tasker could not take it", async () => {
    const response = await post(
      appWithoutTasker.url,
      "/orders/async",
      cart(uniqueEmail()),
    );
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await Promise.all(deadJobs);
    const stored = (await (
      await fetch(new URL(`/orders/${id}`, app.url))
    ).json()) as Record<string, unknown>;
    expect(stored).toMatchObject({ status: "failed", task_uuid: null });
    expect(String(stored.failure_reason)).toContain(
      "Tasker is unreachable at http://127.0.0.1:9/v1/tasks",
    );
  });

  test("a sync order without Tasker is a 503 and stores nothing", async () => {
    const email = uniqueEmail();
    const response = await post(appWithoutTasker.url, "/orders", cart(email));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      error: "tasker_unavailable",
      stored: false,
    });
    expect(await ordersFor(email)).toBe(0);
  });

  test("the same Idempotency-Key twice is a 409, not a second order", async () => {
    const email = uniqueEmail();
    const key = { "idempotency-key": crypto.randomUUID() };
    expect((await post(app.url, "/orders", cart(email), key)).status).toBe(201);
    const again = await post(app.url, "/orders", cart(email), key);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: "duplicate" });
    expect((await post(app.url, "/orders/async", cart(email), key)).status).toBe(409);
    expect(await ordersFor(email)).toBe(1);
  });

  test("a request Tasker already accepted is answered with its task", async () => {
    const context = { order_id: crypto.randomUUID(), ...cart(uniqueEmail()) };
    const request = ["ecommerce_order_processing", "ecommerce_ts", context] as const;
    const first = await tasker.createTask(...request, "first", "order_id");
    const refused = await fetch(`${tasker.baseUrl}/v1/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: request[0],
        namespace: request[1],
        version: "1.0.0",
        context,
        initiator: "tests",
        source_system: "tests",
        reason: "the same again",
      }),
    });
    expect(refused.status).toBe(409);
    const again = await tasker.createTask(...request, "again", "order_id");
    expect(again.task_uuid).toBe(first.task_uuid);
  });

  test("a 5xx is retried and the last answer passed on", async () => {
    // Nested deeper than Tasker 0.1.8 stores: answered 500, nothing created.
    let deep: Record<string, unknown> = { order_id: crypto.randomUUID() };
    for (let level = 0; level < 11; level++) deep = { [`level_${level}`]: deep };
    deep.order_id = crypto.randomUUID();
    const created = tasker.createTask(
      "ecommerce_order_processing",
      "ecommerce_ts",
      deep,
      "too deep",
      "order_id",
    );
    await expect(created).rejects.toThrow(
      /^Tasker answered 500: .*\(after 3 attempts\)$/,
    );
  });
});

describe("bad input (live)", () => {
  const item = { sku: "W-1", quantity: 1, unit_price: "5.00" };
  test.each([
    ["/orders", { cart_items: [item] }, "customer_email"],
    ["/orders", { customer_email: "ada@", cart_items: [item] }, "customer_email"],
    ["/orders", { customer_email: "x@example.com", cart_items: [] }, "cart_items"],
    ["/orders", { customer_email: "x@example.com", cart_items: "W-1" }, "cart_items"],
    [
      "/orders",
      { customer_email: "x@example.com", cart_items: [{ ...item, quantity: 0 }] },
      "cart_items[0].quantity",
    ],
    [
      "/orders",
      { customer_email: "x@example.com", cart_items: [{ ...item, quantity: 1.5 }] },
      "cart_items[0].quantity",
    ],
    [
      "/orders",
      { customer_email: "x@example.com", cart_items: [{ ...item, unit_price: "-1" }] },
      "cart_items[0].unit_price",
    ],
    [
      "/orders",
      { customer_email: "x@example.com", cart_items: [{ ...item, sku: " " }] },
      "cart_items[0].sku",
    ],
    [
      "/orders/async",
      { customer_email: "x@example.com", cart_items: [{ ...item, unit_price: 5 }] },
      "cart_items[0].unit_price",
    ],
    ["/orders", [], "body"],
  ])("POST %s %j is a 422 naming %s, and stores nothing", async (path, body, field) => {
    const before = Number((await sql`SELECT count(*) AS n FROM orders`)[0].n);
    const response = await post(app.url, path, body);
    expect(response.status).toBe(422);
    const answer = (await response.json()) as {
      error: string;
      fields: Record<string, string>;
    };
    expect(answer.error).toBe("validation_failed");
    expect(Object.keys(answer.fields)).toContain(field);
    await Promise.all(jobs);
    expect(Number((await sql`SELECT count(*) AS n FROM orders`)[0].n)).toBe(before);
  });

  test.each(["/orders", "/orders/async", "/analytics/jobs"])(
    "a malformed body on %s is a 422",
    async (path) => {
      const response = await post(app.url, path, "{not json");
      expect(response.status).toBe(422);
      expect(((await response.json()) as { fields: object }).fields).toHaveProperty(
        "body",
      );
    },
  );

  test("bad analytics input names every field at once", async () => {
    const response = await post(app.url, "/analytics/jobs", {
      date_from: "2026-02-30",
      date_to: "soon",
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { fields: object }).fields).toEqual({
      source: "is required",
      date_from: "must be a date like 2026-11-01",
      date_to: "must be a date like 2026-11-01",
    });
    const backwards = await post(app.url, "/analytics/jobs", {
      source: "web",
      date_from: "2026-11-07",
      date_to: "2026-11-01",
    });
    expect(((await backwards.json()) as { fields: object }).fields).toEqual({
      date_to: "must not be before date_from",
    });
  });

  test("unknown orders and paths are 404s", async () => {
    expect((await fetch(new URL(`/orders/${crypto.randomUUID()}`, app.url))).status).toBe(
      404,
    );
    expect((await fetch(new URL("/orders/not-a-uuid", app.url))).status).toBe(404);
    expect((await post(app.url, "/orders/", cart(uniqueEmail()))).status).toBe(404);
  });
});

describe("waiting for a task (live)", () => {
  test("waiting gives up after maxWaitMs, naming the steps not yet complete", async () => {
    const order = (await (
      await post(app.url, "/orders", cart(uniqueEmail()))
    ).json()) as { task_uuid: string };
    // No time at all: the last of the five steps cannot have finished at the first poll,
    // with or without a worker.
    const error = await tasker
      .waitForTaskCompletion(order.task_uuid, 0)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect((error as WaitError).message).toMatch(
      /not complete after 0 ms: last status \w+, unfinished: .*send_confirmation \(\w+\)/,
    );
  });
});

describe(`completion (${workerInstalled ? "live" : `not run: ${NEEDS_WORKER}`})`, () => {
  // ANCHOR: completion_test
  test.skipIf(!workerInstalled)(
    "an order runs all five steps and prices the cart",
    async () => {
      const order = (await (
        await post(app.url, "/orders", cart(uniqueEmail()))
      ).json()) as { task_uuid: string };
      const task = await tasker.waitForTaskCompletion(order.task_uuid, 30_000);
      expect(task.completed_steps).toBe(5);
      const steps = await tasker.getTaskSteps(order.task_uuid);
      const validate = steps.find((s: WorkflowStep) => s.name === "validate_cart");
      expect(validate?.results?.result).toMatchObject({
        subtotal_cents: 62_48,
        tax_cents: 5_00,
        shipping_cents: 9_99,
        total_cents: 77_47,
      });
    },
    COMPLETION_MS,
  );
  // ANCHOR_END: completion_test

  test.skipIf(!workerInstalled)(
    "the analytics extracts run side by side",
    async () => {
      const body = { source: "web", date_from: "2026-11-01", date_to: "2026-11-07" };
      const job = (await (await post(app.url, "/analytics/jobs", body)).json()) as {
        task_uuid: string;
      };
      await tasker.waitForTaskCompletion(job.task_uuid, 30_000);
      const windows = (await tasker.getTaskSteps(job.task_uuid))
        .filter((s) => s.name.startsWith("extract_"))
        .map((s) => s.results?.result as { started_at: string; finished_at: string });
      const lastStart = Math.max(...windows.map((w) => Date.parse(w.started_at)));
      const firstEnd = Math.min(...windows.map((w) => Date.parse(w.finished_at)));
      expect(windows).toHaveLength(3);
      expect(lastStart).toBeLessThan(firstEnd);
    },
    COMPLETION_MS,
  );

  test.skipIf(!workerInstalled)(
    "an async order's task, created by the background job, runs to completion",
    async () => {
      const accepted = (await (
        await post(app.url, "/orders/async", cart(uniqueEmail()))
      ).json()) as { id: string };
      type Stored = { status: string; task_uuid: string | null };
      let order: Stored = { status: "queued", task_uuid: null };
      for (let i = 0; i < 200 && order.status === "queued"; i++) {
        await Bun.sleep(10);
        const response = await fetch(new URL(`/orders/${accepted.id}`, app.url));
        order = (await response.json()) as Stored;
      }
      expect(order.status).toBe("submitted");
      const task = await tasker.waitForTaskCompletion(order.task_uuid ?? "", 30_000);
      expect(task.completed_steps).toBe(5);
    },
    COMPLETION_MS,
  );

  test.skipIf(!workerInstalled)(
    "waiting stops early with the failing step's error",
    async () => {
      const context = {
        order_id: crypto.randomUUID(),
        customer_email: uniqueEmail(),
        cart_items: [],
      };
      const task = await tasker.createTask(
        "ecommerce_order_processing",
        "ecommerce_ts",
        context,
        "empty cart",
        "order_id",
      );
      const error = await tasker
        .waitForTaskCompletion(task.task_uuid, 30_000)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WaitError);
      expect((error as WaitError).message).toContain("the cart has no items");
    },
    COMPLETION_MS,
  );
});
