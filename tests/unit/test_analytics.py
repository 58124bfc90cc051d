"""The Analytics object: calls wait for the destination, callbacks, ready, and no exceptions out."""

import asyncio
import json

from analytics_py.core.queue import RetryQueue
from analytics_py.core.segmentio import Segmentio, SegmentioPlugin
from analytics_py.core.wire import SegmentioConfig
from analytics_py.core.stores import MemoryStore

from .factories import make_analytics
from .fakes import FakeClock, RecordingConsole, RecordingTransport, run_async


async def attach(analytics, console, *plugins):
    """Open the pipeline with Segment.io (on the analytics' own queue) and ``plugins``."""
    transport, clock = RecordingTransport(), FakeClock()
    segmentio = Segmentio("wk", SegmentioConfig("c.test/v1", "http"), transport, console, clock,
                          analytics.dispatcher.queue)
    await analytics.open(*plugins, SegmentioPlugin(segmentio))
    return transport


def test_calls_made_before_load_are_sent_in_order_once_the_destination_is_attached():
    async def scenario():
        analytics, console = make_analytics()
        analytics.track("first")
        analytics.identify("u1", {"plan": "Pro"})
        analytics.track("second")
        await asyncio.sleep(0)
        transport = await attach(analytics, console)
        await analytics.dispatcher.settle()
        return [json.loads(s.body) for s in transport.sent]

    first, identify, second = run_async(scenario())
    assert (first["event"], identify["type"], second["event"]) == ("first", "identify", "second")
    assert first["userId"] is None and second["userId"] == "u1"  # this transport knows no user


def test_callback_runs_after_delivery_and_the_timeout():
    async def scenario():
        analytics, console = make_analytics()
        await attach(analytics, console)
        analytics.timeout(50)
        loop = asyncio.get_running_loop()
        start, called = loop.time(), []
        analytics.track("x", lambda: called.append(loop.time() - start))
        await analytics.dispatcher.settle()
        return called

    (elapsed,) = run_async(scenario())
    assert elapsed >= 0.05


def test_ready_fires_once_destinations_loaded_and_at_once_afterwards():
    async def scenario():
        analytics, console = make_analytics()
        calls = []
        analytics.ready(lambda: calls.append("early"))
        await attach(analytics, console)
        await analytics.dispatcher.settle()
        analytics.ready(lambda: calls.append("late"))
        return calls

    assert run_async(scenario()) == ["early", "late"]


def test_bad_input_and_throwing_callbacks_are_console_errors_not_exceptions():
    async def scenario():
        analytics, console = make_analytics()
        await attach(analytics, console)
        assert analytics.track(None) is None
        analytics.ready(lambda: 1 / 0)
        analytics.timeout("soon")
        await analytics.dispatcher.settle()
        return console.errors()

    errors = run_async(scenario())
    assert any("track: the event name is missing" in e for e in errors)
    assert any("ZeroDivisionError" in e for e in errors)
    assert any("timeout: expected a number" in e for e in errors)


def test_group_without_arguments_returns_the_group():
    analytics, _ = make_analytics()
    assert analytics.group().id() is None


def test_a_callback_is_not_held_back_by_a_hanging_delivery():
    async def scenario():
        analytics, console = make_analytics()  # no destination: delivery never completes
        analytics.timeout(10)
        loop = asyncio.get_running_loop()
        start, called = loop.time(), []
        analytics.track("x", lambda: called.append(loop.time() - start))
        await asyncio.sleep(1.3)
        return called

    (elapsed,) = run_async(scenario())
    assert 1.0 <= elapsed < 1.3


def test_listeners_get_the_call_arguments_and_the_real_options():
    async def scenario():
        analytics, console = make_analytics()
        seen = []
        analytics.on("track", lambda *a: seen.append(("track", a)))
        analytics.once("page", lambda *a: seen.append(("page", a)))
        analytics.on("identify", lambda *a: seen.append(("identify", a)))
        analytics.on("reset", lambda *a: seen.append(("reset", a)))
        analytics.track("Clicked", {"a": 1}, {"context": {"ip": "0"}})
        analytics.page("Docs", "Home")
        analytics.page("Docs", "Again")
        analytics.identify("u1", {"plan": "Pro"})
        analytics.reset()
        analytics.off("track")
        analytics.track("Unheard")
        return seen

    seen = run_async(scenario())
    assert seen[0] == ("track", ("Clicked", {"a": 1}, {"context": {"ip": "0"}}))
    assert seen[1][0] == "page" and seen[1][1][:2] == ("Docs", "Home")
    assert seen[1][1][2]["name"] == "Home"
    assert seen[2] == ("identify", ("u1", {"plan": "Pro"}, {}))
    assert seen[3] == ("reset", ())
    assert len(seen) == 4


def test_python_values_are_cleaned_at_the_door():
    from datetime import datetime, timezone
    from decimal import Decimal

    async def scenario():
        analytics, console = make_analytics()
        transport = await attach(analytics, console)
        analytics.track("Typed", {"at": datetime(2026, 1, 2, tzinfo=timezone.utc),
                                  "price": Decimal("9.99"), "tags": ("a", "b"), "bad": float("nan"),
                                  "obj": object()})
        await analytics.dispatcher.settle()
        return json.loads(transport.sent[0].body)["properties"], console

    properties, console = run_async(scenario())
    assert properties == {"at": "2026-01-02T00:00:00.000Z", "price": 9.99, "tags": ["a", "b"],
                          "bad": None, "obj": None}
    assert sum("track: value." in text for level, text in console.lines if level == "warn") == 2


def test_debug_logs_dispatch_and_delivery():
    async def scenario():
        analytics, console = make_analytics()
        await attach(analytics, console)
        analytics.debug()
        await analytics.track("Seen")
        analytics.debug(False)
        await analytics.track("Unseen")
        return [text for level, text in console.lines if level == "log"]

    logs = run_async(scenario())
    assert len(logs) == 2 and "dispatching track" in logs[0] and "delivered" in logs[1]


def test_query_string_calls():
    from analytics_py.core.querystring import query_calls

    async def scenario():
        analytics, console = make_analytics()
        transport = await attach(analytics, console)
        calls = query_calls("?ajs_aid=anon-q&ajs_uid=u-q&ajs_trait_plan=Pro&ajs_event=Clicked+Link"
                            "&ajs_prop_where=email%20footer")
        analytics.apply_query_string(calls)
        await analytics.dispatcher.settle()
        return [json.loads(s.body) for s in transport.sent]

    identify, track = run_async(scenario())
    assert (identify["userId"], identify["traits"], identify["anonymousId"]) == ("u-q", {"plan": "Pro"}, "anon-q")
    assert (track["event"], track["properties"]) == ("Clicked Link", {"where": "email footer"})


def test_a_call_is_persisted_before_it_returns():
    store, console, clock = MemoryStore(), RecordingConsole(), FakeClock()
    queue = RetryQueue(store, "wk", console, lambda: clock().timestamp())

    async def scenario():
        analytics, _ = make_analytics(queue=queue)
        analytics.track("Persisted at once")
        return store.keys()  # no await has happened since the call

    (key,) = run_async(scenario())
    assert key.startswith("analytics_py:v1:wk:queue:ajs-py-")
