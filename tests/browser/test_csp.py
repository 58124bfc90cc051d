"""Strict Content-Security-Policy: the demo served with its policy header, and test pages whose
policy leaves out what the runtime needs, to show exactly what that is."""

from __future__ import annotations

import json
import time

import pytest

from collector.app import CollectorConfig

from ..conftest import running_collector
from .conftest import wait_for_python

WATCH_VIOLATIONS = """
window.violations = [];
document.addEventListener('securitypolicyviolation', e => window.violations.push(
  {directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile}));
"""
STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"
WITH_PYSCRIPT_EVAL = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'"


@pytest.fixture(scope="module")
def demo_server(bundle, tmp_path_factory):
    """The demo exactly as ``build.py serve`` runs it: with the policy build.py wrote."""
    policy = json.loads((bundle / "build.json").read_text())["csp"]
    config = CollectorConfig(dist=bundle, database=str(tmp_path_factory.mktemp("csp") / "c.sqlite3"), csp=policy)
    with running_collector(config) as running:
        yield running, policy


def test_the_demo_works_under_its_policy_header(page, demo_server, page_errors):
    server, policy = demo_server
    assert policy.startswith(STRICT.replace(" 'wasm-unsafe-eval'", "")) and "'unsafe-inline'" not in policy
    page.add_init_script(WATCH_VIOLATIONS)
    response = page.goto(server.base_url + "/")
    assert response.headers["content-security-policy"] == policy
    wait_for_python(page)
    page.click("#track")
    events = server.wait_for("demo-write-key", 1, named="Button Clicked")
    server.wait_for("demo-write-key", 1, named="Demo Loaded")  # the page's own Python, too
    assert {e["type"] for e in events} >= {"page", "track"}
    assert page.evaluate("window.violations") == [] and page_errors == []


def external_page(site, write_key, policy: str) -> str:
    """A page that hosts the snippet as a file (no inline script at all) under ``policy``."""
    name = f"csp-{write_key}"
    (site.pages_dir / f"{name}.js").write_text(
        f"analytics._cdn = {json.dumps(site.cdn)};\nanalytics.load({json.dumps(write_key)});\n"
        "analytics.track('Under A Strict Policy');\n")
    (site.pages_dir / f"{name}.html").write_text(
        f'<!doctype html><html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}"><title>CSP</title>'
        f'<script src="/snippet.min.js"></script><script src="/pages/{name}.js"></script></head>'
        "<body></body></html>")
    return site.url(f"/pages/{name}.html")


def test_with_pyscripts_eval_allowed_a_page_needs_nothing_else(page, site, collector, write_key, page_errors):
    page.add_init_script(WATCH_VIOLATIONS)
    page.goto(external_page(site, write_key, WITH_PYSCRIPT_EVAL))
    collector.wait_for(write_key, 1)
    assert page.evaluate("window.violations") == [] and page_errors == []


def test_without_it_only_pyscripts_own_function_call_is_refused(page, site, collector, write_key):
    page.add_init_script(WATCH_VIOLATIONS)
    page.goto(external_page(site, write_key, STRICT))
    deadline = time.monotonic() + 60  # polled from here: wait_for_function would need the page's eval
    while not page.evaluate("window.violations.length") and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    page.wait_for_timeout(1000)
    violations = page.evaluate("window.violations")
    assert violations
    assert all(v["directive"] == "script-src" and v["blocked"] == "eval" and "/pyscript/core-" in v["source"]
               for v in violations), violations
    # The snippet itself ran under the strict policy and kept the call for when Python is up.
    assert page.evaluate("Array.isArray(window.analytics) && window.analytics.length") == 1
