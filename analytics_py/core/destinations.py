"""Which destinations a page loads, from the source settings and ``load()`` options (section 5.3).

Segment.io loads unless the load options switch it off; a bundled Python destination loads when
the settings list it (and the load options allow it). The consent case of the docs —
``load(key, {integrations: {All: false, "Segment.io": true}})`` — loads Segment.io only.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from .plugins import SEGMENTIO, Plugin, loads_at_start
from .schema_filter import SchemaFilter

Factory = Callable[[Mapping[str, Any]], Plugin]


def _entry(source: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    integrations = source.get("integrations")
    entry = integrations.get(name) if isinstance(integrations, dict) else None
    return entry if isinstance(entry, dict) else None


def bundled_destinations(settings: Mapping[str, Any], load_options: Mapping[str, Any],
                         factories: Mapping[str, Factory]) -> list[Plugin]:
    """The bundled destinations the settings enable, each made with its merged settings."""
    wanted = load_options.get("integrations")
    wanted = wanted if isinstance(wanted, dict) else {}
    made = []
    for name, factory in factories.items():
        remote = _entry(settings, name)
        if remote is None or not loads_at_start(name, wanted):
            continue
        made.append(factory({**remote, **(_entry(load_options, name) or {})}))
    return made


def segmentio_enabled(load_options: Mapping[str, Any]) -> bool:
    wanted = load_options.get("integrations")
    return loads_at_start(SEGMENTIO, wanted if isinstance(wanted, dict) else {})


def schema_filter(settings: Mapping[str, Any], load_options: Mapping[str, Any],
                  has_bundled: bool) -> SchemaFilter | None:
    """A tracking plan applies when the load options carry one, or when the settings do and
    destinations other than Segment.io load (analytics.js reads it for those only)."""
    plan = load_options.get("plan")
    if not isinstance(plan, dict) and has_bundled:
        plan = settings.get("plan")
    track = plan.get("track") if isinstance(plan, dict) else None
    return SchemaFilter(track) if isinstance(track, dict) and track else None
