"""The Segment HTTP API's wire format: endpoints, config, bodies and headers; pure functions."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from .messages import Message
from .queue import Pending
from .serialize import iso_timestamp, to_json

DEFAULT_API_HOST = "api.segment.io/v1"
ENDPOINTS = {"track": "t", "page": "p", "identify": "i", "group": "g", "alias": "a", "screen": "s"}
MAX_BATCH_BYTES = 450 * 1024  # below the API's 500 KB
KEEPALIVE_BYTES = 64 * 1024  # the browser's budget for requests that outlive the page


@dataclass(frozen=True)
class Batching:
    size: int = 10
    timeout_s: float = 5.0


@dataclass(frozen=True)
class SegmentioConfig:
    """Where events go (``<protocol>://<apiHost>/<endpoint>``) and whether they are batched."""

    api_host: str = DEFAULT_API_HOST
    protocol: str = "https"
    batching: Batching | None = None

    def url(self, endpoint: str) -> str:
        host = self.api_host.rstrip("/")
        if not host.startswith(("http://", "https://")):
            host = f"{self.protocol}://{host}"
        return f"{host}/{endpoint}"


def _segmentio_entry(source: Mapping[str, Any]) -> Mapping[str, Any]:
    integrations = source.get("integrations")
    entry = integrations.get("Segment.io") if isinstance(integrations, dict) else None
    return entry if isinstance(entry, dict) else {}


def _batching(strategy: object) -> Batching | None:
    if not isinstance(strategy, dict) or strategy.get("strategy") != "batching":
        return None
    raw = strategy.get("config")
    config: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    size, timeout = config.get("size"), config.get("timeout")
    return Batching(
        size=size if isinstance(size, int) and not isinstance(size, bool) and size > 0 else 10,
        timeout_s=timeout / 1000 if isinstance(timeout, (int, float)) and timeout >= 0 else 5.0,
    )


def config_from(settings: Mapping[str, Any], load_options: Mapping[str, Any]) -> SegmentioConfig:
    """The settings' ``Segment.io`` entry, overridden by ``load(key, {integrations: {"Segment.io": …}})``."""
    merged = {**_segmentio_entry(settings), **_segmentio_entry(load_options)}
    api_host = merged.get("apiHost")
    protocol = merged.get("protocol")
    return SegmentioConfig(
        api_host=api_host if isinstance(api_host, str) and api_host else DEFAULT_API_HOST,
        protocol=protocol if protocol in ("http", "https") else "https",
        batching=_batching(merged.get("deliveryStrategy")),
    )


def wire_payload(message: Message, write_key: str, sent_at: datetime, retries: int = 0) -> Message:
    """The JSON body for one attempt: the message plus ``writeKey``, ``sentAt`` and ``_metadata``."""
    metadata: Message = {"bundled": ["Segment.io"], "unbundled": [], "bundledIds": []}
    if retries:
        metadata["retryCount"] = retries
    return {**message, "writeKey": write_key, "sentAt": iso_timestamp(sent_at), "_metadata": metadata}


def batch_payload(items: list[Pending], write_key: str, sent_at: datetime) -> Message:
    """``/b``'s body: the events (``sentAt`` once, at the top) and the write key."""
    events = []
    for item in items:
        event = wire_payload(item.message, write_key, sent_at, item.attempts)
        del event["sentAt"]
        events.append(event)
    return {"batch": events, "writeKey": write_key, "sentAt": iso_timestamp(sent_at)}


def request_headers(write_key: str) -> dict[str, str]:
    """``text/plain`` keeps the request CORS-simple in type; Basic auth carries the write key."""
    token = base64.b64encode(f"{write_key}:".encode()).decode()
    return {"Content-Type": "text/plain", "Authorization": f"Basic {token}"}


def _size(item: Pending) -> int:
    return len(to_json(item.message).encode()) + 200  # the wire adds writeKey and _metadata


def group_by_size(items: list[Pending], max_count: int, max_bytes: int) -> list[list[Pending]]:
    """Consecutive groups of at most ``max_count`` messages and ``max_bytes`` bytes."""
    groups: list[list[Pending]] = []
    current: list[Pending] = []
    used = 0
    for item in items:
        size = _size(item)
        if current and (len(current) >= max_count or used + size > max_bytes):
            groups.append(current)
            current, used = [], 0
        current.append(item)
        used += size
    if current:
        groups.append(current)
    return groups
