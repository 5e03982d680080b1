"""Talking to the orchestration server's REST API (/v1) with httpx: create a task, read it
back, and wait for it to finish."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx

log = logging.getLogger(__name__)

# How many times create_task sends a request Tasker answers with 5xx, and the pause
# before the second attempt (the third waits twice as long).
CREATE_ATTEMPTS = 3
RETRY_PAUSE = 0.2

# Task states after which waiting longer cannot lead to `complete`.
STOPPED = {"error", "cancelled", "resolved_manually", "blocked_by_failures"}


class TaskerError(Exception):
    """Base class; `status` is the HTTP status to answer the app's own client with."""

    status = 502


class TaskerUnreachable(TaskerError):
    status = 503


class TaskerDuplicate(TaskerError):
    status = 409


class WaitError(Exception):
    def __init__(self, message: str, status: str, detail: str):
        super().__init__(message)
        self.status = status
        self.detail = detail


def _error_of(step: dict) -> object:
    return (step.get("results") or {}).get("error")


class TaskerApi:
    def __init__(self, base_url: str, client: httpx.AsyncClient | None = None):
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(10.0, connect=2.0)
        )

    async def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        url = f"{self.base_url}{path}"
        try:
            return await self.client.request(method, url, **kw)
        except httpx.TransportError as e:
            raise TaskerUnreachable(f"Tasker is unreachable at {url}: {e!r}") from e

    # ANCHOR: create_task
    async def create_task(
        self, name: str, namespace: str, context: dict, reason: str, identified_by: str
    ) -> dict:
        """POST /v1/tasks, safe to repeat. Tasker 0.1.8 can answer 5xx for a task it did
        create, so a 5xx is answered by sending the same request again (CREATE_ATTEMPTS
        in all). Tasker identifies a task by its template and context, so a 409 means a
        task of this very request exists: it is looked up by the context field
        `identified_by` (order_id, job_id) and returned as the one created."""
        body = {
            "name": name,
            "namespace": namespace,
            "version": "1.0.0",
            "context": context,
            "initiator": "fastapi-quickstart",
            "source_system": "web",
            "reason": reason,
        }
        key = context[identified_by]
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            response = await self._request("POST", "/v1/tasks", json=body)
            if response.status_code in (200, 201):
                return response.json()
            if response.status_code == 409:
                if task := await self.find_task(namespace, name, identified_by, key):
                    return task
                raise TaskerDuplicate(f"Tasker has this task (409), not found: {key}")
            if response.status_code < 500 or attempt == CREATE_ATTEMPTS:
                break
            log.warning("Tasker answered %s (attempt %s)", response.status_code, attempt)
            await asyncio.sleep(RETRY_PAUSE * attempt)
        raise TaskerError(
            f"Tasker answered {response.status_code}: {response.text}"
            f" (after {attempt} attempts)"
        )

    async def find_task(
        self, namespace: str, name: str, field: str, key: object
    ) -> dict | None:
        """The newest task of the template whose context field `field` is `key`; the
        list is newest first, and the task sought was asked for moments ago."""
        page = await self._get(f"/v1/tasks?namespace={namespace}&per_page=100")
        for task in page["tasks"]:
            if task["name"] == name and task["context"].get(field) == key:
                return await self.get_task(task["task_uuid"])
        return None

    # ANCHOR_END: create_task

    async def _get(self, path: str) -> Any:
        response = await self._request("GET", path)
        if response.status_code != 200:
            raise TaskerError(f"Tasker answered {response.status_code}: {response.text}")
        return response.json()

    async def get_task(self, task_uuid: str) -> dict:
        return await self._get(f"/v1/tasks/{task_uuid}")

    async def get_task_steps(self, task_uuid: str) -> list[dict]:
        return await self._get(f"/v1/tasks/{task_uuid}/workflow_steps")

    async def get_step(self, task_uuid: str, step_uuid: str) -> dict:
        return await self._get(f"/v1/tasks/{task_uuid}/workflow_steps/{step_uuid}")

    # ANCHOR: wait_for_task_completion
    async def wait_for_task_completion(
        self, task_uuid: str, max_wait: float = 30.0, poll_interval: float = 0.05
    ) -> dict:
        """Polls until the task is `complete`, has stopped for good, or max_wait seconds
        pass. Polls every poll_interval seconds; the first polls come sooner (10, 20,
        40 ms …), since most tasks finish within a second."""
        started = time.monotonic()
        interval = min(0.01, poll_interval)
        while True:
            task = await self.get_task(task_uuid)
            if task["status"] == "complete":
                return task
            status = task["status"]
            if status in STOPPED:
                steps = await self.get_task_steps(task_uuid)
                failed = [
                    f"{s['name']} ({s['current_state']}): {_error_of(s)}"
                    for s in steps
                    if s["current_state"] in ("error", "failed")
                ]
                detail = ", ".join(failed) or "none"
                message = f"task {task_uuid} ended as {status}; failed steps: {detail}"
                raise WaitError(message, status, detail)
            if time.monotonic() - started >= max_wait:
                steps = await self.get_task_steps(task_uuid)
                pending = ", ".join(
                    f"{s['name']} ({s['current_state']})"
                    for s in steps
                    if s["current_state"] != "complete"
                )
                message = (
                    f"task {task_uuid} not complete after {max_wait}s: "
                    f"last status {status}, unfinished: {pending}"
                )
                raise WaitError(message, status, pending)
            await asyncio.sleep(interval)
            interval = min(interval * 2, poll_interval)

    # ANCHOR_END: wait_for_task_completion
