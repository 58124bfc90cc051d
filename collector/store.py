"""Received events in SQLite, de-duplicated by ``messageId`` per write key; parameterised SQL only."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    write_key TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT,
    user_id TEXT,
    anonymous_id TEXT,
    received_at TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (write_key, message_id)
)
"""
HOOKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS hooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class StoredEvent:
    id: int
    message_id: str
    write_key: str
    type: str
    name: str | None
    user_id: str | None
    anonymous_id: str | None
    received_at: str
    body: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "messageId": self.message_id, "writeKey": self.write_key,
                "type": self.type, "name": self.name, "userId": self.user_id,
                "anonymousId": self.anonymous_id, "receivedAt": self.received_at,
                "body": self.body}


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class EventStore:
    """One SQLite file (or ``:memory:``) shared by the server's request handlers."""

    def __init__(self, path: str | Path) -> None:
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        self.repeats: dict[str, int] = {}  # per write key: events received again (not stored)
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(SCHEMA)
            self._db.execute(HOOKS_SCHEMA)

    def add(self, write_key: str, event: dict[str, Any]) -> bool:
        """Store one event; False when this source already sent its ``messageId``."""
        received = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        name = event.get("event") if event.get("type") == "track" else event.get("name")
        row = (str(event["messageId"]), write_key, str(event.get("type")), _text(name),
               _text(event.get("userId")), _text(event.get("anonymousId")), received,
               json.dumps(event, ensure_ascii=False))
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO events (message_id, write_key, type, name, user_id,"
                " anonymous_id, received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
            if cursor.rowcount != 1:
                self.repeats[write_key] = self.repeats.get(write_key, 0) + 1
        return cursor.rowcount == 1

    def list(self, *, after: int = 0, limit: int = 500, write_key: str | None = None) -> list[StoredEvent]:
        """Events newer than id ``after`` (of one write key, if given), newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, message_id, write_key, type, name, user_id, anonymous_id,"
                " received_at, body FROM events WHERE id > ? AND (? IS NULL OR write_key = ?)"
                " ORDER BY id DESC LIMIT ?", (after, write_key, write_key, limit)).fetchall()
        return [StoredEvent(*row[:8], body=json.loads(row[8])) for row in rows]

    def add_hook(self, name: str, body: Any) -> None:
        """Keep one webhook delivery (any JSON) under the hook's name."""
        received = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        with self._lock, self._db:
            self._db.execute("INSERT INTO hooks (name, received_at, body) VALUES (?, ?, ?)",
                             (name, received, json.dumps(body, ensure_ascii=False)))

    def hooks(self, name: str) -> list[Any]:
        """The bodies one webhook received, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM hooks WHERE name = ? ORDER BY id", (name,)).fetchall()
        return [json.loads(row[0]) for row in rows]
