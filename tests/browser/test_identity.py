"""Identity in real cookies and localStorage: subdomains, the real analytics.js, broken storage."""

from __future__ import annotations

import time

import pytest

from .conftest import wait_for_python, wait_for_ready

READ_STORAGE = """() => ({
    anonymousId: localStorage.getItem("ajs_anonymous_id"),
    userId: localStorage.getItem("ajs_user_id"),
    traits: localStorage.getItem("ajs_user_traits"),
    cookie: document.cookie,
})"""


def cookie_named(context, name: str) -> dict:
    (cookie,) = [c for c in context.cookies() if c["name"] == name]
    return cookie


def test_subdomains_share_one_anonymous_id_through_the_top_level_cookie(
        context, page, site, collector, write_key):
    page.goto(site.page(write_key=write_key, host="www.shop.example.test", setup='analytics.track("On Shop");'))
    shop_event = collector.wait_for(write_key, 1)[0]
    cookie = cookie_named(context, "ajs_anonymous_id")
    assert (cookie["domain"], cookie["path"], cookie["sameSite"]) == (".example.test", "/", "Lax")
    assert cookie["value"] == shop_event["anonymousId"]
    assert 364 * 86400 < cookie["expires"] - time.time() <= 365 * 86400
    assert [c["name"] for c in context.cookies() if c["name"] == "__tld__"] == []
    # The blog had minted an id of its own before (analytics.js's subdomain drift): the cookie wins.
    blog = site.page(write_key=write_key, host="blog.example.test", setup='analytics.track("On Blog");')
    page.goto(blog.replace("/pages/", "/pages/missing-"))
    page.evaluate('() => localStorage.setItem("ajs_anonymous_id", JSON.stringify("drifted-blog-id"))')
    page.goto(blog)
    blog_event = next(e for e in collector.wait_for(write_key, 1, named="On Blog") if e["event"] == "On Blog")
    assert blog_event["anonymousId"] == shop_event["anonymousId"]
    assert page.evaluate(READ_STORAGE)["anonymousId"] == f'"{shop_event["anonymousId"]}"'


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_ip_and_localhost_get_host_only_cookies(context, page, site, collector, write_key, host):
    page.goto(site.page(write_key=write_key, host=host, setup='analytics.track("Host Only");'))
    collector.wait_for(write_key, 1)
    assert cookie_named(context, "ajs_anonymous_id")["domain"] == host


def test_identity_written_by_analytics_js_is_read_by_analytics_py(page, site, collector, write_key):
    peer_key, our_key = write_key + "-ajs", write_key + "-py"
    page.goto(site.page(write_key=peer_key, peer=True, host="shop.example.test",
                        setup='analytics.identify("grace", {plan: "Pro", email: "grace@example.com"});'))
    peer_identify = collector.wait_for(peer_key, 1)[0]
    page.goto(site.page(write_key=our_key, host="shop.example.test", setup='analytics.track("Next Page");'))
    ours = collector.wait_for(our_key, 1)[0]
    wait_for_python(page)
    assert (ours["anonymousId"], ours["userId"]) == (peer_identify["anonymousId"], "grace")
    assert page.evaluate("analytics.user().traits()") == {"plan": "Pro", "email": "grace@example.com"}




def test_the_ad_referrer_cookie_is_shared_with_analytics_js_both_ways(page, site, collector, write_key):
    """An ad click id (``?btid=``) becomes ``context.referrer`` and is remembered in the
    ``s:context.referrer`` cookie; the next page, by either library, still sends it."""
    ad = {"id": "ad-from-peer", "type": "dataxu"}
    peer_key, our_key = write_key + "-ajs", write_key + "-py"
    page.goto(site.page(write_key=peer_key, peer=True, host="shop.example.test",
                        setup='analytics.track("Landed");') + "?btid=ad-from-peer")
    assert collector.wait_for(peer_key, 1)[0]["context"]["referrer"] == ad
    page.goto(site.page(write_key=our_key, host="shop.example.test", setup='analytics.track("Next Page");'))
    assert collector.wait_for(our_key, 1)[0]["context"]["referrer"] == ad
    page.goto(site.page(write_key=our_key, host="shop.example.test", setup='analytics.track("Our Ad");')
              + "?urid=ad-from-us")
    ours = collector.wait_for(our_key, 1, named="Our Ad")
    assert [e["context"]["referrer"] for e in ours if e["event"] == "Our Ad"] \
        == [{"id": "ad-from-us", "type": "millennial-media"}]
    page.goto(site.page(write_key=peer_key, peer=True, host="shop.example.test",
                        setup='analytics.track("Back On The Peer");'))
    back = [e for e in collector.wait_for(peer_key, 2) if e["event"] == "Back On The Peer"]
    assert back[0]["context"]["referrer"] == {"id": "ad-from-us", "type": "millennial-media"}
    names = [c["name"] for c in page.context.cookies() if "context.referrer" in c["name"]]
    assert names == ["s%3Acontext.referrer"]

