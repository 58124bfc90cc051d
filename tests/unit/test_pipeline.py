"""The plugin pipeline under CPython: order, cancellation, failures, integrations, middleware, ready."""

import asyncio
import json

import pytest

from analytics_py.core.plugins import loads_at_start, reaches, validated
from analytics_py.core.args import ValidationError

from .factories import make_analytics
from .fakes import run_async
from .test_analytics import attach


class Recorder:
    """A plugin that notes each event it sees in a shared journal."""

    version = "1.0.0"

    def __init__(self, name, kind, journal, edit=None, fail=False, load=None):
        self.name, self.type, self._journal = name, kind, journal
        self._edit, self._fail, self._load = edit, fail, load

    async def load(self, ctx, analytics):
        if self._load is not None:
            await self._load()

    def is_loaded(self):
        return True

    async def track(self, ctx):
        self._journal.append((self.name, ctx.event["event"], dict(ctx.event.get("properties", {}))))
        if self._fail:
            raise RuntimeError(f"{self.name} broke")
        if self._edit:
            self._edit(ctx)
        return ctx

    identify = page = track


def sent_bodies(transport):
    return [json.loads(s.body) for s in transport.sent]


def run_with(*plugins, calls=lambda a: a.track("Clicked", {"n": 1}), settle=True):
    async def scenario():
        analytics, console = make_analytics()
        transport = await attach(analytics, console, *plugins)
        results = calls(analytics)
        if settle:
            await analytics.dispatcher.settle()
        return analytics, console, transport, results

    return run_async(scenario())


def test_plugins_run_in_type_order_and_see_each_others_edits():
    journal = []
    after = Recorder("after", "after", journal)
    destination = Recorder("Dest", "destination", journal)
    enrichment = Recorder("enrich", "enrichment", journal, edit=lambda c: c.update_event("properties.enriched", True))
    before = Recorder("before", "before", journal, edit=lambda c: c.update_event("properties.checked", True))
    _, console, transport, _ = run_with(after, destination, enrichment, before)
    assert [name for name, *_ in journal] == ["before", "enrich", "Dest", "after"]
    assert journal[2][2] == {"n": 1, "checked": True, "enriched": True}
    (body,) = sent_bodies(transport)
    assert body["properties"] == {"n": 1, "checked": True, "enriched": True} and console.errors() == []


def test_a_failing_before_plugin_cancels_the_event_and_says_why():
    journal = []
    _, console, transport, results = run_with(Recorder("gate", "before", journal, fail=True),
                                              Recorder("Dest", "destination", journal))
    assert transport.sent == [] and [n for n, *_ in journal] == ["gate"]
    assert results.result().cancelled.startswith("before plugin 'gate' raised RuntimeError")


def test_ctx_cancel_drops_the_event_silently():
    journal = []
    _, console, transport, results = run_with(Recorder("gate", "before", journal, edit=lambda c: c.cancel("no")))
    assert transport.sent == [] and results.result().cancelled == "no" and console.errors() == []


def test_a_failing_enrichment_plugin_is_logged_and_the_event_goes_on():
    journal = []
    _, console, transport, _ = run_with(Recorder("broken", "enrichment", journal, fail=True))
    assert len(transport.sent) == 1 and "plugin 'broken' failed on track" in console.errors()[0]


def test_destinations_get_copies_and_are_chosen_by_the_event_integrations():
    journal = []
    vandal = Recorder("Vandal", "destination", journal, edit=lambda c: c.event["properties"].clear())
    other = Recorder("Other", "destination", journal)

    def calls(analytics):
        analytics.track("All", {"n": 1})
        analytics.track("Only Other", {}, {"integrations": {"All": False, "Other": True}})
        analytics.track("No Segment", {}, {"integrations": {"Segment.io": False}})

    _, _, transport, _ = run_with(vandal, other, calls=calls)
    seen = sorted((name, event) for name, event, _ in journal)
    assert seen == [("Other", "All"), ("Other", "No Segment"), ("Other", "Only Other"),
                    ("Vandal", "All"), ("Vandal", "No Segment")]
    assert [b["event"] for b in sent_bodies(transport)] == ["All", "Only Other"]
    assert sent_bodies(transport)[0]["properties"] == {"n": 1}  # the vandal edited its own copy


