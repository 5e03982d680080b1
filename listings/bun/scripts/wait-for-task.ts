// Waits for a Tasker task with the app's polling helper and says how it ended.
//   bun run scripts/wait-for-task.ts <task_uuid> [max_wait_ms] [poll_interval_ms]
//   (ORCHESTRATION_URL)
// Exit status: 0 complete, 1 stopped or timed out, 2 usage.
import { TaskerApi, WaitError } from "../src/tasker";

const [taskUuid, maxWait = "30000", pollInterval = "50"] = process.argv.slice(2);
if (!taskUuid || taskUuid === "--help" || taskUuid === "-h") {
  console.log(
    "usage: bun run scripts/wait-for-task.ts <task_uuid> [max_wait_ms] [poll_interval_ms]",
  );
  process.exit(taskUuid ? 0 : 2); // --help succeeds; a missing task UUID is a usage error
}
const tasker = new TaskerApi(process.env.ORCHESTRATION_URL ?? "http://127.0.0.1:8080");
try {
  const task = await tasker.waitForTaskCompletion(
    taskUuid,
    Number(maxWait),
    Number(pollInterval),
  );
  console.log(`complete: ${task.completed_steps}/${task.total_steps} steps`);
} catch (e) {
  if (!(e instanceof WaitError)) throw e;
  // The first part of the message, then one unfinished (or failed) step per line.
  console.log(e.message.split(/; failed steps: |, unfinished: /)[0]);
  for (const step of e.detail.split(", ")) console.log(`  ${step}`);
  process.exit(1); // stopped or timed out: the documented failure status, after saying why
}
