"""``Analytics``: resolve a call's arguments, build its message, dispatch it; both faces use it.

The Python face calls these methods directly; the ``window.analytics`` facade converts JS
arguments and calls the same methods, so there is one implementation behind both.
"""

from __future__ import annotations

import asyncio
import functools
import time
from typing import Any, Callable, Mapping, TypeVar

from . import args as resolve
from .args import Callback, ValidationError
from .context import Context
from .dispatch import Dispatcher, Sent
from .emitter import Emitter, Listener
from .identity import UNSET, Group, User
from .messages import Message, MessageFactory
from .middleware import SourceMiddleware
from .pagecontext import page_context
from .pipeline import Pipeline
from .plugins import Plugin, validated
from .ports import Console, Dom
from .querystring import QueryCalls
from .queue import RetryQueue
from .serialize import json_safe
from .stores import MemoryStore

T = TypeVar("T")


def _guarded(method: Callable[..., T]) -> Callable[..., T | None]:
    """A public call never raises into the page: bad input and bugs become one console error."""

    @functools.wraps(method)
    def wrapper(self: Analytics, *args: Any, **kwargs: Any) -> T | None:
        try:
            return method(self, *args, **kwargs)
        except ValidationError as exc:
            self.console.error(f"analytics_py: {exc}; nothing was sent")
        except Exception as exc:  # noqa: BLE001 - the page boundary: report, never propagate
            self.console.error(f"analytics_py: {method.__name__} failed: {exc!r}")
        return None

    return wrapper


