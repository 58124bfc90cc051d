"""The bundle served as a CDN would: precompressed variants by Accept-Encoding, cache headers."""

from __future__ import annotations

import gzip
import http.client

import pytest

from collector.app import CollectorConfig
from collector.static import accepted

from ..conftest import running_collector

SCRIPT = b"console.log('analytics_py');\n" * 200


@pytest.fixture(scope="module")
def collector(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    runtime = dist / "rt" / "0123456789ab"
    runtime.mkdir(parents=True)
    for folder in (dist, runtime):
        (folder / "app.js").write_bytes(SCRIPT)
        (folder / "app.js.br").write_bytes(b"brotli bytes of app.js")  # the server only picks, never decodes
        (folder / "app.js.gz").write_bytes(gzip.compress(SCRIPT))
    (dist / "plain.txt").write_text("no variants")
    config = CollectorConfig(dist=dist, database=str(tmp_path_factory.mktemp("db") / "c.sqlite3"))
    with running_collector(config) as running:
        yield running


def get(collector, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", collector.port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_brotli_is_sent_to_a_client_that_accepts_it(collector):
    status, headers, body = get(collector, "/app.js", **{"Accept-Encoding": "gzip, deflate, br"})
    assert (status, headers["content-encoding"], body) == (200, "br", b"brotli bytes of app.js")
    assert headers["content-type"].startswith("text/javascript")
    assert "Accept-Encoding" in headers["vary"]
    assert int(headers["content-length"]) == len(body)


def test_gzip_when_brotli_is_not_accepted_or_refused_with_q0(collector):
    for accept in ("gzip", "br;q=0, gzip"):
        status, headers, body = get(collector, "/app.js", **{"Accept-Encoding": accept})
        assert (status, headers["content-encoding"]) == (200, "gzip")
        assert gzip.decompress(body) == SCRIPT


def test_the_file_itself_without_accept_encoding(collector):
    status, headers, body = get(collector, "/app.js")
    assert (status, body) == (200, SCRIPT)
    assert "content-encoding" not in headers and "Accept-Encoding" in headers["vary"]
    status, headers, body = get(collector, "/plain.txt", **{"Accept-Encoding": "br"})
    assert (status, body) == (200, b"no variants") and "Accept-Encoding" not in headers.get("vary", "")


def test_the_content_hashed_runtime_is_immutable_and_the_rest_revalidates(collector):
    _, runtime, _ = get(collector, "/rt/0123456789ab/app.js", **{"Accept-Encoding": "br"})
    _, page, _ = get(collector, "/app.js", **{"Accept-Encoding": "br"})
    assert runtime["cache-control"] == "public, max-age=31536000, immutable"
    assert page["cache-control"] == "no-cache"


def test_a_revalidation_of_a_compressed_file_answers_304(collector):
    _, headers, _ = get(collector, "/app.js", **{"Accept-Encoding": "br"})
    status, _, body = get(collector, "/app.js", **{"Accept-Encoding": "br", "If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")
    _, gzipped, _ = get(collector, "/app.js", **{"Accept-Encoding": "gzip"})
    assert gzipped["etag"] != headers["etag"]  # each variant is its own representation


def test_accept_encoding_parsing():
    assert accepted("gzip, deflate, br") == {"gzip", "deflate", "br"}
    assert accepted("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted("") == {""}  # nothing usable: the file itself is sent


def test_a_path_outside_the_folder_is_not_served(collector):
    status, _, _ = get(collector, "/../pyproject.toml")
    assert status == 404
