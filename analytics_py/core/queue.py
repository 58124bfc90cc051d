"""The durable retry queue: every undelivered message is stored under a key of its own.

One key per message (``<prefix><messageId>``) means tabs of one origin never overwrite each
other's writes: adding and removing are single ``setItem``/``removeItem`` calls. Each message
names the tab that owns it; a tab proves it is alive with a heartbeat key, and the messages of
a tab whose heartbeat stopped (closed, crashed) are claimed by the next tab that looks.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from .messages import Message
from .ports import Console, Store
from .serialize import to_json

MAX_ITEMS = 100  # events kept in the store at once, per write key
MAX_BYTES = 1024 * 1024  # and their bytes
MAX_MEMORY_ITEMS = 20_000  # events this tab holds in all, stored or (beyond the store's bounds) not
HEARTBEAT_S = 1.0
STALE_AFTER_S = 5.0  # a heartbeat older than this means the tab is gone
RECLAIM_EVERY = 3  # heartbeats between looks for messages left by closed tabs


class KeyedStore(Store, Protocol):
    """A store that can list its keys (localStorage and memory can)."""

    def keys(self) -> list[str]: ...


@dataclass
class Pending:
    message: Message
    attempts: int  # attempts made so far
    due: float  # epoch seconds of the next attempt
    owner: str = ""  # the tab that sends it
    processed: bool = True  # False while held at call time, before the plugins ran

    @property
    def message_id(self) -> str:
        return str(self.message["messageId"])

    def as_json(self) -> dict[str, Any]:
        return {"message": self.message, "attempts": self.attempts, "due": self.due, "owner": self.owner,
                "processed": self.processed}


def queue_prefix(write_key: str) -> str:
    """Keyed by write key, so two sources on one origin never mix their events."""
    return f"analytics_py:v1:{write_key}:queue:"


def tab_prefix(write_key: str) -> str:
    return f"analytics_py:v1:{write_key}:tab:"


class RetryQueue:
    """Undelivered messages, written through to the store on every change, bounded."""

    def __init__(self, store: KeyedStore, write_key: str, console: Console, now: Callable[[], float],
                 tab_id: str = "this-tab") -> None:
        self._store = store
        self._prefix = queue_prefix(write_key)
        self._tabs = tab_prefix(write_key)
        self._console = console
        self._now = now
        self.tab_id = tab_id
        self._items: dict[str, Pending] = {}
        self._stored: dict[str, int] = {}  # the bytes of each item that is in the store
        self._stored_bytes = 0
        self._memory_only: dict[str, None] = {}  # items beyond the store's bounds, oldest first
        self._reported: set[str] = set()  # "overflow", "refused": each said once per episode
        self.claim_listeners: list[Callable[[], None]] = []  # told when load() claimed messages
        self.evicted: set[str] = set()  # ids dropped to keep within the bounds

    async def keep_alive(self) -> None:
        """Heartbeat for this tab; every few beats, claim what closed tabs left behind."""
        beats = 0
        while True:
            self.heartbeat()
            if beats % RECLAIM_EVERY == 0 and self.load():
                for listener in self.claim_listeners:
                    listener()
            beats += 1
            await asyncio.sleep(HEARTBEAT_S)

    def heartbeat(self) -> None:
        """Say this tab is alive, so no other tab takes its messages."""
        self._store.set(self._tabs + self.tab_id, self._now())

    def release(self) -> None:
        """This tab is going away: let the next tab or page take its messages at once."""
        self._store.remove(self._tabs + self.tab_id)

    def _alive(self, owner: str) -> bool:
        if owner == self.tab_id:
            return True
        beat = self._store.get(self._tabs + owner) if owner else None
        return isinstance(beat, (int, float)) and self._now() - beat < STALE_AFTER_S

    def load(self) -> int:
        """Claim what closed tabs and earlier pages left in the store; returns how many were new."""
        claimed = 0
        for key in self._store.keys():
            if not key.startswith(self._prefix) or key[len(self._prefix):] in self._items:
                continue
            item = _pending_from(self._store.get(key))
            if item is None:
                self._store.remove(key)
            elif not self._alive(item.owner):
                self.put(Pending(item.message, item.attempts, item.due, self.tab_id, item.processed))
                claimed += 1
        self._clear_dead_heartbeats()
        return claimed

    def _clear_dead_heartbeats(self) -> None:
        prefix = self._tabs
        for key in self._store.keys():
            if key.startswith(prefix) and not self._alive(key[len(prefix):]):
                self._store.remove(key)

    def put(self, item: Pending) -> None:
        """Add or update an item. Beyond the store's bounds it is kept in memory only (and stored
        as soon as there is room); beyond ``MAX_MEMORY_ITEMS`` it is refused, with an error."""
        item.owner = self.tab_id
        message_id = item.message_id
        if message_id not in self._items and len(self._items) >= MAX_MEMORY_ITEMS:
            self.evicted.add(message_id)
            self._report("refused", f"the retry queue holds {MAX_MEMORY_ITEMS} undelivered events; "
                         f"{item.message.get('type')} {message_id} was dropped (and so are the next "
                         "ones until it drains)", error=True)
            return
        self._items[message_id] = item
        record = item.as_json()
        size = len(to_json(record).encode())
        if message_id in self._stored or self._has_room(size):
            self._persist(message_id, record, size)
        else:
            self._memory_only[message_id] = None
            self._report("overflow", f"over {MAX_ITEMS} events or {MAX_BYTES // 1024} KB wait to be "
                         "sent; the newest are kept in memory only (a closed tab would lose them) "
                         "until the store has room again")

    def _has_room(self, size: int) -> bool:
        return len(self._stored) < MAX_ITEMS and self._stored_bytes + size <= MAX_BYTES

    def _persist(self, message_id: str, record: dict[str, Any], size: int) -> None:
        self._stored_bytes += size - self._stored.get(message_id, 0)
        self._stored[message_id] = size
        self._memory_only.pop(message_id, None)
        self._store.set(self._prefix + message_id, record)

    def _promote(self) -> None:
        """Store the oldest memory-only items while there is room."""
        while self._memory_only:
            message_id = next(iter(self._memory_only))
            record = self._items[message_id].as_json()
            size = len(to_json(record).encode())
            if not self._has_room(size):
                return
            self._persist(message_id, record, size)
        self._reported.discard("overflow")  # everything is stored again: a next overflow is said

    def _report(self, episode: str, text: str, *, error: bool = False) -> None:
        if episode not in self._reported:
            self._reported.add(episode)
            (self._console.error if error else self._console.warn)(f"analytics_py: {text}")

    def hold(self, message: Message) -> None:
        """Persist a message the moment it is made, before the plugins run.

        Should the page die first, the next page or tab runs it through its plugins and sends it.
        """
        self.put(Pending(message, 0, self._now(), processed=False))

    def drop_unprocessed(self, message_id: str) -> None:
        """The plugins are done with a held message that Segment.io did not take: forget it."""
        item = self._items.get(message_id)
        if item is not None and not item.processed:
            self.remove(message_id)

    def unprocessed(self, busy: set[str]) -> list[Pending]:
        """Held messages (claimed from a closed tab) whose plugins have not run, oldest first."""
        return sorted((i for i in self._items.values() if not i.processed and i.message_id not in busy),
                      key=lambda i: i.due)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._items

    def still_mine(self, item: Pending) -> bool:
        """False when another tab took the message meanwhile (this tab looked dead to it)."""
        if item.message_id in self._memory_only:
            return True  # never stored: no other tab can have it
        stored = _pending_from(self._store.get(self._prefix + item.message_id))
        if stored is not None and stored.owner == self.tab_id:
            return True
        self._forget(item.message_id)
        self._promote()
        return False

    def remove(self, message_id: str) -> None:
        self._store.remove(self._prefix + message_id)  # also a copy a closed tab left, if any
        self._forget(message_id)
        self._promote()

    def _forget(self, message_id: str) -> None:
        if self._items.pop(message_id, None) is not None and len(self._items) < MAX_MEMORY_ITEMS:
            self._reported.discard("refused")
        self._memory_only.pop(message_id, None)
        self._stored_bytes -= self._stored.pop(message_id, 0)

    def due(self) -> list[Pending]:
        now = self._now()
        return sorted((i for i in self._items.values() if i.processed and i.due <= now), key=lambda i: i.due)

    def waiting(self, busy: set[str]) -> list[Pending]:
        """Everything ready to send, oldest first, except the messages in ``busy`` (in flight now)."""
        return sorted((i for i in self._items.values() if i.processed and i.message_id not in busy),
                      key=lambda i: i.due)

    def __len__(self) -> int:
        return len(self._items)


def _pending_from(value: object) -> Pending | None:
    if not isinstance(value, dict):
        return None
    message, attempts, due = value.get("message"), value.get("attempts"), value.get("due")
    if not isinstance(message, dict) or not isinstance(message.get("messageId"), str):
        return None
    if not isinstance(attempts, int) or not isinstance(due, (int, float)):
        return None
    owner, processed = value.get("owner"), value.get("processed")
    return Pending(message, attempts, float(due), owner if isinstance(owner, str) else "", processed is not False)
