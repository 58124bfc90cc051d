"""Stores in memory and in priority order; the browser's cookie and localStorage stores plug in."""

from __future__ import annotations

from typing import Sequence

from .ports import Store


class MemoryStore:
    """A store that lives as long as the page: the last fallback, and the unit-test store."""

    def __init__(self) -> None:
        self._values: dict[str, object] = {}

    def get(self, key: str) -> object | None:
        return self._values.get(key)

    def set(self, key: str, value: object) -> None:
        if value is None:
            self._values.pop(key, None)
        else:
            self._values[key] = value

    def remove(self, key: str) -> None:
        self._values.pop(key, None)

    def keys(self) -> list[str]:
        return list(self._values)


class UniversalStore:
    """Several stores in priority order: reads take the first hit, writes go to every store.

    An ``authority`` (the cookie store, shared by every subdomain) wins over the order when it
    holds a value, so a subdomain's own localStorage can never drift from the shared cookie.
    """

    def __init__(self, stores: Sequence[Store], authority: Store | None = None) -> None:
        self.stores = list(stores)
        self.authority = authority if authority in self.stores else None

    def get(self, key: str) -> object | None:
        for store in self.stores:
            value = store.get(key)
            if value is not None:
                return value
        return None

    def get_and_sync(self, key: str) -> object | None:
        """Read (the authority first), then copy the value into the stores that lack it or differ."""
        values = [store.get(key) for store in self.stores]
        found = next((v for v in values if v is not None), None)
        if self.authority is not None:
            authoritative = values[self.stores.index(self.authority)]
            if authoritative not in (None, ""):
                found = authoritative
        if found is not None:
            for store, value in zip(self.stores, values):
                if value != found:
                    store.set(key, found)
        return found

    def set(self, key: str, value: object) -> None:
        for store in self.stores:
            store.set(key, value)

    def remove(self, key: str) -> None:
        for store in self.stores:
            store.remove(key)
