"""The durable retry queue: one key per message, tolerant loading, bounds."""

from analytics_py.core.queue import MAX_ITEMS, Pending, RetryQueue, queue_prefix
from analytics_py.core.stores import MemoryStore

from .fakes import RecordingConsole

Q = queue_prefix("wk")


def message(n: int, size: int = 0) -> dict:
    return {"type": "track", "messageId": f"m{n:04d}", "timestamp": f"2026-01-01T00:00:{n % 60:02d}.{n:03d}Z",
            "properties": {"blob": "x" * size}}


def test_each_message_has_its_own_key_and_a_new_page_loads_them():
    store, console = MemoryStore(), RecordingConsole()
    first = RetryQueue(store, "wk", console, lambda: 100.0, tab_id="first-page")
    first.put(Pending(message(1), 0, 50.0))
    first.put(Pending(message(2), 3, 150.0))
    assert sorted(store.keys()) == ["analytics_py:v1:wk:queue:m0001", "analytics_py:v1:wk:queue:m0002"]
    store.set("analytics_py:v1:wk:queue:broken", {"not": "a pending item"})
    store.set("analytics_py:v1:other-key:queue:m9", Pending(message(9), 0, 0).as_json())
    second = RetryQueue(store, "wk", console, lambda: 100.0, tab_id="second-page")
    assert second.load() == 2  # the first page never sent a heartbeat: it is gone
    assert [i.message_id for i in second.due()] == ["m0001"]
    assert "analytics_py:v1:wk:queue:broken" not in store.keys()
    second.remove("m0001")
    assert len(second) == 1 and "analytics_py:v1:wk:queue:m0001" not in store.keys()


def test_beyond_100_events_the_newest_wait_in_memory_and_are_stored_as_room_frees():
    store, console = MemoryStore(), RecordingConsole()
    queue = RetryQueue(store, "wk", console, lambda: 0.0)
    for n in range(150):
        queue.put(Pending(message(n), 0, 0.0))
    assert len(queue) == 150 and len(store.keys()) == MAX_ITEMS
    assert Q + "m0000" in store.keys() and Q + "m0149" not in store.keys()
    (warning,) = [text for level, text in console.lines if level == "warn"]
    assert "kept in memory only" in warning and console.errors() == []
    for n in range(60):
        queue.remove(f"m{n:04d}")
    assert len(queue) == 90 and len(store.keys()) == 90 and Q + "m0149" in store.keys()
    assert [i.message_id for i in queue.due()][:2] == ["m0060", "m0061"]


def test_the_byte_cap_bounds_what_is_stored_not_what_is_sent():
    store, console = MemoryStore(), RecordingConsole()
    queue = RetryQueue(store, "wk", console, lambda: 0.0)
    for n in range(60):
        queue.put(Pending(message(n, size=30_000), 0, 0.0))
    assert len(queue) == 60 and len(store.keys()) < 40 and Q + "m0000" in store.keys()
    (item,) = [i for i in queue.due() if i.message_id == "m0059"]
    assert queue.still_mine(item)  # memory-only: no other tab can have taken it


def test_past_the_memory_bound_new_events_are_refused_with_one_error(monkeypatch):
    monkeypatch.setattr("analytics_py.core.queue.MAX_MEMORY_ITEMS", 120)
    store, console = MemoryStore(), RecordingConsole()
    queue = RetryQueue(store, "wk", console, lambda: 0.0)
    for n in range(130):
        queue.put(Pending(message(n), 0, 0.0))
    assert len(queue) == 120 and "m0125" in queue.evicted and "m0119" not in queue.evicted
    assert len(console.errors()) == 1 and "holds 120 undelivered events" in console.errors()[0]


def test_a_live_tab_keeps_its_messages_and_a_dead_one_loses_them():
    store, console, clock = MemoryStore(), RecordingConsole(), [100.0]
    alive = RetryQueue(store, "wk", console, lambda: clock[0], tab_id="alive")
    other = RetryQueue(store, "wk", console, lambda: clock[0], tab_id="other")
    alive.heartbeat()
    alive.put(Pending(message(1), 0, 100.0))
    assert other.load() == 0
    clock[0] += 6  # no heartbeat for longer than STALE_AFTER_S
    assert other.load() == 1 and store.get(Q + "m0001")["owner"] == "other"
    (item,) = alive.due()
    assert not alive.still_mine(item) and len(alive) == 0


def test_a_released_tab_hands_over_at_once():
    store, console = MemoryStore(), RecordingConsole()
    leaving = RetryQueue(store, "wk", console, lambda: 100.0, tab_id="leaving")
    leaving.heartbeat()
    leaving.put(Pending(message(1), 0, 100.0))
    leaving.release()
    assert RetryQueue(store, "wk", console, lambda: 100.0, tab_id="next").load() == 1
