// The Bun quickstart's HTTP API (Hono): orders and analytics jobs whose work runs as
// Tasker workflows. Same routes, validation and failure behaviour as the Axum and FastAPI
// apps.
import { zValidator } from "@hono/zod-validator";
import { randomUUIDv5, type SQL } from "bun";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";
import { isDuplicateKey, type OrderStatus } from "./db";
import { moneyText } from "./money";
import { type TaskerApi, TaskerError } from "./tasker";
import {
  fieldErrors,
  Invalid,
  JobRequest,
  MAX_BODY_BYTES,
  type NewOrder,
  OrderRequest,
} from "./validation";

export interface Deps {
  sql: SQL;
  tasker: TaskerApi;
  /** Background jobs still running; shutdown (and the tests) wait for them. */
  jobs: Set<Promise<void>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** With an Idempotency-Key the order id is derived from the key, so a retry repeats both
 *  the row's primary key and the task context (Tasker's identity): either answers 409. */
function orderId(c: Context): string {
  const key = c.req.header("idempotency-key");
  if (!key) return crypto.randomUUID();
  return randomUUIDv5(`urn:bun-quickstart:order:${key}`, "url");
}

/** Only a body declared as JSON is read (415 otherwise): a browser sends text/plain across
 *  sites without asking first, and Hono's validator would read such a body as `{}`. */
const requireJson: MiddlewareHandler = async (c, next) => {
  const mediaType = (c.req.header("content-type") ?? "")
    .split(";")[0]
    ?.trim()
    .toLowerCase();
  if (mediaType !== "application/json" && !mediaType?.endsWith("+json")) {
    throw new Invalid({ body: "must be sent with content-type: application/json" }, 415);
  }
  await next();
};

// ANCHOR: json_body
/** The body, validated against `schema` by Hono's validator; what it refuses is a 422 in
 *  the app's shape, one message per field path. */
const jsonBody = <T extends z.ZodType>(schema: T) =>
  zValidator("json", schema, (result, c) => {
    if (!result.success) {
      return c.json(
        { error: "validation_failed", fields: fieldErrors(result.error) },
        422,
      );
    }
  });
// ANCHOR_END: json_body

/** The order as the task context carries it: money in whole cents. */
const orderContext = (id: string, order: NewOrder) => ({
  order_id: id,
  customer_email: order.email,
  cart_items: order.items.map((i) => ({
    sku: i.sku,
    name: i.name,
    quantity: i.quantity,
    unit_price_cents: i.unitPriceCents,
  })),
});

const duplicate = (c: Context, id: string) => {
  const message = `order ${id} was already submitted with this Idempotency-Key`;
  return c.json({ error: "duplicate", message }, 409);
};

const tooLarge = (c: Context) => {
  const fields = { body: `must be at most ${MAX_BODY_BYTES} bytes` };
  return c.json({ error: "validation_failed", fields }, 413);
};

