"""Page context rules: canonical links, hash stripping, and the snippet's capture marker."""

import pytest

from analytics_py.core.pagecontext import is_raw_capture, page_context

RAW = {"__t": "bpc", "c": None, "p": "/pricing", "u": "https://shop.test/pricing?a=1#plans",
       "s": "?a=1", "t": "Pricing", "r": "https://ref.test/"}


def test_without_canonical_the_url_is_href_without_hash():
    assert page_context(RAW) == {"path": "/pricing", "referrer": "https://ref.test/", "search": "?a=1",
                                 "title": "Pricing", "url": "https://shop.test/pricing?a=1"}


@pytest.mark.parametrize("canonical, url, path", [
    ("https://shop.test/canon", "https://shop.test/canon?a=1", "/canon"),
    ("https://shop.test/canon?x=2", "https://shop.test/canon?x=2", "/canon"),
    ("https://shop.test", "https://shop.test?a=1", "/"),
    ("shop.test/bar", "shop.test/bar?a=1", "/shop.test/bar"),
    ("/relative", "/relative?a=1", "/relative"),
])
def test_canonical_link_decides_url_and_path(canonical, url, path):
    context = page_context({**RAW, "c": canonical})
    assert (context["url"], context["path"]) == (url, path)


def test_capture_marker_is_checked_strictly():
    assert is_raw_capture(RAW)
    assert not is_raw_capture({**RAW, "extra": 1})
    assert not is_raw_capture({"__t": "bpc"})
    assert not is_raw_capture({"p": "/", "u": "", "s": "", "t": "", "r": ""})
