"""analytics_py: Segment's Analytics.js API in pure Python, running in the page on Pyodide.

``from analytics_py import analytics`` gives the page's instance (the same one behind
``window.analytics``); importing the package itself works anywhere, CPython included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core.version import VERSION as __version__

if TYPE_CHECKING:
    from .core.analytics import Analytics

__all__ = ["Analytics", "__version__", "analytics"]


def __getattr__(name: str) -> Any:
    """``Analytics`` and ``analytics`` are imported on first use, so a page can import the
    package's modules a few at a time (``browser.staged``)."""
    if name == "Analytics":
        from .core.analytics import Analytics

        return Analytics
    if name == "analytics":
        from .browser import boot  # imported on first use: it needs the browser

        return boot.instance()
    raise AttributeError(f"module 'analytics_py' has no attribute {name!r}")
