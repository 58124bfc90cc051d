"""What a plugin is, how one is checked at the door, and which destinations an event reaches.

A plugin is any object (or a class, instantiated without arguments) with ``name``, ``type``
(before / enrichment / destination / after / utility), ``version``, ``load(ctx, analytics)``,
``is_loaded()`` and optional per-call hooks ``track/page/screen/identify/group/alias(ctx)``.
Hooks and ``load`` may be plain or ``async``; a hook returns the context (``None`` means the
same one, edited in place). The rules are analytics-next's: behaviour.md sections 5.3 and 6.
"""

from __future__ import annotations

import inspect
from typing import Any, Awaitable, Callable, Mapping, Protocol

from .args import ValidationError

PLUGIN_TYPES = ("before", "enrichment", "destination", "after", "utility")
HOOKS = ("track", "page", "screen", "identify", "group", "alias")
SEGMENTIO = "Segment.io"


class Plugin(Protocol):
    name: str
    type: str
    version: str

    def load(self, ctx: Any, analytics: Any) -> Awaitable[object] | object: ...

    def is_loaded(self) -> bool: ...


def validated(candidate: object) -> Plugin:
    """The plugin itself (a class is instantiated), or a ``ValidationError`` naming what is wrong."""
    plugin = candidate() if isinstance(candidate, type) else candidate
    name, kind = getattr(plugin, "name", None), getattr(plugin, "type", None)
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"register: a plugin needs a non-empty string name, got {name!r}")
    if kind not in PLUGIN_TYPES:
        raise ValidationError(f"register: plugin {name!r} has type {kind!r}; expected one of "
                              f"{', '.join(PLUGIN_TYPES)}")
    for method in ("load", "is_loaded"):
        if not callable(getattr(plugin, method, None)):
            raise ValidationError(f"register: plugin {name!r} has no {method}() method")
    return plugin  # type: ignore[return-value]


def hook_of(plugin: Plugin, event_type: str) -> Callable[..., object] | None:
    hook = getattr(plugin, event_type, None) if event_type in HOOKS else None
    return hook if callable(hook) else None


async def call_flexibly(function: Callable[..., object], *args: Any) -> Any:
    """Call with as many of ``args`` as the function takes (``load(self)`` is fine), awaiting
    the result if it is awaitable."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # a builtin or foreign callable: give it everything
        accepted = len(args)
    else:
        if any(p.kind is p.VAR_POSITIONAL for p in parameters):
            accepted = len(args)
        else:
            accepted = sum(1 for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    result = function(*args[:accepted])
    if inspect.isawaitable(result):
        result = await result
    return result


def reaches(plugin: Plugin, integrations: Mapping[str, Any]) -> bool:
    """Whether an event with these ``integrations`` goes to ``plugin``.

    Only destinations are filtered. A destination's own flag (or one of its alternative names)
    decides; otherwise ``All`` does, except that ``All: false`` never blocks Segment.io.
    """
    if plugin.type != "destination" and plugin.name != SEGMENTIO:
        return True
    flag = integrations.get(plugin.name)
    if flag is None:
        for alternative in getattr(plugin, "alternative_names", None) or ():
            if integrations.get(alternative) is not None:
                flag = integrations[alternative]
    if flag is None:
        flag = True if plugin.name == SEGMENTIO else integrations.get("All")
    return flag is not False


def loads_at_start(name: str, load_integrations: Mapping[str, Any]) -> bool:
    """Whether ``load(writeKey, {integrations})`` lets a destination load at all (the consent
    case): an explicit ``false`` stops it, and ``All: false`` stops all that are not listed."""
    flag = load_integrations.get(name)
    if flag is False:
        return False
    return not (load_integrations.get("All") is False and not flag)