class Named:
    def __init__(self, name, kind="destination", alternatives=()):
        self.name, self.type, self.alternative_names = name, kind, list(alternatives)


@pytest.mark.parametrize("integrations, expected", [
    ({}, {"Segment.io": True, "Dest": True, "Alt": True}),
    ({"All": False}, {"Segment.io": True, "Dest": False, "Alt": False}),
    ({"All": False, "Dest": True}, {"Segment.io": True, "Dest": True, "Alt": False}),
    ({"Segment.io": False}, {"Segment.io": False, "Dest": True, "Alt": True}),
    ({"dest": False}, {"Segment.io": True, "Dest": True, "Alt": True}),  # names are case sensitive
    ({"Dest": False, "All": True}, {"Segment.io": True, "Dest": False, "Alt": True}),
    ({"All": False, "Old Name": True}, {"Segment.io": True, "Dest": False, "Alt": True}),
    ({"Dest": {"setting": 1}}, {"Segment.io": True, "Dest": True, "Alt": True}),
])
def test_the_integrations_matrix(integrations, expected):
    plugins = [Named("Segment.io"), Named("Dest"), Named("Alt", alternatives=["Old Name"])]
    assert {p.name: reaches(p, integrations) for p in plugins} == expected
    assert reaches(Named("enricher", "enrichment"), {"All": False})


@pytest.mark.parametrize("load_integrations, segmentio, webhook", [
    ({}, True, True),
    ({"All": False}, False, False),
    ({"All": False, "Segment.io": True}, True, False),
    ({"All": False, "Webhook": True, "Segment.io": True}, True, True),
    ({"Webhook": False}, True, False),
    ({"Segment.io": False}, False, True),
])
def test_load_options_decide_which_destinations_load(load_integrations, segmentio, webhook):
    assert loads_at_start("Segment.io", load_integrations) is segmentio
    assert loads_at_start("Webhook", load_integrations) is webhook


def test_plugins_are_checked_at_the_door():
    class Good:
        name, type, version = "Good", "utility", "1"

        def load(self):
            pass

        def is_loaded(self):
            return True

    assert isinstance(validated(Good), Good)  # a class is instantiated
    for bad, reason in [(object(), "non-empty string name"), (Named("X", "middle"), "has type 'middle'"),
                        (Named("X", "before"), r"has no load\(\) method")]:
        with pytest.raises(ValidationError, match=reason):
            validated(bad)


def test_register_refuses_a_bad_plugin_with_one_console_error():
    analytics, console = make_analytics()
    assert analytics.register(Named("X", "sideways")) is None
    (error,) = console.errors()
    assert "register: plugin 'X' has type 'sideways'" in error


def test_ready_waits_for_destinations_but_not_for_one_that_fails_or_never_loads(monkeypatch):
    monkeypatch.setattr("analytics_py.core.pipeline.LOAD_TIMEOUT_S", 0.2)

    async def never():
        await asyncio.Event().wait()

    async def broken():
        raise RuntimeError("bad api key")

    async def scenario():
        analytics, console = make_analytics()
        fired = []
        analytics.ready(lambda: fired.append("ready"))
        journal = []
        await attach(analytics, console, Recorder("Never", "destination", journal, load=never),
                     Recorder("Broken", "destination", journal, load=broken))
        loop = asyncio.get_running_loop()
        start = loop.time()
        analytics.track("After load")
        while not fired:
            await asyncio.sleep(0.01)
        waited = loop.time() - start
        await analytics.dispatcher.settle()
        return fired, waited, journal, console, [p.name for p in analytics.pipeline.plugins]

    fired, waited, journal, console, names = run_async(scenario())
    assert fired == ["ready"] and 0.15 <= waited < 1.0
    assert journal == [] and names == ["Never", "Segment.io"]  # the broken one was removed
    warnings = [text for level, text in console.lines if level == "warn"]
    assert any("'Broken' failed to load and was removed" in w for w in warnings)
    assert any("'Never' has not loaded after" in w for w in warnings)


