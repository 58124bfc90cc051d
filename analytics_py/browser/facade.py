"""``window.analytics``: the JS face. Drains the snippet's queue, converts arguments, never throws.

Every JS method converts its arguments once (``jsbridge.to_py``), pops the page context the
snippet captured at call time, and calls the same ``Analytics`` method the Python face uses.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import js

from ..core.analytics import Analytics
from ..core.args import ValidationError
from ..core.dispatch import Context
from ..core.identity import UNSET, Group
from ..core.pagecontext import is_raw_capture
from ..core.version import VERSION
from .entry import Entry
from .jsbridge import ConversionError, Proxies, is_null, to_js_value, to_py
from .jsplugins import JsBridgeKit, JsPlugin, js_middleware
from .media import Html5Media

PLUGIN_HANDLE = "__analyticsPyPlugin"  # marks the JS handle of a plugin written in Python
EVENT_METHODS = ("track", "page", "screen", "identify", "group", "alias", "pageview")
LISTENER_METHODS = ("on", "once", "off")
# Replayed first, as analytics.js does: the docs set the anonymous id "even before ready";
# plugins and middleware are in place before any buffered event runs through them.
HOISTED = (("setAnonymousId", *LISTENER_METHODS),
           ("register", "addSourceMiddleware", "addDestinationMiddleware"))


def _setter_argument(args: tuple[Any, ...]) -> Any:
    """``id()`` and ``id(undefined)`` read; ``id(null)`` clears; ``id(x)`` sets."""
    if not args or args[0] is None:
        return UNSET
    return None if is_null(args[0]) else to_py(args[0])


def _promise_of(task: asyncio.Task[Context]) -> Any:
    """A JS Promise resolving to ``{event, delivered}`` once the call's delivery settles."""
    resolvers = js.Promise.withResolvers()

    def settle(done: asyncio.Task[Context]) -> None:
        context = None if done.cancelled() or done.exception() else done.result()
        value = {} if context is None else {"event": context.event, "delivered": context.delivered}
        resolvers.resolve(to_js_value(value))

    task.add_done_callback(settle)
    return resolvers.promise


