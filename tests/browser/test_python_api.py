"""Every documented method through the Python face, from a PyScript <script type="py">."""

from __future__ import annotations

import json

PYTHON_CALLS = """
<script type="py">
import json
from datetime import datetime, timezone
from decimal import Decimal

import js
from analytics_py import analytics

heard = []
analytics.debug(True)
analytics.debug(False)
unheard = lambda *args: heard.append("never")
analytics.on("alias", unheard)
analytics.off("alias", unheard)
analytics.on("track", lambda event, properties, options: heard.append(event))
analytics.once("page", lambda *args: heard.append("page:" + str(args[1])))
analytics.ready(lambda: setattr(js.window, "pyReady", True))
analytics.timeout(200)
analytics.identify("py-1", {"plan": "Pro"})
analytics.identify(traits={"email": "py@example.com"})
analytics.track("Py Track", {"at": datetime(2026, 1, 2, tzinfo=timezone.utc), "price": Decimal("9.5")},
                options={"context": {"ip": "0.0.0.0"}},
                callback=lambda: setattr(js.window, "pyCallback", True))
analytics.page("Docs", "Py Page", {"section": "api"})
analytics.page(name="Second Page")
analytics.screen("Py Screen")
analytics.group("py-group", {"size": 2})
analytics.alias("py-2")
analytics.pageview("/py/virtual")
analytics.track()
before_reset = {"id": analytics.user().id(), "traits": analytics.user().traits(),
                "group": analytics.group().id(), "anonymous": analytics.user().anonymous_id()}
analytics.user().traits({})
cleared = analytics.user().traits()
analytics.reset()
analytics.set_anonymous_id("py-anon")
analytics.track("After Reset")
js.window.pyState = json.dumps({"before": before_reset, "cleared": cleared, "heard": heard,
                                "after": {"id": analytics.user().id(),
                                          "anonymous": analytics.user().anonymous_id()}})
</script>
"""


def test_every_method_from_python(page, site, collector, write_key, page_errors, console_lines):
    page.goto(site.page(write_key=write_key, body=PYTHON_CALLS))
    page.wait_for_function("window.pyState && window.pyReady && window.pyCallback", timeout=60_000)
    state = json.loads(page.evaluate("window.pyState"))
    assert state["before"]["id"] == "py-1" and state["before"]["group"] == "py-group"
    assert state["before"]["traits"] == {"plan": "Pro", "email": "py@example.com"}
    assert state["cleared"] == {} and state["heard"] == ["Py Track", "page:Py Page", "After Reset"]
    assert state["after"] == {"id": None, "anonymous": "py-anon"}
    events = collector.wait_for(write_key, 10)
    kinds = [(e["type"], e.get("event") or e.get("name")) for e in events]
    assert sorted(kinds, key=str) == sorted([
        ("identify", None), ("identify", None), ("track", "Py Track"), ("page", "Py Page"),
        ("page", "Second Page"), ("screen", "Py Screen"), ("group", None), ("alias", None),
        ("page", None), ("track", "After Reset")], key=str)
    by_name = {e.get("event") or e.get("name") or e["type"] + str(i): e for i, e in enumerate(events)}
    track = by_name["Py Track"]
    assert track["properties"] == {"at": "2026-01-02T00:00:00.000Z", "price": 9.5}
    assert track["context"]["ip"] == "0.0.0.0" and track["userId"] == "py-1"
    assert by_name["Py Page"]["properties"]["category"] == "Docs"
    assert by_name["Py Page"]["properties"]["section"] == "api"
    alias = next(e for e in events if e["type"] == "alias")
    assert (alias["userId"], alias["previousId"]) == ("py-2", "py-1")
    assert by_name["After Reset"]["anonymousId"] == "py-anon" and by_name["After Reset"]["userId"] is None
    assert any("track: the event name is missing" in line for line in console_lines)
    assert not any(line.startswith("log: analytics_py: dispatching") for line in console_lines)
    assert page_errors == []
