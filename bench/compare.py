"""analytics_py and Segment's analytics.js, side by side in one run: load, main thread, calls, memory.

    python3 build.py bench [--runs N]

Both libraries are pasted into the same page through their snippets, served by the same local
collector (precompressed, brotli for both) to the same Chromium. Per repetition and library:
a cold load (a new browser profile: empty HTTP cache) and a warm load (the next visit in that
profile), then, on the warm page, 1,000 timed `track` calls and a burst of 1,000 that must all
reach the collector. Prints medians and the ratio analytics_py / analytics.js, writes
bench/results/compare.json and compare.png, and rewrites the table in README.md.
Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.chart import draw  # noqa: E402
from collector.app import CollectorConfig  # noqa: E402
from collector.background import RunningCollector, running_collector  # noqa: E402
from tests.browser.chromium import launch_options  # noqa: E402
from tests.browser.peer import PEER_BUNDLES, PEER_SNIPPET  # noqa: E402

DIST = ROOT / "web" / "dist"
RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
LIBRARIES = ("analytics_py", "analytics.js")
AFTER_READY_MS = 3000  # long tasks this long after ready still count
COST_BATCHES, COST_BATCH = 100, 10  # performance.now() is coarse (100 µs): time calls in tens
BURST = 1000
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>bench</title>
<link rel="icon" href="data:,">
<script>
window.__longTasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { __longTasks.push([e.startTime, e.duration]); });
}).observe({type: "longtask", buffered: true});
</script>
<script>
%s
analytics._cdn = location.origin;
analytics.load(new URLSearchParams(location.search).get("key"));
analytics.ready(function () { window.__readyAt = performance.now(); });
analytics.track("Bench Event");
</script></head><body><h1>A page</h1><p>With some text on it.</p></body></html>
"""
EVENT_REQUEST = "/\\/v1\\/(t|p|i|g|a|s|b|batch|track)$/"
LOADED = f"""() => window.__readyAt !== undefined && performance.getEntriesByType("resource")
  .some(e => {EVENT_REQUEST}.test(e.name) && e.responseEnd > 0)"""
COLLECT = f"""afterReady => {{
  const resources = performance.getEntriesByType("resource");
  const first = resources.find(e => {EVENT_REQUEST}.test(e.name));
  const nav = performance.getEntriesByType("navigation")[0];
  const before = resources.filter(e => e.responseEnd <= first.startTime);
  const ready = window.__readyAt;
  const upTo = limit => __longTasks.filter(([start]) => start < limit);
  const blocking = list => list.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0);
  const longest = list => list.reduce((max, [, d]) => Math.max(max, d), 0);
  return {{
    ready_ms: ready,
    first_event_ms: first.startTime,
    bytes_before_first_event: nav.transferSize + before.reduce((s, e) => s + e.transferSize, 0),
    requests_before_first_event: before.length + 1,
    library_bytes: resources.filter(e => /\/rt\/|\/analytics-next\/bundles\//.test(e.name))
      .reduce((s, e) => s + e.transferSize, 0),
    longest_task_to_ready_ms: longest(upTo(ready)),
    blocking_to_ready_ms: blocking(upTo(ready)),
    longest_task_after_ready_ms: longest(__longTasks.filter(([s]) => s >= ready && s < ready + afterReady)),
    blocking_to_ready_plus_3s_ms: blocking(upTo(ready + afterReady)),
    long_tasks: __longTasks,
  }};
}}"""
CALL_COST = f"""() => {{
  const perCall = [];
  for (let b = 0; b < {COST_BATCHES}; b++) {{
    const start = performance.now();
    for (let i = 0; i < {COST_BATCH}; i++) analytics.track("Cost", {{batch: b, i: i}});
    perCall.push((performance.now() - start) / {COST_BATCH});
  }}
  return perCall;
}}"""
BURST_CALLS = f"""() => {{
  const start = performance.now();
  for (let i = 0; i < {BURST}; i++) analytics.track("Burst", {{i: i}});
  return performance.now() - start;
}}"""


