"""JSON on the wire: ISO-8601 timestamps as ``JSON.stringify`` writes them, and safe values."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Callable

MAX_EVENT_BYTES = 32 * 1024
MAX_NESTING = 32  # objects and arrays deeper than this in a call's arguments are nulled


def iso_timestamp(moment: datetime) -> str:
    """Format a moment as ``YYYY-MM-DDTHH:MM:SS.mmmZ`` in UTC, like ``Date.toISOString``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    utc = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return utc.isoformat(timespec="milliseconds") + "Z"


def to_json(value: object) -> str:
    """Compact JSON text, non-ASCII kept as is, as ``JSON.stringify`` produces it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def json_safe(value: object, warn: Callable[[str], None]) -> object:
    """Return ``value`` made JSON-representable; what cannot be is nulled and reported.

    Dates become ISO strings, ``Decimal`` a number, tuples and sets arrays; NaN, infinities,
    cycles, containers nested deeper than ``MAX_NESTING`` and objects without a JSON form
    become ``None`` with a warning naming their path.
    """
    open_containers: set[int] = set()

    def clean(item: object, path: str) -> object:
        if len(open_containers) >= MAX_NESTING and isinstance(item, (dict, list, tuple, set, frozenset)):
            warn(f"{path} is nested deeper than {MAX_NESTING} levels; sent as null")
            return None
        if item is None or isinstance(item, (bool, str, int)):
            return item
        if isinstance(item, float):
            if math.isfinite(item):
                return item
            warn(f"{path} is {item}, which JSON cannot hold; sent as null")
            return None
        if isinstance(item, Decimal):
            if not item.is_finite():  # NaN, sNaN (float() refuses it) and infinities
                warn(f"{path} is {item}, which JSON cannot hold; sent as null")
                return None
            return clean(float(item), path)
        if isinstance(item, datetime):
            return iso_timestamp(item)
        if isinstance(item, date):
            return item.isoformat()
        if isinstance(item, (dict, list, tuple, set, frozenset)):
            if id(item) in open_containers:
                warn(f"{path} refers back to itself; sent as null")
                return None
            open_containers.add(id(item))
            try:
                if isinstance(item, dict):
                    return {str(k): clean(v, f"{path}.{k}") for k, v in item.items()}
                return [clean(v, f"{path}[{i}]") for i, v in enumerate(item)]
            finally:
                open_containers.discard(id(item))
        description = getattr(item, "description", None)  # the JS bridge's stand-ins say what they are
        what = description if isinstance(description, str) else f"of type {type(item).__name__}"
        warn(f"{path} ({what}) has no JSON form; sent as null")
        return None

    return clean(value, "value")
