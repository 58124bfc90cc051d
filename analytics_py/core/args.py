"""Analytics.js argument overloading, resolved once at the door into one fixed form per call.

The rules are analytics-next's ``arguments-resolver``: see behaviour.md section 3. Inputs are
already Python values (JS objects arrive as dicts, functions as callables, null as None).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

Callback = Callable[..., object]
Json = dict[str, Any]


class ValidationError(ValueError):
    """A call's arguments cannot make an event; the message names the call and the reason."""


@dataclass(frozen=True)
class TrackArgs:
    event: str
    properties: Json = field(default_factory=dict)
    options: Json = field(default_factory=dict)
    callback: Callback | None = None


@dataclass(frozen=True)
class PageArgs:
    category: str | None = None
    name: str | None = None
    properties: Json = field(default_factory=dict)
    options: Json = field(default_factory=dict)
    callback: Callback | None = None


@dataclass(frozen=True)
class UserArgs:
    """identify/group: ``id`` None means "keep the current id"."""

    id: str | None = None
    traits: Json | None = None
    options: Json = field(default_factory=dict)
    callback: Callback | None = None


@dataclass(frozen=True)
class AliasArgs:
    to: str
    previous: str | None = None
    options: Json = field(default_factory=dict)
    callback: Callback | None = None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_text(value: int | float) -> str:
    """A number as JavaScript's ``toString`` writes it (``12.0`` is ``"12"``, NaN ``"NaN"``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _first_callback(args: tuple[object, ...]) -> Callback | None:
    for arg in args:
        if callable(arg):
            return arg
    return None


def resolve_track(
    event: object, properties: object = None, options: object = None, callback: object = None
) -> TrackArgs:
    """``track(event, [properties], [options], [callback])``, also ``track({event, properties})``."""
    args = (event, properties, options, callback)
    if isinstance(event, dict):
        name = event.get("event")
        data = event.get("properties") or {}
        opts = properties if isinstance(properties, dict) else {}
    else:
        name = event
        data = properties if isinstance(properties, dict) else {}
        opts = options if isinstance(options, dict) else {}
    if not isinstance(name, str) or not name:
        raise ValidationError(f"track: the event name is missing or not a string ({type(name).__name__})")
    if not name.strip():
        raise ValidationError(f"track: the event name {name!r} is blank")
    if not isinstance(data, dict):
        data = {}
    return TrackArgs(name, data, opts, _first_callback(args))


def resolve_page(*args: object) -> PageArgs:
    """``page([category], [name], [properties], [options], [callback])`` in every documented shape."""
    padded = (list(args) + [None] * 5)[:5]
    strings = [a for a in padded if isinstance(a, str)]
    category: str | None = None
    name: str | None = None
    if len(strings) == 1:
        name = padded[1] if isinstance(padded[1], str) else strings[0]
    elif len(strings) == 2:
        category = padded[0] if isinstance(padded[0], str) else None
        name = padded[1] if isinstance(padded[1], str) else None
    objects = [a for a in padded if isinstance(a, dict)]
    properties: Json = {}
    options: Json = {}
    if len(objects) == 1:
        if isinstance(padded[2], dict):
            properties = padded[2]
        elif isinstance(padded[3], dict):
            options = padded[3]
        else:
            properties = objects[0]
    elif len(objects) == 2:
        properties, options = objects
    return PageArgs(category, name, properties, options, _first_callback(tuple(padded)))


def resolve_user(*args: object) -> UserArgs:
    """``identify``/``group``: a positional walk over id, traits, options, then a callback."""
    slots = ["options", "traits", "id"]
    found: dict[str, Any] = {}
    callback: Callback | None = None
    for arg in args:
        slot = slots.pop() if slots else None
        if slot == "id":
            if isinstance(arg, str) or _is_number(arg):
                found["id"] = arg if isinstance(arg, str) else number_text(arg)  # type: ignore[arg-type]
                continue
            if arg is None:
                continue
            slot = slots.pop() if slots else None
        if slot in ("traits", "options") and (arg is None or isinstance(arg, dict)):
            found[slot] = arg
        if callable(arg):
            callback = arg
            break
    return UserArgs(found.get("id"), found.get("traits"), found.get("options") or {}, callback)


def resolve_alias(
    to: object, previous: object = None, options: object = None, callback: object = None
) -> AliasArgs:
    """``alias(userId, [previousId], [options], [callback])``."""
    if _is_number(to):
        to = number_text(to)  # type: ignore[arg-type]
    if _is_number(previous):
        previous = number_text(previous)  # type: ignore[arg-type]
    args = (to, previous, options, callback)
    strings = [a for a in args if isinstance(a, str)]
    if not strings:
        raise ValidationError(f"alias: the new user id is missing or not a string ({type(to).__name__})")
    objects = [a for a in args if isinstance(a, dict)]
    return AliasArgs(
        strings[0], strings[1] if len(strings) > 1 else None, objects[0] if objects else {},
        _first_callback(args),
    )