export function createApp({ sql, tasker, jobs }: Deps): Hono {
  const app = new Hono();
  // Bodies past the limit are refused before they are read whole.
  app.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge }));

  /** Stores an order (in `db`: the pool or a transaction). A reused Idempotency-Key makes
   *  the primary key clash, which the routes answer with 409. */
  const insertOrder = (
    db: SQL,
    id: string,
    order: NewOrder,
    status: Exclude<OrderStatus, "failed">,
  ) =>
    db`INSERT INTO orders (id, customer_email, items, total, status)
       VALUES (${id}, ${order.email}, ${orderContext(id, order).cart_items}::jsonb,
               ${moneyText(order.totals.total)}, ${status})`;
  const createOrderTask = (id: string, order: NewOrder) =>
    tasker.createTask(
      "ecommerce_order_processing",
      "ecommerce_ts",
      orderContext(id, order),
      "order placed",
      "order_id",
    );

  app.onError((err, c) => {
    if (err instanceof Invalid) {
      return c.json({ error: "validation_failed", fields: err.fields }, err.status);
    }
    // Hono's validator refuses a body that does not parse as JSON with a 400.
    if (err instanceof HTTPException && err.status === 400) {
      const fields = { body: `is not valid JSON: ${err.message}` };
      return c.json({ error: "validation_failed", fields }, 422);
    }
    if (err instanceof TaskerError) {
      const kinds = {
        503: "tasker_unavailable",
        409: "duplicate",
        502: "tasker_rejected",
      };
      const body = { error: kinds[err.status], message: err.message, stored: false };
      return c.json(body, err.status);
    }
    // The details stay in the server's log: they are about the server, not the request.
    console.error(err);
    const message = "the server could not complete the request; nothing was stored";
    return c.json({ error: "internal", message }, 500);
  });

  app.get("/health", (c) => c.json("ok"));

  // ANCHOR: create_order
  app.post("/orders", requireJson, jsonBody(OrderRequest), async (c) => {
    const order = c.req.valid("json");
    const id = orderId(c);
    // One transaction that commits only once Tasker has accepted the task: any failure
    // (bad input, duplicate, Tasker down) leaves nothing half-done.
    try {
      const task = await sql.begin(async (tx) => {
        await insertOrder(tx, id, order, "submitted");
        const task = await createOrderTask(id, order);
        await tx`UPDATE orders SET task_uuid = ${task.task_uuid} WHERE id = ${id}`;
        return task;
      });
      const total = moneyText(order.totals.total);
      return c.json({ id, task_uuid: task.task_uuid, status: "submitted", total }, 201);
    } catch (e) {
      if (isDuplicateKey(e)) return duplicate(c, id);
      throw e;
    }
  });
  // ANCHOR_END: create_order

  // ANCHOR: create_order_async
  app.post("/orders/async", requireJson, jsonBody(OrderRequest), async (c) => {
    const order = c.req.valid("json");
    const id = orderId(c);
    try {
      await insertOrder(sql, id, order, "queued");
    } catch (e) {
      if (isDuplicateKey(e)) return duplicate(c, id);
      throw e;
    }
    // After the response is on its way, create the task; whatever happens ends up on the
    // record: `submitted` with the task_uuid, or `failed` with the reason.
    queueMicrotask(() => {
      const job = (async () => {
        try {
          const { task_uuid } = await createOrderTask(id, order);
          const status: OrderStatus = "submitted";
          await sql`UPDATE orders SET status = ${status}, task_uuid = ${task_uuid}
                    WHERE id = ${id}`;
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          const status: OrderStatus = "failed";
          await sql`UPDATE orders SET status = ${status}, failure_reason = ${reason}
                    WHERE id = ${id}`;
        }
      })().catch((e) => console.error(`order ${id}: the outcome was not saved:`, e));
      jobs.add(job);
      void job.finally(() => jobs.delete(job));
    });
    return c.json({ id, status: "queued" }, 202);
  });
  // ANCHOR_END: create_order_async

  app.get("/orders/:id", async (c) => {
    const id = c.req.param("id");
    const [order] = UUID.test(id) ? await sql`SELECT * FROM orders WHERE id = ${id}` : [];
    if (!order) return c.json({ error: "not_found", message: "no such order" }, 404);
    return c.json({
      id: order.id,
      customer_email: order.customer_email,
      items: order.items,
      total: order.total, // numeric(12,2): Bun SQL reads it as the string "77.47"
      status: order.status,
      task_uuid: order.task_uuid,
      failure_reason: order.failure_reason,
    });
  });

  app.post("/analytics/jobs", requireJson, jsonBody(JobRequest), async (c) => {
    const { source, date_from: dateFrom, date_to: dateTo } = c.req.valid("json");
    const id = crypto.randomUUID();
    const task = await sql.begin(async (tx) => {
      await tx`INSERT INTO analytics_jobs (id, source, date_from, date_to, status)
               VALUES (${id}, ${source}, ${dateFrom}, ${dateTo}, 'submitted')`;
      const context = { job_id: id, source, date_from: dateFrom, date_to: dateTo };
      const reason = "analytics job requested";
      const task = await tasker.createTask(
        "analytics_pipeline",
        "analytics_ts",
        context,
        reason,
        "job_id",
      );
      await tx`UPDATE analytics_jobs SET task_uuid = ${task.task_uuid} WHERE id = ${id}`;
      return task;
    });
    return c.json({ id, task_uuid: task.task_uuid, status: "submitted" }, 201);
  });

  app.get("/analytics/jobs/:id", async (c) => {
    const id = c.req.param("id");
    const [job] = UUID.test(id)
      ? await sql`SELECT id, source, to_char(date_from, 'YYYY-MM-DD') AS date_from,
                         to_char(date_to, 'YYYY-MM-DD') AS date_to, status, task_uuid
                  FROM analytics_jobs WHERE id = ${id}`
      : [];
    if (!job)
      return c.json({ error: "not_found", message: "no such analytics job" }, 404);
    return c.json(job);
  });

  return app;
}
