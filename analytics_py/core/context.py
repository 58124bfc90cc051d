"""``Context``: one event on its way through the plugins, and how its delivery ended."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from .messages import Message


class Cancelled(Exception):
    """Raised by ``ctx.cancel()`` (or by the pipeline for a failing *before* plugin): the event
    goes no further and is not retried."""

    def __init__(self, reason: str = "cancelled by a plugin") -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Delivery:
    """How the Segment.io destination's attempt ended: accepted by the API, or not, and why."""

    delivered: bool
    detail: str


@dataclass
class Context:
    """What plugins receive and edit (``ctx.event``), and what a call's task resolves to."""

    event: Message
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    attempts: int = 0
    delivery: Delivery | None = None  # None: Segment.io did not take the event
    cancelled: str | None = None  # why the pipeline stopped, when it did
    logs: list[tuple[str, str, Any]] = field(default_factory=list)

    @property
    def delivered(self) -> bool:
        return self.delivery is not None and self.delivery.delivered

    def cancel(self, reason: str = "cancelled by a plugin") -> None:
        """Stop this event: no later plugin or destination sees it."""
        raise Cancelled(reason)

    def update_event(self, path: str, value: Any) -> Message:
        """Set ``value`` at a dotted ``path`` of the event, creating objects on the way.

        As analytics.js does, an integration switched off (``integrations.X == False``) stays off.
        """
        keys = path.split(".")
        integrations = self.event.get("integrations")
        if keys[0] == "integrations" and len(keys) > 1 and isinstance(integrations, dict) \
                and integrations.get(keys[1]) is False:
            return self.event
        target = self.event
        for key in keys[:-1]:
            if not isinstance(target.get(key), dict):
                target[key] = {}
            target = target[key]
        target[keys[-1]] = value
        return self.event

    def log(self, level: str, message: str, extras: Any = None) -> None:
        self.logs.append((level, message, extras))
