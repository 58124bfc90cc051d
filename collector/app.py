"""The collector's web app: Segment tracking API, settings, the /events page and static files."""

from __future__ import annotations

import asyncio
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import ingest
from .settings import default_settings, merge
from .static import PrecompressedFiles
from .store import EventStore

STATIC = Path(__file__).parent / "static"


@dataclass
class CollectorConfig:
    dist: Path
    database: str = "collector.sqlite3"
    pages: Path | None = None
    mounts: dict[str, Path] = field(default_factory=dict)  # extra static folders, by URL prefix
    faults_enabled: bool = False  # test-only: POST /_faults makes the API fail on purpose
    settings_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    write_keys: frozenset[str] | None = None  # when set, every other write key is refused
    allowed_origins: tuple[str, ...] = ("*",)  # CORS: the page origins allowed to call
    csp: str | None = None  # a Content-Security-Policy header for every response


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"success": False, "error": message}, status_code=status)


def create_app(config: CollectorConfig) -> Starlette:
    store = EventStore(config.database)
    faults = Faults()
    runtime_settings: dict[str, dict[str, Any]] = {}

    async def track_api(request: Request) -> Response:
        path = request.path_params["path"]
        if path not in ingest.SINGLE_PATHS and path not in ingest.BATCH_PATHS:
            return _error(404, f"no such endpoint /v1/{path}")
        try:
            body = ingest.parse_body(await request.body())
            write_key = ingest.write_key_from(request.headers, body)
            if config.write_keys is not None and write_key not in config.write_keys:
                raise ingest.IngestError(401, "unknown write key")
            fault = await faults.take(write_key)
            if fault == "drop":
                _drop_connection(request)
                return Response(status_code=204)  # never arrives: the connection is gone
            if fault is not None:
                return fault
            events = ingest.events_from(path, body)
            for event in events:
                ingest.check_event(event)
        except ingest.IngestError as exc:
            return _error(exc.status, str(exc))
        stored = sum(store.add(write_key, event) for event in events)
        return JSONResponse({"success": True, "stored": stored, "received": len(events)})

    async def project_settings(request: Request) -> Response:
        write_key = request.path_params["write_key"]
        if config.write_keys is not None and write_key not in config.write_keys:
            return _error(404, "unknown write key")
        fault = await faults.take_settings(write_key)
        if fault is not None:
            return fault
        api_host = f"{request.url.netloc}/v1"
        document = default_settings(write_key, api_host, request.url.scheme)
        overrides = runtime_settings.get(write_key) or config.settings_overrides.get(write_key, {})
        return JSONResponse(merge(document, overrides))

    async def receive_hook(request: Request) -> Response:
        try:
            body = ingest.parse_body(await request.body())
        except ingest.IngestError as exc:
            return _error(exc.status, str(exc))
        store.add_hook(request.path_params["name"], body)
        return JSONResponse({"success": True})

    async def list_hook(request: Request) -> Response:
        return JSONResponse(store.hooks(request.path_params["name"]))

    async def set_settings(request: Request) -> Response:
        """Test only: ``{writeKey, settings?, status?, delayMs?}`` (status/delay apply to the
        next settings request of that key)."""
        try:
            spec = ingest.parse_body(await request.body())
            if not isinstance(spec, dict) or not isinstance(spec.get("writeKey"), str):
                raise ValueError("expected {writeKey, settings?, status?, delayMs?}")
            if isinstance(spec.get("settings"), dict):
                runtime_settings[spec["writeKey"]] = spec["settings"]
            faults.arm_settings(spec)
        except (ingest.IngestError, TypeError, ValueError) as exc:
            return _error(400, f"settings: {exc}")
        return JSONResponse({"success": True})

    async def events_json(request: Request) -> Response:
        try:
            after = int(request.query_params.get("after", "0"))
        except ValueError:
            return _error(400, "after must be an integer")
        return JSONResponse([event.as_json() for event in store.list(after=after)])

    async def events_page(request: Request) -> Response:
        return HTMLResponse(render_events_page(store))

    async def set_faults(request: Request) -> Response:
        try:
            faults.arm(ingest.parse_body(await request.body()))
        except (ingest.IngestError, KeyError, TypeError, ValueError) as exc:
            return _error(400, f"fault: {exc}")
        return JSONResponse({"success": True})

    routes = [
        Route("/v1/projects/{write_key}/settings", project_settings, methods=["GET"]),
        Route("/v1/{path}", track_api, methods=["POST"]),
        Route("/events", events_page, methods=["GET"]),
        Route("/events.json", events_json, methods=["GET"]),
        Route("/hooks/{name}.json", list_hook, methods=["GET"]),
        Route("/hooks/{name}", receive_hook, methods=["POST"]),
        Mount("/collector-static", StaticFiles(directory=STATIC)),
    ]
    if config.faults_enabled:
        routes.insert(0, Route("/_faults", set_faults, methods=["POST"]))
        routes.insert(0, Route("/_settings", set_settings, methods=["POST"]))
    if config.pages is not None:
        routes.append(Mount("/pages", StaticFiles(directory=config.pages, html=True)))
    for prefix, folder in config.mounts.items():
        routes.append(Mount(prefix, PrecompressedFiles(directory=folder)))
    routes.append(Mount("/", PrecompressedFiles(directory=config.dist, html=True, immutable_prefix="rt/")))
    middleware = [Middleware(
        CORSMiddleware, allow_origins=list(config.allowed_origins), allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "X-Retry-Count"], max_age=600)]
    if config.csp:
        middleware.append(Middleware(HeaderMiddleware, name="content-security-policy", value=config.csp))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.store = store
    return app


