"""Segment-spec messages: fields, precedence and page context (behaviour.md section 2)."""

from analytics_py.core.args import resolve_alias, resolve_page, resolve_track, resolve_user
from analytics_py.core.messages import LIBRARY
from analytics_py.core.pagecontext import page_context
from analytics_py.core.stores import MemoryStore

from .factories import PAGE, make_factory

CONTEXT_PAGE = page_context(PAGE)


def test_track_message_has_every_base_field():
    factory = make_factory()
    message = factory.track(resolve_track("Article Completed", {"title": "How to"}), CONTEXT_PAGE)
    assert message == {
        "timestamp": "2026-12-03T12:00:00.123Z",
        "event": "Article Completed",
        "type": "track",
        "properties": {"title": "How to"},
        "context": {"page": dict(CONTEXT_PAGE), "userAgent": "UA/1", "locale": "en-US",
                    "library": LIBRARY, "timezone": "Europe/Paris"},
        "integrations": {},
        "messageId": "ajs-py-1796299200123-uuid-1",
        "anonymousId": "anon-1",
    }


def test_page_defaults_sit_under_given_properties_and_name_and_category_are_added():
    factory = make_factory()
    message = factory.page(resolve_page("Docs", "Pricing", {"title": "My Overridden Title",
                                                           "path": "/pricing/view"}), CONTEXT_PAGE)
    assert message["properties"] == {
        "title": "My Overridden Title", "url": "https://segment.com/pricing",
        "path": "/pricing/view", "referrer": "https://segment.com/warehouses", "search": "",
        "category": "Docs", "name": "Pricing"}
    assert (message["name"], message["category"]) == ("Pricing", "Docs")
    assert message["context"]["page"]["title"] == "My Overridden Title"
    assert message["context"]["page"]["path"] == "/pricing/view"


def test_options_go_to_context_except_top_level_overrides():
    factory = make_factory(load_integrations={"Segment.io": {"apiHost": "x"}, "Mixpanel": False})
    options = {"context": {"ip": "0.0.0.0"}, "traits": {"plan_id": "Paid"}, "userId": "explicit",
               "anonymousId": "anon-explicit", "timestamp": "2020-01-01T00:00:00.000Z",
               "messageId": "m-1", "integrations": {"Amplitude": {"session_id": 1}}, "custom": 7}
    factory.user.id("stored-user")
    message = factory.track(resolve_track("X", {}, options), CONTEXT_PAGE)
    assert message["context"]["ip"] == "0.0.0.0"
    assert message["context"]["traits"] == {"plan_id": "Paid"}
    assert message["context"]["custom"] == 7
    assert (message["userId"], message["anonymousId"]) == ("explicit", "anon-explicit")
    assert (message["timestamp"], message["messageId"]) == ("2020-01-01T00:00:00.000Z", "m-1")
    assert message["integrations"] == {"Segment.io": True, "Mixpanel": False,
                                       "Amplitude": {"session_id": 1}}


def test_campaign_comes_from_utm_parameters_of_the_page():
    factory = make_factory()
    page = page_context({**PAGE, "s": "?utm_source=news&utm_campaign=sale"})
    message = factory.track(resolve_track("X"), page)
    assert message["context"]["campaign"] == {"source": "news", "name": "sale"}


def test_an_ad_id_in_the_query_is_the_referrer_and_is_remembered_for_later_pages():
    cookies = MemoryStore()
    factory = make_factory(page_cookies=cookies, ad_memory=cookies)
    ad_page = page_context({**PAGE, "s": "?btid=123"})
    first = factory.track(resolve_track("X", {}, {"context": {"referrer": {"link": "l"}}}), ad_page)
    assert first["context"]["referrer"] == {"link": "l", "id": "123", "type": "dataxu"}
    assert cookies.get("s:context.referrer") == {"id": "123", "type": "dataxu"}
    later = factory.track(resolve_track("Y"), CONTEXT_PAGE)
    assert later["context"]["referrer"] == {"id": "123", "type": "dataxu"}
    forgetful = make_factory(page_cookies=MemoryStore())
    assert forgetful.track(resolve_track("X"), ad_page)["context"]["referrer"] == {"id": "123", "type": "dataxu"}
    assert forgetful.page_cookies is not None and forgetful.page_cookies.get("s:context.referrer") is None
    assert "referrer" not in forgetful.track(resolve_track("Y"), CONTEXT_PAGE)["context"]


def test_an_amp_ga_cookie_is_the_amp_id_and_the_timezone_is_always_the_browsers():
    cookies = MemoryStore()
    cookies.set("_ga", "amp-abc123")
    message = make_factory(page_cookies=cookies).track(
        resolve_track("X", {}, {"context": {"timezone": "Mars/Olympus"}}), CONTEXT_PAGE)
    assert message["context"]["amp"] == {"id": "amp-abc123"}
    assert message["context"]["timezone"] == "Europe/Paris"
    cookies.set("_ga", "GA1.1.123.456")
    assert "amp" not in make_factory(page_cookies=cookies).track(resolve_track("X"), CONTEXT_PAGE)["context"]


def test_identify_carries_all_cached_traits_and_the_user_id():
    factory = make_factory()
    factory.user.identify(None, {"nickname": "Amazing Grace"})
    factory.user.identify("12091906-01011992", {"email": "grace@usnavy.gov"})
    message = factory.identify(resolve_user("12091906-01011992"), CONTEXT_PAGE)
    assert message["userId"] == "12091906-01011992"
    assert message["traits"] == {"nickname": "Amazing Grace", "email": "grace@usnavy.gov"}


def test_group_and_alias_messages():
    factory = make_factory()
    factory.group_.identify("UNIVAC Working Group", {"industry": "Technology"})
    group = factory.group(resolve_user("UNIVAC Working Group"), CONTEXT_PAGE)
    assert (group["groupId"], group["traits"]) == ("UNIVAC Working Group", {"industry": "Technology"})
    factory.user.id("old-id")
    alias = factory.alias(resolve_alias("new-id"), CONTEXT_PAGE)
    assert (alias["userId"], alias["previousId"]) == ("new-id", "old-id")


def test_screen_does_not_copy_category_into_properties():
    factory = make_factory()
    message = factory.page(resolve_page("Cat", "Home"), CONTEXT_PAGE, "screen")
    assert message["type"] == "screen" and "category" not in message["properties"]
