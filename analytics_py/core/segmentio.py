"""The Segment.io destination: the wire payload, the endpoint and one delivery attempt."""

from __future__ import annotations

import asyncio
import base64
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping

from .messages import Message
from .ports import Console, Transport, TransportError
from .queue import Pending, RetryQueue
from .retry import MAX_ATTEMPTS, Classification, Verdict, backoff_s, classify
from .serialize import MAX_EVENT_BYTES, iso_timestamp, to_json

OFFLINE_POLL_S = 5.0  # while offline, look again this often in case no 'online' event comes

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
    """Sends each message to the Segment HTTP API; what fails is kept and retried with backoff.

    A message is written to the retry queue before its first attempt and removed once the API
    accepted or refused it, so a closed tab or a crash loses nothing that was queued.
    """

    name = "Segment.io"

    def __init__(
        self, write_key: str, config: SegmentioConfig, transport: Transport, console: Console,
        now: Callable[[], datetime], queue: RetryQueue, *,
        identity: Callable[[], tuple[str | None, str | None]] = lambda: (None, None),
        online: Callable[[], bool] = lambda: True, rng: Callable[[], float] = random.random,
    ) -> None:
        self.write_key = write_key
        self.config = config
        self.queue = queue
        self._transport = transport
        self._console = console
        self._now = now
        self._identity = identity
        self._online = online
        self._rng = rng
        self._wake = asyncio.Event()
        self._in_flight: set[str] = set()

    async def deliver(self, message: Message) -> Delivery:
        """Queue durably, then make the first attempt (unless offline). Never raises."""
        item = Pending(self._with_identity(message), 0, self._clock())
        self.queue.put(item)
        if not self._online():
            return Delivery(False, "offline: kept until the browser is back online")
        return await self._attempt(item)

    def wake(self) -> None:
        """Retry what is waiting now (the browser came back online, the page became visible)."""
        self._wake.set()

    async def run(self) -> None:
        """Retry due messages for as long as the page lives."""
        while True:
            if self._online():
                for item in self.queue.due():
                    if item.message_id not in self._in_flight:
                        await self._attempt(item)
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self._sleep_s())
            except asyncio.TimeoutError:
                pass

    def _sleep_s(self) -> float | None:
        if not self._online():
            return OFFLINE_POLL_S
        waiting = [i.due for i in self.queue.waiting(self._in_flight)]
        return None if not waiting else max(0.0, min(waiting) - self._clock())

    def _clock(self) -> float:
        return self._now().timestamp()

    async def _attempt(self, item: Pending) -> Delivery:
        message = item.message
        body = to_json(wire_payload(message, self.write_key, self._now(), item.attempts))
        size = len(body.encode())
        if size > MAX_EVENT_BYTES:
            self.queue.remove(item.message_id)
            return self._failed(f"{message['type']} event dropped: it is {size} bytes, over the "
                                f"{MAX_EVENT_BYTES}-byte limit of the Segment API")
        url = self.config.url(ENDPOINTS[message["type"]])
        headers = request_headers(self.write_key)
        if item.attempts:
            headers["X-Retry-Count"] = str(item.attempts)
        self._in_flight.add(item.message_id)
        try:
            response = await self._transport.send(url, body, headers)
            status, retry_after = response.status, response.headers.get("retry-after")
            detail = f"{url} answered {status}"
        except TransportError as exc:
            status, retry_after, detail = None, None, f"could not reach {url}: {exc}"
        finally:
            self._in_flight.discard(item.message_id)
        return self._settle(item, classify(status, retry_after), detail)

    def _settle(self, item: Pending, outcome: Classification, detail: str) -> Delivery:
        if outcome.verdict is Verdict.DELIVERED:
            self.queue.remove(item.message_id)
            return Delivery(True, detail)
        attempts = item.attempts + 1
        if outcome.verdict is Verdict.DROP or attempts >= MAX_ATTEMPTS:
            self.queue.remove(item.message_id)
            why = "not retried" if outcome.verdict is Verdict.DROP else f"gave up after {attempts} attempts"
            return self._failed(f"{item.message['type']} {item.message_id} dropped ({why}): {detail}")
        wait = outcome.wait_s if outcome.wait_s is not None else backoff_s(attempts, self._rng)
        self.queue.put(Pending(item.message, attempts, self._clock() + wait))
        self.wake()
        return Delivery(False, f"{detail}; retry {attempts} in {wait:.1f} s")

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
