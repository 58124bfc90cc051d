"""utm_* parameters to context.campaign, as analytics.js parses them."""

from analytics_py.core.campaign import campaign


def test_utm_parameters_map_to_campaign_fields():
    search = "?utm_source=news&utm_medium=email&utm_campaign=Big+Sale&utm_term=a%20b&utm_content=x&utm_id=7"
    assert campaign(search) == {"source": "news", "medium": "email", "name": "Big Sale",
                                "term": "a b", "content": "x", "id": "7"}


def test_search_without_utm_gives_an_empty_campaign():
    assert campaign("?page=2") == {}


def test_malformed_escapes_are_kept_raw():
    assert campaign("?utm_source=%E0%A4%A") == {"source": "%E0%A4%A"}
