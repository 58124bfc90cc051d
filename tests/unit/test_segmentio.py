"""The Segment.io destination: endpoint, headers, wire payload and refusals."""

import asyncio
import base64
import json

from analytics_py.core.queue import RetryQueue, queue_prefix
from analytics_py.core.segmentio import MAX_IN_FLIGHT, Segmentio
from analytics_py.core.wire import SegmentioConfig, config_from
from analytics_py.core.stores import MemoryStore

from .fakes import FakeClock, RecordingConsole, RecordingTransport, run_async

Q = queue_prefix("wk")


def make_segmentio(statuses=(), identity=lambda: (None, None), online=lambda: True, clock=None):
    transport, console, clock = RecordingTransport(list(statuses)), RecordingConsole(), clock or FakeClock()
    store = MemoryStore()
    queue = RetryQueue(store, "wk", console, lambda: clock().timestamp())
    config = SegmentioConfig(api_host="127.0.0.1:9/v1", protocol="http")
    destination = Segmentio("wk", config, transport, console, clock, queue, identity=identity,
                            online=online, rng=lambda: 0.5)
    return destination, transport, console, store


def deliver(message, statuses=(), identity=lambda: (None, None)):
    destination, transport, console, _ = make_segmentio(statuses, identity)
    return run_async(destination.deliver(message)), transport, console


def test_a_track_is_posted_to_v1_t_with_write_key_and_sent_at():
    outcome, transport, _ = deliver({"type": "track", "event": "X", "messageId": "m"})
    (sent,) = transport.sent
    assert outcome.delivered and sent.url == "http://127.0.0.1:9/v1/t"
    assert sent.headers == {"Content-Type": "text/plain",
                            "Authorization": "Basic " + base64.b64encode(b"wk:").decode()}
    body = json.loads(sent.body)
    assert body["writeKey"] == "wk" and body["sentAt"] == "2026-12-03T12:00:00.123Z"
    assert body["_metadata"] == {"bundled": ["Segment.io"], "unbundled": [], "bundledIds": []}


def test_server_and_network_errors_are_retried_not_raised():
    outcome, _, console = deliver({"type": "page", "messageId": "m"}, [500])
    assert not outcome.delivered and "answered 500; retry 1" in outcome.detail and console.errors() == []
    outcome, _, console = deliver({"type": "page", "messageId": "m"}, [ConnectionError("refused")])
    assert not outcome.delivered and "could not reach" in outcome.detail


def test_an_event_over_32_kb_is_refused_before_sending():
    outcome, transport, console = deliver({"type": "track", "event": "X", "messageId": "m",
                                           "properties": {"blob": "x" * 40_000}})
    assert not outcome.delivered and transport.sent == [] and "over the 32768-byte limit" in console.errors()[0]


def test_config_from_settings_and_load_options():
    settings = {"integrations": {"Segment.io": {"apiHost": "collector.test/v1", "protocol": "http"}}}
    assert config_from(settings, {}).url("t") == "http://collector.test/v1/t"
    override = {"integrations": {"Segment.io": {"apiHost": "https://proxy.test/v1"}}}
    assert config_from(settings, override).url("p") == "https://proxy.test/v1/p"
    assert config_from({}, {}).url("i") == "https://api.segment.io/v1/i"


def test_ids_missing_at_call_time_are_filled_at_send_time():
    outcome, transport, _ = deliver({"type": "track", "event": "X", "messageId": "m", "anonymousId": "a0"},
                                    identity=lambda: ("later-user", "a1"))
    body = json.loads(transport.sent[0].body)
    assert (body["userId"], body["anonymousId"]) == ("later-user", "a0")


def test_a_failed_attempt_stays_queued_and_a_success_empties_the_queue():
    destination, transport, console, store = make_segmentio([500])
    outcome = run_async(destination.deliver({"type": "track", "event": "X", "messageId": "m1"}))
    assert not outcome.delivered and "retry 1 in 0.5 s" in outcome.detail
    assert list(store.keys()) == [Q + "m1"] and store.get(Q + "m1")["attempts"] == 1
    (item,) = destination.queue.waiting(set())
    (retried,) = run_async(destination._attempt([item]))
    assert retried.delivered and store.keys() == []
    assert transport.sent[1].headers["X-Retry-Count"] == "1"
    assert json.loads(transport.sent[1].body)["_metadata"]["retryCount"] == 1


