"""The Segment.io destination: the wire payload, the endpoint and one delivery attempt."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping

from .messages import Message
from .ports import Console, Transport, TransportError
from .serialize import MAX_EVENT_BYTES, iso_timestamp, to_json

DEFAULT_API_HOST = "api.segment.io/v1"
ENDPOINTS = {"track": "t", "page": "p", "identify": "i", "group": "g", "alias": "a", "screen": "s"}


@dataclass(frozen=True)
class Delivery:
    """How one attempt ended: accepted by the API, or not, with the reason."""

    delivered: bool
    detail: str


@dataclass(frozen=True)
class SegmentioConfig:
    """Where events go: ``<protocol>://<apiHost>/<endpoint>``."""

    api_host: str = DEFAULT_API_HOST
    protocol: str = "https"

    def url(self, endpoint: str) -> str:
        host = self.api_host.rstrip("/")
        if not host.startswith(("http://", "https://")):
            host = f"{self.protocol}://{host}"
        return f"{host}/{endpoint}"


def _segmentio_entry(source: Mapping[str, Any]) -> Mapping[str, Any]:
    integrations = source.get("integrations")
    entry = integrations.get("Segment.io") if isinstance(integrations, dict) else None
    return entry if isinstance(entry, dict) else {}


def config_from(settings: Mapping[str, Any], load_options: Mapping[str, Any]) -> SegmentioConfig:
    """The settings' ``Segment.io`` entry, overridden by ``load(key, {integrations: {"Segment.io": …}})``."""
    merged = {**_segmentio_entry(settings), **_segmentio_entry(load_options)}
    api_host = merged.get("apiHost")
    protocol = merged.get("protocol")
    return SegmentioConfig(
        api_host=api_host if isinstance(api_host, str) and api_host else DEFAULT_API_HOST,
        protocol=protocol if protocol in ("http", "https") else "https",
    )


def wire_payload(message: Message, write_key: str, sent_at: datetime, retries: int = 0) -> Message:
    """The JSON body for one attempt: the message plus ``writeKey``, ``sentAt`` and ``_metadata``."""
    metadata: Message = {"bundled": ["Segment.io"], "unbundled": [], "bundledIds": []}
    if retries:
        metadata["retryCount"] = retries
    return {**message, "writeKey": write_key, "sentAt": iso_timestamp(sent_at), "_metadata": metadata}


def request_headers(write_key: str) -> dict[str, str]:
    """``text/plain`` keeps the request CORS-simple in type; Basic auth carries the write key."""
    token = base64.b64encode(f"{write_key}:".encode()).decode()
    return {"Content-Type": "text/plain", "Authorization": f"Basic {token}"}


class Segmentio:
    """Sends each message to the Segment HTTP API through the injected transport."""

    name = "Segment.io"

    def __init__(
        self, write_key: str, config: SegmentioConfig, transport: Transport, console: Console,
        now: Callable[[], datetime],
        identity: Callable[[], tuple[str | None, str | None]] = lambda: (None, None),
    ) -> None:
        self.write_key = write_key
        self.config = config
        self._transport = transport
        self._console = console
        self._now = now
        self._identity = identity

    async def deliver(self, message: Message) -> Delivery:
        """One attempt. Failures are reported on the console and returned, never raised."""
        body = to_json(wire_payload(self._with_identity(message), self.write_key, self._now()))
        size = len(body.encode())
        if size > MAX_EVENT_BYTES:
            return self._failed(f"{message['type']} event dropped: it is {size} bytes, over the "
                                f"{MAX_EVENT_BYTES}-byte limit of the Segment API")
        url = self.config.url(ENDPOINTS[message["type"]])
        try:
            response = await self._transport.send(url, body, request_headers(self.write_key))
        except TransportError as exc:
            return self._failed(f"could not reach {url}: {exc}")
        if response.status >= 400:
            return self._failed(f"{url} answered {response.status}; event not accepted")
        return Delivery(True, f"{url} answered {response.status}")

    def _with_identity(self, message: Message) -> Message:
        """Ids missing when the call was made are taken as they are at send time, as analytics.js
        does: a ``track`` followed at once by ``identify`` carries the new userId. Like
        analytics.js, an anonymous visitor's events say ``"userId": null``."""
        user_id, anonymous_id = self._identity()
        filled = dict(message)
        filled["userId"] = filled.get("userId") or user_id
        filled["anonymousId"] = filled.get("anonymousId") or anonymous_id
        return filled

    def _failed(self, reason: str) -> Delivery:
        self._console.error(f"analytics_py: {reason}")
        return Delivery(False, reason)
