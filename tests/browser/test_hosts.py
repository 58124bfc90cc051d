"""The bundle works from another origin (a CDN) and the page talks to no host but the configured two."""

from __future__ import annotations

from urllib.parse import urlsplit

from .conftest import wait_for_python


def test_snippet_on_another_origin_uses_only_the_bundle_host_and_the_api_host(
        page, site, collector, write_key, page_errors):
    api_host = f"api.example.test:{collector.port}"
    options = {"integrations": {"Segment.io": {"apiHost": f"{api_host}/v1", "protocol": "http"}}}
    url = site.page(write_key=write_key, host="www.shop.example.test", load_options=options,
                    setup='analytics.track("Cross Origin");', page_call=True)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    wait_for_python(page)
    events = collector.wait_for(write_key, 2)
    assert sorted(e["type"] for e in events) == ["page", "track"]
    page.wait_for_timeout(500)  # lets Playwright deliver the request events it has queued
    hosts = {urlsplit(u).netloc for u in requests if u != url}
    bundle_host = f"127.0.0.1:{collector.port}"
    assert hosts == {bundle_host, api_host}, hosts
    api_paths = sorted(urlsplit(u).path for u in requests if urlsplit(u).netloc == api_host)
    assert api_paths == ["/v1/p", "/v1/t"]
    assert f"http://{bundle_host}/v1/projects/{write_key}/settings" in requests
    assert all(u.startswith(("data:", "blob:")) or urlsplit(u).scheme == "http" for u in requests)
    assert page_errors == []
