"""The local collector over real HTTP: tracking API, batches, write keys, refusals, settings, CORS."""

from __future__ import annotations

import base64
import http.client
import json
import time
import urllib.error
import urllib.request

import pytest

from collector.app import CollectorConfig
from collector.ingest import MAX_BODY_BYTES

from ..conftest import running_collector


@pytest.fixture(scope="module")
def collector(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text("<!doctype html><title>demo</title>")
    overrides = {"custom-key": {"integrations": {"Webhook": {"url": "http://hook.test/"}}}}
    config = CollectorConfig(dist=dist, database=str(tmp_path_factory.mktemp("db") / "c.sqlite3"),
                             settings_overrides=overrides)
    with running_collector(config) as running:
        yield running


def event(message_id: str, **fields) -> dict:
    return {"type": "track", "event": "Clicked", "messageId": message_id, **fields}


def test_single_events_are_stored_with_the_write_key_from_the_body(collector):
    status, answer = collector.post("/v1/t", json.dumps(event("m-1", writeKey="k1")).encode())
    assert (status, answer["stored"]) == (200, 1)
    assert collector.events("k1")[0]["event"] == "Clicked"


def test_write_key_from_basic_auth_and_text_plain_json(collector):
    auth = "Basic " + base64.b64encode(b"k2:").decode()
    body = json.dumps({"type": "page", "name": "Home", "messageId": "m-2"}).encode()
    status, _ = collector.post("/v1/p", body, {"Content-Type": "text/plain", "Authorization": auth})
    assert status == 200 and collector.events("k2")[0]["name"] == "Home"


def test_a_repeated_message_id_is_stored_once(collector):
    body = json.dumps(event("m-dup", writeKey="k3")).encode()
    assert collector.post("/v1/t", body)[1]["stored"] == 1
    assert collector.post("/v1/t", body)[1]["stored"] == 0
    assert len(collector.events("k3")) == 1
    other_source = json.dumps(event("m-dup", writeKey="k3-other")).encode()
    assert collector.post("/v1/t", other_source)[1]["stored"] == 1


@pytest.mark.parametrize("path", ["/v1/b", "/v1/batch"])
def test_batches_store_every_event(collector, path):
    key = f"k-batch-{path[-1]}"
    batch = {"writeKey": key, "sentAt": "2026-01-01T00:00:00.000Z",
             "batch": [event(f"{key}-{i}") for i in range(3)]}
    status, answer = collector.post(path, json.dumps(batch).encode())
    assert (status, answer["stored"]) == (200, 3)
    assert [e["sentAt"] for e in collector.events(key)] == ["2026-01-01T00:00:00.000Z"] * 3


@pytest.mark.parametrize("body, status, reason", [
    (b"{not json", 400, "malformed JSON"),
    (b"[1, 2]", 400, "JSON object"),
    (json.dumps({"type": "track", "messageId": "m"}).encode(), 401, "no write key"),
    (json.dumps({"type": "track", "writeKey": "k"}).encode(), 400, "messageId"),
    (json.dumps(event("m-page", type="page", writeKey="k")).encode(), 400, "sent to /v1/t"),
    (b"x" * (MAX_BODY_BYTES + 1), 413, "body over"),
])
def test_bad_requests_get_a_json_error(collector, body, status, reason):
    got_status, answer = collector.post("/v1/t", body)
    assert got_status == status and answer["success"] is False and reason in answer["error"]


def test_settings_point_back_at_the_collector_and_merge_overrides(collector):
    with urllib.request.urlopen(f"{collector.base_url}/v1/projects/custom-key/settings") as response:
        settings = json.loads(response.read())
    segment = settings["integrations"]["Segment.io"]
    assert (segment["apiKey"], segment["apiHost"], segment["protocol"]) == (
        "custom-key", f"127.0.0.1:{collector.port}/v1", "http")
    assert settings["integrations"]["Webhook"] == {"url": "http://hook.test/"}


def test_cors_preflight_allows_the_tracking_request(collector):
    request = urllib.request.Request(f"{collector.base_url}/v1/t", method="OPTIONS", headers={
        "Origin": "http://site.example.test", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_static_files_carry_cors_for_a_cdn_setup(collector):
    request = urllib.request.Request(f"{collector.base_url}/index.html",
                                     headers={"Origin": "http://site.example.test"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_events_page_escapes_what_it_shows(collector):
    hostile = event("m-xss", writeKey="k-xss", properties={"html": "<img src=x onerror=alert(1)>"})
    collector.post("/v1/t", json.dumps(hostile).encode())
    with urllib.request.urlopen(f"{collector.base_url}/events") as response:
        page = response.read().decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_fault_switch_is_unreachable_unless_enabled(collector):
    status, _ = collector.post("/_faults", json.dumps({"writeKey": "k", "status": 500, "count": 1}).encode())
    assert status in (404, 405)


def test_armed_faults_answer_the_next_requests_of_one_write_key(tmp_path):
    (tmp_path / "dist").mkdir()
    config = CollectorConfig(dist=tmp_path / "dist", database=str(tmp_path / "f.sqlite3"), faults_enabled=True)
    with running_collector(config) as faulty:
        faulty.post("/_faults", json.dumps({"writeKey": "kf", "status": 429, "count": 2, "retryAfter": 3}).encode())
        body = json.dumps(event("m-f", writeKey="kf")).encode()
        assert [faulty.post("/v1/t", body)[0] for _ in range(3)] == [429, 429, 200]
        assert faulty.post("/v1/t", json.dumps(event("m-g", writeKey="other")).encode())[0] == 200
        faulty.post("/_faults", json.dumps({"writeKey": "kd", "count": 1, "delayMs": 300}).encode())
        started = time.monotonic()
        assert faulty.post("/v1/t", json.dumps(event("m-d", writeKey="kd")).encode())[0] == 200
        assert time.monotonic() - started >= 0.3 and len(faulty.events("kd")) == 1
        faulty.post("/_faults", json.dumps({"writeKey": "kx", "count": 1, "drop": True}).encode())
        with pytest.raises((ConnectionError, urllib.error.URLError, http.client.HTTPException)):
            faulty.post("/v1/t", json.dumps(event("m-x", writeKey="kx")).encode())
        assert faulty.events("kx") == []


def test_webhooks_are_received_and_listed_by_name(collector):
    assert collector.post("/hooks/orders", json.dumps({"event": "Bought"}).encode(),
                          {"Content-Type": "application/json"})[0] == 200
    assert collector.post("/hooks/orders", b"not json")[0] == 400
    with urllib.request.urlopen(collector.base_url + "/hooks/orders.json") as response:
        assert json.loads(response.read()) == [{"event": "Bought"}]
    assert collector.store.hooks("other") == []


def test_settings_can_be_set_delayed_or_failed_only_when_faults_are_enabled(collector, tmp_path):
    assert collector.post("/_settings", json.dumps({"writeKey": "k"}).encode())[0] in (404, 405)
    (tmp_path / "dist").mkdir()
    config = CollectorConfig(dist=tmp_path / "dist", database=str(tmp_path / "s.sqlite3"), faults_enabled=True)
    with running_collector(config) as faulty:
        url = faulty.base_url + "/v1/projects/ks/settings"
        spec = {"writeKey": "ks", "settings": {"integrations": {"Webhook": {"url": "http://h/"}}}, "status": 503}
        assert faulty.post("/_settings", json.dumps(spec).encode())[0] == 200
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(url)
        assert failed.value.code == 503  # once; the next request gets the settings
        with urllib.request.urlopen(url) as response:
            settings = json.loads(response.read())
        assert settings["integrations"]["Webhook"] == {"url": "http://h/"}
        assert "Segment.io" in settings["integrations"]
        faulty.post("/_settings", json.dumps({"writeKey": "ks", "delayMs": 300}).encode())
        started = time.monotonic()
        urllib.request.urlopen(url).close()
        assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize("depth, status", [(60, 200), (65, 400), (100_000, 400)])
def test_json_nested_too_deeply_is_a_400_not_a_crash(collector, depth, status):
    nested = "[" * depth + "]" * depth
    body = '{"type": "track", "event": "Deep", "messageId": "deep-%d", "writeKey": "kd", "properties": {"x": %s}}' % (
        depth, nested)
    code, answer = collector.post("/v1/t", body.encode())
    assert code == status
    if status == 400:
        assert answer == {"success": False, "error": "JSON nested deeper than 64 levels"}


def test_a_write_key_list_refuses_other_keys_and_cors_follows_the_origin_list(tmp_path):
    (tmp_path / "dist").mkdir()
    config = CollectorConfig(dist=tmp_path / "dist", database=str(tmp_path / "k.sqlite3"),
                             write_keys=frozenset({"known"}), allowed_origins=("http://shop.example.test",))
    with running_collector(config) as strict:
        assert strict.post("/v1/t", json.dumps(event("k-1", writeKey="known")).encode())[0] == 200
        status, answer = strict.post("/v1/t", json.dumps(event("k-2", writeKey="stranger")).encode())
        assert (status, answer["error"]) == (401, "unknown write key") and strict.events("stranger") == []
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(strict.base_url + "/v1/projects/stranger/settings")
        assert refused.value.code == 404

        def preflight(origin):
            request = urllib.request.Request(strict.base_url + "/v1/t", method="OPTIONS", headers={
                "Origin": origin, "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type"})
            try:
                with urllib.request.urlopen(request) as response:
                    return response.status, response.headers.get("access-control-allow-origin")
            except urllib.error.HTTPError as error:
                return error.code, error.headers.get("access-control-allow-origin")

        assert preflight("http://shop.example.test") == (200, "http://shop.example.test")
        assert preflight("http://evil.example.test") == (400, None)
