"""What the page and the browser say about themselves: the raw page capture and environment."""

from __future__ import annotations

from typing import Any

import js

from ..core.messages import Environment
from .jsbridge import is_null, to_py


def capture() -> dict[str, Any]:
    """The page as it is now, in the snippet's buffered-page-context shape."""
    location = js.location
    canonical = js.document.querySelector("link[rel='canonical']")
    href = None if is_null(canonical) else canonical.getAttribute("href")
    return {
        "__t": "bpc",
        "c": None if is_null(href) else str(href),
        "p": str(location.pathname),
        "u": str(location.href),
        "s": str(location.search),
        "t": str(js.document.title),
        "r": str(js.document.referrer),
    }


def environment() -> Environment:
    """User agent, client hints, language and time zone; read once per page."""
    navigator = js.navigator
    hints = getattr(navigator, "userAgentData", None)
    try:
        timezone = str(js.Intl.DateTimeFormat.new().resolvedOptions().timeZone)
    except Exception:  # noqa: BLE001 - Intl can be missing or locked down; the field is optional
        timezone = None
    return Environment(
        user_agent=str(navigator.userAgent),
        locale=None if is_null(navigator.language) else str(navigator.language),
        timezone=timezone,
        user_agent_data=None if is_null(hints) else to_py(hints.toJSON()),
    )
