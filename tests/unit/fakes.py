"""Fakes of the core's ports only (clock, ids, transport, console), never of the unit under test."""

from __future__ import annotations

import asyncio
import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from analytics_py.core.ports import Response, TransportError


class FakeClock:
    def __init__(self, start: datetime = datetime(2026, 12, 3, 12, 0, 0, 123000, tzinfo=timezone.utc)):
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


def counting_ids(prefix: str = "id") -> "itertools.count[int]":
    counter = itertools.count(1)
    return lambda: f"{prefix}-{next(counter)}"  # type: ignore[return-value]


@dataclass
class Sent:
    url: str
    body: str
    headers: Mapping[str, str]
    keepalive: bool


@dataclass
class RecordingTransport:
    """Answers each send with the next scripted status (200 once the script runs out)."""

    statuses: list[int | Exception] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)

    async def send(self, url: str, body: str, headers: Mapping[str, str], *,
                   keepalive: bool = False) -> Response:
        self.sent.append(Sent(url, body, dict(headers), keepalive))
        outcome = self.statuses.pop(0) if self.statuses else 200
        if isinstance(outcome, Exception):
            raise TransportError(str(outcome))
        return Response(outcome)


@dataclass
class RecordingConsole:
    lines: list[tuple[str, str]] = field(default_factory=list)

    def log(self, *parts: object) -> None:
        self.lines.append(("log", " ".join(map(str, parts))))

    def warn(self, *parts: object) -> None:
        self.lines.append(("warn", " ".join(map(str, parts))))

    def error(self, *parts: object) -> None:
        self.lines.append(("error", " ".join(map(str, parts))))

    def errors(self) -> list[str]:
        return [text for level, text in self.lines if level == "error"]


def run_async(coroutine: Any) -> Any:
    """``asyncio.run`` on a thread of its own: the browser tests keep a loop on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
