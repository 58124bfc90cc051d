"""Hostile page state: a broken fetch, polluted JSON and prototypes, the snippet pasted twice,
load() called twice. Each has a documented behaviour (README, "Guarantees"), checked here."""

from __future__ import annotations

from .conftest import wait_for_python, wait_for_ready


def queued(page) -> int:
    return page.evaluate("Object.keys(localStorage).filter(k => k.includes(':queue:')).length")


def test_a_fetch_the_page_breaks_keeps_events_stored_until_it_works(page, site, collector, write_key, page_errors):
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    page.evaluate("""() => {
        window.realFetch = window.fetch;
        window.fetch = () => 42;  // not even a Promise
        analytics.track('While Fetch Returns Garbage');
    }""")
    page.wait_for_timeout(300)
    page.evaluate("""() => {
        window.fetch = () => { throw new TypeError('blocked by the page'); };
        analytics.track('While Fetch Throws');
    }""")
    page.wait_for_timeout(1500)
    assert collector.events(write_key) == [] and queued(page) == 2
    page.evaluate("window.fetch = window.realFetch")
    events = collector.wait_for(write_key, 2, timeout=30)
    assert sorted(e["event"] for e in events) == ["While Fetch Returns Garbage", "While Fetch Throws"]
    page.wait_for_timeout(300)
    assert queued(page) == 0 and page_errors == []


def test_polluted_json_and_prototypes_do_not_change_what_is_sent(page, site, collector, write_key, page_errors):
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    left = page.evaluate("""() => {
        JSON.stringify = () => '"hijacked"';
        Array.prototype.toJSON = function () { return 'array!'; };
        Array.prototype.extra = function () {};
        Object.prototype.polluted = 'yes';
        analytics.track('Polluted', {list: [1, 2], nested: {a: [3]}});
        const state = [typeof Array.prototype.toJSON, ({}).polluted];
        delete Object.prototype.polluted;
        return state;
    }""")
    (event,) = collector.wait_for(write_key, 1)
    assert event["properties"] == {"list": [1, 2], "nested": {"a": [3]}}
    assert left == ["function", "yes"]  # the page's own changes are left as the page made them
    assert page_errors == []


def test_the_snippet_pasted_twice_boots_once(page, site, collector, write_key, console_lines, page_errors):
    url = site.page(write_key=write_key, setup="analytics.track('Once');")
    path = site.pages_dir / url.rsplit("/", 1)[1]
    html = path.read_text()
    path.write_text(html.replace("</head>", f"<script>{site.snippet}\nanalytics.track('From The Copy');</script></head>"))
    page.goto(url)
    wait_for_python(page)
    events = collector.wait_for(write_key, 2)
    page.wait_for_timeout(500)
    assert sorted(e["event"] for e in collector.events(write_key)) == ["From The Copy", "Once"]
    assert page.evaluate("document.querySelectorAll('script[type=py]').length") == 1
    assert any("snippet included twice" in line for line in console_lines) and page_errors == []
    assert len({e["anonymousId"] for e in events}) == 1


def test_load_called_twice_loads_once_and_says_so(page, site, collector, write_key, console_lines, page_errors):
    page.goto(site.page(write_key=write_key, setup=f"analytics.load('{write_key}'); analytics.track('Loaded');"))
    wait_for_ready(page)
    page.evaluate(f"analytics.load('{write_key}')")
    collector.wait_for(write_key, 1)
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('script[type=py]').length") == 1
    assert sum("load() was already called" in line for line in console_lines) == 2
    assert len(collector.events(write_key)) == 1 and page_errors == []
