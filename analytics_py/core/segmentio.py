"""The Segment.io destination: wire payloads, endpoints, and delivery that loses nothing.

Every message is written to the retry queue before its first attempt and removed once the API
accepted or refused it, so a closed tab or a crash loses nothing that was queued. Failures are
retried with backoff; with ``deliveryStrategy: {strategy: "batching"}`` messages leave in
batches to ``/b``; when the page hides, what waits leaves in keepalive requests. In the standard
strategy each event has its own request, as in analytics.js, except in a burst: events that
queue behind ``MAX_IN_FLIGHT`` requests leave together in one ``/b`` request when a slot frees.
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime
from typing import Callable

from .context import Context, Delivery
from .messages import Message
from .ports import Console, Transport, TransportError
from .queue import Pending, RetryQueue
from .retry import MAX_ATTEMPTS, Classification, Verdict, backoff_s, classify
from .serialize import MAX_EVENT_BYTES, to_json
from .version import VERSION
from .wire import (
    ENDPOINTS, KEEPALIVE_BYTES, MAX_BATCH_BYTES, SegmentioConfig, batch_payload, group_by_size,
    request_headers, wire_payload,
)

OFFLINE_POLL_S = 5.0  # while offline, look again this often in case no 'online' event comes
MAX_IN_FLIGHT = 8  # requests at once: a burst of calls queues here, not in the browser's network stack
BURST_BATCH_SIZE = 100  # at most this many backlogged events in one request


def _too_big(item: Pending) -> bool:
    """Over the Segment API's limit for one event: it is refused, never sent."""
    return len(to_json(item.message).encode()) > MAX_EVENT_BYTES