class Analytics:
    """One page's analytics instance (``from analytics_py import analytics``)."""

    def __init__(
        self, *, write_key: str, factory: MessageFactory, console: Console,
        read_page: Callable[[], Mapping[str, Any]], queue: RetryQueue | None = None,
    ) -> None:
        self.write_key = write_key
        self.console = console
        self._factory = factory
        self._read_page = read_page
        self._emitter = Emitter(console.error)
        if queue is None:  # a page passes its localStorage queue; a bare instance keeps one in memory
            queue = RetryQueue(MemoryStore(), write_key, console, time.time)
        self.pipeline = Pipeline(console, self)
        self.dispatcher = Dispatcher(console, queue, self.pipeline)
        self.dom: Dom | None = None  # set by the browser boot

    # -- lifecycle -------------------------------------------------------------------------

    async def open(self, *destinations: Plugin) -> None:
        """Called once the settings are known: the built-in destinations join, events start
        flowing, and ``ready`` callbacks fire once every destination has loaded."""
        for destination in destinations:
            await self.pipeline.register(destination)
        self.dispatcher.open()

    @property
    def initialized(self) -> bool:
        return self.dispatcher.loaded

    @_guarded
    def ready(self, callback: Callback) -> None:
        """Run ``callback`` once every enabled destination has loaded, failed to, or timed
        out (at once if that already happened)."""
        if not callable(callback):
            raise ValidationError("ready: the callback is not a function")
        self.dispatcher.when_ready(callback)

    # -- plugins and middleware ------------------------------------------------------------

    @_guarded
    def register(self, *plugins: object) -> asyncio.Task[Context] | None:
        """Add plugins (objects, or classes made without arguments) to the pipeline; the task
        resolves once non-destination plugins have loaded."""
        checked = [validated(plugin) for plugin in plugins]
        return self.dispatcher.spawn(self._register(checked))

    async def _register(self, plugins: list[Plugin]) -> Context:
        for plugin in plugins:
            await self.pipeline.register(plugin)
        return Context({"type": "track", "event": "system"})

    @_guarded
    def deregister(self, *names: object) -> asyncio.Task[Context] | None:
        """Unload and remove the plugins with these names."""
        if not all(isinstance(name, str) for name in names):
            raise ValidationError("deregister: expected plugin names (strings)")
        return self.dispatcher.spawn(self._deregister([str(name) for name in names]))

    async def _deregister(self, names: list[str]) -> Context:
        for name in names:
            if not await self.pipeline.deregister(name):
                self.console.warn(f"analytics_py: deregister: no plugin is called {name!r}")
        return Context({"type": "track", "event": "system"})

    @_guarded
    def add_source_middleware(self, middleware: object) -> asyncio.Task[Context] | None:
        """``middleware(payload, next, integrations)`` runs before every destination."""
        if not callable(middleware):
            raise ValidationError("addSourceMiddleware: the middleware is not a function")
        pipeline = self.pipeline

        def destinations() -> dict[str, bool]:
            return {p.name: True for p in pipeline.plugins if p.type == "destination"}

        return self.register(SourceMiddleware(middleware, destinations))

    @_guarded
    def add_destination_middleware(self, integration: object, *middleware: object) -> None:
        """``middleware(payload, integration, next)`` runs on a copy of each event for the
        destination named ``integration`` (``"*"``: every destination but Segment.io)."""
        items = [fn for item in middleware for fn in (item if isinstance(item, (list, tuple)) else [item])]
        functions = [fn for fn in items if callable(fn)]
        if not isinstance(integration, str) or not integration:
            raise ValidationError("addDestinationMiddleware: the first argument must be a destination name")
        if not functions or len(functions) != len(items):
            raise ValidationError("addDestinationMiddleware: expected one or more middleware functions")
        self.pipeline.add_destination_middleware(integration, functions)

    @_guarded
    def timeout(self, milliseconds: object) -> None:
        """How long callbacks (and trackLink/trackForm) wait at least, in milliseconds."""
        if not isinstance(milliseconds, (int, float)) or isinstance(milliseconds, bool) or milliseconds < 0:
            raise ValidationError(f"timeout: expected a number of milliseconds, got {milliseconds!r}")
        self.dispatcher.timeout_ms = float(milliseconds)

    @_guarded
    def debug(self, on: object = True) -> None:
        """Log each event's journey to the console; ``debug(False)`` stops."""
        self.dispatcher.debug = bool(on) if on is not None else True

    # -- the tracking calls ----------------------------------------------------------------

    @_guarded
    def track(self, event: object = None, properties: object = None, options: object = None,
              callback: object = None, *, page: Mapping[str, Any] | None = None) -> Sent | None:
        """``track(event, [properties], [options], [callback])``."""
        call = resolve.resolve_track(*self._clean("track", event, properties, options, callback))
        message = self._build(call.options, lambda ctx: self._factory.track(call, ctx), page)
        self._emitter.emit("track", call.event, message["properties"], call.options)
        return self.dispatcher.dispatch(message, call.callback)

    @_guarded
    def page(self, category: object = None, name: object = None, properties: object = None,
             options: object = None, callback: object = None, *,
             page: Mapping[str, Any] | None = None) -> Sent | None:
        """``page([category], [name], [properties], [options], [callback])``."""
        return self._page_call("page", (category, name, properties, options, callback), page)

    @_guarded
    def screen(self, category: object = None, name: object = None, properties: object = None,
               options: object = None, callback: object = None, *,
               page: Mapping[str, Any] | None = None) -> Sent | None:
        """``screen(...)``: a page call for app screens, sent to ``/s``."""
        return self._page_call("screen", (category, name, properties, options, callback), page)

    def pageview(self, url: object) -> Sent | None:
        """The deprecated ``pageview(url)``: a page call with ``{path: url}``."""
        return self.page({"path": url})

    @_guarded
    def identify(self, user_id: object = None, traits: object = None, options: object = None,
                 callback: object = None, *, page: Mapping[str, Any] | None = None) -> Sent | None:
        """``identify([userId], [traits], [options], [callback])``; traits are cached and merged."""
        call = resolve.resolve_user(*self._clean("identify", user_id, traits, options, callback))
        self._factory.user.identify(call.id, call.traits)
        message = self._build(call.options, lambda ctx: self._factory.identify(call, ctx), page)
        self._emitter.emit("identify", message.get("userId"), message["traits"], call.options)
        return self.dispatcher.dispatch(message, call.callback)

    @_guarded
    def group(self, group_id: object = UNSET, traits: object = None, options: object = None,
              callback: object = None, *, page: Mapping[str, Any] | None = None) -> Group | Sent | None:
        """``group(groupId, [traits], [options], [callback])``; ``group()`` returns the Group."""
        if group_id is UNSET:
            return self._factory.group_
        call = resolve.resolve_user(*self._clean("group", group_id, traits, options, callback))
        self._factory.group_.identify(call.id, call.traits)
        message = self._build(call.options, lambda ctx: self._factory.group(call, ctx), page)
        self._emitter.emit("group", message.get("groupId"), message["traits"], call.options)
        return self.dispatcher.dispatch(message, call.callback)

    @_guarded
    def alias(self, user_id: object = None, previous_id: object = None, options: object = None,
              callback: object = None, *, page: Mapping[str, Any] | None = None) -> Sent | None:
        """``alias(userId, [previousId], [options], [callback])``; the stored id is unchanged."""
        call = resolve.resolve_alias(*self._clean("alias", user_id, previous_id, options, callback))
        message = self._build(call.options, lambda ctx: self._factory.alias(call, ctx), page)
        self._emitter.emit("alias", call.to, message["previousId"], call.options)
        return self.dispatcher.dispatch(message, call.callback)

    @_guarded
    def track_link(self, links: object, event: object, properties: object = None,
                   options: object = None) -> None:
        """Track clicks on ``links`` (an element, a list, a jQuery object); same-tab links
        navigate once the event is delivered or ``timeout`` ms passed."""
        self._page_dom("trackLink").track_link(links, event, properties, options)

    @_guarded
    def track_form(self, forms: object, event: object, properties: object = None,
                   options: object = None) -> None:
        """Track submits of ``forms``; the form submits once the event is delivered or
        ``timeout`` ms passed, with its submitter and the browser's validation."""
        self._page_dom("trackForm").track_form(forms, event, properties, options)

    track_click = track_link
    track_submit = track_form

    @_guarded
    def untrack_link(self, links: object) -> None:
        """Stop tracking clicks on ``links``; a later ``track_link`` may bind them again."""
        self._page_dom("untrackLink").untrack(links, "click")

    @_guarded
    def untrack_form(self, forms: object) -> None:
        """Stop tracking submits of ``forms``."""
        self._page_dom("untrackForm").untrack(forms, "submit")

    def _page_dom(self, method: str) -> Dom:
        if self.dom is None:
            raise ValidationError(f"{method}: there is no page to bind to")
        return self.dom

    # -- identity and listeners ------------------------------------------------------------

    def user(self) -> User:
        """The current visitor: ``user().id()``, ``user().traits()``, ``user().anonymous_id()``."""
        return self._factory.user

    @_guarded
    def set_anonymous_id(self, anonymous_id: object = UNSET) -> str | None:
        """Set (or read, with no argument) the visitor's anonymous id; ``None`` clears it."""
        if anonymous_id is not UNSET and anonymous_id is not None and (
                isinstance(anonymous_id, bool) or not isinstance(anonymous_id, (str, int, float))):
            raise ValidationError(f"setAnonymousId: expected a string id (or null to clear it), "
                                  f"got {type(anonymous_id).__name__}")
        return self._factory.user.anonymous_id(anonymous_id)

    @_guarded
    def reset(self) -> None:
        """Forget the user and the group: ids, anonymous id and traits."""
        self._factory.user.reset()
        self._factory.group_.reset()
        self._emitter.emit("reset")

    @_guarded
    def on(self, name: object, listener: object) -> None:
        """Call ``listener`` after each ``name`` call (track, page, identify, group, alias, reset)."""
        self._emitter.on(*self._listener_args("on", name, listener))

    @_guarded
    def once(self, name: object, listener: object) -> None:
        self._emitter.once(*self._listener_args("once", name, listener))

    @_guarded
    def off(self, name: object, listener: object = None) -> None:
        if not isinstance(name, str):
            raise ValidationError(f"off: the event name must be a string, got {type(name).__name__}")
        self._emitter.off(name, listener if callable(listener) else None)

    @_guarded
    def apply_query_string(self, calls: QueryCalls) -> None:
        """Make the calls a URL's ``ajs_*`` parameters ask for."""
        if calls.anonymous_id:
            self.set_anonymous_id(calls.anonymous_id)
        if calls.user_id:
            self.identify(calls.user_id, calls.traits)
        if calls.event:
            self.track(calls.event, calls.properties)

    # -- internals -------------------------------------------------------------------------

    def _page_call(self, kind: str, args: tuple[object, ...], page: Mapping[str, Any] | None) -> Sent:
        call = resolve.resolve_page(*self._clean(kind, *args))
        message = self._build(call.options, lambda ctx: self._factory.page(call, ctx, kind), page)
        self._emitter.emit(kind, call.category, call.name, message["properties"], call.options)
        return self.dispatcher.dispatch(message, call.callback)

    def _clean(self, call: str, *args: object) -> list[object]:
        """Arguments made JSON-representable (callables kept), each loss reported once."""
        def warn(text: str) -> None:
            self.console.warn(f"analytics_py: {call}: {text}")

        return [a if callable(a) else json_safe(a, warn) for a in args]

    def _listener_args(self, method: str, name: object, listener: object) -> tuple[str, Listener]:
        if not isinstance(name, str) or not callable(listener):
            raise ValidationError(f"{method}: expected (event name, function)")
        return name, listener

    def _build(self, options: Mapping[str, Any], build: Callable[[Any], Message],
               page: Mapping[str, Any] | None) -> Message:
        self._apply_anonymous_id(options)
        return build(page_context(page if page is not None else self._read_page()))

    def _apply_anonymous_id(self, options: Mapping[str, Any]) -> None:
        # options.anonymousId sets the visitor's id for this and every later call; applied
        # after identify's own identity change, as analytics.js does.
        if isinstance(options.get("anonymousId"), str) and options["anonymousId"]:
            self._factory.user.anonymous_id(options["anonymousId"])
