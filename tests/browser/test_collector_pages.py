"""The collector's /events page and the demo page, used in the browser as a person would."""

from __future__ import annotations

import json

from .conftest import wait_for_python


def test_events_page_shows_stored_events_and_new_ones_without_a_reload(page, site, collector, write_key):
    page.goto(site.page(write_key=write_key, setup='analytics.track("Shown On Events Page");'))
    collector.wait_for(write_key, 1)
    page.goto(collector.base_url + "/events")
    row = page.locator("#events tbody tr", has_text="Shown On Events Page")
    assert row.count() == 1
    row.locator("summary").click()
    assert json.loads(row.locator("pre").inner_text())["writeKey"] == write_key
    marker = f"{write_key}-live"
    collector.post("/v1/t", json.dumps({"type": "track", "event": "Arrived Later", "messageId": marker,
                                        "writeKey": write_key}).encode())
    page.locator("#events tbody tr", has_text="Arrived Later").wait_for(timeout=10_000)
    assert page.locator("#events tbody tr").first.inner_text().count("Arrived Later") == 1


def test_events_page_runs_no_script_from_event_data(page, collector, write_key):
    hostile = {"type": "track", "event": "<img src=x onerror=\"window.pwned=1\">",
               "messageId": f"{write_key}-xss", "writeKey": write_key,
               "properties": {"html": "<script>window.pwned=2</script>"}}
    collector.post("/v1/t", json.dumps(hostile).encode())
    page.goto(collector.base_url + "/events")
    page.locator("#events tbody tr", has_text="<img src=x").first.wait_for()
    live = {**hostile, "messageId": f"{write_key}-xss-live", "event": "<svg onload=\"window.pwned=3\">"}
    collector.post("/v1/t", json.dumps(live).encode())  # rendered by the page's live update
    page.locator("#events tbody tr", has_text="<svg onload").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    assert page.evaluate("window.pwned") is None


def test_demo_page_buttons_form_and_python_button_reach_the_collector(page, collector, page_errors):
    page.goto(collector.base_url + "/")
    wait_for_python(page)
    page.wait_for_function("document.getElementById('status').textContent.includes('up')")
    page.click("#track")
    page.click("#identify")
    page.click("text=Sign up")
    page.click("#py-track")
    expected = {"Demo Loaded", "Button Clicked", "Signed Up", "Python Button Clicked"}
    events = collector.wait_for("demo-write-key", 1, named="Python Button Clicked")
    assert expected <= {e.get("event") for e in events}
    signed_up = next(e for e in events if e.get("event") == "Signed Up")
    assert signed_up["properties"] == {"plan": "Pro"} and signed_up["userId"] == "user-42"
    page.locator("#received li", has_text="Python Button Clicked").first.wait_for(timeout=10_000)
    assert page_errors == []
