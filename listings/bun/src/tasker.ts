// Tasker's REST API (/v1) with fetch: create a task, read it back, wait for it to finish.

/** How many times createTask sends a request Tasker answers with 5xx, and the pause
 *  before the second attempt (the third waits twice as long). */
export const CREATE_ATTEMPTS = 3;
const RETRY_PAUSE_MS = 200;

/** Task states after which waiting longer cannot lead to `complete`. */
export const STOPPED = new Set([
  "error",
  "cancelled",
  "resolved_manually",
  "blocked_by_failures",
]);

export interface Task {
  task_uuid: string;
  name: string;
  namespace: string;
  version: string;
  status: string;
  context: Record<string, unknown>;
  total_steps: number;
  completed_steps: number;
}

export interface WorkflowStep {
  step_uuid: string;
  name: string;
  current_state: string;
  results?: { result?: unknown; error?: unknown } | null;
}

/** `status` is the HTTP status the app answers its own client with. */
export class TaskerError extends Error {
  status: 409 | 502 | 503 = 502;
}
export class TaskerUnreachable extends TaskerError {
  override status = 503 as const;
}
export class TaskerDuplicate extends TaskerError {
  override status = 409 as const;
}

export class WaitError extends Error {
  constructor(
    message: string,
    readonly taskStatus: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

const errorOf = (step: WorkflowStep): unknown => step.results?.error ?? null;

export class TaskerApi {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    try {
      return await fetch(url, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new TaskerUnreachable(
        `Tasker is unreachable at ${url}: ${e instanceof Error ? e.message : e}`,
      );
    }
  }

  // ANCHOR: create_task
  /** POST /v1/tasks, safe to repeat. Tasker 0.1.8 can answer 5xx for a task it did
   *  create, so a 5xx is answered by sending the same request again (CREATE_ATTEMPTS
   *  in all). Tasker identifies a task by its template and context, so a 409 means a
   *  task of this very request exists: it is looked up by the context field
   *  `identifiedBy` (order_id, job_id) and returned as the one created. */
  async createTask(
    name: string,
    namespace: string,
    context: Record<string, unknown>,
    reason: string,
    identifiedBy: string,
  ): Promise<Task> {
    const key = context[identifiedBy];
    const body = {
      name,
      namespace,
      version: "1.0.0",
      context,
      initiator: "bun-quickstart",
      source_system: "web",
      reason,
    };
    for (let attempt = 1; ; attempt++) {
      const response = await this.request("POST", "/v1/tasks", body);
      if (response.ok) return (await response.json()) as Task;
      const detail = await response.text();
      if (response.status === 409) {
        const task = await this.findTask(namespace, name, identifiedBy, key);
        if (task) return task;
        throw new TaskerDuplicate(`Tasker has this task (409), not found: ${detail}`);
      }
      if (response.status < 500 || attempt === CREATE_ATTEMPTS) {
        const tries = response.status < 500 ? "" : ` (after ${attempt} attempts)`;
        throw new TaskerError(`Tasker answered ${response.status}: ${detail}${tries}`);
      }
      console.warn(`Tasker answered ${response.status} (attempt ${attempt}): ${detail}`);
      await Bun.sleep(RETRY_PAUSE_MS * attempt);
    }
  }

  /** The newest task of the template whose context field `field` is `key`; the list
   *  is newest first, and the task sought was asked for moments ago. */
  async findTask(
    namespace: string,
    name: string,
    field: string,
    key: unknown,
  ): Promise<Task | undefined> {
    const page = await this.get<{ tasks: Task[] }>(
      `/v1/tasks?namespace=${namespace}&per_page=100`,
    );
    const found = page.tasks.find((t) => t.name === name && t.context[field] === key);
    return found && this.getTask(found.task_uuid);
  }
  // ANCHOR_END: create_task

  private async get<T>(path: string): Promise<T> {
    const response = await this.request("GET", path);
    if (response.status !== 200) {
      throw new TaskerError(
        `Tasker answered ${response.status}: ${await response.text()}`,
      );
    }
    return (await response.json()) as T;
  }

  getTask(taskUuid: string): Promise<Task> {
    return this.get(`/v1/tasks/${taskUuid}`);
  }

  getTaskSteps(taskUuid: string): Promise<WorkflowStep[]> {
    return this.get(`/v1/tasks/${taskUuid}/workflow_steps`);
  }

  /** One step, with its handler's result (the task's own view has no results). */
  getStep(taskUuid: string, stepUuid: string): Promise<WorkflowStep> {
    return this.get(`/v1/tasks/${taskUuid}/workflow_steps/${stepUuid}`);
  }

  /** The task's steps by name: the API lists them in no fixed order. */
  private async steps(taskUuid: string): Promise<WorkflowStep[]> {
    return (await this.getTaskSteps(taskUuid)).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }

  // ANCHOR: wait_for_task_completion
  /** Polls until the task is `complete`, has stopped for good, or maxWaitMs pass.
   *  Polls every pollIntervalMs; the first polls come sooner (10, 20, 40 ms …), since
   *  most tasks finish well within a second. */
  async waitForTaskCompletion(
    taskUuid: string,
    maxWaitMs = 30_000,
    pollIntervalMs = 50,
  ): Promise<Task> {
    const started = performance.now();
    let interval = Math.min(10, pollIntervalMs);
    for (;;) {
      const task = await this.getTask(taskUuid);
      if (task.status === "complete") return task;
      const status = task.status;
      if (STOPPED.has(status)) {
        const failed = (await this.steps(taskUuid))
          .filter((s) => s.current_state === "error" || s.current_state === "failed")
          .map((s) => `${s.name} (${s.current_state}): ${JSON.stringify(errorOf(s))}`);
        const detail = failed.join(", ") || "none";
        const message = `task ${taskUuid} ended as ${status}; failed steps: ${detail}`;
        throw new WaitError(message, status, detail);
      }
      if (performance.now() - started >= maxWaitMs) {
        const pending = (await this.steps(taskUuid))
          .filter((s) => s.current_state !== "complete")
          .map((s) => `${s.name} (${s.current_state})`)
          .join(", ");
        const message =
          `task ${taskUuid} not complete after ${maxWaitMs} ms: ` +
          `last status ${status}, unfinished: ${pending}`;
        throw new WaitError(message, status, pending);
      }
      await Bun.sleep(interval);
      interval = Math.min(interval * 2, pollIntervalMs);
    }
  }
  // ANCHOR_END: wait_for_task_completion
}
