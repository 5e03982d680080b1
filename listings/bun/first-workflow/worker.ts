// Runs this project's step handlers in a Tasker worker until Ctrl-C or SIGTERM. The
// worker reads DATABASE_URL, TASKER_CONFIG_PATH and TASKER_TEMPLATE_PATH from the
// environment Bun starts with.
import { WorkerServer } from "@tasker-systems/tasker";
import { ComposeGreeting, DeliverGreeting } from "./handlers";

const worker = new WorkerServer();
for (const handler of [ComposeGreeting, DeliverGreeting]) {
  worker.getHandlerSystem().register(handler.handlerName, handler);
}
await worker.start({ namespace: "hello_ts", configPath: process.env.TASKER_CONFIG_PATH });
console.log("worker running: Ctrl-C stops it");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await worker.shutdown();
    process.exit(0);
  });
}
