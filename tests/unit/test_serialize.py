"""Timestamps as Date.toISOString writes them, and JSON-safe values with warnings."""

import json
import math
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from analytics_py.core.serialize import iso_timestamp, json_safe, to_json


def test_iso_timestamp_has_milliseconds_and_z():
    moment = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=2)))
    assert iso_timestamp(moment) == "2026-01-02T01:04:05.678Z"
    assert iso_timestamp(datetime(2026, 1, 2)) == "2026-01-02T00:00:00.000Z"


def test_json_safe_converts_python_values_and_reports_the_rest():
    warnings: list[str] = []
    cyclic: list = []
    cyclic.append(cyclic)
    value = {"when": datetime(2026, 1, 2, tzinfo=timezone.utc), "day": date(2026, 1, 2),
             "price": Decimal("9.5"), "tags": ("a", "b"), "nan": math.nan, "obj": object(),
             "loop": cyclic}
    cleaned = json_safe(value, warnings.append)
    assert cleaned == {"when": "2026-01-02T00:00:00.000Z", "day": "2026-01-02", "price": 9.5,
                       "tags": ["a", "b"], "nan": None, "obj": None, "loop": [None]}
    assert len(warnings) == 3 and any("value.obj" in w for w in warnings)
    json.loads(to_json(cleaned))


def test_to_json_is_compact_and_keeps_unicode():
    assert to_json({"a": [1, "é"]}) == '{"a":[1,"é"]}'


def test_values_nested_too_deeply_are_nulled_with_one_warning_not_a_crash():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    warnings: list[str] = []
    cleaned = json_safe({"x": deep}, warnings.append)
    assert len(warnings) == 1 and "nested deeper than 32 levels" in warnings[0]
    depth, item = 0, cleaned
    while isinstance(item, (list, dict)):
        item = item["x"] if isinstance(item, dict) else item[0]
        depth += 1
    assert depth == 32
