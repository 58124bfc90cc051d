"""The snippet's call entry: how a JS call reaches Python with the page's cookies already read.

Chromium's ``document.cookie`` getter walks the JS stack, and inside Python the stack is deep:
one read there costs about 0.1 ms, the same read in the page's own code a few microseconds. The
snippet's ``analytics._entry.bind(fn)`` wraps a face method so the cookie string is read as the
call comes in and kept in ``analytics._entry.cookie`` until it returns. The cookie store reads
that copy, and drops it when it writes a cookie itself.
"""

from __future__ import annotations

from typing import Any

import js

from .jsbridge import is_null


class Entry:
    """The snippet's entry object, or nothing (a page whose Python booted without the snippet)."""

    def __init__(self, holder: Any) -> None:
        self._holder = None if is_null(holder) or is_null(getattr(holder, "bind", None)) else holder

    @classmethod
    def from_snippet(cls) -> Entry:
        stub = js.window.analytics
        return cls(None if is_null(stub) else getattr(stub, "_entry", None))

    def bind(self, function: Any) -> Any:
        """A JS function for the face: ``function`` (a proxy), entered through the snippet."""
        return function if self._holder is None else self._holder.bind(function)

    def cookie(self) -> str | None:
        """The cookie string read as the current JS call came in; None outside such a call."""
        if self._holder is None:
            return None
        value = self._holder.cookie
        return None if is_null(value) else str(value)

    def forget_cookie(self) -> None:
        """After a cookie write, the copy is stale: reads go to ``document.cookie`` again."""
        if self._holder is not None:
            self._holder.cookie = None
