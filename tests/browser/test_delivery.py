"""Delivery that loses nothing: retries on server errors, offline periods, reloads and crashes.

Each test counts exactly what reached the collector: every event once, none twice.
"""

from __future__ import annotations

import json
import time

from .conftest import wait_for_ready


def arm(collector, write_key: str, status: int | None, count: int, retry_after: int | None = None) -> None:
    spec = {"writeKey": write_key, "status": status, "count": count}
    if retry_after is not None:
        spec["retryAfter"] = retry_after
    assert collector.post("/_faults", json.dumps(spec).encode())[0] == 200


def queued(page) -> int:
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.includes(':queue:')).length")


def test_server_errors_are_retried_until_accepted(page, site, collector, write_key):
    arm(collector, write_key, 500, 3)
    page.goto(site.page(write_key=write_key, setup='analytics.track("Retried");'))
    (event,) = collector.wait_for(write_key, 1, timeout=30)
    assert event["_metadata"]["retryCount"] == 3
    page.wait_for_timeout(300)
    assert queued(page) == 0 and len(collector.events(write_key)) == 1


def test_429_waits_for_retry_after(page, site, collector, write_key):
    arm(collector, write_key, 429, 1, retry_after=2)
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    started = time.monotonic()
    page.evaluate('analytics.track("Rate Limited")')
    collector.wait_for(write_key, 1, timeout=30)
    assert time.monotonic() - started >= 1.9


def test_refused_events_are_dropped_with_a_console_error(page, site, collector, write_key, console_lines):
    arm(collector, write_key, 400, 1)
    page.goto(site.page(write_key=write_key, setup='analytics.track("Refused");'))
    wait_for_ready(page)
    page.wait_for_function("Object.keys(localStorage).every(k => !k.includes(':queue:'))")
    arm(collector, write_key, 501, 1)
    page.evaluate('analytics.track("Not Implemented")')
    page.wait_for_timeout(1500)
    assert collector.events(write_key) == []
    assert sum("dropped (not retried)" in line for line in console_lines) == 2


def test_offline_events_all_arrive_once_back_online(context, page, site, collector, write_key):
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    context.set_offline(True)
    page.evaluate("() => { for (let i = 0; i < 50; i++) analytics.track('Offline ' + i, {i}); }")
    page.wait_for_timeout(500)
    assert queued(page) == 50 and collector.events(write_key) == []
    started = time.monotonic()
    context.set_offline(False)
    collector.wait_for(write_key, 50, timeout=30)
    assert time.monotonic() - started < 4, "delivery waited for a poll instead of the online event"
    page.wait_for_timeout(500)
    assert sorted(e["properties"]["i"] for e in collector.events(write_key)) == list(range(50))
    assert queued(page) == 0


def test_events_queued_on_one_page_are_sent_by_the_next(page, site, collector, write_key):
    arm(collector, write_key, 503, 1000)  # the API is down for now
    url = site.page(write_key=write_key)
    page.goto(url)
    wait_for_ready(page)
    page.evaluate("() => { for (let i = 0; i < 10; i++) analytics.track('Before Reload', {i}); }")
    page.wait_for_function("Object.keys(localStorage).filter(k => k.includes(':queue:')).length === 10")
    arm(collector, write_key, 503, 0)  # the API is back
    page.goto(url)
    collector.wait_for(write_key, 10, timeout=60)
    page.wait_for_timeout(1000)
    assert sorted(e["properties"]["i"] for e in collector.events(write_key)) == list(range(10))


def test_a_crash_loses_nothing_that_was_queued(browser, site, collector, write_key):
    arm(collector, write_key, 503, 1000)
    url = site.page(write_key=write_key)
    first = browser.new_context()
    page = first.new_page()
    page.goto(url)
    wait_for_ready(page)
    page.evaluate("() => { for (let i = 0; i < 10; i++) analytics.track('Before Crash', {i}); }")
    page.wait_for_function("Object.keys(localStorage).filter(k => k.includes(':queue:')).length === 10")
    snapshot = first.storage_state()  # no unload handler ran: storage is the truth at every moment
    first.close()
    arm(collector, write_key, 503, 0)
    second = browser.new_context(storage_state=snapshot)
    try:
        second.new_page().goto(url)
        collector.wait_for(write_key, 10, timeout=60)
    finally:
        second.close()
    assert sorted(e["properties"]["i"] for e in collector.events(write_key)) == list(range(10))


def test_beyond_100_stored_events_the_rest_wait_in_memory_and_all_arrive(
        context, page, site, collector, write_key, console_lines):
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    context.set_offline(True)
    page.evaluate("() => { for (let i = 0; i < 150; i++) analytics.track('Bounded', {i}); }")
    page.wait_for_timeout(500)
    assert queued(page) == 100  # the storage bound; the newest 50 wait in memory
    context.set_offline(False)
    collector.wait_for(write_key, 150, timeout=60)
    page.wait_for_timeout(1000)
    assert sorted(e["properties"]["i"] for e in collector.events(write_key)) == list(range(150))
    assert sum("kept in memory only" in line for line in console_lines) == 1
    assert queued(page) == 0


def test_a_slow_collector_delays_neither_the_callback_nor_delivery(page, site, collector, write_key):
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    spec = {"writeKey": write_key, "count": 1, "delayMs": 3000}
    assert collector.post("/_faults", json.dumps(spec).encode())[0] == 200
    called_after = page.evaluate("""() => new Promise(resolve => {
        const start = performance.now();
        analytics.track("Slow", {}, {}, () => resolve(performance.now() - start));
    })""")
    assert 1000 <= called_after < 2500
    collector.wait_for(write_key, 1, timeout=30)
    page.wait_for_timeout(500)
    assert len(collector.events(write_key)) == 1


def test_a_dropped_connection_is_retried(page, site, collector, write_key):
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    spec = {"writeKey": write_key, "count": 2, "drop": True}
    assert collector.post("/_faults", json.dumps(spec).encode())[0] == 200
    page.evaluate('analytics.track("Dropped Twice")')
    (event,) = collector.wait_for(write_key, 1, timeout=30)
    # Chromium itself silently re-sends a request whose reused connection was reset, so one of
    # the two drops may never reach us as an error; at least one did, and was retried.
    assert event["_metadata"]["retryCount"] >= 1
