// Runs the step handlers under src/handlers in the TypeScript worker, creates one task of
// a template under templates/, waits for it, and prints each step's result.
//   bun run run-task.ts NAMESPACE NAME CONTEXT_JSON
// The worker reads TASKER_TEMPLATE_PATH, TASKER_CONFIG_PATH and DATABASE_URL from the
// environment Bun starts with; ORCHESTRATION_URL names the server. The REST client is the
// Bun app's.
import { WorkerServer } from "@tasker-systems/tasker";
import { TaskerApi, WaitError } from "../src/tasker";
import { ComposeGreetingHandler } from "./src/handlers/compose_greeting";
import { DeliverGreetingHandler } from "./src/handlers/deliver_greeting";

const [namespace, name, contextJson] = process.argv.slice(2);
if (!namespace || !name || !contextJson) {
  console.error("usage: bun run run-task.ts NAMESPACE NAME CONTEXT_JSON");
  process.exit(2);
}
// Tasker answers 409 to a second task with the same context: each run is new.
const context = { ...JSON.parse(contextJson), run_id: crypto.randomUUID() };

const worker = new WorkerServer();
const handlers = worker.getHandlerSystem();
for (const handler of [ComposeGreetingHandler, DeliverGreetingHandler]) {
  handlers.register(handler.handlerName, handler);
}
await worker.start({ namespace, configPath: process.env.TASKER_CONFIG_PATH });
const tasker = new TaskerApi(process.env.ORCHESTRATION_URL ?? "http://127.0.0.1:8080");
let status = 0;
try {
  const task = await tasker.createTask(
    name,
    namespace,
    context,
    "scaffold check",
    "run_id",
  );
  await tasker.waitForTaskCompletion(task.task_uuid);
  const steps = await tasker.getTaskSteps(task.task_uuid);
  for (const step of steps.sort((a, b) => a.name.localeCompare(b.name))) {
    console.log(`${step.name}: ${JSON.stringify(step.results?.result)}`);
  }
} catch (e) {
  if (!(e instanceof WaitError)) throw e;
  console.error(e.message);
  status = 1;
} finally {
  await worker.shutdown();
}
process.exit(status);
