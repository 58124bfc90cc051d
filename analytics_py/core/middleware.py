"""Source and destination middleware, as analytics.js defines them (behaviour.md section 6).

A middleware is called with keyword arguments ``payload`` (a ``Payload``: the event is
``payload.obj``), ``next`` and ``integrations`` (source) or ``integration`` (destination).

- Source middleware runs before every destination. ``next(payload)`` passes the (edited) event
  on; ``next()`` passes it unchanged; never calling ``next`` drops the event.
- Destination middleware runs on a copy of the event for one destination (or ``"*"``: every
  destination except Segment.io, as in analytics.js). ``next(None)`` drops the event for that
  destination; never calling ``next`` sends it with ``integrations[<destination>] = False``.
"""

from __future__ import annotations

import copy
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .context import Cancelled, Context
from .messages import Message
from .plugins import call_flexibly

Middleware = Callable[..., object]
DESTINATION_WILDCARD = "*"


@dataclass
class Payload:
    """The event a middleware sees; ``obj`` is the event itself, as in analytics.js."""

    obj: Message

    def type(self) -> str:
        return str(self.obj.get("type", ""))

    def event(self) -> Any:
        return self.obj.get("event")


class NextCall:
    """The ``next`` handed to one middleware call: records whether and with what it was called."""

    _UNCALLED = object()

    def __init__(self) -> None:
        self.value: Any = self._UNCALLED

    def __call__(self, payload: Any = None) -> None:
        self.value = payload

    @property
    def called(self) -> bool:
        return self.value is not self._UNCALLED


async def _run_middleware(function: Middleware, event: Message, **extra: Any) -> NextCall:
    next_call = NextCall()
    await call_keywords(function, payload=Payload(copy.deepcopy(event)), next=next_call, **extra)
    return next_call


async def call_keywords(function: Middleware, **kwargs: Any) -> Any:
    """Call a middleware with the keyword arguments it names (all of them if it takes ``**``)."""
    return await call_flexibly(lambda: function(**_accepted(function, kwargs)))


def _accepted(function: Middleware, kwargs: dict[str, Any]) -> dict[str, Any]:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return kwargs
    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return kwargs
    return {name: value for name, value in kwargs.items() if name in parameters}


class SourceMiddleware:
    """A *before* plugin wrapping one source middleware function."""

    type = "before"
    version = "0.1.0"

    def __init__(self, function: Middleware, integrations: Callable[[], Mapping[str, bool]]) -> None:
        self.name = f"Source Middleware {getattr(function, '__name__', '')}".rstrip()
        self._function = function
        self._integrations = integrations

    def load(self) -> None:
        return None

    def is_loaded(self) -> bool:
        return True

    async def _apply(self, ctx: Context) -> Context:
        next_call = await _run_middleware(self._function, ctx.event, integrations=dict(self._integrations()))
        if not next_call.called:
            raise Cancelled("a source middleware did not call next()")
        value = next_call.value
        if isinstance(value, Payload):
            ctx.event = value.obj
        elif isinstance(value, dict):
            ctx.event = value
        return ctx

    track = page = screen = identify = group = alias = _apply


async def apply_destination_middleware(destination: str, event: Message,
                                       functions: list[Middleware]) -> Message | None:
    """The event as ``destination`` should receive it, or None when a middleware dropped it."""
    current = copy.deepcopy(event)
    for function in functions:
        next_call = await _run_middleware(function, current, integration=destination)
        if not next_call.called:
            integrations = dict(current.get("integrations") or {})
            integrations[destination] = False
            current = {**current, "integrations": integrations}
            continue
        value = next_call.value
        if value is None:
            return None
        current = value.obj if isinstance(value, Payload) else value if isinstance(value, dict) else current
    return current
