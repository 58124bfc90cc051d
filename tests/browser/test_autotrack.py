"""trackLink and trackForm on real elements, with real clicks and submits."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

from .conftest import JQUERY_TAG, wait_for_ready

LINKS = """
<a id="docs" href="/pages/landed.html">Docs</a>
<a id="blank" href="/pages/landed.html" target="_blank">New tab</a>
<svg><a id="svg" href="/pages/landed.html"><text y="20">svg</text></a></svg>
<span class="many">one</span><span class="many">two</span>
"""
FORM = """
<form id="signup" action="/pages/landed.html" method="get">
  <input name="email" type="email" required value="grace@example.com">
  <button type="submit" name="plan" value="pro">Sign up</button>
</form>
"""


def landing(site) -> None:
    (site.pages_dir / "landed.html").write_text("<!doctype html><title>Landed</title><p>landed</p>")


def test_a_clicked_link_is_tracked_then_followed(page, site, collector, write_key, page_errors):
    landing(site)
    page.goto(site.page(write_key=write_key, body=LINKS))
    wait_for_ready(page)
    for _ in range(2):  # bound twice, tracked once
        page.evaluate("""analytics.trackLink(document.getElementById("docs"), "Clicked Docs", {plan: "Enterprise"})""")
    with page.expect_navigation():
        page.click("#docs")
    assert page.url.endswith("/pages/landed.html")
    (event,) = collector.wait_for(write_key, 1)
    assert (event["event"], event["properties"]) == ("Clicked Docs", {"plan": "Enterprise"})
    page.wait_for_timeout(500)
    assert len(collector.events(write_key)) == 1, "bound twice"
    assert page_errors == []


def test_a_slow_collector_holds_the_link_for_the_timeout_only(page, site, collector, write_key):
    landing(site)
    page.goto(site.page(write_key=write_key, body=LINKS, setup="analytics.timeout(500);"))
    wait_for_ready(page)
    page.evaluate("""analytics.trackLink(document.getElementById("docs"), "Slow Link")""")
    assert collector.post("/_faults", json.dumps({"writeKey": write_key, "count": 1, "delayMs": 5000}).encode())[0] == 200
    started = time.monotonic()
    with page.expect_navigation():
        page.click("#docs")
    held = time.monotonic() - started
    assert 0.45 <= held < 2.5
    collector.wait_for(write_key, 1, timeout=30)


def test_new_tab_clicks_are_left_alone_and_functions_name_the_event(context, page, site, collector, write_key):
    landing(site)
    page.goto(site.page(write_key=write_key, body=LINKS))
    wait_for_ready(page)
    page.evaluate("""() => {
        analytics.trackLink(document.getElementById("blank"), "Opened Elsewhere");
        analytics.trackClick(document.querySelectorAll(".many").length && Array.from(document.querySelectorAll(".many")),
            el => "Clicked " + el.textContent, el => ({text: el.textContent}));
        analytics.trackLink({toArray: () => [document.getElementById("svg")]}, "From A jQuery Object");
    }""")
    with context.expect_page() as new_tab:
        page.click("#blank")
    new_tab.value.close()
    page.click(".many >> nth=1")
    page.click("#docs", modifiers=["Control"])  # not tracked: no trackLink on it
    events = {e["event"]: e for e in collector.wait_for(write_key, 2)}
    assert events["Clicked two"]["properties"] == {"text": "two"}
    assert "Opened Elsewhere" in events
    assert page.url.endswith(".html") and "landed" not in page.url
    with page.expect_navigation():
        page.click("#svg text")
    collector.wait_for(write_key, 1, named="From A jQuery Object")


def test_a_submitted_form_is_tracked_then_submitted_with_its_submitter(page, site, collector, write_key, page_errors):
    landing(site)
    page.goto(site.page(write_key=write_key, body=FORM))
    wait_for_ready(page)
    page.evaluate("""analytics.trackForm(document.getElementById("signup"), "Signed Up",
                                         form => ({email: form.email.value}))""")
    with page.expect_navigation():
        page.click("button[type=submit]")
    query = parse_qs(urlsplit(page.url).query)
    assert urlsplit(page.url).path == "/pages/landed.html"
    assert query == {"email": ["grace@example.com"], "plan": ["pro"]}
    (event,) = collector.wait_for(write_key, 1)
    assert (event["event"], event["properties"]) == ("Signed Up", {"email": "grace@example.com"})
    assert page_errors == []


def test_an_invalid_form_is_not_submitted(page, site, collector, write_key):
    landing(site)
    page.goto(site.page(write_key=write_key, body=FORM))
    wait_for_ready(page)
    page.evaluate("""() => { document.querySelector("[name=email]").value = "";
        analytics.trackForm(document.getElementById("signup"), "Signed Up"); }""")
    page.click("button[type=submit]")
    page.wait_for_timeout(1000)
    assert "landed" not in page.url and collector.events(write_key) == []


def test_track_link_from_python(page, site, collector, write_key):
    landing(site)
    body = LINKS + """
