"""Every documented method through window.analytics, in the browser, against the collector."""

from __future__ import annotations

from .conftest import wait_for_python


def loaded(page, site, write_key, **kwargs):
    page.goto(site.page(write_key=write_key, **kwargs))
    wait_for_python(page)


def test_set_anonymous_id_in_the_snippet_applies_to_the_buffered_page_call(page, site, collector, write_key):
    # The docs' example: load, page, then setAnonymousId, all before Python is up.
    page.goto(site.page(write_key=write_key, page_call=True, setup='analytics.setAnonymousId("ABC-123-XYZ");'))
    (event,) = collector.wait_for(write_key, 1)
    assert event["type"] == "page" and event["anonymousId"] == "ABC-123-XYZ"


def test_anonymous_id_option_and_user_anonymous_id_setter(page, site, collector, write_key):
    loaded(page, site, write_key)
    result = page.evaluate("""() => {
        analytics.track("Email Clicked", {callToAction: "Signup"}, {anonymousId: "ABC-123-XYZ"});
        const fromOption = analytics.user().anonymousId();
        analytics.user().anonymousId("DEF-456");
        analytics.track("After Setter");
        return fromOption;
    }""")
    events = collector.wait_for(write_key, 2)
    assert result == "ABC-123-XYZ"
    assert {e["event"]: e["anonymousId"] for e in events} == {"Email Clicked": "ABC-123-XYZ",
                                                             "After Setter": "DEF-456"}


def test_on_once_off_receive_the_documented_arguments(page, site, collector, write_key):
    loaded(page, site, write_key)
    seen = page.evaluate("""() => {
        const seen = [];
        const onTrack = (event, properties, options) => seen.push(["track", event, properties, options]);
        analytics.on("track", onTrack);
        analytics.once("page", (category, name, properties, options) => seen.push(["page", category, name, properties.name]));
        analytics.on("identify", (id, traits) => seen.push(["identify", id, traits]));
        analytics.on("reset", () => seen.push(["reset"]));
        analytics.track("Clicked", {plan: "Pro"}, {context: {ip: "0.0.0.0"}});
        analytics.page("Docs", "Home");
        analytics.page("Docs", "Twice");
        analytics.identify("u-1", {name: "Grace"});
        analytics.reset();
        analytics.off("track", onTrack);
        analytics.track("Not Heard");
        return seen;
    }""")
    assert seen == [
        ["track", "Clicked", {"plan": "Pro"}, {"context": {"ip": "0.0.0.0"}}],
        ["page", "Docs", "Home", "Home"],
        ["identify", "u-1", {"name": "Grace"}],
        ["reset"],
    ]
    collector.wait_for(write_key, 5)


def test_track_returns_a_promise_and_callbacks_wait_for_the_timeout(page, site, collector, write_key):
    loaded(page, site, write_key)
    result = page.evaluate("""async () => {
        analytics.timeout(500);
        const start = performance.now();
        let calledAfter = null;
        const done = new Promise(resolve => analytics.track("With Callback", {}, {}, () => {
            calledAfter = performance.now() - start; resolve();
        }));
        const context = await analytics.track("Awaited");
        await done;
        return {event: context.event.event, delivered: context.delivered, calledAfter};
    }""")
    assert result["event"] == "Awaited" and result["delivered"] is True
    assert 500 <= result["calledAfter"] < 1500
    collector.wait_for(write_key, 2)


