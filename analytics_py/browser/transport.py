"""``fetch`` as the core's ``Transport``, and the settings request; JS failures become typed."""

from __future__ import annotations

import json
from typing import Any, Mapping

import js

from ..core.ports import Response, TransportError
from .jsbridge import is_null, to_js_value


class FetchTransport:
    """POSTs with ``window.fetch``; a rejected fetch (offline, refused, blocked) is a TransportError."""

    async def send(
        self, url: str, body: str, headers: Mapping[str, str], *, keepalive: bool = False
    ) -> Response:
        init = to_js_value({"method": "POST", "headers": dict(headers), "body": body,
                            "keepalive": keepalive, "credentials": "omit"})
        try:
            response = await js.fetch(url, init)
            retry_after = response.headers.get("Retry-After")
            status = int(response.status)
        except Exception as exc:  # noqa: BLE001 - a JS TypeError/AbortError, or a page's fetch
            raise TransportError(str(exc)) from None  # replaced by something that is not fetch
        headers_seen = {} if is_null(retry_after) else {"retry-after": str(retry_after)}
        return Response(status=status, headers=headers_seen)

    def beacon(self, url: str, body: str, headers: Mapping[str, str]) -> None:
        """A ``keepalive`` fetch started synchronously (an unload handler cannot await)."""
        init = to_js_value({"method": "POST", "headers": dict(headers), "body": body,
                            "keepalive": True, "credentials": "omit"})
        try:
            js.fetch(url, init)
        except Exception as exc:  # noqa: BLE001 - a synchronous throw, e.g. over the keepalive budget
            raise TransportError(str(exc)) from None


async def fetch_json(url: str, timeout_ms: int) -> Any:
    """GET a JSON document, giving up after ``timeout_ms``; raises TransportError on any failure."""
    init = to_js_value({"credentials": "omit"})
    init.signal = js.AbortSignal.timeout(timeout_ms)
    try:
        response = await js.fetch(url, init)
        if not response.ok:
            raise TransportError(f"{url} answered {response.status}")
        text = await response.text()
    except TransportError:
        raise
    except Exception as exc:  # noqa: BLE001 - network failure or the timeout's AbortError
        raise TransportError(f"{url}: {exc}") from None
    try:
        return json.loads(str(text))
    except ValueError as exc:
        raise TransportError(f"{url} did not answer JSON: {exc}") from None
