"""Builders for core objects wired to fakes, shared by the unit tests."""

from __future__ import annotations

from typing import Any

from analytics_py.core.analytics import Analytics
from analytics_py.core.identity import Group, User
from analytics_py.core.messages import Environment, MessageFactory
from analytics_py.core.stores import MemoryStore, UniversalStore

from .fakes import FakeClock, RecordingConsole, counting_ids

PAGE = {"__t": "bpc", "c": None, "p": "/pricing", "u": "https://segment.com/pricing",
        "s": "", "t": "Segment Pricing", "r": "https://segment.com/warehouses"}
ENV = Environment(user_agent="UA/1", locale="en-US", timezone="Europe/Paris")


def make_factory(clock: FakeClock | None = None, **overrides: Any) -> MessageFactory:
    store = UniversalStore([MemoryStore()])
    return MessageFactory(
        user=User(store, store, counting_ids("anon")), group_=Group(store, store),
        now=clock or FakeClock(), new_id=counting_ids("uuid"), environment=ENV, **overrides)


def make_analytics(page: dict[str, Any] | None = None, queue: Any = None,
                   **overrides: Any) -> tuple[Analytics, RecordingConsole]:
    console = RecordingConsole()
    analytics = Analytics(write_key="wk", factory=make_factory(**overrides), console=console,
                          read_page=lambda: page or PAGE, queue=queue)
    return analytics, console
