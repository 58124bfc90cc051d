"""The seams between the pure core and the page: storage, network and console.

The browser adapters implement these; unit tests pass small fakes of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol


class Store(Protocol):
    """A key-value store holding JSON-compatible values (cookie, localStorage, memory)."""

    def get(self, key: str) -> object | None: ...

    def set(self, key: str, value: object) -> None: ...

    def remove(self, key: str) -> None: ...


@dataclass(frozen=True)
class Response:
    """What a transport learned from one request: the status and the headers that matter."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)


class TransportError(Exception):
    """The request never produced an HTTP status (offline, refused, blocked, aborted)."""


class Transport(Protocol):
    """Sends one POST request and reports its status, or raises ``TransportError``."""

    async def send(
        self, url: str, body: str, headers: Mapping[str, str], *, keepalive: bool = False
    ) -> Response: ...

    def beacon(self, url: str, body: str, headers: Mapping[str, str]) -> None:
        """Start a request that outlives the page (``keepalive``), without waiting for it."""


class Console(Protocol):
    """Where the library reports to the developer (the browser console on a page)."""

    def log(self, *parts: object) -> None: ...

    def warn(self, *parts: object) -> None: ...

    def error(self, *parts: object) -> None: ...


class Dom(Protocol):
    """Binds tracking to page elements (trackLink / trackForm); only a page has one."""

    def track_link(self, links: object, event: object, properties: object = None,
                   options: object = None) -> None: ...

    def track_form(self, forms: object, event: object, properties: object = None,
                   options: object = None) -> None: ...

    def untrack(self, elements: object, kind: str) -> None:
        """Remove the ``click`` (trackLink) or ``submit`` (trackForm) tracking of elements."""
