"""Property tests (hypothesis): whatever a page passes, argument resolution and serialisation
either succeed with valid JSON or refuse with a ``ValidationError``; nothing else escapes."""

from __future__ import annotations

import asyncio
import json
from datetime import timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics_py.core import args as resolve
from analytics_py.core.args import ValidationError
from analytics_py.core.serialize import json_safe, to_json

from .factories import make_analytics
from .fakes import run_async

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.text() | st.decimals(allow_nan=True) | st.datetimes(timezones=st.just(timezone.utc))
           | st.dates() | st.builds(object) | st.binary() | st.complex_numbers())
VALUES = st.recursive(
    SCALARS,
    lambda inner: (st.lists(inner, max_size=4) | st.tuples(inner, inner)
                   | st.dictionaries(st.text(max_size=8), inner, max_size=4)
                   | st.dictionaries(st.integers(), inner, max_size=2)
                   | st.frozensets(st.integers() | st.text(max_size=4), max_size=3)),
    max_leaves=20)
ARGUMENTS = st.lists(VALUES | st.just(lambda *a: None), max_size=5)
# Each resolver with the arity its public method always passes (missing arguments are None).
RESOLVERS = [(resolve.resolve_track, 4), (resolve.resolve_page, 5), (resolve.resolve_user, 4),
             (resolve.resolve_alias, 4)]


@given(VALUES)
def test_json_safe_always_gives_valid_json(value):
    warnings: list[str] = []
    text = to_json(json_safe(value, warnings.append))
    assert isinstance(json.loads(text), (type(None), bool, int, float, str, list, dict))


@given(VALUES)
def test_json_safe_keeps_what_json_can_hold_unchanged(value):
    warnings: list[str] = []
    cleaned = json_safe(value, warnings.append)
    if not warnings:
        assert json_safe(cleaned, warnings.append) == cleaned and warnings == []


@given(st.sampled_from(RESOLVERS), ARGUMENTS)
def test_every_resolver_resolves_or_refuses_with_a_validation_error(resolver_and_arity, arguments):
    resolver, arity = resolver_and_arity
    warnings: list[str] = []
    cleaned = [a if callable(a) else json_safe(a, warnings.append) for a in arguments[:arity]]
    try:
        resolved = resolver(*cleaned, *[None] * (arity - len(cleaned)))
    except ValidationError as exc:
        assert str(exc)
        return
    fields = {k: v for k, v in vars(resolved).items() if k != "callback"}
    json.loads(to_json(fields))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["track", "page", "screen", "identify", "group", "alias"]), ARGUMENTS)
def test_a_public_call_never_raises_and_either_queues_valid_json_or_says_why(method, arguments):
    async def scenario():
        analytics, console = make_analytics()
        result = getattr(analytics, method)(*arguments)
        await asyncio.sleep(0)
        return analytics, console, result

    analytics, console, result = run_async(scenario())
    if result is None or not isinstance(result, asyncio.Future):
        if method == "group" and not arguments:
            return  # group() returns the Group
        assert console.errors(), (method, arguments)
        return
    (item,) = analytics.dispatcher.queue.unprocessed(set())
    json.loads(to_json(item.message))