def test_each_call_reads_the_cookies_as_they_are_when_it_is_made(page, site, collector, write_key, page_errors):
    """The face takes the cookie string as a call comes in (the snippet's entry): a cookie the
    page changes between two calls in one task, and the cookie a call writes itself, are seen.
    ("Before" had no userId yet: Segment.io fills it at send time, after identify, as analytics.js does.)"""
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    seen = page.evaluate("""() => {
        analytics.track("Before");
        document.cookie = "ajs_user_id=set-by-the-page; path=/";
        analytics.track("After The Page");
        analytics.identify("set-by-identify");
        analytics.track("After Identify");
        return [analytics.user().id(), localStorage.getItem("ajs_user_id")];
    }""")
    events = {e.get("event", e["type"]): e for e in collector.wait_for(write_key, 4)}
    assert [events[name].get("userId") for name in ("Before", "After The Page", "identify", "After Identify")] \
        == ["set-by-identify", "set-by-the-page", "set-by-identify", "set-by-identify"]
    assert seen == ["set-by-identify", '"set-by-identify"']
    assert page_errors == []

def test_identity_written_by_analytics_py_is_read_by_analytics_js(page, site, collector, write_key):
    peer_key, our_key = write_key + "-ajs", write_key + "-py"
    page.goto(site.page(write_key=our_key, host="shop.example.test",
                        setup='analytics.identify("hopper", {plan: "Team"}); analytics.group("navy", {size: 9});'))
    ours = {e["type"]: e for e in collector.wait_for(our_key, 2)}
    page.goto(site.page(write_key=peer_key, peer=True, host="shop.example.test",
                        setup='analytics.track("Next Page"); analytics.ready(function () {'
                              ' window.peerState = {traits: analytics.user().traits(),'
                              ' group: analytics.group().id(), groupTraits: analytics.group().traits()}; });'))
    peer = collector.wait_for(peer_key, 1)[0]
    page.wait_for_function("window.peerState !== undefined")
    assert (peer["anonymousId"], peer["userId"]) == (ours["identify"]["anonymousId"], "hopper")
    assert page.evaluate("window.peerState") == {"traits": {"plan": "Team"}, "group": "navy",
                                                 "groupTraits": {"size": 9}}


def test_ids_survive_reloads_tabs_and_the_loss_of_either_store(context, page, site, collector, write_key):
    url = site.page(write_key=write_key, setup='analytics.track("Visit");')
    page.goto(url)
    anonymous_id = collector.wait_for(write_key, 1)[0]["anonymousId"]
    tab = context.new_page()
    tab.goto(url)                                    # a new tab
    collector.wait_for(write_key, 2)
    tab.close()
    context.clear_cookies()                          # the cookie expired (ITP), localStorage kept
    page.goto(url)
    collector.wait_for(write_key, 3)
    assert "ajs_anonymous_id=" + anonymous_id in page.evaluate("document.cookie")
    page.evaluate("() => localStorage.clear()")       # localStorage cleared, the cookie kept
    page.goto(url)
    visits = collector.wait_for(write_key, 4)
    assert {e["anonymousId"] for e in visits} == {anonymous_id}
    wait_for_python(page)
    assert page.evaluate(READ_STORAGE)["anonymousId"] == f'"{anonymous_id}"'


def test_anonymous_id_and_traits_rules(page, site, collector, write_key):
    page.goto(site.page(write_key=write_key))
    wait_for_python(page)
    state = page.evaluate("""() => {
        const anon = () => analytics.user().anonymousId();
        const first = anon();
        analytics.identify("u1", {a: 1});
        const kept = anon() === first;
        analytics.identify({b: 2});
        const merged = analytics.user().traits();
        analytics.identify("u2", {c: 3});
        return {kept, merged, replaced: analytics.user().traits(), refreshed: anon() !== first};
    }""")
    assert state == {"kept": True, "merged": {"a": 1, "b": 2}, "replaced": {"c": 3}, "refreshed": True}