<script type="py">
import js
from analytics_py import analytics
analytics.track_link(js.document.getElementById("docs"), lambda el: "Python " + el.textContent,
                     {"face": "python"})
js.window.pyBound = True
</script>"""
    page.goto(site.page(write_key=write_key, body=body))
    page.wait_for_function("window.pyBound === true", timeout=60_000)
    with page.expect_navigation():
        page.click("#docs")
    (event,) = collector.wait_for(write_key, 1)
    assert (event["event"], event["properties"]) == ("Python Docs", {"face": "python"})


def test_a_jquery_object_binds_and_a_ctrl_click_is_tracked_but_not_held(page, site, collector, write_key, page_errors):
    landing(site)
    page.goto(site.page(write_key=write_key, body=LINKS, head=JQUERY_TAG))
    wait_for_ready(page)
    page.evaluate("""() => {
        analytics.trackLink(jQuery('#docs'), 'Via jQuery', el => ({id: el.id, jquery: jQuery.fn.jquery}));
        analytics.trackLink(jQuery('#docs'), 'Via jQuery');  // bound once, not twice
    }""")
    page.click("#docs", modifiers=["Control"])  # the user asked for a new tab: not prevented, not held
    page.wait_for_timeout(300)
    assert "landed" not in page.url
    with page.expect_navigation():
        page.click("#docs")
    assert page.url.endswith("/pages/landed.html")
    collector.wait_for(write_key, 2, named="Via jQuery")
    page.wait_for_timeout(300)
    assert [e["properties"] for e in collector.events(write_key)] == [{"id": "docs", "jquery": "3.7.1"}] * 2
    assert page_errors == []


def test_tracking_is_removable_and_can_be_bound_again(page, site, collector, write_key, page_errors):
    landing(site)
    page.goto(site.page(write_key=write_key, body=LINKS + FORM))
    wait_for_ready(page)
    page.evaluate("""() => {
        analytics.trackLink(document.getElementById('docs'), 'Removed Link');
        analytics.untrackLink(document.getElementById('docs'));
        analytics.trackForm(document.getElementById('signup'), 'Removed Form');
        analytics.untrackForm([document.getElementById('signup')]);
        analytics.trackForm(document.getElementById('signup'), 'Bound Again');
    }""")
    with page.expect_navigation():
        page.click("#docs")  # plain navigation now: no listener, nothing held
    assert page.url.endswith("/pages/landed.html")
    page.go_back()
    wait_for_ready(page)
    page.evaluate("""() => {
        analytics.trackForm(document.getElementById('signup'), 'Bound Again');
        analytics.untrackForm(document.getElementById('signup'));
        analytics.trackForm(document.getElementById('signup'), 'Bound Again');
    }""")
    with page.expect_navigation():
        page.click("#signup button")
    (event,) = collector.wait_for(write_key, 1)
    page.wait_for_timeout(300)
    assert event["event"] == "Bound Again" and len(collector.events(write_key)) == 1
    assert "plan=pro" in page.url and page_errors == []
