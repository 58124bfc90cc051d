"""How the tests and the benchmark start Chromium: Debian's where it is installed (nothing can be
downloaded here), else Playwright's own, with the flags this machine's closed network needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP *.example.test 127.0.0.1",  # real hostnames for cookie domains
]


def launch_options() -> dict[str, Any]:
    """Keyword arguments for Playwright's ``chromium.launch`` and ``launch_persistent_context``."""
    options: dict[str, Any] = {"args": ARGS}
    if SYSTEM_CHROMIUM.exists():
        options["executable_path"] = str(SYSTEM_CHROMIUM)
    return options
