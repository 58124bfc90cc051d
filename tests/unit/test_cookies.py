"""Cookie text compatible with js-cookie (analytics.js) and the top-level-domain candidates."""

import pytest

from analytics_py.core import cookies


def test_values_round_trip_and_keep_safe_characters_readable():
    for value in ["39ee7ea5-b6d8-4174-b612-04e1ef3fa952", "grace@usnavy.gov", '{"a":1}', "a b;c,d", "ü"]:
        assert cookies.decode_value(cookies.encode_value(value)) == value
    assert cookies.encode_value("grace@usnavy.gov") == "grace@usnavy.gov"
    assert ";" not in cookies.encode_value("a;b")


def test_parse_reads_analytics_js_cookies():
    header = 'ajs_anonymous_id=%2239ee7ea5%22; ajs_user_id=123; other="quoted"'
    assert cookies.parse(header) == {"ajs_anonymous_id": '"39ee7ea5"', "ajs_user_id": "123",
                                     "other": "quoted"}


def test_format_has_the_analytics_js_attributes():
    text = cookies.format_cookie("ajs_user_id", "u1", max_age_days=365, domain="example.test")
    assert text == "ajs_user_id=u1; max-age=31536000; domain=example.test; path=/; samesite=Lax"


def test_names_are_encoded_as_js_cookie_encodes_them():
    text = cookies.format_cookie("s:context.referrer", '{"id":"1"}', max_age_days=365, domain=None)
    assert text.startswith("s%3Acontext.referrer=") and cookies.encode_name("ajs_user_id") == "ajs_user_id"
    assert cookies.encode_name("a(b)") == "a%28b%29"
    assert cookies.parse("s%3Acontext.referrer=1") == {"s:context.referrer": "1"}


@pytest.mark.parametrize("host, expected", [
    ("www.shop.example.test", ["example.test", "shop.example.test", "www.shop.example.test"]),
    ("a.b.example.co.uk", ["co.uk", "example.co.uk", "b.example.co.uk", "a.b.example.co.uk"]),
    ("example.test", ["example.test"]),
    ("localhost", []),
    ("127.0.0.1", []),
    ("[::1]", []),
])
def test_domain_candidates_shortest_first(host, expected):
    assert cookies.domain_candidates(host) == expected
