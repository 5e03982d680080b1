// The app's own records in PostgreSQL, through Bun's built-in SQL client. Tasker keeps the
// workflow state in its own database; the app keeps what the business cares about plus the
// task_uuid that links the two.
import { SQL } from "bun";

export const DEFAULT_URL = "postgres://tasker:tasker@127.0.0.1:54329/example_bun";

export function connect(url = process.env.APP_DATABASE_URL ?? DEFAULT_URL): SQL {
  return new SQL(url, { max: 5 });
}

let handlerPool: SQL | undefined;
/** The app's database as the step handlers reach it (Tasker hands a handler only its
 *  step): one pool for every step, opened by the first that needs it. */
export const handlerDb = (): SQL => {
  handlerPool ??= connect();
  return handlerPool;
};

/** What an order's status can be; the orders table's CHECK allows exactly these. */
export type OrderStatus = "submitted" | "queued" | "failed";

// ANCHOR: schema
export async function createSchema(sql: SQL): Promise<void> {
  await sql`
    CREATE TABLE IF NOT EXISTS orders (
      id             uuid PRIMARY KEY,
      customer_email text NOT NULL,
      items          jsonb NOT NULL,
      total          numeric(12, 2) NOT NULL,
      -- submitted: task created | queued: background job pending | failed: see failure_reason
      status         text NOT NULL CHECK (status IN ('submitted', 'queued', 'failed')),
      task_uuid      uuid,
      failure_reason text,
      created_at     timestamptz NOT NULL DEFAULT now()
    )`;
  await sql`
    CREATE TABLE IF NOT EXISTS analytics_jobs (
      id         uuid PRIMARY KEY,
      source     text NOT NULL,
      date_from  date NOT NULL,
      date_to    date NOT NULL,
      status     text NOT NULL,
      task_uuid  uuid,
      created_at timestamptz NOT NULL DEFAULT now()
    )`;
  // The batch pattern's import: `writes` counts how many times a row was written, so a
  // row processed twice shows as 2; the checkpoint advances with the rows it covers.
  await sql`
    CREATE TABLE IF NOT EXISTS stock_levels (
      import_id uuid NOT NULL,
      row_no    integer NOT NULL,
      sku       text NOT NULL,
      quantity  integer NOT NULL,
      writes    integer NOT NULL DEFAULT 1,
      PRIMARY KEY (import_id, row_no)
    )`;
  await sql`
    CREATE TABLE IF NOT EXISTS import_checkpoints (
      import_id uuid NOT NULL,
      batch_id  text NOT NULL,
      next_row  integer NOT NULL,
      PRIMARY KEY (import_id, batch_id)
    )`;
  // The payment pattern's charges: the payment's id is the key, as it would be a card
  // processor's idempotency key, so a payment asked for again finds its charge.
  await sql`
    CREATE TABLE IF NOT EXISTS charges (
      payment_id   uuid PRIMARY KEY,
      amount_cents bigint NOT NULL,
      task_uuid    uuid NOT NULL,
      attempt      integer NOT NULL,
      charged_at   timestamptz NOT NULL DEFAULT now()
    )`;
}
// ANCHOR_END: schema

/** PostgreSQL's unique_violation: here, an order id (Idempotency-Key) seen before. */
export const isDuplicateKey = (e: unknown): boolean =>
  e instanceof SQL.PostgresError && e.errno === "23505";
