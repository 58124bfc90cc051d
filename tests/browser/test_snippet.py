"""The embed snippet: calls buffered before Python is up arrive complete and in call order."""

from __future__ import annotations

import re

from .conftest import wait_for_python

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_buffered_calls_are_all_delivered_in_call_order(page, site, collector, write_key, page_errors):
    setup = """
    analytics.track("First", {n: 1});
    analytics.identify("user-1", {plan: "Pro"}, {}, function () {});
    analytics.track("Second", {n: 3});
    analytics.page("Docs", "Home", {n: 4});
    analytics.group("group-1", {size: 5});
    analytics.alias("user-2");
    analytics.screen("Home Screen", {n: 7});
    """
    page.goto(site.page(write_key=write_key, setup=setup))
    events = collector.wait_for(write_key, 7)
    by_kind = {(e["type"], e.get("event") or e.get("name")): e for e in events}
    assert len(events) == 7 and page_errors == []
    first, second = by_kind[("track", "First")], by_kind[("track", "Second")]
    # Ids are completed at send time, as analytics.js does, so even the call before identify
    # carries the userId; the order shows in the timestamps, stamped as each call is replayed.
    assert first["userId"] == second["userId"] == "user-1"
    assert by_kind[("page", "Home")]["userId"] == "user-1"
    assert by_kind[("group", None)]["groupId"] == "group-1"
    alias = by_kind[("alias", None)]
    assert (alias["userId"], alias["previousId"]) == ("user-2", "user-1")
    calls = [first, by_kind[("identify", None)], second, by_kind[("page", "Home")],
             by_kind[("group", None)], alias, by_kind[("screen", "Home Screen")]]
    stamps = [e["timestamp"] for e in calls]
    assert stamps == sorted(stamps), "replayed out of call order"
    assert len({e["anonymousId"] for e in events}) == 1


def test_buffered_calls_keep_the_page_context_of_their_call_time(page, site, collector, write_key):
    setup = """
    analytics.page();
    history.pushState({}, "", "/pages/after-navigation?step=2#top");
    document.title = "After navigation";
    analytics.track("Navigated");
    """
    url = site.page(write_key=write_key, setup=setup, title="Landing")
    page.goto(url)
    events = {e["type"]: e for e in collector.wait_for(write_key, 2)}
    landing, navigated = events["page"], events["track"]
    assert landing["properties"]["url"] == url and landing["properties"]["title"] == "Landing"
    assert landing["context"]["page"]["path"] == url.split(str(site.collector.port))[1]
    assert navigated["context"]["page"] == {
        "path": "/pages/after-navigation", "referrer": "", "search": "?step=2",
        "title": "After navigation", "url": site.url("/pages/after-navigation?step=2")}


def test_messages_carry_the_segment_spec_fields(page, site, collector, write_key):
    head = '<link rel="canonical" href="https://shop.example/canonical-pricing">'
    setup = 'analytics.track("Article Completed", {title: "How to"}, {context: {ip: "0.0.0.0"}});'
    page.goto(site.page(write_key=write_key, setup=setup, head=head) + "?utm_source=news&utm_campaign=sale")
    (event,) = collector.wait_for(write_key, 1)
    assert re.match(r"^ajs-py-\d{13}-[0-9a-f-]{36}$", event["messageId"])
    assert ISO_MS.match(event["timestamp"]) and ISO_MS.match(event["sentAt"])
    assert UUID4.match(event["anonymousId"])
    assert (event["type"], event["event"], event["properties"]) == ("track", "Article Completed", {"title": "How to"})
    assert event["writeKey"] == write_key and event["integrations"] == {}
    context = event["context"]
    assert context["library"] == {"name": "analytics_py", "version": "0.1.0"}
    assert context["page"]["url"] == "https://shop.example/canonical-pricing?utm_source=news&utm_campaign=sale"
    assert context["page"]["path"] == "/canonical-pricing"
    assert context["campaign"] == {"source": "news", "name": "sale"}
    assert context["ip"] == "0.0.0.0"
    assert "Chrome" in context["userAgent"] and context["locale"] and context["timezone"]
    assert event["_metadata"] == {"bundled": ["Segment.io"], "unbundled": [], "bundledIds": []}


