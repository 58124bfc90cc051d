"""The load script's own verdict: 100 concurrent pages x 50 events (+5 re-sent each) against a
collector process lose nothing and store nothing twice. Its timing is reported, not asserted."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_burst_of_100_pages_loses_and_doubles_nothing():
    done = subprocess.run([sys.executable, "bench/load.py"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((ROOT / "bench" / "results" / "load.json").read_text())
    assert result["rows"] == result["distinct_rows"] == result["expected_rows"] == 5000
    assert result["answered_200"] == result["requests"] == 5500
