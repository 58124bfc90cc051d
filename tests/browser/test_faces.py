"""The Python face (PyScript) and the JS face reach one instance and one state."""

from __future__ import annotations

from .conftest import wait_for_python

PYTHON_PAGE_SCRIPT = """
<script type="py">
from analytics_py import analytics
import js

analytics.identify("py-user", {"source": "python"})
analytics.track("From Python", {"face": "python"}, options={"context": {"ip": "0.0.0.0"}})
js.window.pythonSawAnonymousId = analytics.user().anonymous_id()
</script>
"""


def test_python_and_javascript_calls_land_with_one_identity(page, site, collector, write_key, page_errors):
    page.goto(site.page(write_key=write_key, body=PYTHON_PAGE_SCRIPT))
    wait_for_python(page)
    page.wait_for_function("window.pythonSawAnonymousId !== undefined", timeout=60_000)
    js_user = page.evaluate("""() => {
        analytics.track("From JavaScript", {face: "js"});
        const user = analytics.user();
        return {id: user.id(), anonymousId: user.anonymousId(), traits: user.traits()};
    }""")
    events = {e.get("event") or e["type"]: e for e in collector.wait_for(write_key, 3)}
    python_event, js_event = events["From Python"], events["From JavaScript"]
    assert python_event["properties"] == {"face": "python"}
    assert python_event["context"]["ip"] == "0.0.0.0"
    assert js_event["properties"] == {"face": "js"}
    assert python_event["userId"] == js_event["userId"] == "py-user"
    anonymous_ids = {python_event["anonymousId"], js_event["anonymousId"], events["identify"]["anonymousId"]}
    assert anonymous_ids == {js_user["anonymousId"]} == {page.evaluate("window.pythonSawAnonymousId")}
    assert js_user == {"id": "py-user", "anonymousId": js_user["anonymousId"], "traits": {"source": "python"}}
    assert events["identify"]["traits"] == {"source": "python"}
    assert page_errors == []


def test_identity_persists_in_cookie_and_local_storage_across_a_reload(page, site, collector, write_key):
    url = site.page(write_key=write_key, setup='analytics.identify("u-persist", {plan: "Pro"});')
    page.goto(url)
    first = collector.wait_for(write_key, 1)[0]
    stored = page.evaluate("""() => ({
        cookie: document.cookie,
        anonymousId: localStorage.getItem("ajs_anonymous_id"),
        userId: localStorage.getItem("ajs_user_id"),
        traits: localStorage.getItem("ajs_user_traits"),
    })""")
    assert f"ajs_anonymous_id={first['anonymousId']}" in stored["cookie"]
    assert "ajs_user_id=u-persist" in stored["cookie"]
    assert stored["anonymousId"] == f'"{first["anonymousId"]}"' and stored["userId"] == '"u-persist"'
    assert stored["traits"] == '{"plan":"Pro"}'
    page.goto(site.page(write_key=write_key, setup='analytics.track("After Reload");'))
    second = collector.wait_for(write_key, 2)[1]
    assert (second["anonymousId"], second["userId"]) == (first["anonymousId"], "u-persist")
