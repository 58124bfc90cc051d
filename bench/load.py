"""Load the collector like a burst of pages: N concurrent clients x M events each, on loopback.

    python3 bench/load.py [--pages 100] [--events 50] [--resend 5]

The collector runs as its own process (``python -m collector``, a fresh SQLite file). Each
simulated page opens one keep-alive connection and POSTs its events one by one to ``/v1/t`` as
analytics_py does (text/plain JSON, Basic auth), then re-sends its first ``--resend`` events, as
a page that retried after a lost answer would. Afterwards every row is counted: the script fails
(exit 1) when a single event is missing or stored twice. It prints requests/s and writes
bench/results/load.json.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
WRITE_KEY = "load-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_collector(port: int, database: Path, dist: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-m", "collector", "--port", str(port), "--db", str(database),
                                "--dist", str(dist)], cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the collector did not start")


def one_page(port: int, page: int, events: int, resend: int, statuses: list[int]) -> None:
    auth = "Basic " + base64.b64encode(f"{WRITE_KEY}:".encode()).decode()
    headers = {"Content-Type": "text/plain", "Authorization": auth}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    order = list(range(events)) + list(range(resend))
    for n in order:
        body = json.dumps({"type": "track", "event": "Load", "messageId": f"load-{page}-{n}",
                           "anonymousId": f"page-{page}", "properties": {"page": page, "n": n},
                           "writeKey": WRITE_KEY})
        connection.request("POST", "/v1/t", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()


def run(pages: int, events: int, resend: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as folder:
        database, dist = Path(folder) / "load.sqlite3", Path(folder) / "dist"
        dist.mkdir()
        port = free_port()
        collector = start_collector(port, database, dist)
        try:
            statuses: list[int] = []
            threads = [threading.Thread(target=one_page, args=(port, p, events, resend, statuses))
                       for p in range(pages)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            collector.terminate()
            collector.wait(timeout=10)
        with sqlite3.connect(database) as db:
            rows, distinct = db.execute("SELECT COUNT(*), COUNT(DISTINCT message_id) FROM events "
                                        "WHERE write_key = ?", (WRITE_KEY,)).fetchone()
    requests = pages * (events + resend)
    return {"pages": pages, "events_per_page": events, "resent_per_page": resend, "requests": requests,
            "answered_200": statuses.count(200), "rows": rows, "distinct_rows": distinct,
            "expected_rows": pages * events, "seconds": round(elapsed, 2),
            "requests_per_second": round(requests / elapsed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--resend", type=int, default=5)
    args = parser.parse_args()
    result = run(args.pages, args.events, args.resend)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    lost, doubled = result["expected_rows"] - result["distinct_rows"], result["rows"] - result["distinct_rows"]
    print(f"{result['requests']} requests in {result['seconds']} s: {result['requests_per_second']} requests/s; "
          f"{lost} lost, {doubled} stored twice")
    sys.exit(0 if lost == 0 and doubled == 0 and result["answered_200"] == result["requests"] else 1)


if __name__ == "__main__":
    main()