def test_calls_after_boot_go_straight_to_python_and_stubs_kept_earlier_forward(
        page, site, collector, write_key, page_errors):
    setup = "window.savedStub = analytics;"
    page.goto(site.page(write_key=write_key, setup=setup))
    wait_for_python(page)
    page.evaluate("""() => {
        analytics.track("Direct");
        window.savedStub.track("Through the old stub");
    }""")
    names = sorted(e["event"] for e in collector.wait_for(write_key, 2))
    assert names == ["Direct", "Through the old stub"] and page_errors == []


def test_a_track_without_a_name_is_a_console_error_not_a_page_error(
        page, site, collector, write_key, page_errors, console_lines):
    page.goto(site.page(write_key=write_key))
    wait_for_python(page)
    page.evaluate("() => { analytics.track(); analytics.track(42); analytics.track('Valid'); }")
    (event,) = collector.wait_for(write_key, 1)
    assert event["event"] == "Valid" and page_errors == []
    assert sum("track: the event name is missing" in line for line in console_lines) == 2


IMPORT_STATISTICS = """<script type="py">
import js
try:
    import statistics
    js.window.stdlibResult = "imported " + str(statistics.median([1, 2, 3]))
except ModuleNotFoundError as error:
    js.window.stdlibResult = str(error)
</script>"""
RUNTIME_FILES = """() => performance.getEntriesByType("resource").map(e => e.name)
  .filter(n => n.includes("/rt/")).map(n => n.split("/").slice(-2).join("/"))"""


def test_the_snippet_fetches_the_trimmed_runtime_once_each_and_boots_without_a_complaint(
        page, site, collector, write_key, page_errors, console_lines):
    page.goto(site.page(write_key=write_key, setup='analytics.track("Trimmed");'))
    collector.wait_for(write_key, 1, named="Trimmed")
    page.wait_for_timeout(3500)  # Chromium warns of a preload left unused a few seconds after load
    fetched = page.evaluate(RUNTIME_FILES)
    assert "pyodide/python_stdlib.zip" in fetched and "pyodide/pyodide.asm.wasm" in fetched
    assert len(fetched) == len(set(fetched)), "a preloaded file was fetched twice"
    assert not [n for n in fetched if "python_stdlib_full" in n or "micropip" in n or "packaging-" in n]
    # Pyodide's package loader, PyScript and our boot all ran on the trimmed standard library.
    assert [line for line in console_lines if line.startswith(("error", "warning"))] == []
    assert page_errors == []


def test_a_page_script_importing_a_left_out_stdlib_module_is_told_how_to_get_it(page, site, collector,
                                                                               write_key):
    page.goto(site.page(write_key=write_key, body=IMPORT_STATISTICS))
    page.wait_for_function("window.stdlibResult !== undefined", timeout=60_000)
    assert page.evaluate("stdlibResult") == (
        "No module named 'statistics': analytics_py loads a trimmed Python standard library; "
        "call analytics.load(writeKey, {pythonStdlib: 'full'}) to have all of it")


def test_load_option_python_stdlib_full_gives_the_whole_standard_library(page, site, collector, write_key,
                                                                        page_errors):
    page.goto(site.page(write_key=write_key, load_options={"pythonStdlib": "full"},
                        setup='analytics.track("Full");', body=IMPORT_STATISTICS))
    collector.wait_for(write_key, 1, named="Full")
    page.wait_for_function("window.stdlibResult !== undefined", timeout=60_000)
    assert page.evaluate("stdlibResult") == "imported 2"
    fetched = page.evaluate(RUNTIME_FILES)
    assert "pyodide/python_stdlib_full.zip" in fetched and "pyodide/python_stdlib.zip" not in fetched
    assert page_errors == []
