"""Boot without freezing the page: import our modules a slice at a time, then start.

Importing everything in one go is one long main-thread task on a cold visit; here the page gets
the thread back every ``SLICE_S`` seconds (``asyncio.sleep(0)`` is a macrotask in Pyodide's
event loop), so clicks and rendering go on while the library loads. Calls made meanwhile
still wait in the snippet's queue and are replayed by ``boot.start()``.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.analytics import Analytics

SLICE_S = 0.04
# Leaves first, so each import runs few module bodies (tests/unit/test_staged.py keeps it whole).
MODULES = (
    "core.serialize", "core.args", "core.campaign", "core.ports", "core.stores", "core.identity",
    "core.pagecontext", "core.version", "core.messages", "core.context", "core.plugins",
    "core.middleware", "core.pipeline", "core.queue", "core.dispatch", "core.emitter",
    "core.querystring", "core.analytics", "core.autotrack", "core.media", "core.cookies",
    "core.storage_plan", "core.schema_filter", "core.destinations", "core.retry", "core.wire",
    "core.segmentio", "destinations.webhook", "browser.jsbridge", "browser.entry", "browser.dom",
    "browser.jsplugins", "browser.media", "browser.facade", "browser.lifecycle", "browser.page",
    "browser.storage", "browser.transport", "browser.stdlib_hint", "browser.boot",
)


async def start() -> Analytics:
    """Import ``MODULES`` in time slices, then boot (see ``boot.start``)."""
    from . import stdlib_hint  # first: the page's own scripts may import while we load

    stdlib_hint.install()
    deadline = time.monotonic() + SLICE_S
    for name in MODULES:
        importlib.import_module(f"analytics_py.{name}")
        if time.monotonic() > deadline:
            await asyncio.sleep(0)
            deadline = time.monotonic() + SLICE_S
    from . import boot

    return boot.start()
