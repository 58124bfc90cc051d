"""The tracking plan (``plan.track`` in the settings): a *before* plugin, as analytics.js has.

An event the plan disables still goes to Segment.io and to no other destination
(``integrations`` becomes ``{..., All: false, "Segment.io": true}``); an enabled event takes
the plan's per-destination flags into its ``integrations``.
"""

from __future__ import annotations

from typing import Any, Mapping

from .context import Context
from .version import VERSION


def event_enabled(plan: Mapping[str, Any], event: Any) -> bool:
    entry = plan.get(event) if isinstance(event, str) else None
    if isinstance(entry, dict) and isinstance(entry.get("enabled"), bool):
        return bool(entry["enabled"])
    default = plan.get("__default")
    return not (isinstance(default, dict) and default.get("enabled") is False)


class SchemaFilter:
    name = "Schema Filter"
    type = "before"
    version = VERSION

    def __init__(self, track_plan: Mapping[str, Any]) -> None:
        self._plan = track_plan

    def load(self) -> None:
        return None

    def is_loaded(self) -> bool:
        return True

    def _filter(self, ctx: Context) -> Context:
        event = ctx.event.get("event")
        if not event:
            return ctx
        integrations = dict(ctx.event.get("integrations") or {})
        if not event_enabled(self._plan, event):
            ctx.event["integrations"] = {**integrations, "All": False, "Segment.io": True}
            return ctx
        entry = self._plan.get(event)
        flags = entry.get("integrations") if isinstance(entry, dict) else None
        if isinstance(flags, dict):
            ctx.event["integrations"] = {**integrations, **flags}
        return ctx

    track = page = identify = group = alias = _filter
