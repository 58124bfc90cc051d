"""Delivery of built messages: wait for the destination, deliver, run callbacks on time, debug log."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Callable, Coroutine, TypeVar

from .messages import Message
from .ports import Console
from .queue import RetryQueue
from .segmentio import Delivery, Segmentio
from .serialize import to_json

DEFAULT_TIMEOUT_MS = 300
CALLBACK_GRACE_S = 1.0  # a callback waits at most this long past the timeout for delivery
T = TypeVar("T")
Callback = Callable[..., object]


@dataclass(frozen=True)
class Context:
    """What a call's returned task resolves to: the message and how its delivery went."""

    event: Message
    delivery: Delivery


Sent = asyncio.Task[Context]


class Dispatcher:
    """Holds messages until the destination is attached, then hands each to it once."""

    def __init__(self, console: Console, queue: RetryQueue | None = None) -> None:
        self.console = console
        self._queue = queue
        self.timeout_ms = float(DEFAULT_TIMEOUT_MS)
        self.debug = False
        self._destination: Segmentio | None = None
        self._loaded = asyncio.Event()
        self._ready_callbacks: list[Callback] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def loaded(self) -> bool:
        return self._loaded.is_set()

    def attach(self, destination: Segmentio) -> None:
        """Delivery starts; the ``ready`` callbacks waiting for it run."""
        self._destination = destination
        self._loaded.set()
        callbacks, self._ready_callbacks = self._ready_callbacks, []
        for callback in callbacks:
            self.call_safely(callback, "ready")

    def when_loaded(self, callback: Callback) -> None:
        if self.loaded:
            self.call_safely(callback, "ready")
        else:
            self._ready_callbacks.append(callback)

    def dispatch(self, message: Message, callback: Callback | None) -> Sent:
        if self.debug:
            self.console.log(f"analytics_py: dispatching {message['type']}", to_json(message))
        if self._queue is not None:
            self._queue.hold(message)  # durable before this call returns, not a tick later
        delivery = self._spawn(self._deliver(message))
        if callback is not None:
            self._spawn(self._call_back(delivery, callback, message["type"]))
        return delivery

    async def settle(self) -> None:
        """Wait for every delivery and callback started so far (the unit tests use it)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _deliver(self, message: Message) -> Context:
        await self._loaded.wait()
        assert self._destination is not None
        outcome = await self._destination.deliver(message)
        if self.debug:
            verdict = "delivered" if outcome.delivered else "not delivered"
            self.console.log(f"analytics_py: {message['type']} {message['messageId']} {verdict}: "
                             f"{outcome.detail}")
        return Context(message, outcome)

    async def _call_back(self, delivery: Sent, callback: Callback, what: str) -> None:
        """After delivery and at least ``timeout`` ms, but never more than a second past it."""
        loop = asyncio.get_running_loop()
        started, timeout = loop.time(), self.timeout_ms / 1000
        try:
            await asyncio.wait_for(asyncio.shield(delivery), timeout + CALLBACK_GRACE_S)
        except asyncio.TimeoutError:
            pass
        remaining = timeout - (loop.time() - started)
        if remaining > 0:
            await asyncio.sleep(remaining)
        self.call_safely(callback, what)

    def _spawn(self, coroutine: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def call_safely(self, callback: Callback, what: str, *args: Any) -> None:
        try:
            callback(*args)
        except Exception as exc:  # noqa: BLE001 - a user's callback must not break the library
            self.console.error(f"analytics_py: a {what} callback raised {exc!r}")