def peer_bundles(folder: Path) -> Path:
    """analytics.js's files with brotli and gzip variants, as a CDN would serve them."""
    shutil.copytree(PEER_BUNDLES, folder, ignore=shutil.ignore_patterns("*.map", "*.gz"))
    subprocess.run(["node", str(ROOT / "web" / "runtime" / "compress.mjs"), str(ROOT / "build" / "compressed"),
                    *map(str, folder.glob("*.js"))], check=True)
    return folder


WASM_MEMORY = """async () => {
  const entry = performance.getEntriesByType("resource").find(e => e.name.endsWith("/pyodide/interpreter.mjs"));
  if (!entry) return 0;  // analytics.js: no WebAssembly
  const { runtime } = await import(entry.name);
  return runtime._module.HEAPU8.buffer.byteLength;
}"""


def memory(page: Page) -> dict[str, int]:
    """JS heap in use (CDP) and the WebAssembly memory of the Python runtime."""
    session = page.context.new_cdp_session(page)
    usage = session.send("Runtime.getHeapUsage")
    session.detach()
    return {"js_heap_bytes": int(usage["usedSize"]), "wasm_memory_bytes": int(page.evaluate(WASM_MEMORY))}


def load(page: Page, url: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_function(LOADED, timeout=120_000)
    page.wait_for_timeout(AFTER_READY_MS)
    return {**page.evaluate(COLLECT, AFTER_READY_MS), **memory(page)}


def calls(page: Page, collector: RunningCollector, key: str) -> dict[str, float]:
    """Per-call cost once ready, then a burst: time to accept it and to deliver every event."""
    per_call = sorted(page.evaluate(CALL_COST))
    collector.wait_for(key, COST_BATCHES * COST_BATCH, named="Cost", timeout=300)
    started = time.monotonic()
    accept_ms = page.evaluate(BURST_CALLS)
    collector.wait_for(key, BURST, named="Burst", timeout=600)
    return {"track_median_ms": statistics.median(per_call),
            "track_p99_ms": per_call[math.ceil(len(per_call) * 0.99) - 1],
            "burst_accept_ms": accept_ms,
            "burst_delivered_ms": (time.monotonic() - started) * 1000}


def one_run(playwright: Any, collector: RunningCollector, pages: Path, library: str, run: int) -> dict[str, Any]:
    context = playwright.chromium.launch_persistent_context(pages / f"profile-{library}-{run}", **launch_options())
    page = context.new_page()
    name = "py" if library == "analytics_py" else "peer"
    url = lambda kind: f"{collector.base_url}/pages/{name}.html?key=bench-{name}-{run}-{kind}"  # noqa: E731
    try:
        cold = load(page, url("cold"))
        warm = load(page, url("warm"))
        return {"cold": cold, "warm": warm, "calls": calls(page, collector, f"bench-{name}-{run}-warm")}
    finally:
        context.close()


def medians(runs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    result = {}
    for part in ("cold", "warm", "calls"):
        keys = [k for k, v in runs[0][part].items() if isinstance(v, (int, float))]
        result[part] = {k: statistics.median(r[part][k] for r in runs) for k in keys}
    return result


ROWS = [  # (part, key, label, unit)
    ("cold", "bytes_before_first_event", "bytes before the first event, cold", "MB"),
    ("warm", "bytes_before_first_event", "bytes before the first event, warm", "KB"),
    ("warm", "library_bytes", "library files downloaded, warm (cached: 0)", "KB"),
    ("cold", "ready_ms", "navigation → ready, cold", "ms"),
    ("warm", "ready_ms", "navigation → ready, warm", "ms"),
    ("cold", "first_event_ms", "navigation → first event request, cold", "ms"),
    ("warm", "first_event_ms", "navigation → first event request, warm", "ms"),
    ("cold", "longest_task_to_ready_ms", "longest main-thread task to ready, cold", "ms"),
    ("warm", "longest_task_to_ready_ms", "longest main-thread task to ready, warm", "ms"),
    ("cold", "longest_task_after_ready_ms", "longest task in the 3 s after ready, cold", "ms"),
    ("cold", "blocking_to_ready_plus_3s_ms", "total blocking time to ready + 3 s, cold", "ms"),
    ("warm", "blocking_to_ready_plus_3s_ms", "total blocking time to ready + 3 s, warm", "ms"),
    ("calls", "track_median_ms", "track() call, median", "ms"),
    ("calls", "track_p99_ms", "track() call, p99", "ms"),
    ("calls", "burst_accept_ms", "1,000 track() calls: accepted in", "ms"),
    ("calls", "burst_delivered_ms", "1,000 track() calls: all delivered in", "ms"),
    ("warm", "js_heap_bytes", "JS heap once ready", "MB"),
    ("warm", "wasm_memory_bytes", "WebAssembly memory once ready", "MB"),
]
SCALE = {"MB": 1e6, "KB": 1e3, "ms": 1}


def table(result: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| metric | analytics_py | analytics.js | ratio |", "|---|---:|---:|---:|"]
    for part, key, label, unit in ROWS:
        ours, peer = result["analytics_py"][part][key], result["analytics.js"][part][key]
        ratio = f"{ours / peer:,.1f}×" if peer else "—"
        digits = 2 if unit in ("MB",) or (unit == "ms" and max(ours, peer) < 10) else 0
        cell = lambda v: f"{v / SCALE[unit]:,.{digits}f} {unit}"  # noqa: E731
        lines.append(f"| {label} | {cell(ours)} | {cell(peer)} | {ratio} |")
    return "\n".join(lines)


def update_readme(text: str) -> None:
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    readme = README.read_text()
    if start in readme and end in readme:
        head, _, rest = readme.partition(start)
        _, _, tail = rest.partition(end)
        README.write_text(f"{head}{start}\n{text}\n{end}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dist", type=Path, default=DIST,
                        help="another build's web/dist (an earlier commit's, for before/after figures)")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md's table as it is")
    args = parser.parse_args()
    runs: dict[str, list[dict[str, Any]]] = {library: [] for library in LIBRARIES}
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp)
        (pages / "py.html").write_text(PAGE % (args.dist / "snippet.min.js").read_text())
        (pages / "peer.html").write_text(PAGE % PEER_SNIPPET)
        config = CollectorConfig(dist=args.dist, database=str(pages / "bench.sqlite3"), pages=pages,
                                 mounts={"/analytics-next/bundles": peer_bundles(pages / "peer-bundles")})
        with running_collector(config) as collector, sync_playwright() as playwright:
            for run in range(args.runs):
                for library in LIBRARIES:  # interleaved, so both see the same machine
                    runs[library].append(one_run(playwright, collector, pages, library, run))
                    print(f"run {run + 1}/{args.runs} {library}: cold ready "
                          f"{runs[library][-1]['cold']['ready_ms']:,.0f} ms", flush=True)
    result = {library: medians(r) for library, r in runs.items()}
    text = table(result)
    RESULTS.mkdir(exist_ok=True)
    name = "compare" if args.dist == DIST else "compare-" + args.dist.parent.parent.name
    (RESULTS / f"{name}.json").write_text(json.dumps(
        {"runs": args.runs, "dist": str(args.dist), "medians": result, "all": runs, "table": text}, indent=1))
    draw(runs, result, RESULTS / f"{name}.png")
    if not args.no_readme:
        update_readme(f"Medians of {args.runs} runs, {time.strftime('%Y-%m-%d')}, this machine:\n\n{text}")
    print(f"\nanalytics_py vs analytics.js, medians of {args.runs} runs (Chromium, loopback collector)\n")
    print(text)
    print(f"\nwrote {RESULTS / (name + '.json')} and {RESULTS / (name + '.png')}")


if __name__ == "__main__":
    main()
