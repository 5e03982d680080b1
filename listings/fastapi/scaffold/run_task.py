"""Runs the step handlers under handlers/ in a Tasker worker, creates one task of a
template under templates/, waits for it, and prints each step's result.

    PYTHONPATH=.. python run_task.py NAMESPACE NAME CONTEXT_JSON

The worker reads TASKER_TEMPLATE_PATH, TASKER_CONFIG_PATH and DATABASE_URL, as the
FastAPI app's does; ORCHESTRATION_URL names the server. The REST client is the
quickstart's own (app.tasker_api, in the folder above).
"""

import asyncio
import json
import os
import sys
import uuid

from tasker_core import Worker

from app.tasker_api import TaskerApi, WaitError


async def run(namespace: str, name: str, context: dict) -> int:
    api = TaskerApi(os.environ.get("ORCHESTRATION_URL", "http://127.0.0.1:8080"))
    # The worker registers the templates under TASKER_TEMPLATE_PATH, then runs their
    # steps: each callable is the import path of a handler class.
    worker = Worker.start()
    try:
        # Tasker answers 409 to a second task with the same context: each run is new.
        context = {**context, "run_id": str(uuid.uuid4())}
        task = await api.create_task(
            name, namespace, context, "scaffold check", identified_by="run_id"
        )
        try:
            await api.wait_for_task_completion(task["task_uuid"], max_wait=30)
        except WaitError as e:
            print(e, file=sys.stderr)
            return 1
        for step in sorted(
            await api.get_task_steps(task["task_uuid"]), key=lambda s: s["name"]
        ):
            print(f"{step['name']}: {json.dumps(step['results']['result'])}")
        return 0
    finally:
        await api.client.aclose()
        worker.stop()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    namespace, name, context = sys.argv[1:]
    sys.exit(asyncio.run(run(namespace, name, json.loads(context))))
