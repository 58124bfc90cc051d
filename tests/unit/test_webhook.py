"""The bundled Webhook destination, the settings that choose destinations, and the tracking plan."""

import json

import pytest

from analytics_py.core.context import Context
from analytics_py.core.destinations import bundled_destinations, schema_filter, segmentio_enabled
from analytics_py.destinations.webhook import Webhook

from .fakes import RecordingConsole, RecordingTransport, run_async


async def no_sleep(seconds):
    return None


def webhook(statuses=(), **settings):
    transport, console = RecordingTransport(list(statuses)), RecordingConsole()
    hook = Webhook({"url": "http://127.0.0.1:9/hook", **settings}, transport, console, sleep=no_sleep)
    hook.load()
    return hook, transport, console


def test_each_event_is_posted_as_json_with_the_configured_headers():
    hook, transport, console = webhook(headers={"X-Token": "t"})
    run_async(hook.track(Context({"type": "track", "event": "Bought", "messageId": "m1"})))
    (sent,) = transport.sent
    assert sent.url == "http://127.0.0.1:9/hook" and json.loads(sent.body)["event"] == "Bought"
    assert sent.headers == {"Content-Type": "application/json", "X-Token": "t"} and console.errors() == []


def test_server_errors_are_retried_then_reported():
    hook, transport, console = webhook([503, ConnectionError("down"), 500])
    run_async(hook.page(Context({"type": "page", "messageId": "m2"})))
    assert len(transport.sent) == 3 and "Webhook could not deliver page m2" in console.errors()[0]


def test_a_refusal_is_not_retried():
    hook, transport, console = webhook([400])
    run_async(hook.identify(Context({"type": "identify", "messageId": "m3"})))
    assert len(transport.sent) == 1 and "last status: 400" in console.errors()[0]


@pytest.mark.parametrize("settings", [{}, {"url": "ftp://x"}, {"url": "http://x", "headers": {"a": 1}}])
def test_bad_settings_fail_the_load(settings):
    with pytest.raises(ValueError, match="Webhook"):
        Webhook(settings, RecordingTransport(), RecordingConsole()).load()


def test_settings_and_load_options_choose_the_bundled_destinations():
    settings = {"integrations": {"Segment.io": {}, "Webhook": {"url": "http://a/1"}, "Mixpanel": {}}}
    made = lambda entry: entry  # noqa: E731 - the factory's input is what is checked
    assert bundled_destinations(settings, {}, {"Webhook": made}) == [{"url": "http://a/1"}]
    override = {"integrations": {"Webhook": {"url": "http://b/2"}}}
    assert bundled_destinations(settings, override, {"Webhook": made}) == [{"url": "http://b/2"}]
    consent = {"integrations": {"All": False, "Segment.io": True}}
    assert bundled_destinations(settings, consent, {"Webhook": made}) == []
    assert segmentio_enabled(consent) and not segmentio_enabled({"integrations": {"All": False}})
    assert bundled_destinations({"integrations": {}}, {}, {"Webhook": made}) == []


def test_the_tracking_plan_keeps_disabled_events_for_segmentio_only():
    plan = {"plan": {"track": {"Off": {"enabled": False}, "Partly": {"enabled": True, "integrations": {"Webhook": False}}}}}
    assert schema_filter(plan, {}, has_bundled=False) is None  # as analytics.js: only with other destinations
    gate = schema_filter(plan, {}, has_bundled=True)
    off = gate.track(Context({"type": "track", "event": "Off", "integrations": {"X": True}}))
    assert off.event["integrations"] == {"X": True, "All": False, "Segment.io": True}
    partly = gate.track(Context({"type": "track", "event": "Partly", "integrations": {}}))
    assert partly.event["integrations"] == {"Webhook": False}
    other = gate.track(Context({"type": "track", "event": "Other", "integrations": {}}))
    assert other.event["integrations"] == {}


def test_update_event_never_switches_a_disabled_integration_back_on():
    ctx = Context({"type": "track", "integrations": {"Webhook": False}})
    ctx.update_event("integrations.Webhook", {"url": "x"})
    ctx.update_event("context.page.title", "T")
    assert ctx.event == {"type": "track", "integrations": {"Webhook": False}, "context": {"page": {"title": "T"}}}