class HeaderMiddleware:
    """Adds one header to every HTTP response (the demo's Content-Security-Policy)."""

    def __init__(self, app: Any, name: str, value: str) -> None:
        self._app, self._header = app, (name.encode(), value.encode())

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def with_header(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), self._header]}
            await send(message)

        await self._app(scope, receive, with_header)


class Faults:
    """Answers the next ``count`` tracking requests of a write key late, or with a chosen status.

    ``{"writeKey", "count", "status"?, "retryAfter"?, "delayMs"?, "drop"?}``: without a status,
    the request is stored as usual after the delay; ``drop`` closes the connection unanswered.
    """

    def __init__(self) -> None:
        self._armed: dict[str, dict[str, Any]] = {}
        self._settings: dict[str, dict[str, Any]] = {}

    def arm_settings(self, spec: dict[str, Any]) -> None:
        status = spec.get("status")
        self._settings[str(spec["writeKey"])] = {
            "status": None if status is None else int(status),
            "delay_s": float(spec.get("delayMs", 0)) / 1000}

    async def take_settings(self, write_key: str) -> Response | None:
        """The next settings request of ``write_key`` waits and/or fails, once."""
        fault = self._settings.pop(write_key, None)
        if fault is None:
            return None
        await asyncio.sleep(fault["delay_s"])
        if fault["status"] is None:
            return None
        return _error(fault["status"], "injected settings fault")

    def arm(self, spec: dict[str, Any]) -> None:
        status = spec.get("status")
        self._armed[str(spec["writeKey"])] = {
            "status": None if status is None else int(status), "count": int(spec["count"]),
            "retry_after": spec.get("retryAfter"), "delay_s": float(spec.get("delayMs", 0)) / 1000,
            "drop": spec.get("drop") is True}

    async def take(self, write_key: str) -> Response | str | None:
        fault = self._armed.get(write_key)
        if fault is None or fault["count"] <= 0:
            return None
        fault["count"] -= 1
        await asyncio.sleep(fault["delay_s"])
        if fault["drop"]:
            return "drop"
        if fault["status"] is None:
            return None
        headers = {} if fault["retry_after"] is None else {"Retry-After": str(fault["retry_after"])}
        return JSONResponse({"success": False, "error": "injected fault"}, status_code=fault["status"],
                            headers=headers)


def _drop_connection(request: Request) -> None:
    """Abort the TCP connection this request came on (the uvicorn server is in app.state)."""
    server = getattr(request.app.state, "server", None)
    for connection in getattr(getattr(server, "server_state", None), "connections", ()):
        if getattr(connection, "client", None) == request.scope.get("client"):
            connection.transport.abort()


def _row(event: Any) -> str:
    cells = [event.id, event.type, event.name or "", event.user_id or "", event.anonymous_id or "",
             event.received_at]
    body = json.dumps(event.body, indent=2, ensure_ascii=False)
    tds = "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
    return (f'<tr data-id="{event.id}">{tds}<td><details><summary>JSON</summary>'
            f"<pre>{html.escape(body)}</pre></details></td></tr>")


def render_events_page(store: EventStore) -> str:
    """Every stored event, newest first, HTML-escaped; events.js keeps it live."""
    rows = "\n".join(_row(event) for event in store.list())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>analytics_py collector: events</title>
<link rel="stylesheet" href="/collector-static/events.css">
<script src="/collector-static/events.js" defer></script></head>
<body><h1>Received events</h1>
<p>Newest first. This page updates itself.</p>
<table id="events"><thead><tr><th>#</th><th>type</th><th>event / name</th><th>userId</th>
<th>anonymousId</th><th>received</th><th>payload</th></tr></thead>
<tbody>
{rows}
</tbody></table></body></html>
"""