def test_source_middleware_edits_or_drops_and_next_without_payload_keeps_the_event():
    def tag(payload, next, integrations):
        payload.obj["properties"]["tagged"] = sorted(integrations)
        next(payload)

    def drop_secret(payload, next):
        if payload.event() != "Secret":
            next()

    def calls(analytics):
        analytics.add_source_middleware(tag)
        analytics.add_source_middleware(drop_secret)
        analytics.track("Open", {})
        analytics.track("Secret", {})

    _, console, transport, _ = run_with(Recorder("Dest", "destination", []), calls=calls)
    (body,) = sent_bodies(transport)
    assert body["event"] == "Open" and body["properties"]["tagged"] == ["Dest", "Segment.io"]


def test_destination_middleware_applies_per_destination_and_never_to_segmentio():
    journal = []

    def rename(payload, integration, next):
        payload.obj["event"] = f"{payload.obj['event']} for {integration}"
        next(payload)

    def drop_all(payload, next):
        next(None)

    def forget_next(payload):
        pass

    def calls(analytics):
        analytics.add_destination_middleware("A", rename)
        analytics.add_destination_middleware("B", [drop_all])
        analytics.add_destination_middleware("C", forget_next)
        analytics.add_destination_middleware("Segment.io", drop_all)
        analytics.track("Bought", {})

    dests = [Recorder(name, "destination", journal) for name in "ABC"]
    _, _, transport, _ = run_with(*dests, calls=calls)
    assert [(name, event) for name, event, _ in journal] == [("A", "Bought for A")]
    assert [b["event"] for b in sent_bodies(transport)] == ["Bought"]


def test_a_held_message_whose_plugins_never_ran_is_run_through_them_by_the_next_page():
    from analytics_py.core.queue import RetryQueue
    from analytics_py.core.stores import MemoryStore
    from .fakes import RecordingConsole

    store, console = MemoryStore(), RecordingConsole()
    clock = [1000.0]

    async def first_page():
        queue = RetryQueue(store, "wk", console, lambda: clock[0], tab_id="first")
        analytics, _ = make_analytics(queue=queue)
        analytics.track("Made before the page died", {})  # the pipeline never opens

    async def next_page():
        queue = RetryQueue(store, "wk", console, lambda: clock[0], tab_id="next")
        queue.load()
        analytics, console2 = make_analytics(queue=queue)
        journal = []
        transport = await attach(analytics, console2, Recorder("enrich", "enrichment", journal,
                                                             edit=lambda c: c.update_event("properties.late", 1)))
        await analytics.dispatcher.settle()
        return journal, sent_bodies(transport), store.keys()

    run_async(first_page())
    clock[0] += 60
    journal, bodies, keys = run_async(next_page())
    assert [event for _, event, _ in journal] == ["Made before the page died"]
    assert [b["properties"] for b in bodies] == [{"late": 1}] and keys == []


def test_an_event_segmentio_does_not_take_leaves_nothing_stored():
    from analytics_py.core.queue import RetryQueue
    from analytics_py.core.stores import MemoryStore
    from .fakes import RecordingConsole

    store = MemoryStore()

    async def scenario():
        queue = RetryQueue(store, "wk", RecordingConsole(), lambda: 1000.0)
        analytics, console = make_analytics(queue=queue)
        await attach(analytics, console)
        analytics.track("Off", {}, {"integrations": {"Segment.io": False}})
        await analytics.dispatcher.settle()

    run_async(scenario())
    assert store.keys() == []
