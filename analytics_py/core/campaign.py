"""``context.campaign`` and the ad ``context.referrer`` from the page's query, as analytics.js reads them."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import unquote

# Ad networks whose click id arrives in the query: parameter -> referrer type.
AD_IDS = {"btid": "dataxu", "urid": "millennial-media"}


def _decode(value: str) -> str:
    try:
        return unquote(value.replace("+", " "), errors="strict")
    except UnicodeDecodeError:
        return value


def _pairs(search: str) -> Iterator[tuple[str, str, str]]:
    """``key, "=", value`` for each part of the query, split as analytics.js splits it (a later
    ``?`` separates parts too)."""
    query = search[1:] if search.startswith("?") else search
    for pair in query.replace("?", "&").split("&"):
        yield pair.partition("=")


def campaign(search: str) -> dict[str, str]:
    """Map ``?utm_source=a&utm_campaign=b`` to ``{"source": "a", "name": "b"}``."""
    result: dict[str, str] = {}
    for key, _, value in _pairs(search):
        if "utm_" in key and len(key) > 4:
            name = key[4:]
            result["name" if name == "campaign" else name] = _decode(value)
    return result


def ad_referrer(search: str) -> dict[str, str] | None:
    """``?btid=123`` to ``{"id": "123", "type": "dataxu"}`` (the first ad id wins; kept raw)."""
    for key, sep, value in _pairs(search):
        if key in AD_IDS:
            return {"id": value.split("=", 1)[0], "type": AD_IDS[key]} if sep else {"type": AD_IDS[key]}
    return None