FAULTS = {
    "localStorage throws on every call": """
        for (const name of ["getItem", "setItem", "removeItem"]) {
          Storage.prototype[name] = function () { throw new DOMException("denied", "SecurityError"); };
        }""",
    "localStorage itself is inaccessible": """
        Object.defineProperty(window, "localStorage", {get() { throw new DOMException("denied", "SecurityError"); }});""",
    "localStorage is full": """
        try { for (let i = 0; i < 1000; i++) localStorage.setItem("filler-" + i, "x".repeat(512 * 1024)); }
        catch (error) { window.storageFull = error.name; }""",
    "localStorage holds corrupt values": """
        localStorage.setItem("ajs_user_traits", "{not json");
        localStorage.setItem("ajs_user_id", "[1, 2");
        localStorage.setItem("ajs_group_properties", "42");""",
    "cookies are disabled": """
        Object.defineProperty(Document.prototype, "cookie", {get() { return ""; }, set(value) {}});""",
    "the cookie setter is removed": """
        Object.defineProperty(Document.prototype, "cookie", {get() { return ""; }, configurable: true});""",
    "Storage.prototype.setItem throws": """
        Storage.prototype.setItem = function () { throw new DOMException("blocked", "QuotaExceededError"); };""",
}


@pytest.mark.parametrize("fault", FAULTS)
def test_broken_storage_never_breaks_tracking(page, site, collector, write_key, page_errors, console_lines, fault):
    page.add_init_script(FAULTS[fault])
    page.goto(site.page(write_key=write_key, setup="""
        analytics.identify("u-fault", {plan: "Pro"});
        analytics.track("Still Sent");
        analytics.group("g-fault");"""))
    events = {e["type"]: e for e in collector.wait_for(write_key, 3)}
    wait_for_python(page)
    assert events["track"]["userId"] == "u-fault" and events["track"]["anonymousId"]
    assert events["identify"]["traits"] == {"plan": "Pro"}
    assert page.evaluate("analytics.user().id()") == "u-fault"
    assert page_errors == []
    warnings = [line for line in console_lines if "is unavailable" in line]
    assert len(warnings) <= 1, warnings


def test_reset_clears_only_what_analytics_wrote(context, page, site, collector, write_key):
    page.goto(site.page(write_key=write_key, setup="""
        localStorage.setItem("site_pref", "dark"); document.cookie = "site_session=abc; path=/";
        analytics.identify("u-reset", {plan: "Pro"}); analytics.group("g-reset", {size: 2});"""))
    collector.wait_for(write_key, 2)
    wait_for_python(page)
    page.evaluate("analytics.reset()")
    stored = page.evaluate("""() => Object.keys(localStorage).filter(k => !k.startsWith("analytics_py:")).sort()""")
    assert stored == ["site_pref"]  # the analytics_py: keys are the delivery queue, not identity
    names = sorted(c["name"] for c in context.cookies())
    assert names == ["site_session"]


@pytest.mark.parametrize("options, cookie_names, storage_keys", [
    ({"user": {"cookie": {"key": "my_uid"}, "localStorage": {"key": "my_traits"}},
      "group": {"cookie": {"key": "my_gid"}}},
     ["ajs_anonymous_id", "my_gid", "my_uid"],
     ["ajs_anonymous_id", "ajs_group_properties", "my_gid", "my_traits", "my_uid"]),
    ({"storage": {"stores": ["cookie"]}}, ["ajs_anonymous_id", "ajs_group_id", "ajs_user_id"], []),
    ({"user": {"localStorageFallbackDisabled": True}}, ["ajs_anonymous_id", "ajs_group_id", "ajs_user_id"], []),
    ({"disableClientPersistence": True}, [], []),
    ({"user": {"persist": False}}, [], []),
])
def test_storage_options(context, page, site, collector, write_key, options, cookie_names, storage_keys):
    page.goto(site.page(write_key=write_key, load_options=options, setup="""
        analytics.identify("u-opt", {plan: "Pro"}); analytics.group("g-opt", {size: 1});
        analytics.track("After Options");"""))
    events = {e["type"]: e for e in collector.wait_for(write_key, 3)}
    assert events["track"]["userId"] == "u-opt"
    assert sorted(c["name"] for c in context.cookies()) == cookie_names
    identity_keys = "() => Object.keys(localStorage).filter(k => !k.startsWith('analytics_py:')).sort()"
    assert page.evaluate(identity_keys) == storage_keys


def test_cookie_attribute_options(context, page, site, collector, write_key):
    options = {"cookie": {"maxage": 7, "sameSite": "Strict", "path": "/", "domain": "shop.example.test"}}
    page.goto(site.page(write_key=write_key, host="www.shop.example.test", load_options=options,
                        setup='analytics.track("Cookie Options");'))
    collector.wait_for(write_key, 1)
    cookie = cookie_named(context, "ajs_anonymous_id")
    assert (cookie["domain"], cookie["sameSite"]) == (".shop.example.test", "Strict")
    assert 6 * 86400 < cookie["expires"] - time.time() <= 7 * 86400
