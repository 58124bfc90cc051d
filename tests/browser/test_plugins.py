"""Destinations, settings, integrations, plugins, middleware and ready, in the browser.

The Webhook destination posts to the collector's /hooks/<writeKey>, so each test sees both
what Segment.io received and what the Webhook received.
"""

from __future__ import annotations

import json
import time

from .conftest import wait_for_python, wait_for_ready


def configure(collector, write_key, **spec) -> None:
    """Settings (and settings faults) for this test's write key, through the test-only switch."""
    status, answer = collector.post("/_settings", json.dumps({"writeKey": write_key, **spec}).encode())
    assert status == 200, answer


def with_webhook(collector, write_key) -> dict:
    return {"integrations": {"Webhook": {"url": f"{collector.base_url}/hooks/{write_key}"}}}


def wait_for_hooks(collector, name, count, timeout=30.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        received = collector.store.hooks(name)
        if len(received) >= count:
            return received
        time.sleep(0.1)
    raise AssertionError(f"{len(collector.store.hooks(name))} of {count} webhook calls arrived")


def names(events) -> list[str]:
    return sorted(e.get("event") or e.get("type") for e in events)


def test_the_webhook_destination_gets_every_event_segmentio_gets(page, site, collector, write_key, page_errors):
    configure(collector, write_key, settings=with_webhook(collector, write_key))
    page.goto(site.page(write_key=write_key, page_call=True, setup="""
        analytics.identify('hook-user', {plan: 'Pro'});
        analytics.track('Hooked', {n: 1});"""))
    wait_for_ready(page)
    events = collector.wait_for(write_key, 3)
    hooks = wait_for_hooks(collector, write_key, 3)
    assert names(hooks) == names(events) == ["Hooked", "identify", "page"]
    assert {h["messageId"] for h in hooks} == {e["messageId"] for e in events}
    hooked = next(h for h in hooks if h.get("event") == "Hooked")
    assert hooked["properties"] == {"n": 1} and hooked["userId"] == "hook-user"
    assert page_errors == []


def test_per_call_integrations_choose_the_destinations(page, site, collector, write_key):
    configure(collector, write_key, settings=with_webhook(collector, write_key))
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    page.evaluate("""() => {
        analytics.track('Default');
        analytics.track('All Off', {}, {integrations: {All: false}});
        analytics.track('Webhook Off', {}, {integrations: {Webhook: false}});
        analytics.track('Segment Off', {}, {integrations: {'Segment.io': false}});
        analytics.track('Only Webhook Listed', {}, {integrations: {All: false, Webhook: true}});
        analytics.track('Lowercase Is Another Name', {}, {integrations: {webhook: false}});
    }""")
    events = collector.wait_for(write_key, 5)
    hooks = wait_for_hooks(collector, write_key, 4)
    page.wait_for_timeout(500)
    assert names(collector.events(write_key)) == ["All Off", "Default", "Lowercase Is Another Name",
                                                  "Only Webhook Listed", "Webhook Off"]
    assert names(collector.store.hooks(write_key)) == ["Default", "Lowercase Is Another Name",
                                                       "Only Webhook Listed", "Segment Off"]
    assert next(e for e in events if e["event"] == "All Off")["integrations"] == {"All": False}


def test_load_options_decide_which_destinations_load_the_consent_example(browser, site, collector, write_key):
    configure(collector, write_key, settings=with_webhook(collector, write_key))
    consents = {
        "segment-only": {"All": False, "Segment.io": True},
        "both": {"All": False, "Webhook": True, "Segment.io": True},
        "none": {"All": False},
    }
    for label, integrations in consents.items():
        context = browser.new_context()
        page = context.new_page()
        page.goto(site.page(write_key=write_key, load_options={"integrations": integrations},
                            setup=f"analytics.track({json.dumps('Consent ' + label)});"))
        wait_for_ready(page)
        page.wait_for_timeout(700)
        stored = page.evaluate("Object.keys(localStorage).filter(k => k.includes(':queue:')).length")
        assert stored == 0, label  # nothing waits: delivered, or never meant for Segment.io
        context.close()
    wait_for_hooks(collector, write_key, 1)
    assert names(collector.events(write_key)) == ["Consent both", "Consent segment-only"]
    assert names(collector.store.hooks(write_key)) == ["Consent both"]


def test_destination_middleware_shapes_only_the_webhooks_copy(page, site, collector, write_key):
    configure(collector, write_key, settings=with_webhook(collector, write_key))
    page.goto(site.page(write_key=write_key, setup="""
        analytics.addDestinationMiddleware('Webhook', [({payload, integration, next}) => {
          payload.obj.properties.for = integration; next(payload); }]);
        analytics.addDestinationMiddleware('*', ({payload, next}) => {
          next(payload.obj.event === 'Private' ? null : payload); });
        analytics.track('Public', {n: 1});
        analytics.track('Private', {n: 2});"""))
    collector.wait_for(write_key, 2)
    (hook,) = wait_for_hooks(collector, write_key, 1)
    page.wait_for_timeout(500)
    assert hook["event"] == "Public" and hook["properties"] == {"n": 1, "for": "Webhook"}
    assert [e["properties"] for e in collector.events(write_key)] == [{"n": 1}, {"n": 2}]
    assert len(collector.store.hooks(write_key)) == 1


def test_ready_settles_when_a_destination_throws_or_never_loads(page, site, collector, write_key, console_lines):
    page.goto(site.page(write_key=write_key, setup="""
        const destination = (name, load) => ({name, type: 'destination', version: '1.0.0',
          isLoaded: () => false, load, track: ctx => { window.reached.push(name); return ctx; }});
        window.reached = [];
        window.readyAt = null;
        analytics.register(destination('Throws', () => Promise.reject(new Error('expired api key'))));
        analytics.register(destination('Never Loads', () => new Promise(() => {})));
        analytics.ready(() => { window.readyAt = performance.now(); });
        analytics.track('Waits For Nobody');"""))
    wait_for_python(page)
    page.wait_for_function("window.readyAt !== null", timeout=30_000)
    late = page.evaluate("() => { const t = performance.now(); let at = null; "
                         "analytics.ready(() => { at = performance.now() - t; }); return at; }")
    assert late is not None and late < 50  # a late ready(cb) fires at once
    (event,) = collector.wait_for(write_key, 1)
    assert event["event"] == "Waits For Nobody"
    assert page.evaluate("window.reached") == []
    warnings = "\n".join(console_lines)
    assert "'Throws' failed to load and was removed" in warnings
    assert "'Never Loads' has not loaded after 3 s" in warnings


def test_settings_that_fail_or_time_out_fall_back_to_segmentio_only(browser, site, collector, write_key):
    configure(collector, write_key, settings=with_webhook(collector, write_key))
    direct = {"integrations": {"Segment.io": {"apiHost": f"127.0.0.1:{collector.port}/v1", "protocol": "http"}}}
    for fault in ({"status": 503}, {"delayMs": 6_000}):
        configure(collector, write_key, **fault)
        context = browser.new_context()
        page = context.new_page()
        lines: list[str] = []
        page.on("console", lambda message: lines.append(message.text))
        page.goto(site.page(write_key=write_key, load_options=direct,
                            setup=f"analytics.track({json.dumps('Fallback ' + str(fault))});"))
        wait_for_ready(page)
        assert any("settings unavailable" in line and "Segment.io only" in line for line in lines)
        context.close()
    assert len(collector.wait_for(write_key, 2)) == 2
    assert collector.store.hooks(write_key) == []  # the Webhook was in settings that never arrived


def test_register_resolves_and_deregister_unloads(page, site, collector, write_key):
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    result = page.evaluate("""async () => {
        const log = [];
        const plugin = {name: 'Counter', type: 'after', version: '1.0.0', isLoaded: () => true,
          load: async () => { log.push('load'); }, unload: () => { log.push('unload'); },
          track: ctx => { log.push('after ' + ctx.event.event); return ctx; }};
        await analytics.register(plugin);
        await analytics.track('Counted');
        await analytics.deregister('Counter');
        await analytics.track('Not Counted');
        return log;
    }""")
    assert result == ["load", "after Counted", "unload"]
    assert names(collector.wait_for(write_key, 2)) == ["Counted", "Not Counted"]


def test_a_bad_plugin_is_refused_with_one_clear_error(page, site, collector, write_key, console_lines, page_errors):
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    page.evaluate("""() => {
        analytics.register({name: 'No Type'});
        analytics.register(null);
        analytics.addSourceMiddleware('not a function');
        analytics.track('Still Works');
    }""")
    collector.wait_for(write_key, 1)
    errors = [line for line in console_lines if line.startswith("error: analytics_py")]
    assert len(errors) == 3 and "a string name and a type" in errors[0] and "expected a plugin object" in errors[1]
    assert "middleware must be a function" in errors[2] and page_errors == []


PYTHON_PLUGINS = """
<script type="py">
import js
from analytics_py import analytics


class Stamp:
    name, type, version = "Stamp", "enrichment", "1.0.0"

    def load(self, ctx, analytics):
        self.loaded = True

    def is_loaded(self):
        return self.loaded

    async def track(self, ctx):
        ctx.update_event("properties.stamped_by", "python")
        return ctx


def drop_internal(payload, next, integrations):
    if not payload.obj.get("event", "").startswith("Internal"):
        payload.obj["context"]["integrations_seen"] = sorted(integrations)
        next(payload)


def tag_for_webhook(payload, integration, next):
    payload.obj["properties"]["via"] = integration
    next(payload)


analytics.register(Stamp)
analytics.add_source_middleware(drop_internal)
analytics.add_destination_middleware("Webhook", tag_for_webhook)
analytics.track("From Python", {"n": 1})
analytics.track("Internal Only")
analytics.ready(lambda: setattr(js.window, "pyReady", True))
</script>
"""


def test_plugins_and_middleware_from_python(page, site, collector, write_key, page_errors):
    configure(collector, write_key, settings=with_webhook(collector, write_key))
    page.goto(site.page(write_key=write_key, body=PYTHON_PLUGINS))
    page.wait_for_function("window.pyReady === true", timeout=60_000)
    (event,) = collector.wait_for(write_key, 1)
    (hook,) = wait_for_hooks(collector, write_key, 1)
    page.wait_for_timeout(500)
    assert event["event"] == "From Python" and event["properties"] == {"n": 1, "stamped_by": "python"}
    assert event["context"]["integrations_seen"] == ["Segment.io", "Webhook"]
    assert hook["properties"] == {"n": 1, "stamped_by": "python", "via": "Webhook"}
    assert len(collector.events(write_key)) == 1 and page_errors == []
