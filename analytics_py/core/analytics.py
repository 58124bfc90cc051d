"""``Analytics``: resolve a call's arguments, build its message, dispatch it; both faces use it.

The Python face calls these methods directly; the ``window.analytics`` facade converts JS
arguments and calls the same methods, so there is one implementation behind both.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable, Coroutine, Mapping, TypeVar

from . import args as resolve
from .args import Callback, ValidationError
from .identity import UNSET, Group, User
from .messages import Message, MessageFactory
from .pagecontext import page_context
from .ports import Console
from .segmentio import Segmentio

DEFAULT_TIMEOUT_MS = 300
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
        read_page: Callable[[], Mapping[str, Any]],
    ) -> None:
        self.write_key = write_key
        self.console = console
        self._factory = factory
        self._read_page = read_page
        self._timeout_ms = DEFAULT_TIMEOUT_MS
        self._destination: Segmentio | None = None
        self._loaded = asyncio.Event()
        self._ready_callbacks: list[Callback] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- lifecycle -------------------------------------------------------------------------

    def attach_destination(self, destination: Segmentio) -> None:
        """Called once the settings are known: delivery starts and ``ready`` callbacks fire."""
        self._destination = destination
        self._loaded.set()
        callbacks, self._ready_callbacks = self._ready_callbacks, []
        for callback in callbacks:
            self._call_safely(callback, "ready")

    @property
    def initialized(self) -> bool:
        return self._loaded.is_set()

    @_guarded
    def ready(self, callback: Callback) -> None:
        """Run ``callback`` once analytics has loaded (at once if it already has)."""
        if not callable(callback):
            raise ValidationError("ready: the callback is not a function")
        if self.initialized:
            self._call_safely(callback, "ready")
        else:
            self._ready_callbacks.append(callback)

    @_guarded
    def timeout(self, milliseconds: object) -> None:
        """How long callbacks (and later trackLink/trackForm) wait at least, in milliseconds."""
        if not isinstance(milliseconds, (int, float)) or isinstance(milliseconds, bool) or milliseconds < 0:
            raise ValidationError(f"timeout: expected a number of milliseconds, got {milliseconds!r}")
        self._timeout_ms = float(milliseconds)

    # -- the tracking calls ----------------------------------------------------------------

    @_guarded
    def track(self, event: object = None, properties: object = None, options: object = None,
              callback: object = None, *, page: Mapping[str, Any] | None = None
              ) -> asyncio.Task[bool] | None:
        """``track(event, [properties], [options], [callback])``."""
        call = resolve.resolve_track(event, properties, options, callback)
        self._apply_anonymous_id(call.options)
        return self._dispatch(self._factory.track(call, self._page(page)), call.callback)

    @_guarded
    def page(self, category: object = None, name: object = None, properties: object = None,
             options: object = None, callback: object = None, *,
             page: Mapping[str, Any] | None = None) -> asyncio.Task[bool] | None:
        """``page([category], [name], [properties], [options], [callback])``."""
        call = resolve.resolve_page(category, name, properties, options, callback)
        self._apply_anonymous_id(call.options)
        return self._dispatch(self._factory.page(call, self._page(page)), call.callback)

    @_guarded
    def screen(self, category: object = None, name: object = None, properties: object = None,
               options: object = None, callback: object = None, *,
               page: Mapping[str, Any] | None = None) -> asyncio.Task[bool] | None:
        """``screen(...)``: a page call for app screens, sent to ``/s``."""
        call = resolve.resolve_page(category, name, properties, options, callback)
        self._apply_anonymous_id(call.options)
        return self._dispatch(self._factory.page(call, self._page(page), "screen"), call.callback)

    @_guarded
    def identify(self, user_id: object = None, traits: object = None, options: object = None,
                 callback: object = None, *, page: Mapping[str, Any] | None = None
                 ) -> asyncio.Task[bool] | None:
        """``identify([userId], [traits], [options], [callback])``; traits are cached and merged."""
        call = resolve.resolve_user(user_id, traits, options, callback)
        self._apply_anonymous_id(call.options)
        self._factory.user.identify(call.id, call.traits)
        return self._dispatch(self._factory.identify(call, self._page(page)), call.callback)

    @_guarded
    def group(self, group_id: object = UNSET, traits: object = None, options: object = None,
              callback: object = None, *, page: Mapping[str, Any] | None = None
              ) -> Group | asyncio.Task[bool] | None:
        """``group(groupId, [traits], [options], [callback])``; ``group()`` returns the Group."""
        if group_id is UNSET:
            return self._factory.group_
        call = resolve.resolve_user(group_id, traits, options, callback)
        self._apply_anonymous_id(call.options)
        self._factory.group_.identify(call.id, call.traits)
        return self._dispatch(self._factory.group(call, self._page(page)), call.callback)

    @_guarded
    def alias(self, user_id: object = None, previous_id: object = None, options: object = None,
              callback: object = None, *, page: Mapping[str, Any] | None = None
              ) -> asyncio.Task[bool] | None:
        """``alias(userId, [previousId], [options], [callback])``; the stored id is unchanged."""
        call = resolve.resolve_alias(user_id, previous_id, options, callback)
        return self._dispatch(self._factory.alias(call, self._page(page)), call.callback)

    # -- identity --------------------------------------------------------------------------

    def user(self) -> User:
        """The current visitor: ``user().id()``, ``user().traits()``, ``user().anonymous_id()``."""
        return self._factory.user

    @_guarded
    def set_anonymous_id(self, anonymous_id: object = UNSET) -> str | None:
        """Set (or read, with no argument) the visitor's anonymous id."""
        return self._factory.user.anonymous_id(anonymous_id)

    @_guarded
    def reset(self) -> None:
        """Forget the user and the group: ids, anonymous id and traits."""
        self._factory.user.reset()
        self._factory.group_.reset()

    # -- internals -------------------------------------------------------------------------

    def _page(self, raw: Mapping[str, Any] | None) -> Any:
        return page_context(raw if raw is not None else self._read_page())

    def _apply_anonymous_id(self, options: Mapping[str, Any]) -> None:
        # options.anonymousId sets the visitor's id for this and every later call.
        if isinstance(options.get("anonymousId"), str) and options["anonymousId"]:
            self._factory.user.anonymous_id(options["anonymousId"])

    def _dispatch(self, message: Message, callback: Callback | None) -> asyncio.Task[bool]:
        return self._spawn(self._deliver(message, callback))

    async def _deliver(self, message: Message, callback: Callback | None) -> bool:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await self._loaded.wait()
        assert self._destination is not None
        delivered = await self._destination.deliver(message)
        if callback is not None:
            remaining = self._timeout_ms / 1000 - (loop.time() - started)
            if remaining > 0:
                await asyncio.sleep(remaining)
            self._call_safely(callback, message["type"])
        return delivered

    def _spawn(self, coroutine: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _call_safely(self, callback: Callback, what: str) -> None:
        try:
            callback()
        except Exception as exc:  # noqa: BLE001 - a user's callback must not break the library
            self.console.error(f"analytics_py: a {what} callback raised {exc!r}")
