"""The Segment.io destination: endpoint, headers, wire payload and refusals."""

import asyncio
import base64
import json

from analytics_py.core.segmentio import Segmentio, SegmentioConfig, config_from

from .fakes import FakeClock, RecordingConsole, RecordingTransport, run_async


def deliver(message, statuses=(), identity=lambda: (None, None)):
    transport, console = RecordingTransport(list(statuses)), RecordingConsole()
    config = SegmentioConfig(api_host="127.0.0.1:9/v1", protocol="http")
    destination = Segmentio("wk", config, transport, console, FakeClock(), identity)
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


def test_errors_are_reported_not_raised():
    outcome, _, console = deliver({"type": "page", "messageId": "m"}, [500])
    assert not outcome.delivered and "answered 500" in console.errors()[0]
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
