"""The benchmark's chart: each library's load timeline (long tasks, ready) and the ratios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {"analytics_py": "#3572A5", "analytics.js": "#52BD94"}
RATIOS = [("cold", "bytes_before_first_event", "bytes, cold"), ("cold", "ready_ms", "ready, cold"),
          ("warm", "ready_ms", "ready, warm"), ("cold", "blocking_to_ready_plus_3s_ms", "blocking, cold"),
          ("warm", "blocking_to_ready_plus_3s_ms", "blocking, warm"), ("calls", "track_median_ms", "track median"),
          ("calls", "burst_delivered_ms", "1,000 delivered"), ("warm", "js_heap_bytes", "JS heap")]


def _timelines(axis: Any, runs: dict[str, list[dict[str, Any]]]) -> None:
    """One row per library and cache state (first run): long tasks as blocks, ready as a tick."""
    rows = [(library, kind) for library in runs for kind in ("cold", "warm")]
    for y, (library, kind) in enumerate(rows):
        load = runs[library][0][kind]
        axis.broken_barh([(start, duration) for start, duration in load["long_tasks"]], (y - 0.3, 0.6),
                         color=COLOURS[library])
        axis.plot([load["ready_ms"]], [y], marker="|", markersize=22, color="black")
    axis.set_yticks(range(len(rows)), [f"{library} {kind}" for library, kind in rows])
    axis.set_xlabel("ms after navigation: long main-thread tasks (blocks) and ready (|)")
    axis.invert_yaxis()


def _ratios(axis: Any, result: dict[str, dict[str, dict[str, float]]]) -> None:
    labels, values = [], []
    for part, key, label in RATIOS:
        peer = result["analytics.js"][part][key]
        if peer:
            labels.append(label)
            values.append(result["analytics_py"][part][key] / peer)
    axis.barh(labels, values, color=COLOURS["analytics_py"])
    axis.axvline(1, color="black", linewidth=1)
    axis.set_xscale("log")
    axis.set_xlabel("analytics_py / analytics.js (log scale; 1 = same)")
    axis.invert_yaxis()


def draw(runs: dict[str, list[dict[str, Any]]], result: dict[str, dict[str, dict[str, float]]], target: Path) -> None:
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 8), height_ratios=[1, 1.3])
    _timelines(top, runs)
    _ratios(bottom, result)
    figure.suptitle("analytics_py vs analytics.js in Chromium (medians; timeline of the first run)")
    figure.tight_layout()
    figure.savefig(target, dpi=110)
    plt.close(figure)
