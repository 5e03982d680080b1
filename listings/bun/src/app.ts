// The Bun quickstart's HTTP API (Hono): orders and analytics jobs whose work runs as Tasker
// workflows. Same routes, validation and failure behaviour as the Axum and FastAPI apps.
import { randomUUIDv5, type SQL } from "bun";
import { Hono, type Context } from "hono";
import { isDuplicateKey } from "./db";
import { type CartItem, dollars, priceCart } from "./money";
import { TaskerError, type TaskerApi } from "./tasker";
import { Invalid, validateJob, validateOrder } from "./validation";

export interface Deps {
  sql: SQL;
  tasker: TaskerApi;
  /** Background jobs still running; shutdown (and the tests) wait for them. */
  jobs: Set<Promise<void>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** With an Idempotency-Key the order id is derived from the key, so a retry repeats both the
 *  row's primary key and the task context (Tasker's identity): either answers 409. */
function orderId(c: Context): string {
  const key = c.req.header("idempotency-key");
  return key ? randomUUIDv5(`urn:bun-quickstart:order:${key}`, "url") : crypto.randomUUID();
}

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch (e) {
    throw new Invalid({ body: `is not valid JSON: ${e instanceof Error ? e.message : e}` });
  }
}

const orderContext = (id: string, email: string, items: CartItem[]) => ({
  order_id: id,
  customer_email: email,
  cart_items: items,
});

const duplicate = (c: Context, id: string) =>
  c.json({ error: "duplicate", message: `order ${id} was already submitted with this Idempotency-Key` }, 409);

export function createApp({ sql, tasker, jobs }: Deps): Hono {
  const app = new Hono();

  /** Stores an order (in `db`: the pool or a transaction). A reused Idempotency-Key makes the
   *  primary key clash, which the routes answer with 409. */
  const insertOrder = (db: SQL, id: string, email: string, items: CartItem[], status: "submitted" | "queued") =>
    db`INSERT INTO orders (id, customer_email, items, total, status)
       VALUES (${id}, ${email}, ${items}::jsonb, ${dollars(priceCart(items).total)}, ${status})`;
  const createOrderTask = (id: string, email: string, items: CartItem[]) =>
    tasker.createTask("ecommerce_order_processing", "ecommerce_ts", orderContext(id, email, items), "order placed");

  app.onError((err, c) => {
    if (err instanceof Invalid) return c.json({ error: "validation_failed", fields: err.fields }, 422);
    if (err instanceof TaskerError) {
      const kind = { 503: "tasker_unavailable", 409: "duplicate", 502: "tasker_rejected" }[err.status];
      return c.json({ error: kind, message: err.message, stored: false }, err.status);
    }
    console.error(err);
    return c.json({ error: "internal", message: String(err) }, 500);
  });

  app.get("/health", (c) => c.json("ok"));

  // ANCHOR: create_order
  app.post("/orders", async (c) => {
    const { email, items } = validateOrder(await jsonBody(c));
    const id = orderId(c);
    const total = priceCart(items).total;
    // One transaction that commits only once Tasker has accepted the task: any failure
    // (bad input, duplicate, Tasker down) leaves nothing half-done.
    try {
      const task = await sql.begin(async (tx) => {
        await insertOrder(tx, id, email, items, "submitted");
        const task = await createOrderTask(id, email, items);
        await tx`UPDATE orders SET task_uuid = ${task.task_uuid} WHERE id = ${id}`;
        return task;
      });
      return c.json({ id, task_uuid: task.task_uuid, status: "submitted", total: dollars(total) }, 201);
    } catch (e) {
      if (isDuplicateKey(e)) return duplicate(c, id);
      throw e;
    }
  });
  // ANCHOR_END: create_order

  // ANCHOR: create_order_async
  app.post("/orders/async", async (c) => {
    const { email, items } = validateOrder(await jsonBody(c));
    const id = orderId(c);
    try {
      await insertOrder(sql, id, email, items, "queued");
    } catch (e) {
      if (isDuplicateKey(e)) return duplicate(c, id);
      throw e;
    }
    // After the response is on its way, create the task; whatever happens ends up on the
    // record: `submitted` with the task_uuid, or `failed` with the reason.
    queueMicrotask(() => {
      const job = (async () => {
        try {
          const task = await createOrderTask(id, email, items);
          await sql`UPDATE orders SET status = 'submitted', task_uuid = ${task.task_uuid} WHERE id = ${id}`;
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          await sql`UPDATE orders SET status = 'failed', failure_reason = ${reason} WHERE id = ${id}`;
        }
      })().catch((e) => console.error(`order ${id}: the outcome could not be recorded:`, e));
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
      total: Number(order.total),
      status: order.status,
      task_uuid: order.task_uuid,
      failure_reason: order.failure_reason,
    });
  });

  app.post("/analytics/jobs", async (c) => {
    const { source, dateFrom, dateTo } = validateJob(await jsonBody(c));
    const id = crypto.randomUUID();
    const task = await sql.begin(async (tx) => {
      await tx`INSERT INTO analytics_jobs (id, source, date_from, date_to, status)
               VALUES (${id}, ${source}, ${dateFrom}, ${dateTo}, 'submitted')`;
      const task = await tasker.createTask(
        "analytics_pipeline", "analytics_ts",
        { job_id: id, source, date_from: dateFrom, date_to: dateTo }, "analytics job requested");
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
    if (!job) return c.json({ error: "not_found", message: "no such analytics job" }, 404);
    return c.json(job);
  });

  return app;
}