def test_refused_events_are_dropped_with_an_error_and_not_retried():
    destination, transport, console, store = make_segmentio([400])
    outcome = run_async(destination.deliver({"type": "track", "event": "X", "messageId": "m1"}))
    assert not outcome.delivered and store.keys() == [] and "not retried" in console.errors()[0]


def test_offline_messages_wait_without_an_attempt():
    destination, transport, console, store = make_segmentio(online=lambda: False)
    outcome = run_async(destination.deliver({"type": "track", "event": "X", "messageId": "m1"}))
    assert not outcome.delivered and transport.sent == [] and store.keys() == [Q + "m1"]


def test_ten_failed_attempts_give_up_with_an_error():
    destination, transport, console, store = make_segmentio([503] * 10)
    run_async(destination.deliver({"type": "track", "event": "X", "messageId": "m1"}))
    for _ in range(9):
        (item,) = destination.queue.waiting(set())
        run_async(destination._attempt([item]))
    assert len(transport.sent) == 10 and store.keys() == []
    assert "gave up after 10 attempts" in console.errors()[-1]


class SlowTransport(RecordingTransport):
    """Answers after a short wait, so requests overlap as they do on a real network."""

    async def send(self, url, body, headers, *, keepalive=False):
        await asyncio.sleep(0.01)
        return await super().send(url, body, headers, keepalive=keepalive)


def burst(count, statuses=()):
    destination, _, console, store = make_segmentio()
    transport = destination._transport = SlowTransport(list(statuses))

    async def send_all():
        return await asyncio.gather(*(destination.deliver({"type": "track", "event": "B", "messageId": f"m{i}"})
                                      for i in range(count)))

    return run_async(send_all()), transport, store


def test_a_burst_fills_the_window_with_single_requests_then_the_backlog_leaves_in_one_batch():
    outcomes, transport, store = burst(MAX_IN_FLIGHT + 30)
    assert all(o.delivered for o in outcomes) and store.keys() == []
    singles = [s for s in transport.sent if s.url.endswith("/v1/t")]
    batches = [json.loads(s.body)["batch"] for s in transport.sent if s.url.endswith("/v1/b")]
    assert len(singles) == MAX_IN_FLIGHT and [len(b) for b in batches] == [30]
    sent_ids = [json.loads(s.body)["messageId"] for s in singles] + [e["messageId"] for b in batches for e in b]
    assert sorted(sent_ids) == sorted(f"m{i}" for i in range(MAX_IN_FLIGHT + 30))  # each once


def test_events_up_to_the_window_each_get_their_own_request():
    outcomes, transport, _ = burst(MAX_IN_FLIGHT)
    assert all(o.delivered for o in outcomes) and len(transport.sent) == MAX_IN_FLIGHT
    assert {s.url for s in transport.sent} == {"http://127.0.0.1:9/v1/t"}


def test_a_backlog_batch_that_fails_leaves_each_of_its_events_queued_for_a_retry():
    outcomes, transport, store = burst(MAX_IN_FLIGHT + 5, statuses=[200] * MAX_IN_FLIGHT + [503])
    failed = [o for o in outcomes if not o.delivered]
    assert len(failed) == 5 and all("answered 503; retry 1" in o.detail for o in failed)
    assert sorted(store.keys()) == sorted(Q + f"m{i}" for i in range(MAX_IN_FLIGHT, MAX_IN_FLIGHT + 5))


def test_an_event_cancelled_while_waiting_for_a_slot_is_left_for_the_run_loop():
    destination, _, _, store = make_segmentio()
    destination._transport = SlowTransport()

    async def cancel_one():
        tasks = [asyncio.ensure_future(destination.deliver({"type": "track", "event": "B", "messageId": f"m{i}"}))
                 for i in range(MAX_IN_FLIGHT + 1)]
        await asyncio.sleep(0)
        tasks[-1].cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return destination._in_flight, destination._backlog

    in_flight, backlog = run_async(cancel_one())
    assert in_flight == set() and backlog == {}
    assert store.keys() == [Q + f"m{MAX_IN_FLIGHT}"]  # still queued, so nothing is lost
