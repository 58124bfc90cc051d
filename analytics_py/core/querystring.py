"""The query-string API: ``ajs_uid``, ``ajs_event``, ``ajs_aid``, ``ajs_trait_*``, ``ajs_prop_*``."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote


@dataclass(frozen=True)
class QueryCalls:
    """The calls a URL asks for, in the order analytics.js makes them."""

    anonymous_id: str | None = None
    user_id: str | None = None
    traits: dict[str, str] = field(default_factory=dict)
    event: str | None = None
    properties: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any((self.anonymous_id, self.user_id, self.event))


def _decode(value: str) -> str:
    try:
        return unquote(value.replace("+", " "), errors="strict")
    except UnicodeDecodeError:
        return value


def query_calls(search: str, hash_: str = "") -> QueryCalls:
    """Read ``location.search``, or the ``?…`` part of the hash when the search is empty."""
    query = search or (hash_[hash_.index("?"):] if "?" in hash_ else "")
    params: dict[str, str] = {}
    for pair in query.lstrip("?").split("&"):
        key, sep, value = pair.partition("=")
        if sep and key.startswith("ajs_") and key not in params:
            params[_decode(key)] = _decode(value)

    def prefixed(prefix: str) -> dict[str, str]:
        return {k[len(prefix):]: v for k, v in params.items() if k.startswith(prefix) and len(k) > len(prefix)}

    return QueryCalls(
        anonymous_id=params.get("ajs_aid") or None,
        user_id=params.get("ajs_uid") or None,
        traits=prefixed("ajs_trait_"),
        event=params.get("ajs_event") or None,
        properties=prefixed("ajs_prop_"),
    )
