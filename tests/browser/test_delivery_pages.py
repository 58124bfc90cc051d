"""Delivery across navigation, closed tabs, several tabs, a collector that goes away, batches."""

from __future__ import annotations

import json
import socket

from collector.app import CollectorConfig

from ..conftest import running_collector
from .conftest import wait_for_ready
from .test_delivery import arm


def indices(collector, write_key: str) -> list[int]:
    return sorted(e["properties"]["i"] for e in collector.events(write_key))


def ready_tabs(context, url: str, count: int) -> list:
    """``count`` tabs on ``url``, each with analytics ready."""
    tabs = [context.new_page() for _ in range(count)]
    for tab in tabs:
        tab.goto(url)
        wait_for_ready(tab)
    return tabs


def test_a_track_right_before_navigating_away_is_delivered(page, site, collector, write_key):
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    away = site.page(write_key=write_key + "-elsewhere")
    page.evaluate(f"() => {{ analytics.track('Leaving', {{i: 0}}); location.href = {json.dumps(away)}; }}")
    collector.wait_for(write_key, 1, timeout=30)
    assert indices(collector, write_key) == [0]


def test_events_of_a_closed_tab_arrive_by_the_next_page_load(context, site, collector, write_key):
    url = site.page(write_key=write_key)
    (tab,) = ready_tabs(context, url, 1)
    arm(collector, write_key, 503, 1000)  # nothing gets through before the tab closes
    tab.evaluate("() => { for (let i = 0; i < 20; i++) analytics.track('Then Closed', {i}); }")
    tab.wait_for_function("Object.keys(localStorage).filter(k => k.includes(':queue:')).length === 20")
    tab.close()
    arm(collector, write_key, 503, 0)
    context.new_page().goto(url)
    collector.wait_for(write_key, 20, timeout=60)
    assert indices(collector, write_key) == list(range(20))


def test_an_open_tab_sends_what_a_closed_tab_left_without_a_reload(context, site, collector, write_key):
    staying, leaving = ready_tabs(context, site.page(write_key=write_key), 2)
    arm(collector, write_key, 503, 1000)  # the server is down
    leaving.evaluate("() => { for (let i = 0; i < 10; i++) analytics.track('Orphaned', {i}); }")
    leaving.wait_for_function("Object.keys(localStorage).filter(k => k.includes(':queue:')).length === 10")
    leaving.close(run_before_unload=False)
    arm(collector, write_key, 503, 0)  # the server is back; only the staying tab is left
    collector.wait_for(write_key, 10, timeout=30)
    staying.wait_for_timeout(1000)
    assert indices(collector, write_key) == list(range(10))


def test_two_tabs_share_the_queue_without_loss_or_double_delivery(context, site, collector, write_key):
    first, second = ready_tabs(context, site.page(write_key=write_key), 2)
    network = context.new_cdp_session(first)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions",
                 {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    first.evaluate("() => { for (let i = 0; i < 100; i++) analytics.track('Tab One', {i}); }")
    second.evaluate("() => { for (let i = 100; i < 200; i++) analytics.track('Tab Two', {i}); }")
    first.wait_for_timeout(1000)
    network.send("Network.emulateNetworkConditions",
                 {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    first.evaluate("() => window.dispatchEvent(new Event('online'))")
    collector.wait_for(write_key, 200, timeout=60)
    second.wait_for_timeout(4000)  # a reclaim round of each tab, should either misjudge the other
    assert indices(collector, write_key) == list(range(200))
    assert collector.store.repeats.get(write_key, 0) == 0


def test_events_wait_while_the_collector_is_gone_and_arrive_when_it_is_back(page, site, tmp_path, write_key):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    api = {"integrations": {"Segment.io": {"apiHost": f"127.0.0.1:{port}/v1", "protocol": "http"}}}
    config = CollectorConfig(dist=tmp_path, database=str(tmp_path / "api.sqlite3"))
    page.goto(site.page(write_key=write_key, load_options=api))
    wait_for_ready(page)
    page.evaluate("() => { for (let i = 0; i < 5; i++) analytics.track('Refused Connection', {i}); }")
    page.wait_for_timeout(1500)  # the first attempts meet a closed port
    with running_collector(config, port=port) as api_collector:
        api_collector.wait_for(write_key, 5, timeout=60)
        assert indices(api_collector, write_key) == list(range(5))


def test_batching_sends_groups_to_v1_b(page, site, collector, write_key):
    options = {"integrations": {"Segment.io": {"deliveryStrategy": {"strategy": "batching",
                                                                    "config": {"size": 10, "timeout": 1000}}}}}
    batches: list[int] = []
    page.on("request", lambda r: batches.append(len(json.loads(r.post_data)["batch"]))
            if r.url.endswith("/v1/b") else None)
    page.goto(site.page(write_key=write_key, load_options=options))
    wait_for_ready(page)
    page.evaluate("() => { for (let i = 0; i < 25; i++) analytics.track('Batched', {i}); }")
    collector.wait_for(write_key, 25, timeout=30)
    page.wait_for_timeout(500)
    assert sorted(batches) == [5, 10, 10] and indices(collector, write_key) == list(range(25))


def test_a_large_burst_is_split_below_450_kb(page, site, collector, write_key):
    options = {"integrations": {"Segment.io": {"deliveryStrategy": {"strategy": "batching",
                                                                    "config": {"size": 100, "timeout": 500}}}}}
    sizes: list[int] = []
    page.on("request", lambda r: sizes.append(len(r.post_data.encode())) if r.url.endswith("/v1/b") else None)
    page.goto(site.page(write_key=write_key, load_options=options))
    wait_for_ready(page)
    page.evaluate("() => { for (let i = 0; i < 30; i++) analytics.track('Big', {i, blob: 'x'.repeat(20000)}); }")
    collector.wait_for(write_key, 30, timeout=30)
    page.wait_for_timeout(500)
    assert len(sizes) >= 2 and max(sizes) < 450 * 1024 and sum(sizes) > 600 * 1000


def test_a_tab_closing_mid_flight_loses_nothing(context, site, collector, write_key):
    staying, closing = ready_tabs(context, site.page(write_key=write_key), 2)
    staying.evaluate("() => { for (let i = 0; i < 100; i++) analytics.track('Staying', {i}); }")
    closing.evaluate("() => { for (let i = 100; i < 200; i++) analytics.track('Closing', {i}); }")
    closing.close()  # right away: its requests are in flight, the rest still queued
    collector.wait_for(write_key, 200, timeout=60)
    staying.wait_for_timeout(2000)
    assert indices(collector, write_key) == list(range(200))  # stored once each: none lost, none twice


def test_offline_then_a_reload_then_online(context, page, site, collector, write_key):
    url = site.page(write_key=write_key)
    page.goto(url)
    wait_for_ready(page)
    context.set_offline(True)
    page.evaluate("() => { for (let i = 0; i < 10; i++) analytics.track('Offline Reload', {i}); }")
    try:
        page.reload()  # offline: the page itself cannot load
    except Exception:  # noqa: BLE001 - net::ERR_INTERNET_DISCONNECTED is the point
        pass
    context.set_offline(False)
    page.goto(url)
    collector.wait_for(write_key, 10, timeout=60)
    assert indices(collector, write_key) == list(range(10))
