"""Page context (url, path, referrer, search, title) from a raw capture of the page.

A raw capture is the snippet's buffered-page-context object ``{__t: "bpc", c, p, u, s, t, r}``
(canonical href, pathname, href, search, title, referrer), taken when the call was made.
"""

from __future__ import annotations

from typing import Any, Mapping, TypedDict
from urllib.parse import urlsplit

BPC_MARKER = "bpc"
BPC_KEYS = frozenset({"__t", "c", "p", "u", "s", "t", "r"})


class PageContext(TypedDict):
    path: str
    referrer: str
    search: str
    title: str
    url: str


def is_raw_capture(value: object) -> bool:
    """True for exactly the snippet's ``{__t: "bpc", ...}`` object, and nothing that only looks close."""
    return (
        isinstance(value, dict)
        and value.get("__t") == BPC_MARKER
        and set(value) <= BPC_KEYS
        and {"p", "u", "s", "t", "r"} <= set(value)
    )


def _canonical_path(canonical: str) -> str:
    parts = urlsplit(canonical)
    if parts.scheme and parts.netloc:
        return parts.path or "/"
    return canonical if canonical.startswith("/") else "/" + canonical


def page_context(raw: Mapping[str, Any]) -> PageContext:
    """Apply analytics.js's rules: a canonical link decides url and path; url never has a #hash."""
    canonical = raw.get("c") or None
    search = str(raw.get("s") or "")
    if canonical:
        url = canonical if "?" in canonical else canonical + search
        path = _canonical_path(canonical)
    else:
        url = str(raw.get("u") or "").split("#", 1)[0]
        path = str(raw.get("p") or "")
    return PageContext(
        path=path,
        referrer=str(raw.get("r") or ""),
        search=search,
        title=str(raw.get("t") or ""),
        url=url,
    )
