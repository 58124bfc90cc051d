"""The durable retry queue: every undelivered message is stored under a key of its own.

One key per message (``<prefix><messageId>``) means tabs of one origin never overwrite each
other's writes: adding and removing are single ``setItem``/``removeItem`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from .messages import Message
from .ports import Console, Store
from .serialize import to_json

MAX_ITEMS = 100
MAX_BYTES = 1024 * 1024


class KeyedStore(Store, Protocol):
    """A store that can list its keys (localStorage and memory can)."""

    def keys(self) -> list[str]: ...


@dataclass
class Pending:
    message: Message
    attempts: int  # attempts made so far
    due: float  # epoch seconds of the next attempt

    @property
    def message_id(self) -> str:
        return str(self.message["messageId"])

    def as_json(self) -> dict[str, Any]:
        return {"message": self.message, "attempts": self.attempts, "due": self.due}


def queue_prefix(write_key: str) -> str:
    """Keyed by write key, so two sources on one origin never mix their events."""
    return f"analytics_py:v1:{write_key}:queue:"


class RetryQueue:
    """Undelivered messages, written through to the store on every change, bounded."""

    def __init__(self, store: KeyedStore, prefix: str, console: Console, now: Callable[[], float]) -> None:
        self._store = store
        self._prefix = prefix
        self._console = console
        self._now = now
        self._items: dict[str, Pending] = {}
        self._sizes: dict[str, int] = {}

    def load(self) -> int:
        """Take in what earlier pages (or other tabs) left in the store; returns how many."""
        for key in self._store.keys():
            if key.startswith(self._prefix) and key[len(self._prefix):] not in self._items:
                item = _pending_from(self._store.get(key))
                if item is None:
                    self._store.remove(key)
                else:
                    self._items[item.message_id] = item
                    self._sizes[item.message_id] = len(to_json(item.as_json()).encode())
        self._enforce_bounds()
        return len(self._items)

    def put(self, item: Pending) -> None:
        record = item.as_json()
        self._items[item.message_id] = item
        self._sizes[item.message_id] = len(to_json(record).encode())
        self._store.set(self._prefix + item.message_id, record)
        self._enforce_bounds()

    def remove(self, message_id: str) -> None:
        self._items.pop(message_id, None)
        self._sizes.pop(message_id, None)
        self._store.remove(self._prefix + message_id)

    def due(self) -> list[Pending]:
        now = self._now()
        return sorted((i for i in self._items.values() if i.due <= now), key=lambda i: i.due)

    def waiting(self, busy: set[str]) -> list[Pending]:
        """Everything waiting, except the messages in ``busy`` (in flight right now)."""
        return [i for i in self._items.values() if i.message_id not in busy]

    def __len__(self) -> int:
        return len(self._items)

    def _enforce_bounds(self) -> None:
        if len(self._items) <= MAX_ITEMS and sum(self._sizes.values()) <= MAX_BYTES:
            return
        oldest_first = sorted(self._items.values(), key=lambda i: str(i.message.get("timestamp", "")))
        dropped = 0
        while len(self._items) > MAX_ITEMS or sum(self._sizes.values()) > MAX_BYTES:
            self.remove(oldest_first.pop(0).message_id)
            dropped += 1
        if dropped:
            self._console.error(f"analytics_py: the retry queue is full ({MAX_ITEMS} events, "
                                f"{MAX_BYTES // 1024} KB); dropped the {dropped} oldest undelivered event(s)")


def _pending_from(value: object) -> Pending | None:
    if not isinstance(value, dict):
        return None
    message, attempts, due = value.get("message"), value.get("attempts"), value.get("due")
    if not isinstance(message, dict) or not isinstance(message.get("messageId"), str):
        return None
    if not isinstance(attempts, int) or not isinstance(due, (int, float)):
        return None
    return Pending(message, attempts, float(due))
