"""What every POST body must be before a route's model sees it: declared as JSON (415; a
browser sends text/plain across sites without asking first), at most MAX_BODY_BYTES (413,
read no further than that), and parseable (422: malformed, or nested deeper than the
parser goes). All are answered like field errors on `body`."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.validation import MAX_BODY_BYTES, Invalid


async def _checked_body(request: Request) -> bytes:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise Invalid(
            {"body": "must be sent with content-type: application/json"}, status=415
        )
    too_large = Invalid({"body": f"must be at most {MAX_BODY_BYTES} bytes"}, status=413)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise Invalid({"body": f"is not valid JSON: {e}"}) from e
    except RecursionError as e:
        raise Invalid({"body": "is nested too deeply"}) from e
    return raw


class JsonBodies:
    """ASGI middleware: checks the body of a POST to one of `paths`, then hands the route
    the bytes it read. (Other paths reach the router as they are: a POST to a path with a
    trailing slash still gets FastAPI's redirect.)"""

    def __init__(self, app: ASGIApp, paths: frozenset[str]) -> None:
        self.app = app
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        guarded = scope["type"] == "http" and scope["method"] == "POST"
        if not guarded or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        try:
            raw = await _checked_body(Request(scope, receive))
        except Invalid as e:
            body = {"error": "validation_failed", "fields": e.fields}
            await JSONResponse(body, status_code=e.status)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:  # later calls wait for the client to go away, as usual
                return await receive()
            replayed = True
            return {"type": "http.request", "body": raw, "more_body": False}

        await self.app(scope, replay, send)