def test_traits_clear_reset_and_group_object(page, site, collector, write_key):
    loaded(page, site, write_key)
    state = page.evaluate("""() => {
        analytics.identify("u-1", {plan: "Pro"});
        analytics.group("g-1", {size: 3});
        const before = {user: analytics.user().traits(), group: analytics.group().traits(),
                        groupId: analytics.group().id()};
        analytics.user().traits({});
        const cleared = analytics.user().traits();
        const anon = analytics.user().anonymousId();
        analytics.reset();
        return {before, cleared, anonChanged: analytics.user().anonymousId() !== anon,
                after: {id: analytics.user().id(), groupId: analytics.group().id(),
                        groupTraits: analytics.group().traits()},
                storage: [localStorage.getItem("ajs_user_id"), localStorage.getItem("ajs_group_id")]};
    }""")
    assert state["before"] == {"user": {"plan": "Pro"}, "group": {"size": 3}, "groupId": "g-1"}
    assert state["cleared"] == {} and state["anonChanged"] is True
    assert state["after"] == {"id": None, "groupId": None, "groupTraits": {}}
    assert state["storage"] == [None, None]
    group_event = next(e for e in collector.wait_for(write_key, 2) if e["type"] == "group")
    assert (group_event["groupId"], group_event["traits"]) == ("g-1", {"size": 3})


def test_pageview_and_screen(page, site, collector, write_key):
    loaded(page, site, write_key)
    page.evaluate("() => { analytics.pageview('/virtual/path'); analytics.screen('Home Screen', {a: 1}); }")
    events = {e["type"]: e for e in collector.wait_for(write_key, 2)}
    assert events["page"]["properties"]["path"] == "/virtual/path"
    assert (events["screen"]["name"], events["screen"]["properties"]["a"]) == ("Home Screen", 1)


def test_debug_logs_each_event_and_stops(page, site, collector, write_key, console_lines):
    loaded(page, site, write_key)
    page.evaluate("async () => { analytics.debug(); await analytics.track('Logged'); "
                  "analytics.debug(false); await analytics.track('Quiet'); }")
    logs = [line for line in console_lines if line.startswith("log: analytics_py")]
    assert len(logs) == 2 and "dispatching track" in logs[0] and "delivered" in logs[1]
    assert all("Quiet" not in line for line in logs)


def test_query_string_api(page, site, collector, write_key):
    url = site.page(write_key=write_key)
    page.goto(url + "?ajs_uid=q-user&ajs_trait_plan=Pro&ajs_event=Clicked+Email&ajs_prop_emailCampaign=First%20Touch&ajs_aid=q-anon")
    events = {e["type"]: e for e in collector.wait_for(write_key, 2)}
    identify, track = events["identify"], events["track"]
    assert (identify["userId"], identify["traits"], identify["anonymousId"]) == ("q-user", {"plan": "Pro"}, "q-anon")
    assert (track["event"], track["properties"], track["userId"]) == (
        "Clicked Email", {"emailCampaign": "First Touch"}, "q-user")


def test_values_that_json_cannot_hold(page, site, collector, write_key, page_errors, console_lines):
    loaded(page, site, write_key)
    page.evaluate("""() => {
        const cyclic = {name: "loop", when: new Date(Date.UTC(2026, 0, 2))}; cyclic.self = cyclic;
        analytics.track("Cyclic", cyclic);
        analytics.track("BigInt", {big: 12n, fine: 1});
        analytics.track("Typed", {when: new Date(Date.UTC(2026, 0, 2)), nothing: undefined,
                                  empty: null, nan: NaN, fn: () => 1, big: 1e21});
    }""")
    events = {e["event"]: e for e in collector.wait_for(write_key, 3)}
    assert page_errors == []
    # JSON.stringify's own rules, as analytics.js sends them: undefined and functions vanish.
    assert events["Typed"]["properties"] == {"when": "2026-01-02T00:00:00.000Z", "empty": None,
                                             "nan": None, "big": 1e21}
    # What JSON.stringify refuses is nulled, with a warning, and the rest is still sent.
    assert events["Cyclic"]["properties"] == {"name": "loop", "when": "2026-01-02T00:00:00.000Z",
                                              "self": None}
    assert events["BigInt"]["properties"] == {"big": 12, "fine": 1}
    assert any("track: value.self refers back to itself" in line for line in console_lines)
