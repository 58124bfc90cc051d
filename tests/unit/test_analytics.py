"""The Analytics object: calls wait for the destination, callbacks, ready, and no exceptions out."""

import asyncio
import json

from analytics_py.core.segmentio import Segmentio, SegmentioConfig

from .factories import make_analytics
from .fakes import FakeClock, RecordingTransport, run_async


def attach(analytics, console):
    transport = RecordingTransport()
    analytics.attach_destination(
        Segmentio("wk", SegmentioConfig("c.test/v1", "http"), transport, console, FakeClock()))
    return transport


def test_calls_made_before_load_are_sent_in_order_once_the_destination_is_attached():
    async def scenario():
        analytics, console = make_analytics()
        analytics.track("first")
        analytics.identify("u1", {"plan": "Pro"})
        analytics.track("second")
        await asyncio.sleep(0)
        transport = attach(analytics, console)
        await asyncio.gather(*analytics._tasks)
        return [json.loads(s.body) for s in transport.sent]

    first, identify, second = run_async(scenario())
    assert (first["event"], identify["type"], second["event"]) == ("first", "identify", "second")
    assert "userId" not in first and second["userId"] == "u1"


def test_callback_runs_after_delivery_and_the_timeout():
    async def scenario():
        analytics, console = make_analytics()
        attach(analytics, console)
        analytics.timeout(50)
        loop = asyncio.get_running_loop()
        start, called = loop.time(), []
        await analytics.track("x", lambda: called.append(loop.time() - start))
        return called

    (elapsed,) = run_async(scenario())
    assert elapsed >= 0.05


def test_ready_fires_on_attach_and_at_once_afterwards():
    async def scenario():
        analytics, console = make_analytics()
        calls = []
        analytics.ready(lambda: calls.append("early"))
        attach(analytics, console)
        analytics.ready(lambda: calls.append("late"))
        return calls

    assert run_async(scenario()) == ["early", "late"]


def test_bad_input_and_throwing_callbacks_are_console_errors_not_exceptions():
    async def scenario():
        analytics, console = make_analytics()
        attach(analytics, console)
        assert analytics.track(None) is None
        analytics.ready(lambda: 1 / 0)
        analytics.timeout("soon")
        return console.errors()

    errors = run_async(scenario())
    assert any("track: the event name is missing" in e for e in errors)
    assert any("ZeroDivisionError" in e for e in errors)
    assert any("timeout: expected a number" in e for e in errors)


def test_group_without_arguments_returns_the_group():
    analytics, _ = make_analytics()
    assert analytics.group().id() is None
