"""``python -m collector``: serve the bundle, the demo and the tracking API on 127.0.0.1."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import uvicorn

from .app import CollectorConfig, create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--dist", type=Path, default=Path("web/dist"))
    parser.add_argument("--db", default="collector.sqlite3", help="SQLite file (or :memory:)")
    parser.add_argument("--pages", type=Path, help="extra folder served at /pages/")
    parser.add_argument("--mount", action="append", default=[], metavar="PREFIX=DIR",
                        help="serve another folder, e.g. /analytics-next/bundles=web/node_modules/...")
    parser.add_argument("--enable-faults", action="store_true",
                        help="test only: accept POST /_faults to make the tracking API fail on purpose")
    parser.add_argument("--settings", type=Path,
                        help="JSON file: {writeKey: settings to merge over the default}")
    parser.add_argument("--write-key", action="append", dest="write_keys", metavar="KEY",
                        help="accept only these write keys (repeatable); default: any")
    parser.add_argument("--allow-origin", action="append", dest="origins", metavar="ORIGIN",
                        help="CORS: page origins allowed to call (repeatable); default: any (*)")
    parser.add_argument("--csp", metavar="POLICY",
                        help="send this Content-Security-Policy header with every response")
    args = parser.parse_args()
    overrides = json.loads(args.settings.read_text()) if args.settings else {}
    mounts = {prefix: Path(folder) for prefix, _, folder in (m.partition("=") for m in args.mount)}
    app = create_app(CollectorConfig(dist=args.dist, database=args.db, pages=args.pages,
                                     mounts=mounts, settings_overrides=overrides,
                                     faults_enabled=args.enable_faults,
                                     write_keys=frozenset(args.write_keys) if args.write_keys else None,
                                     allowed_origins=tuple(args.origins or ("*",)),
                                     csp=args.csp))
    print(f"analytics_py collector on http://{args.host}:{args.port}/  (events: /events)")
    server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning"))
    app.state.server = server  # lets the fault switch drop a connection
    server.run()


if __name__ == "__main__":
    main()