class Segmentio:
    """Delivers messages to the Segment HTTP API through the injected transport."""

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
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._waiters: dict[str, asyncio.Future[Delivery]] = {}
        self._backlog: dict[str, tuple[Pending, asyncio.Future[Delivery]]] = {}
        queue.claim_listeners.append(self.wake)

    async def deliver(self, message: Message) -> Delivery:
        """Queue durably, then attempt (batched: once the batch fills or times out). Never raises."""
        batching = self.config.batching
        if message["messageId"] in self.queue.evicted:
            return Delivery(False, "dropped before its first attempt: the retry queue was full")
        item = Pending(self._with_identity(message), 0, self._clock() + (batching.timeout_s if batching else 0))
        self.queue.put(item)
        if not self._online():
            return Delivery(False, "offline: kept until the browser is back online")
        if batching is None:
            return await self._send_soon(item)
        waiter: asyncio.Future[Delivery] = asyncio.get_running_loop().create_future()
        self._waiters[item.message_id] = waiter
        self.wake()
        return await waiter

    def wake(self) -> None:
        """Look at the queue now (a new batch member, back online, the page visible again)."""
        self._wake.set()

    async def run(self) -> None:
        """Send what is due for as long as the page lives."""
        while True:
            if self._online():
                for group in self._groups(self._sendable()):
                    await self._attempt(group)
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self._sleep_s())
            except asyncio.TimeoutError:
                pass

    def flush_on_hide(self) -> None:
        """The page is hiding or going away: everything waiting leaves in keepalive requests.

        It stays stored until a later attempt sees it accepted; the collector's messageId
        de-duplication absorbs the copy a next page may send again.
        """
        waiting = self.queue.waiting(set())
        for group in group_by_size(waiting, 100, KEEPALIVE_BYTES - 1024):
            body = to_json(batch_payload(group, self.write_key, self._now()))
            try:
                self._transport.beacon(self.config.url("b"), body, request_headers(self.write_key))
            except TransportError as exc:
                self._console.warn(f"analytics_py: could not hand events to the browser on unload: {exc}")

    def _sendable(self) -> list[Pending]:
        due = [i for i in self.queue.due() if i.message_id not in self._in_flight]
        batching = self.config.batching
        if batching is not None:
            fresh = [i for i in self.queue.waiting(self._in_flight) if i.attempts == 0]
            if len(fresh) >= batching.size:
                due = list({i.message_id: i for i in due + fresh}.values())
        return [i for i in due if i.attempts == 0 or self.queue.still_mine(i)]

    def _groups(self, items: list[Pending]) -> list[list[Pending]]:
        if self.config.batching is None:
            return [[item] for item in items]
        return group_by_size(items, self.config.batching.size, MAX_BATCH_BYTES)

    def _sleep_s(self) -> float | None:
        if not self._online():
            return OFFLINE_POLL_S
        waiting = self.queue.waiting(self._in_flight)
        return None if not waiting else max(0.0, waiting[0].due - self._clock())

    def _clock(self) -> float:
        return self._now().timestamp()

    async def _attempt(self, items: list[Pending]) -> list[Delivery]:
        results = {i.message_id: self._refuse(i) for i in items if _too_big(i)}
        sendable = [i for i in items if i.message_id not in results]
        if sendable:
            for item, delivery in zip(sendable, await self._post(sendable)):
                results[item.message_id] = delivery
        return [results[i.message_id] for i in items]

    async def _send_soon(self, item: Pending) -> Delivery:
        """Standard delivery: this event alone, or with the events queued behind a full window."""
        if _too_big(item):
            return self._refuse(item)
        outcome: asyncio.Future[Delivery] = asyncio.get_running_loop().create_future()
        self._backlog[item.message_id] = (item, outcome)
        self._in_flight.add(item.message_id)  # the run loop must not send it meanwhile
        try:
            async with self._slots:
                while item.message_id in self._backlog:  # else an earlier event's request took it
                    group = self._take_backlog()
                    try:
                        deliveries = await self._post_in_slot([member for member, _ in group])
                    except BaseException as exc:  # a bug or a cancellation: nobody may wait forever
                        for _, future in group:
                            if not future.done():
                                future.set_exception(exc)
                        raise
                    for (_, future), delivery in zip(group, deliveries):
                        future.set_result(delivery)
        finally:
            if self._backlog.pop(item.message_id, None) is not None:
                self._in_flight.discard(item.message_id)  # cancelled unsent: the run loop retries it
        return await outcome

    def _take_backlog(self) -> list[tuple[Pending, asyncio.Future[Delivery]]]:
        """The oldest backlogged events that fit in one request (one, when the window was free)."""
        waiting = [member for member, _ in self._backlog.values()]
        first = group_by_size(waiting, BURST_BATCH_SIZE, MAX_BATCH_BYTES)[0]
        return [self._backlog.pop(member.message_id) for member in first]

    async def _post(self, items: list[Pending]) -> list[Delivery]:
        self._in_flight.update(i.message_id for i in items)  # waiting for a slot counts as in flight
        try:
            async with self._slots:
                return await self._post_in_slot(items)
        finally:
            self._in_flight.difference_update(i.message_id for i in items)

    async def _post_in_slot(self, items: list[Pending]) -> list[Delivery]:
        """Post now (a slot is held): the body is made only now, so its sentAt is true."""
        try:
            url, body = self._request(items)
            headers = request_headers(self.write_key)
            retries = max(i.attempts for i in items)
            if retries:
                headers["X-Retry-Count"] = str(retries)
            response = await self._transport.send(url, body, headers)
            status, retry_after = response.status, response.headers.get("retry-after")
            detail = f"{url} answered {status}"
        except TransportError as exc:
            status, retry_after, detail = None, None, f"could not reach {url}: {exc}"
        finally:
            self._in_flight.difference_update(i.message_id for i in items)
        outcome = classify(status, retry_after)
        return [self._settle(item, outcome, detail) for item in items]

    def _request(self, items: list[Pending]) -> tuple[str, str]:
        if self.config.batching is None and len(items) == 1:
            url = self.config.url(ENDPOINTS[items[0].message["type"]])
            return url, to_json(wire_payload(items[0].message, self.write_key, self._now(), items[0].attempts))
        return self.config.url("b"), to_json(batch_payload(items, self.write_key, self._now()))

    def _refuse(self, item: Pending) -> Delivery:
        self.queue.remove(item.message_id)
        size = len(to_json(item.message).encode())
        return self._resolve(item, self._failed(
            f"{item.message['type']} event dropped: it is {size} bytes, over the "
            f"{MAX_EVENT_BYTES}-byte limit of the Segment API"))

    def _settle(self, item: Pending, outcome: Classification, detail: str) -> Delivery:
        if outcome.verdict is Verdict.DELIVERED:
            self.queue.remove(item.message_id)
            return self._resolve(item, Delivery(True, detail))
        attempts = item.attempts + 1
        if outcome.verdict is Verdict.DROP or attempts >= MAX_ATTEMPTS:
            self.queue.remove(item.message_id)
            why = "not retried" if outcome.verdict is Verdict.DROP else f"gave up after {attempts} attempts"
            return self._resolve(item, self._failed(
                f"{item.message['type']} {item.message_id} dropped ({why}): {detail}"))
        wait = outcome.wait_s if outcome.wait_s is not None else backoff_s(attempts, self._rng)
        self.queue.put(Pending(item.message, attempts, self._clock() + wait))
        self.wake()
        return self._resolve(item, Delivery(False, f"{detail}; retry {attempts} in {wait:.1f} s"))

    def _resolve(self, item: Pending, delivery: Delivery) -> Delivery:
        waiter = self._waiters.pop(item.message_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(delivery)
        return delivery

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


class SegmentioPlugin:
    """Segment.io as the pipeline's destination plugin: each event it receives is delivered, and
    how that went is recorded on the event's context."""

    name = "Segment.io"
    type = "destination"
    version = VERSION

    def __init__(self, segmentio: Segmentio) -> None:
        self.segmentio = segmentio

    def load(self) -> None:
        return None

    def is_loaded(self) -> bool:
        return True

    async def _deliver(self, ctx: Context) -> Context:
        ctx.delivery = await self.segmentio.deliver(ctx.event)
        return ctx

    track = page = screen = identify = group = alias = _deliver
