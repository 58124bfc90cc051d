"""utm_* parameters to context.campaign and ad ids to context.referrer, as analytics.js parses them."""

from analytics_py.core.campaign import ad_referrer, campaign


def test_utm_parameters_map_to_campaign_fields():
    search = "?utm_source=news&utm_medium=email&utm_campaign=Big+Sale&utm_term=a%20b&utm_content=x&utm_id=7"
    assert campaign(search) == {"source": "news", "medium": "email", "name": "Big Sale",
                                "term": "a b", "content": "x", "id": "7"}


def test_search_without_utm_gives_an_empty_campaign():
    assert campaign("?page=2") == {}


def test_malformed_escapes_are_kept_raw():
    assert campaign("?utm_source=%E0%A4%A") == {"source": "%E0%A4%A"}


def test_ad_ids_in_the_query_name_the_referrer():
    assert ad_referrer("?q=1&btid=abc%20d") == {"id": "abc%20d", "type": "dataxu"}
    assert ad_referrer("?urid=7?btid=8") == {"id": "7", "type": "millennial-media"}
    assert ad_referrer("btid") == {"type": "dataxu"}
    assert ad_referrer("?utm_source=x") is None and ad_referrer("") is None
