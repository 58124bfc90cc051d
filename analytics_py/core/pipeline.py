"""The plugin pipeline: before -> enrichment -> destinations (in parallel) -> after.

As in analytics.js (behaviour.md section 6): a *before* plugin that fails or cancels stops the
event; an *enrichment* plugin's failure is logged and the event goes on; destinations are
chosen per event from its ``integrations`` after enrichment, and each receives its own copy
(passed through its destination middleware). Events enter the before/enrichment stages one at
a time, in the order they were made. Non-destination plugins are loaded before any event runs
through them; destinations load in the background, and ``settled()`` waits for those loads
(each at most ``LOAD_TIMEOUT_S``).
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from .context import Cancelled, Context
from .middleware import DESTINATION_WILDCARD, Middleware, apply_destination_middleware
from .plugins import SEGMENTIO, Plugin, call_flexibly, hook_of, reaches
from .ports import Console

LOAD_TIMEOUT_S = 3.0  # how long ready() and an event wait for a destination that is loading


class Pipeline:
    """The registered plugins of one analytics instance and the run of an event through them."""

    def __init__(self, console: Console, host: Any) -> None:
        self._console = console
        self._host = host  # what a plugin's load(ctx, analytics) receives as ``analytics``
        self.plugins: list[Plugin] = []
        self._loads: dict[int, asyncio.Task[bool]] = {}
        self._destination_middleware: dict[str, list[Middleware]] = {}
        self._stage_lock = asyncio.Lock()
        self._late: set[int] = set()  # plugins already reported as slow to load

    # -- registration ----------------------------------------------------------------------

    async def register(self, plugin: Plugin) -> bool:
        """Add and load ``plugin``; True once it loaded. A plugin whose load fails is removed.

        A destination other than Segment.io joins at once and loads in the background.
        """
        self.plugins.append(plugin)
        load = asyncio.ensure_future(self._load(plugin))
        self._loads[id(plugin)] = load
        if plugin.type == "destination" and plugin.name != SEGMENTIO:
            return True
        return await load

    async def _load(self, plugin: Plugin) -> bool:
        try:
            await call_flexibly(plugin.load, Context({"type": "track", "event": "system"}), self._host)
            return True
        except Exception as exc:  # noqa: BLE001 - a plugin's failure is reported, not propagated
            self._console.warn(f"analytics_py: plugin {plugin.name!r} failed to load and was removed: {exc!r}")
            self._remove(plugin)
            return False

    async def deregister(self, name: str) -> bool:
        """Unload and remove the plugins called ``name``; False when there was none."""
        found = [p for p in self.plugins if p.name == name]
        for plugin in found:
            unload = getattr(plugin, "unload", None)
            if callable(unload):
                try:
                    await call_flexibly(unload, Context({"type": "track", "event": "system"}), self._host)
                except Exception as exc:  # noqa: BLE001
                    self._console.warn(f"analytics_py: plugin {name!r} failed to unload: {exc!r}")
            self._remove(plugin)
        return bool(found)

    def _remove(self, plugin: Plugin) -> None:
        self.plugins = [p for p in self.plugins if p is not plugin]

    def add_destination_middleware(self, destination: str, functions: list[Middleware]) -> None:
        self._destination_middleware.setdefault(destination, []).extend(functions)

    async def settled(self) -> None:
        """Every destination's load has finished, failed or timed out; then each plugin's own
        ``ready()`` (when it has one) has settled, within the same bound."""
        for plugin in list(self.plugins):
            await self._loaded_in_time(plugin)
            ready = getattr(plugin, "ready", None)
            if callable(ready):
                try:
                    await asyncio.wait_for(call_flexibly(ready), LOAD_TIMEOUT_S)
                except Exception as exc:  # noqa: BLE001 - ready() must settle whatever a plugin does
                    self._console.warn(f"analytics_py: plugin {plugin.name!r} ready() did not settle: {exc!r}")

    async def _loaded_in_time(self, plugin: Plugin) -> bool:
        load = self._loads.get(id(plugin))
        if load is None:
            return True
        if id(plugin) in self._late and not load.done():
            return False  # already waited for it once
        try:
            return await asyncio.wait_for(asyncio.shield(load), LOAD_TIMEOUT_S)
        except asyncio.TimeoutError:
            if id(plugin) not in self._late:
                self._late.add(id(plugin))
                self._console.warn(f"analytics_py: plugin {plugin.name!r} has not loaded after "
                                   f"{LOAD_TIMEOUT_S:.0f} s; analytics is ready without it, and "
                                   "events skip it until it loads")
            return False

    # -- an event's run --------------------------------------------------------------------

    async def run(self, ctx: Context) -> Context:
        """Run ``ctx`` through every plugin it reaches; raises ``Cancelled`` when it is stopped."""
        async with self._stage_lock:
            await self._non_destinations_loaded()
            for plugin in self._stage("before", ctx):
                ctx = await self._ensure(plugin, ctx)
            for plugin in self._stage("enrichment", ctx):
                ctx = await self._attempt(plugin, ctx)
        destinations = self._stage("destination", ctx)
        await asyncio.gather(*(self._to_destination(plugin, ctx) for plugin in destinations))
        after = self._stage("after", ctx)
        await asyncio.gather(*(self._attempt(plugin, ctx) for plugin in after))
        return ctx

    async def _non_destinations_loaded(self) -> None:
        for plugin in list(self.plugins):
            load = self._loads.get(id(plugin))
            if plugin.type != "destination" and load is not None and not load.done():
                await asyncio.shield(load)

    def _stage(self, kind: str, ctx: Context) -> list[Plugin]:
        integrations = ctx.event.get("integrations")
        integrations = integrations if isinstance(integrations, dict) else {}
        return [p for p in self.plugins if p.type == kind and reaches(p, integrations)]

    async def _ensure(self, plugin: Plugin, ctx: Context) -> Context:
        """A *before* plugin: a failure or a cancellation stops the event."""
        return await self._run_hook(plugin, ctx, stops=True)

    async def _attempt(self, plugin: Plugin, ctx: Context) -> Context:
        """Enrichment, destination and after plugins: a failure is logged, the event goes on."""
        return await self._run_hook(plugin, ctx, stops=False)

    async def _run_hook(self, plugin: Plugin, ctx: Context, *, stops: bool) -> Context:
        event_type = str(ctx.event.get("type"))
        hook = hook_of(plugin, event_type)
        if hook is None:
            return ctx
        try:
            result = await call_flexibly(hook, ctx)
        except Cancelled as cancelled:
            if stops:
                raise
            ctx.log("warn", f"{plugin.name} cancelled the event", cancelled.reason)
            return ctx
        except Exception as exc:  # noqa: BLE001 - one plugin must not break the others
            outcome = "; the event was cancelled" if stops else ""
            self._console.error(f"analytics_py: plugin {plugin.name!r} failed on {event_type}: {exc!r}{outcome}")
            if stops:
                raise Cancelled(f"{plugin.type} plugin {plugin.name!r} raised {exc!r}") from exc
            return ctx
        return result if isinstance(result, Context) else ctx

    async def _to_destination(self, plugin: Plugin, ctx: Context) -> None:
        if plugin.name == SEGMENTIO:  # Segment.io takes the event itself and records its delivery
            await self._attempt(plugin, ctx)
            return
        if not await self._loaded_in_time(plugin) or plugin not in self.plugins:
            return
        event: dict[str, Any] | None = copy.deepcopy(ctx.event)
        middleware = self._middleware_for(plugin.name)
        if middleware:
            event = await self._guarded_middleware(plugin.name, ctx.event, middleware)
        if event is None or (event.get("integrations") or {}).get(plugin.name) is False:
            return
        await self._attempt(plugin, Context(event, id=ctx.id, attempts=ctx.attempts))

    def _middleware_for(self, name: str) -> list[Middleware]:
        return [*self._destination_middleware.get(DESTINATION_WILDCARD, []),
                *self._destination_middleware.get(name, [])]

    async def _guarded_middleware(self, name: str, event: dict[str, Any],
                                  middleware: list[Middleware]) -> dict[str, Any] | None:
        try:
            return await apply_destination_middleware(name, event, middleware)
        except Exception as exc:  # noqa: BLE001
            self._console.error(f"analytics_py: a destination middleware for {name!r} raised {exc!r}; "
                                "the event was not sent to it")
            return None
