"""``Webhook``: POSTs every event it receives, as JSON, to the URL its settings name.

The worked example of a destination plugin (the README's "how to write your own destination"):
a plain class with ``name``, ``type``, ``version``, ``load``, ``is_loaded`` and one async hook
per call type. It only uses the core's ports, so it runs unchanged under CPython in the tests.

Settings (``integrations.Webhook`` in the source settings, or in ``load()`` options)::

    {"url": "https://hooks.example.com/segment", "headers": {"X-Token": "..."}}
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Mapping

from ..core.context import Context
from ..core.ports import Console, Transport, TransportError
from ..core.retry import Verdict, backoff_s, classify
from ..core.serialize import to_json
from ..core.version import VERSION

MAX_ATTEMPTS = 3


class Webhook:
    name = "Webhook"
    type = "destination"
    version = VERSION

    def __init__(self, settings: Mapping[str, Any], transport: Transport, console: Console, *,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 rng: Callable[[], float] = lambda: 0.5) -> None:
        self._settings = settings
        self._transport = transport
        self._console = console
        self._sleep = sleep
        self._rng = rng
        self._url = ""
        self._headers: dict[str, str] = {}

    def load(self) -> None:
        """Refuses settings without an http(s) URL: the plugin is then removed with a warning."""
        url, headers = self._settings.get("url"), self._settings.get("headers") or {}
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"Webhook: settings need an http(s) 'url', got {url!r}")
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            raise ValueError("Webhook: 'headers' must map names to strings")
        self._url = url
        self._headers = {"Content-Type": "application/json", **headers}

    def is_loaded(self) -> bool:
        return bool(self._url)

    async def _post(self, ctx: Context) -> Context:
        """One POST per event; server errors and network failures are retried a few times."""
        body = to_json(ctx.event)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                status: int | None = (await self._transport.send(self._url, body, self._headers)).status
            except TransportError:
                status = None
            verdict = classify(status).verdict
            if verdict is Verdict.DELIVERED:
                return ctx
            if verdict is Verdict.DROP or attempt == MAX_ATTEMPTS:
                break
            await self._sleep(backoff_s(attempt, self._rng))
        self._console.error(f"analytics_py: Webhook could not deliver {ctx.event.get('type')} "
                            f"{ctx.event.get('messageId')} to {self._url} (last status: {status})")
        return ctx

    track = page = screen = identify = group = alias = _post
