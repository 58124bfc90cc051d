"""JavaScript plugins and middleware in the Python pipeline, with analytics-next's shapes.

A JS plugin is an object ``{name, type, version, load(ctx, analytics), isLoaded(), track(ctx)…}``
whose hooks receive a JS context (``ctx.event``, ``ctx.updateEvent(path, value)``,
``ctx.cancel()``) and return it, or a Promise of it. A JS middleware receives
``{payload, next, integrations}`` (source) or ``{payload, integration, next}`` (destination)
where ``payload.obj`` is the event. Edits made in JS are read back after each call.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import js
from pyodide.ffi import JsException, create_proxy

from ..core.args import ValidationError
from ..core.context import Cancelled, Context
from ..core.middleware import Payload
from ..core.plugins import HOOKS, PLUGIN_TYPES
from .jsbridge import is_function, is_null, to_js_value, to_py

CANCELLED = "__analyticsPyCancelled"


def _is_thenable(value: Any) -> bool:
    return not is_null(value) and hasattr(value, "then") and is_function(getattr(value, "then"))


async def settle(value: Any) -> Any:
    """A JS call's result, awaited when it is a Promise (Pyodide may hand it over as a future
    already) or any other thenable."""
    if inspect.isawaitable(value):
        return await value
    return await js.Promise.resolve(value) if _is_thenable(value) else value


def _update_event(this: Any, path: Any = "", value: Any = None) -> Any:
    """``ctx.updateEvent('a.b', v)`` on the JS event; a switched-off integration stays off."""
    keys, event = str(path).split("."), this.event
    integrations = js.Reflect.get(event, "integrations")
    if keys[0] == "integrations" and len(keys) > 1 and not is_null(integrations):
        if js.Reflect.get(integrations, keys[1]) is False:
            return event
    target = event
    for key in keys[:-1]:
        step = js.Reflect.get(target, key)
        if is_null(step) or getattr(step, "typeof", "") != "object":
            step = js.Object.new()
            js.Reflect.set(target, key, step)
        target = step
    js.Reflect.set(target, keys[-1], value)
    return event


def _cancel(this: Any, reason: Any = None) -> None:
    text = "cancelled by a plugin" if is_null(reason) else str(reason if isinstance(reason, str) else to_py(reason))
    js.Reflect.set(this, CANCELLED, text)
    raise Cancelled(text)


class JsBridgeKit:
    """The few long-lived JS pieces every JS context, payload and ``next`` share."""

    def __init__(self) -> None:
        self._owned = [create_proxy(fn, capture_this=True) for fn in (_update_event, _cancel)]
        update, cancel = self._owned
        self._context_prototype = js.Object.new()
        self._context_prototype.updateEvent = update
        self._context_prototype.cancel = cancel
        self._context_prototype.log = create_proxy(lambda *_: None)
        self._owned.append(self._context_prototype.log)

    def js_context(self, ctx: Context) -> Any:
        view = js.Object.create(self._context_prototype)
        view.event = to_js_value(ctx.event)
        view.id = ctx.id
        view.attempts = ctx.attempts
        return view

    def read_back(self, view: Any, ctx: Context, returned: Any = None) -> Context:
        """The JS edits into ``ctx``: the returned context's event, else the one we handed out."""
        source = returned if not is_null(returned) and hasattr(returned, "event") else view
        event = to_py(source.event)
        if isinstance(event, dict):
            ctx.event = event
        return ctx


    @staticmethod
    def js_payload(payload: Payload) -> Any:
        facade = js.Object.new()
        facade.obj = to_js_value(payload.obj)
        return facade


class JsPlugin:
    """A JS plugin object, seen by the pipeline as a Python plugin."""

    def __init__(self, plugin: Any, kit: JsBridgeKit, face: Callable[[], Any]) -> None:
        if is_null(plugin) or is_function(plugin) or getattr(plugin, "typeof", "") != "object":
            raise ValidationError("register: expected a plugin object {name, type, load, isLoaded}")
        self.name = to_py(getattr(plugin, "name", None))
        self.type = to_py(getattr(plugin, "type", None))
        version = to_py(getattr(plugin, "version", None))
        self.version = version if isinstance(version, str) else ""
        if not isinstance(self.name, str) or not self.name or self.type not in PLUGIN_TYPES:
            raise ValidationError(f"register: a plugin needs a string name and a type out of "
                                  f"{', '.join(PLUGIN_TYPES)} (got {self.name!r}, {self.type!r})")
        for method in ("load", "isLoaded"):
            if not is_function(getattr(plugin, method, None)):
                raise ValidationError(f"register: plugin {self.name!r} has no {method}() function")
        names = to_py(getattr(plugin, "alternativeNames", None))
        self.alternative_names = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
        self._plugin, self._kit, self._face = plugin, kit, face
        for hook in HOOKS:
            if is_function(getattr(plugin, hook, None)):
                setattr(self, hook, self._hook(hook))
        if is_function(getattr(plugin, "ready", None)):
            self.ready = self._ready
        if is_function(getattr(plugin, "unload", None)):
            self.unload = self._unload

    async def load(self, ctx: Context) -> None:
        await settle(self._plugin.load(self._kit.js_context(ctx), self._face()))

    def is_loaded(self) -> bool:
        return bool(to_py(self._plugin.isLoaded()))

    async def _ready(self) -> None:
        await settle(self._plugin.ready())

    async def _unload(self, ctx: Context) -> None:
        await settle(self._plugin.unload(self._kit.js_context(ctx), self._face()))

    def _hook(self, hook: str) -> Callable[[Context], Any]:
        async def call(ctx: Context) -> Context:
            view = self._kit.js_context(ctx)
            try:
                returned = await settle(getattr(self._plugin, hook)(view))
            except (JsException, Cancelled) as exc:
                if not is_null(js.Reflect.get(view, CANCELLED)):
                    raise Cancelled(str(js.Reflect.get(view, CANCELLED))) from None
                raise RuntimeError(f"{self.name}.{hook} threw {exc}") from None
            ctx = self._kit.read_back(view, ctx, returned)
            if self.type == "before" and (is_null(returned) or not hasattr(returned, "event")):
                raise Cancelled(f"before plugin {self.name!r} returned no context")
            return ctx

        return call


def js_middleware(function: Any, kit: JsBridgeKit, *, source: bool) -> Callable[..., Any]:
    """A JS middleware function as the Python middleware the core calls."""
    if not is_function(function):
        raise ValidationError("middleware must be a function")

    async def call(payload: Payload, next: Callable[..., None], integrations: Any = None,
                   integration: str = "") -> None:
        def js_next(passed: Any = None) -> None:
            event = None if is_null(passed) or not hasattr(passed, "obj") else to_py(passed.obj)
            next(Payload(event) if isinstance(event, dict) else None)

        next_proxy = create_proxy(js_next)  # one per call: it must know which call it ends
        argument = js.Object.new()
        argument.payload = kit.js_payload(payload)
        argument.next = next_proxy
        if source:
            argument.integrations = to_js_value(integrations or {})
        else:
            argument.integration = integration
        try:
            await settle(function(argument))
        finally:
            next_proxy.destroy()  # a next() called after the middleware returned counts for nothing

    call.__name__ = str(getattr(function, "name", "") or "")
    return call