class Facade:
    """Builds the JS object that replaces the snippet's stub, bound to one ``Analytics``."""

    def __init__(self, analytics: Analytics, proxies: Proxies, entry: Entry) -> None:
        self._analytics = analytics
        self._proxies = proxies
        self._entry = entry
        self._handlers: dict[str, Callable[..., Any]] = {
            **{name: self._event_call(name) for name in EVENT_METHODS},
            **{name: self._listener_call(name) for name in LISTENER_METHODS},
            **self._plain_methods(),
            **self._plugin_methods(),
        }
        self._kit = JsBridgeKit()
        self._identity_faces: dict[int, Any] = {}
        self._listeners: list[tuple[str, Any, Callable[..., None]]] = []
        self._face: Any = None

    def install(self) -> list[Any]:
        """Replace ``window.analytics`` with the real face; return the calls the stub buffered."""
        stub = js.window.analytics
        buffered = [] if is_null(stub) or not hasattr(stub, "length") else list(stub)
        face = js.Object.new()
        for name, handler in self._handlers.items():
            setattr(face, name, self._method(name, handler))
        plugins = js.Object.new()
        plugins.html5Media = self._method("plugins.html5Media", self._html5_media)
        face.plugins = plugins
        face.initialized = True
        face.VERSION = VERSION
        face._writeKey = self._analytics.write_key
        self._face = face
        js.window.analytics = face
        return buffered

    def replay_hoisted(self, buffered: list[Any]) -> list[Any]:
        """Replay ``setAnonymousId`` and listener calls first, then plugins and middleware;
        return the others, in order."""
        rest = buffered
        for group in HOISTED:
            kept = []
            for entry in rest:
                if len(entry) and entry[0] in group:
                    self._push(entry)
                else:
                    kept.append(entry)
            rest = kept
        return rest

    def replay(self, buffered: list[Any]) -> None:
        """Run the stub's calls in the order they were made (analytics-next groups them by method)."""
        for entry in buffered:
            self._push(entry)

    def _method(self, name: str, handler: Callable[..., Any]) -> Any:
        """A JS function for the face: guarded, and entered through the snippet."""
        return self._entry.bind(self._proxies.function(self._guard(name, handler)))

    def _guard(self, name: str, handler: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            try:
                return handler(*args)
            except ValidationError as exc:
                self._analytics.console.error(f"analytics_py: {exc}")
            except ConversionError as exc:
                self._analytics.console.error(
                    f"analytics_py: {name} dropped: an argument has no JSON form ({exc})")
            except Exception as exc:  # noqa: BLE001 - the page boundary: never throw into JS
                self._analytics.console.error(f"analytics_py: {name} failed: {exc!r}")
            return None

        return call

    def _event_call(self, name: str) -> Callable[..., Any]:
        target = getattr(self._analytics, name)

        def call(*js_args: Any) -> Any:
            args = [to_py(a) for a in js_args]
            page = args.pop() if args and is_raw_capture(args[-1]) else None
            if name == "group" and not args:
                return self._identity_object(self._analytics.group(), with_anonymous_id=False)
            task = target(*args) if name == "pageview" else target(*args, page=page)
            return _promise_of(task) if isinstance(task, asyncio.Task) else None

        return call

    def _listener_call(self, name: str) -> Callable[..., Any]:
        """``on/once/off(event, fn)``: JS listeners get JS values (objects, not dict proxies)."""
        def call(event: Any = None, listener: Any = None, *_: Any) -> Any:
            event = to_py(event)
            if name == "off":
                removed = [item for item in self._listeners
                           if item[0] == event and (listener is None or item[1] == listener)]
                if listener is None:
                    self._analytics.off(event)
                for item in removed:
                    self._analytics.off(event, item[2])
                    self._listeners.remove(item)
                return self._face

            def wrapper(*args: Any) -> None:
                listener(*[to_js_value(a) for a in args])

            if callable(listener):
                self._listeners.append((event, listener, wrapper))
            getattr(self._analytics, name)(event, wrapper if callable(listener) else listener)
            return self._face

        return call

    def _plain_methods(self) -> dict[str, Callable[..., Any]]:
        analytics = self._analytics
        return {
            "ready": lambda callback=None, *_: analytics.ready(to_py(callback)),
            "reset": lambda *_: analytics.reset(),
            "setAnonymousId": lambda *a: analytics.set_anonymous_id(_setter_argument(a)),
            "user": lambda *_: self._identity_object(analytics.user(), with_anonymous_id=True),
            "timeout": lambda ms=None, *_: analytics.timeout(to_py(ms)),
            "debug": lambda *a: (analytics.debug(to_py(a[0]) if a else True), self._face)[1],
            # Elements and functions stay JS: the DOM binder reads them itself.
            "trackLink": lambda *a: analytics.track_link(*a[:4]),
            "trackClick": lambda *a: analytics.track_link(*a[:4]),
            "trackForm": lambda *a: analytics.track_form(*a[:4]),
            "trackSubmit": lambda *a: analytics.track_form(*a[:4]),
            "untrackLink": lambda links=None, *_: analytics.untrack_link(links),
            "untrackForm": lambda forms=None, *_: analytics.untrack_form(forms),
            "push": self._push,
            "load": lambda *_: analytics.console.warn("analytics_py: load() was already called"),
        }

    def _push(self, entry: Any) -> None:
        """``analytics.push(["track", ...])``, the snippet's array form."""
        items = list(entry)
        handler = self._handlers.get(items[0]) if items and isinstance(items[0], str) else None
        if handler is None:
            self._analytics.console.error(f"analytics_py: unknown buffered call {items[:1]!r}")
            return
        self._guard(items[0], handler)(*items[1:])

    def _html5_media(self, element: Any = None, properties: Any = None, *_: Any) -> Any:
        """``analytics.plugins.html5Media(element, properties)``: a handle to ``register``, the
        same shape the snippet's stub returns before Python is up."""
        handle = to_js_value({"name": Html5Media.name, "type": Html5Media.type, "version": VERSION})
        js.Reflect.set(handle, PLUGIN_HANDLE, js.Array.of("html5Media", element, properties))
        return handle

    def _python_plugin(self, handle: Any) -> Any:
        """The Python plugin a handle from ``analytics.plugins`` asks for, if it is one."""
        recipe = None if is_null(handle) or getattr(handle, "typeof", "") != "object" \
            else js.Reflect.get(handle, PLUGIN_HANDLE)
        if is_null(recipe) or not bool(js.Array.isArray(recipe)) or recipe[0] != "html5Media":
            return None
        return Html5Media(recipe[1], to_py(recipe[2]))

    def _plugin_methods(self) -> dict[str, Callable[..., Any]]:
        analytics, face = self._analytics, lambda: self._face

        def register(*plugins: Any) -> Any:
            task = analytics.register(*[self._python_plugin(p) or JsPlugin(p, self._kit, face) for p in plugins])
            return _promise_of(task) if isinstance(task, asyncio.Task) else None

        def deregister(*names: Any) -> Any:
            task = analytics.deregister(*[to_py(n) for n in names])
            return _promise_of(task) if isinstance(task, asyncio.Task) else None

        def add_source_middleware(function: Any = None, *_: Any) -> Any:
            task = analytics.add_source_middleware(js_middleware(function, self._kit, source=True))
            return _promise_of(task) if isinstance(task, asyncio.Task) else None

        def add_destination_middleware(integration: Any = None, *functions: Any) -> Any:
            flat = [f for item in functions for f in (list(item) if bool(js.Array.isArray(item)) else [item])]
            analytics.add_destination_middleware(
                to_py(integration), *[js_middleware(f, self._kit, source=False) for f in flat])
            return self._face

        def add_integration_middleware(*_: Any) -> None:
            analytics.console.warn("analytics_py: addIntegrationMiddleware() is deprecated in "
                                   "analytics.js and does nothing; use addDestinationMiddleware()")

        return {"register": register, "deregister": deregister,
                "addSourceMiddleware": add_source_middleware,
                "addDestinationMiddleware": add_destination_middleware,
                "addIntegrationMiddleware": add_integration_middleware}

    def _identity_object(self, target: Group, *, with_anonymous_id: bool) -> Any:
        """The JS ``user()``/``group()`` object, made once per target."""
        if id(target) in self._identity_faces:
            return self._identity_faces[id(target)]
        methods: dict[str, Callable[..., Any]] = {
            "id": lambda *a: target.id(_setter_argument(a)),
            "traits": lambda *a: to_js_value(target.traits(_setter_argument(a))),
        }
        if with_anonymous_id:
            methods["anonymousId"] = lambda *a: target.anonymous_id(_setter_argument(a))  # type: ignore[attr-defined]
        face = js.Object.new()
        for name, method in methods.items():
            setattr(face, name, self._method(name, method))
        self._identity_faces[id(target)] = face
        return face
