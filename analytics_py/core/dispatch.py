"""From a built message to its destinations: hold it durably, wait until analytics has loaded,
run it through the plugin pipeline, then call back on time; ``ready`` and the debug log."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Coroutine, TypeVar

from .context import Cancelled, Context
from .messages import Message
from .pipeline import Pipeline
from .ports import Console
from .queue import RetryQueue
from .serialize import to_json

DEFAULT_TIMEOUT_MS = 300
CALLBACK_GRACE_S = 1.0  # a callback waits at most this long past the timeout for delivery
T = TypeVar("T")
Callback = Callable[..., object]
Sent = asyncio.Task[Context]


class Dispatcher:
    """Holds messages until the pipeline is open, then runs each through it once."""

    def __init__(self, console: Console, queue: RetryQueue, pipeline: Pipeline) -> None:
        self.console = console
        self.queue = queue
        self.pipeline = pipeline
        self.timeout_ms = float(DEFAULT_TIMEOUT_MS)
        self.debug = False
        self._loaded = asyncio.Event()
        self._ready = False
        self._ready_callbacks: list[Callback] = []
        self._running: set[str] = set()  # held messages in this tab's pipeline now
        self._tasks: set[asyncio.Task[Any]] = set()
        queue.claim_listeners.append(self._run_claimed)

    @property
    def loaded(self) -> bool:
        return self._loaded.is_set()

    def open(self) -> None:
        """The settings are known and the built-in destinations registered: events flow, and
        ``ready`` callbacks fire once every destination has loaded (or failed, or timed out)."""
        self._loaded.set()
        self._run_claimed()
        self.spawn(self._become_ready())

    async def _become_ready(self) -> None:
        await self.pipeline.settled()
        self._ready = True
        callbacks, self._ready_callbacks = self._ready_callbacks, []
        for callback in callbacks:
            self.call_safely(callback, "ready")

    def when_ready(self, callback: Callback) -> None:
        if self._ready:
            self.call_safely(callback, "ready")
        else:
            self._ready_callbacks.append(callback)

    def dispatch(self, message: Message, callback: Callback | None) -> Sent:
        if self.debug:
            self.console.log(f"analytics_py: dispatching {message['type']}", to_json(message))
        self.queue.hold(message)  # durable before this call returns, not a tick later
        delivery = self._start(message)
        if callback is not None:
            self.spawn(self._call_back(delivery, callback, message["type"]))
        return delivery

    def _run_claimed(self) -> None:
        """Messages a closed tab held before its plugins ran go through this tab's plugins."""
        if not self.loaded:
            return
        for item in self.queue.unprocessed(self._running):
            self._start(item.message)

    def _start(self, message: Message) -> Sent:
        self._running.add(str(message["messageId"]))  # now, so a claim in this tick skips it
        return self.spawn(self._deliver(message))

    async def settle(self) -> None:
        """Wait for every delivery and callback started so far (the unit tests use it)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _deliver(self, message: Message) -> Context:
        held_id = str(message["messageId"])
        ctx = Context(message)
        try:
            await self._loaded.wait()
            ctx = await self.pipeline.run(ctx)
        except Cancelled as cancelled:
            ctx.cancelled = cancelled.reason
        except Exception as exc:  # noqa: BLE001 - a bug here must not leave the call hanging
            self.console.error(f"analytics_py: {message['type']} {held_id} failed in the pipeline: {exc!r}")
            ctx.cancelled = repr(exc)
        # Not in a ``finally``: a page that dies mid-run leaves the message held for the next page.
        self._running.discard(held_id)
        self.queue.drop_unprocessed(held_id)
        if self.debug:
            self.console.log(f"analytics_py: {message['type']} {held_id} {self._outcome(ctx)}")
        return ctx

    @staticmethod
    def _outcome(ctx: Context) -> str:
        if ctx.cancelled is not None:
            return f"cancelled: {ctx.cancelled}"
        if ctx.delivery is None:
            return "not sent to Segment.io (its integration is off for this event)"
        verdict = "delivered" if ctx.delivery.delivered else "not delivered"
        return f"{verdict}: {ctx.delivery.detail}"

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

    def spawn(self, coroutine: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def call_safely(self, callback: Callback, what: str, *args: Any) -> None:
        try:
            callback(*args)
        except Exception as exc:  # noqa: BLE001 - a user's callback must not break the library
            self.console.error(f"analytics_py: a {what} callback raised {exc!r}")
