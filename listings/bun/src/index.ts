// The Bun quickstart: `bun run src/index.ts` from listings/bun, with the stack's env.
//   PORT (3002), APP_DATABASE_URL, ORCHESTRATION_URL, APP_WORKER=off to run without the
//   Tasker worker (the HTTP API and task creation work; steps wait for a worker).
import { createApp } from "./app";
import { connect, createSchema } from "./db";
import { TaskerApi } from "./tasker";

// ANCHOR: main
const sql = connect();
await createSchema(sql);
const orchestration = process.env.ORCHESTRATION_URL ?? "http://127.0.0.1:8080";
const tasker = new TaskerApi(orchestration);
const jobs = new Set<Promise<void>>();
const app = createApp({ sql, tasker, jobs });

let stopWorker = async () => {};
if (process.env.APP_WORKER !== "off") {
  // Imported here so the API can run where the worker package cannot be installed.
  const { startWorker } = await import("./worker");
  stopWorker = await startWorker();
}

const port = Number(process.env.PORT ?? 3002);
const server = Bun.serve({ hostname: "127.0.0.1", port, fetch: app.fetch });
const worker = process.env.APP_WORKER === "off" ? "off" : "on";
console.log(`bun-quickstart on ${server.url} (worker ${worker})`);

async function shutdown() {
  await server.stop();
  await Promise.allSettled(jobs); // background jobs finish and record their outcome
  await stopWorker();
  await sql.close();
  process.exit(0); // a requested stop that finished cleanly, jobs recorded
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
// ANCHOR_END: main
