"""Run the collector on a free loopback port inside this process (tests and benchmarks)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterator

import uvicorn

from .app import CollectorConfig, create_app
from .store import EventStore


@dataclass
class RunningCollector:
    base_url: str
    port: int
    store: EventStore

    def events(self, write_key: str) -> list[dict[str, Any]]:
        """The bodies stored for one write key, oldest first."""
        rows = self.store.list(limit=100_000, write_key=write_key)
        return [e.body for e in reversed(rows)]

    def wait_for(self, write_key: str, count: int, timeout: float = 60,
                 named: str | None = None) -> list[dict[str, Any]]:
        """Wait until ``count`` events (named ``named``, if given) arrived; return all of the key's."""
        def matching(events: list[dict[str, Any]]) -> int:
            return sum(1 for e in events if named is None or named in (e.get("event"), e.get("name")))

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = self.events(write_key)
            if matching(events) >= count:
                return events
            time.sleep(0.1)
        raise AssertionError(f"{write_key}: {matching(self.events(write_key))} of {count} events arrived")

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        request = urllib.request.Request(self.base_url + path, data=body, method="POST",
                                         headers=headers or {"Content-Type": "text/plain"})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, _json_or_text(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _json_or_text(error.read())


def _json_or_text(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


@contextlib.contextmanager
def running_collector(config: CollectorConfig, port: int = 0) -> Iterator[RunningCollector]:
    """The collector on ``port`` (a free one by default) until the block ends."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    app = create_app(config)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    app.state.server = server  # lets the fault switch drop a connection
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield RunningCollector(f"http://127.0.0.1:{port}", port, app.state.store)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

