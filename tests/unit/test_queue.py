"""The durable retry queue: one key per message, tolerant loading, bounds."""

from analytics_py.core.queue import MAX_ITEMS, Pending, RetryQueue, queue_prefix
from analytics_py.core.stores import MemoryStore

from .fakes import RecordingConsole


def message(n: int, size: int = 0) -> dict:
    return {"type": "track", "messageId": f"m{n:04d}", "timestamp": f"2026-01-01T00:00:{n % 60:02d}.{n:03d}Z",
            "properties": {"blob": "x" * size}}


def test_each_message_has_its_own_key_and_a_new_page_loads_them():
    store, console = MemoryStore(), RecordingConsole()
    first = RetryQueue(store, queue_prefix("wk"), console, lambda: 100.0)
    first.put(Pending(message(1), 0, 50.0))
    first.put(Pending(message(2), 3, 150.0))
    assert sorted(store.keys()) == ["analytics_py:v1:wk:queue:m0001", "analytics_py:v1:wk:queue:m0002"]
    store.set("analytics_py:v1:wk:queue:broken", {"not": "a pending item"})
    store.set("analytics_py:v1:other-key:queue:m9", Pending(message(9), 0, 0).as_json())
    second = RetryQueue(store, queue_prefix("wk"), console, lambda: 100.0)
    assert second.load() == 2
    assert [i.message_id for i in second.due()] == ["m0001"]
    assert "analytics_py:v1:wk:queue:broken" not in store.keys()
    second.remove("m0001")
    assert len(second) == 1 and "analytics_py:v1:wk:queue:m0001" not in store.keys()


def test_the_queue_keeps_the_newest_100_and_reports_the_loss():
    store, console = MemoryStore(), RecordingConsole()
    queue = RetryQueue(store, "q:", console, lambda: 0.0)
    for n in range(150):
        queue.put(Pending(message(n), 0, 0.0))
    assert len(queue) == MAX_ITEMS and len(store.keys()) == MAX_ITEMS
    assert "q:m0000" not in store.keys() and "q:m0149" in store.keys()
    assert len(console.errors()) == 50 and "dropped the 1 oldest" in console.errors()[0]


def test_the_byte_cap_bounds_large_events():
    store, console = MemoryStore(), RecordingConsole()
    queue = RetryQueue(store, "q:", console, lambda: 0.0)
    for n in range(60):
        queue.put(Pending(message(n, size=30_000), 0, 0.0))
    assert len(queue) < 40 and "q:m0059" in store.keys()
