// The Tasker worker inside the app: the Rust worker from @tasker-systems/tasker, which loads
// the templates under TASKER_TEMPLATE_PATH, listens on their namespaces and calls these
// handlers by the template's `handler.callable`.
import { WorkerServer } from "@tasker-systems/tasker";
import { analyticsHandlers } from "./handlers/analytics";
import { ecommerceHandlers } from "./handlers/ecommerce";
import { importHandlers } from "./handlers/imports";
import { paymentHandlers } from "./handlers/payments";
import { reviewHandlers } from "./handlers/review";

// Every handler class of the app: the order workflow's and the analytics pipeline's,
// then those of the Patterns part's workflows.
const appHandlers = [
  ...ecommerceHandlers,
  ...analyticsHandlers,
  ...reviewHandlers,
  ...paymentHandlers,
  ...importHandlers,
];

// ANCHOR: start_worker
export async function startWorker(): Promise<() => Promise<void>> {
  const worker = new WorkerServer();
  // Register before start: the worker resolves each step's callable in this registry.
  const handlers = worker.getHandlerSystem();
  for (const handler of appHandlers) {
    handlers.register(handler.handlerName, handler);
  }
  // The native worker reads TASKER_TEMPLATE_PATH and TASKER_CONFIG_PATH from the process
  // environment when it starts: export them before `bun` starts, not on process.env.
  await worker.start({
    namespace: "ecommerce_ts",
    configPath: process.env.TASKER_CONFIG_PATH,
  });
  return () => worker.shutdown();
}
// ANCHOR_END: start_worker
