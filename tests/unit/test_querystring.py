"""Reading ajs_* parameters from the search or the hash."""

from analytics_py.core.querystring import QueryCalls, query_calls


def test_every_parameter_is_read_and_decoded():
    calls = query_calls("?ajs_uid=123&ajs_trait_name=Grace+Hopper&ajs_event=Sign%20Up&ajs_prop_plan=Pro&ajs_aid=a1&x=1")
    assert calls == QueryCalls(anonymous_id="a1", user_id="123", traits={"name": "Grace Hopper"},
                               event="Sign Up", properties={"plan": "Pro"})


def test_the_hash_is_read_when_the_search_is_empty():
    assert query_calls("", "#/route?ajs_event=Hashed").event == "Hashed"


def test_nothing_asked_is_falsy():
    assert not query_calls("?utm_source=x&ajs_trait_only=1")
