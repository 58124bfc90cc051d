"""Measure analytics_py's boot in Chromium: time to ready, bytes, long tasks; cold and warm.

    python3 build.py measure [--runs N]

Cold: a new browser profile (empty disk cache) per run. Warm: the next load in that profile,
as a returning visitor's. (Playwright's incognito contexts keep only a memory cache, which
refuses Pyodide's 9.6 MB wasm, so they would understate a warm load.)
Prints medians and writes bench/results/boot.json. Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collector.app import CollectorConfig  # noqa: E402
from collector.background import running_collector  # noqa: E402

DIST = ROOT / "web" / "dist"
RESULTS = ROOT / "bench" / "results"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>boot bench</title>
<link rel="icon" href="data:,">
<script>
window.__longTasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { __longTasks.push([e.startTime, e.duration]); });
}).observe({type: "longtask", buffered: true});
</script>
<script>
%s
analytics.load("bench-key");
analytics.ready(function () { window.__readyAt = performance.now(); });
analytics.track("Bench Event");
</script></head><body><p>boot bench</p></body></html>
"""
COLLECT = """() => {
  const resources = performance.getEntriesByType("resource");
  const first = resources.find(e => /\\/v1\\/t$/.test(e.name));
  const nav = performance.getEntriesByType("navigation")[0];
  const before = resources.filter(e => e.responseEnd <= first.startTime);
  const ready = window.__readyAt;
  const tasks = window.__longTasks;
  const upTo = limit => tasks.filter(([start]) => start < limit);
  const blocking = list => list.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0);
  const longest = list => list.reduce((max, [, d]) => Math.max(max, d), 0);
  return {
    ready_ms: ready,
    first_event_ms: first.startTime,
    bytes_before_first_event: nav.transferSize + before.reduce((s, e) => s + e.transferSize, 0),
    requests_before_first_event: before.length + 1,
    longest_task_to_ready_ms: longest(upTo(ready)),
    blocking_to_ready_ms: blocking(upTo(ready)),
    longest_task_to_ready_plus_2s_ms: longest(upTo(ready + 2000)),
    blocking_to_ready_plus_2s_ms: blocking(upTo(ready + 2000)),
    js_heap_bytes: performance.memory ? performance.memory.usedJSHeapSize : null,
  };
}"""


def load_once(page: Any, url: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_function("window.__readyAt !== undefined && performance.getEntriesByType('resource')"
                           ".some(e => /\\/v1\\/t$/.test(e.name) && e.responseEnd > 0)", timeout=120_000)
    page.wait_for_timeout(2000)  # long tasks in the first seconds after ready count too
    return page.evaluate(COLLECT)


def bundle_sizes() -> dict[str, dict[str, int]]:
    groups = {"pyodide runtime (wasm + js)": ["pyodide/pyodide.asm.wasm", "pyodide/pyodide.asm.mjs",
                                              "pyodide/pyodide.mjs", "pyodide/pyodide-lock.json"],
              "python stdlib zip": ["pyodide/python_stdlib.zip"],
              "micropip + packaging wheels": [str(p.relative_to(DIST)) for p in DIST.glob("pyodide/*.whl")],
              "pyscript (all chunks)": [str(p.relative_to(DIST)) for p in DIST.glob("pyscript/*")],
              "analytics_py wheel": [str(p.relative_to(DIST)) for p in DIST.glob("wheels/*.whl")],
              "snippet.min.js": ["snippet.min.js"]}
    sizes = {}
    for name, files in groups.items():
        data = [(DIST / f).read_bytes() for f in files]
        sizes[name] = {"bytes": sum(map(len, data)), "gzip": sum(len(gzip.compress(d, 9)) for d in data)}
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, Any]]] = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp)
        (pages / "bench.html").write_text(PAGE % (DIST / "snippet.min.js").read_text())
        config = CollectorConfig(dist=DIST, database=str(pages / "bench.sqlite3"), pages=pages)
        with running_collector(config) as collector, sync_playwright() as playwright:
            launch = {"args": ARGS, **({"executable_path": CHROMIUM} if Path(CHROMIUM).exists() else {})}
            url = f"{collector.base_url}/pages/bench.html"
            for run in range(args.runs):
                profile = pages / f"profile-{run}"
                context = playwright.chromium.launch_persistent_context(profile, **launch)
                page = context.new_page()
                runs["cold"].append(load_once(page, url))
                runs["warm"].append(load_once(page, url))
                context.close()
    medians = {kind: {key: statistics.median(r[key] for r in results) for key in results[0]
                      if results[0][key] is not None} for kind, results in runs.items()}
    report = {"runs": args.runs, "medians": medians, "all": runs, "bundle": bundle_sizes()}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "boot.json").write_text(json.dumps(report, indent=1))
    print(f"analytics_py boot, median of {args.runs} runs (Chromium, loopback collector)")
    print(f"{'metric':<36}{'cold':>14}{'warm':>14}")
    for key in medians["cold"]:
        print(f"{key:<36}{medians['cold'][key]:>14,.0f}{medians['warm'][key]:>14,.0f}")
    print("\nbundle                              bytes       gzip")
    for name, size in report["bundle"].items():
        print(f"{name:<30}{size['bytes']:>12,}{size['gzip']:>11,}")


if __name__ == "__main__":
    main()
