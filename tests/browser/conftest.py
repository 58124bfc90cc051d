"""One bundle, one collector and one Chromium per session; each test gets fresh pages of its own."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from collector.app import CollectorConfig

from ..conftest import running_collector
from .chromium import launch_options
from .peer import PEER_BUNDLES, PEER_SNIPPET

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web" / "dist"
JQUERY = ROOT / "web" / "node_modules" / "jquery" / "dist"  # test-only npm dependency
JQUERY_TAG = '<script src="/vendor/jquery/jquery.min.js"></script>'
PAGE_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="icon" href="data:,">{head}
<script>
{snippet}
{setup}
</script></head>
<body>{body}</body></html>
"""


def _build_bundle() -> None:
    spec = importlib.util.spec_from_file_location("project_build", ROOT / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build()


@pytest.fixture(scope="session")
def bundle() -> Path:
    """web/dist, built once per session (build.py test has built it already)."""
    if not os.environ.get("ANALYTICS_PY_BUNDLE_BUILT") or not (DIST / "snippet.min.js").exists():
        _build_bundle()
    return DIST


@pytest.fixture(scope="session")
def pages_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pages")


@pytest.fixture(scope="session")
def collector(bundle, pages_dir, tmp_path_factory):
    database = tmp_path_factory.mktemp("db") / "collector.sqlite3"
    mounts = {"/analytics-next/bundles": PEER_BUNDLES, "/vendor/jquery": JQUERY}
    config = CollectorConfig(dist=bundle, database=str(database), pages=pages_dir, mounts=mounts,
                             faults_enabled=True)
    with running_collector(config) as running:
        yield running


class Site:
    """Writes test pages that embed the built snippet exactly as the README tells a site to."""

    _names = itertools.count(1)

    def __init__(self, collector, pages_dir: Path, snippet: str) -> None:
        self.collector = collector
        self.pages_dir = pages_dir
        self.snippet = snippet
        self.cdn = collector.base_url

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.collector.port}{path}"

    def page(self, *, write_key: str, setup: str = "", body: str = "", head: str = "",
             title: str = "Test page", load_options: dict[str, Any] | None = None,
             host: str = "127.0.0.1", cdn: str | None = None, page_call: bool = False,
             name: str | None = None, peer: bool = False) -> str:
        """A page that pastes the snippet, sets ``_cdn``, loads ``write_key``, then runs ``setup``.

        ``peer`` pastes Segment's analytics.js snippet instead of ours; ``name`` fixes the
        page's file name, so both libraries can be run on the very same URL in turn.
        """
        load = f"analytics._cdn = {json.dumps(cdn or self.cdn)};\n"
        load += f"analytics.load({json.dumps(write_key)}, {json.dumps(load_options or {})});\n"
        if page_call:
            load += "analytics.page();\n"
        name = name or f"page-{next(self._names)}.html"
        html = PAGE_TEMPLATE.format(title=title, head=head, snippet=PEER_SNIPPET if peer else self.snippet,
                                    setup=load + setup, body=body)
        (self.pages_dir / name).write_text(html)
        return self.url(f"/pages/{name}", host)


@pytest.fixture(scope="session")
def site(collector, pages_dir, bundle) -> Site:
    return Site(collector, pages_dir, (bundle / "snippet.min.js").read_text().strip())


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium where it is installed (no download here), else Playwright's own."""
    args = {**browser_type_launch_args, **launch_options()}
    if "executable_path" not in args and shutil.which("chromium") is None and os.environ.get("CI"):
        pytest.exit("CI needs Chromium: apt-get install -y chromium", returncode=3)
    return args


@pytest.fixture
def page_errors(page) -> list[str]:
    """Uncaught errors on the page; tests assert it stays empty."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def console_lines(page) -> list[str]:
    lines: list[str] = []
    page.on("console", lambda message: lines.append(f"{message.type}: {message.text}"))
    return lines


def wait_for_python(page, timeout: float = 60_000) -> None:
    """Until Python has replaced the snippet's stub with the real ``window.analytics``."""
    page.wait_for_function("window.analytics && window.analytics.initialized === true", timeout=timeout)


@pytest.fixture
def write_key(request) -> str:
    """A write key of this test's own, so its events never mix with another test's."""
    return "wk-" + "".join(c if c.isalnum() else "-" for c in request.node.name)[:80]


def wait_for_ready(page) -> None:
    """Until ``analytics.ready`` has fired: the settings are in and delivery has started."""
    wait_for_python(page)
    page.evaluate("() => new Promise(resolve => analytics.ready(resolve))")
