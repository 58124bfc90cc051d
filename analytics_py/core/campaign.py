"""``context.campaign`` from the page's ``utm_*`` query parameters, as analytics.js reads them."""

from __future__ import annotations

from urllib.parse import unquote


def _decode(value: str) -> str:
    try:
        return unquote(value.replace("+", " "), errors="strict")
    except UnicodeDecodeError:
        return value


def campaign(search: str) -> dict[str, str]:
    """Map ``?utm_source=a&utm_campaign=b`` to ``{"source": "a", "name": "b"}``."""
    result: dict[str, str] = {}
    query = search[1:] if search.startswith("?") else search
    for pair in query.replace("?", "&").split("&"):
        key, _, value = pair.partition("=")
        if "utm_" in key and len(key) > 4:
            name = key[4:]
            result["name" if name == "campaign" else name] = _decode(value)
    return result
