"""The bad-input matrix: wrong types, odd values and floods through both faces, in one page each.

Each case has a documented result (the README's "Guarantees" table is this list): *sent*, with
the value normalised as checked here, or *refused* with one console error naming the call and
the reason. Across the whole matrix the page sees no uncaught error, and a final valid event
is still delivered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from .conftest import wait_for_ready


@dataclass(frozen=True)
class Case:
    call: str  # JS statements, run through window.analytics
    sent: str | None = None  # the event (track name, or page name) that must arrive; None: refused
    says: str | None = None  # text of the console error or warning this case must print
    check: Callable[[dict[str, Any]], bool] | None = None  # on the delivered payload


def props(expected):
    return lambda event: event["properties"] == expected


JS_CASES = {
    "track()": Case("analytics.track()", says="track: the event name is missing"),
    "track(42)": Case("analytics.track(42)", says="not a string (int)"),
    "track(null)": Case("analytics.track(null)", says="track: the event name is missing"),
    "track([])": Case("analytics.track([])", says="not a string (list)"),
    "track(function)": Case("analytics.track(() => 1)", says="track: the event name is missing"),
    "track(a DOM node)": Case("analytics.track(document.body)", says="track: the event name is missing"),
    "track('')": Case("analytics.track('')", says="track: the event name is missing"),
    "track('   ')": Case("analytics.track('   ')", says="is blank"),
    "track(Symbol)": Case("analytics.track(Symbol('s'))", says="track: the event name is missing"),
    "track(BigInt)": Case("analytics.track(10n)", says="not a string (int)"),
    "a 40 KB event name": Case("analytics.track('x'.repeat(40000))", says="over the 32768-byte limit"),
    "40 KB of properties": Case("analytics.track('Too Big', {blob: 'x'.repeat(40000)})",
                                says="over the 32768-byte limit"),
    "properties: a number": Case("analytics.track('Props Number', 42)", "Props Number", check=props({})),
    "properties: an array": Case("analytics.track('Props Array', [1, 2])", "Props Array", check=props({})),
    "properties: null": Case("analytics.track('Props Null', null)", "Props Null", check=props({})),
    "properties: a string": Case("analytics.track('Props String', 'str')", "Props String", check=props({})),
    "NaN and infinities": Case("analytics.track('Not Numbers', {a: NaN, b: Infinity, c: -Infinity})",
                               "Not Numbers", check=props({"a": None, "b": None, "c": None})),
    "a BigInt property": Case("analytics.track('Big', {n: 10n, ok: 1})", "Big", check=props({"n": 10, "ok": 1})),
    "a Symbol property": Case("analytics.track('Sym', {s: Symbol('x'), ok: 1})", "Sym", check=props({"ok": 1})),
    "a cyclic object": Case("const o = {name: 'loop'}; o.self = o; analytics.track('Cyclic', o)", "Cyclic",
                            says="refers back to itself", check=props({"name": "loop", "self": None})),
    "5,000 levels of nesting": Case(
        "let d = {}; for (let i = 0; i < 5000; i++) d = {d}; analytics.track('Deep', d)", "Deep",
        says="nested deeper than 32 levels", check=lambda e: json.dumps(e["properties"]).count("{") == 32),
    "functions in properties": Case("analytics.track('Fns', {f: () => 1, ok: 1})", "Fns", check=props({"ok": 1})),
    "a Date": Case("analytics.track('Dated', {d: new Date(0)})", "Dated",
                   check=props({"d": "1970-01-01T00:00:00.000Z"})),
    "a DOM node property": Case("analytics.track('Node', {el: document.body})", "Node", check=props({"el": {}})),
    "a throwing toJSON": Case("analytics.track('Throws', {x: {toJSON() { throw new Error('no'); }}, ok: 1})",
                              "Throws", says="toJSON threw", check=props({"x": None, "ok": 1})),
    "Map, Set, typed array": Case(
        "analytics.track('Collections', {m: new Map([[1, 2]]), s: new Set([1]), t: new Uint8Array([7])})",
        "Collections", check=props({"m": {}, "s": {}, "t": {"0": 7}})),
    "options: a number": Case("analytics.track('Options Number', {a: 1}, 42)", "Options Number",
                              check=props({"a": 1})),
    "options.context: a string": Case("analytics.track('Context String', {}, {context: 'str'})",
                                      "Context String", check=lambda e: "page" in e["context"]),
    "options.integrations: a string": Case("analytics.track('Integrations String', {}, {integrations: 'all'})",
                                           "Integrations String", check=lambda e: e["integrations"] == {}),
    "options.timestamp: a number": Case("analytics.track('Timestamp Number', {}, {timestamp: 42})",
                                        "Timestamp Number", check=lambda e: e["timestamp"].endswith("Z")),
    "options.messageId: an object": Case("analytics.track('MessageId Object', {}, {messageId: {}})",
                                         "MessageId Object", check=lambda e: e["messageId"].startswith("ajs-py-")),
    "a callback that is not a function": Case("analytics.track('Callback Number', {}, {}, 42)", "Callback Number"),
    "identify(42)": Case("analytics.identify(42, {}, {context: {case: 'identify(42)'}})",
                         check=lambda e: e["userId"] == "42"),
    "identify(traits: a string)": Case("analytics.identify('u-string', 'traits')"),
    "identify([array])": Case("analytics.identify(['a'])"),
    "group(null)": Case("analytics.group(null)"),
    "alias(null)": Case("analytics.alias(null)", says="alias: the new user id is missing"),
    "alias({})": Case("analytics.alias({})", says="alias: the new user id is missing"),
    "page(42)": Case("analytics.page(42, 'Page After Number')", "Page After Number"),
    "screen([array])": Case("analytics.screen(['x'], 'Screen After Array')", "Screen After Array"),
    "setAnonymousId({})": Case("analytics.setAnonymousId({})", says="setAnonymousId: expected a string id"),
    "timeout('soon')": Case("analytics.timeout('soon')", says="timeout: expected a number"),
    "timeout(-1)": Case("analytics.timeout(-1)", says="timeout: expected a number"),
    "on(42, fn)": Case("analytics.on(42, () => {})", says="on: expected (event name, function)"),
    "on('track', 42)": Case("analytics.on('track', 42)", says="on: expected (event name, function)"),
    "ready(42)": Case("analytics.ready(42)", says="ready: the callback is not a function"),
    "trackLink(42)": Case("analytics.trackLink(42, 'x')", says="trackLink: pass an element"),
    "trackForm('form')": Case("analytics.trackForm('form', 'x')", says="trackForm: pass an element"),
    "register(42)": Case("analytics.register(42)", says="register: expected a plugin object"),
    "addSourceMiddleware(null)": Case("analytics.addSourceMiddleware(null)", says="middleware must be a function"),
    "addDestinationMiddleware(42, fn)": Case("analytics.addDestinationMiddleware(42, () => {})",
                                             says="addDestinationMiddleware: the first argument"),
    "user().id({})": Case("analytics.user().id({}); analytics.identify('after-bad-id')"),
    # Last: its error comes once the callback runs, after the 300 ms timeout.
    "a callback that throws": Case("analytics.track('Callback Throws', {}, {}, () => { throw new Error('cb'); })",
                                   "Callback Throws", says="a track callback raised"),
}


def run_matrix(page, cases: dict[str, Case], console_lines: list[str]) -> dict[str, list[str]]:
    """Each case's console lines (errors and warnings), in one page."""
    said: dict[str, list[str]] = {}
    for name, case in cases.items():
        start = len(console_lines)
        page.evaluate(f"() => {{ {case.call}; }}")
        page.wait_for_timeout(20)
        said[name] = [line for line in console_lines[start:] if line.startswith(("error", "warning"))]
    return said


def check_cases(cases, said, events, console_lines) -> list[str]:
    problems = []
    by_name = {e.get("event") or e.get("name"): e for e in events}
    for name, case in cases.items():
        lines = said[name]
        if case.says is not None and not any(case.says in line for line in lines + console_lines[-400:]):
            problems.append(f"{name}: no console line says {case.says!r}: {lines}")
        if case.sent is not None:
            event = by_name.get(case.sent)
            if event is None:
                problems.append(f"{name}: {case.sent!r} was not delivered")
            elif case.check is not None and not case.check(event):
                problems.append(f"{name}: delivered as {json.dumps(event.get('properties'))}")
        elif case.says is not None and "over the 32768" not in case.says:
            refused = [line for line in lines if line.startswith("error") and "analytics_py" in line]
            if len(refused) != 1:
                problems.append(f"{name}: expected one console error, got {lines}")
    return problems


def test_the_javascript_matrix(page, site, collector, write_key, console_lines, page_errors):
    assert len(JS_CASES) >= 40
    page.goto(site.page(write_key=write_key))
    wait_for_ready(page)
    said = run_matrix(page, JS_CASES, console_lines)
    page.evaluate("analytics.track('Matrix Done', {ok: true})")
    collector.wait_for(write_key, 1, named="Matrix Done")
    page.wait_for_timeout(500)
    events = collector.events(write_key)
    problems = check_cases(JS_CASES, said, events, console_lines)
    assert not problems, "\n".join(problems)
    assert page_errors == []


BATCHES = {"integrations": {"Segment.io": {"deliveryStrategy": {"strategy": "batching",
                                                              "config": {"size": 100, "timeout": 1000}}}}}


def test_ten_thousand_calls_in_a_tight_loop_all_arrive(page, site, collector, write_key, console_lines, page_errors):
    page.goto(site.page(write_key=write_key, load_options=BATCHES))
    wait_for_ready(page)
    page.evaluate("() => { for (let i = 0; i < 10000; i++) analytics.track('Loop', {i}); }")
    page.evaluate("analytics.track('After The Loop')")
    events = collector.wait_for(write_key, 10_001, timeout=600)
    loop = sorted(e["properties"]["i"] for e in events if e["event"] == "Loop")
    assert loop == list(range(10_000)) and page_errors == []
    assert sum("kept in memory only" in line for line in console_lines) == 1
    assert collector.store.repeats.get(write_key, 0) == 0


PYTHON_MATRIX = """
<script type="py">
import json
from decimal import Decimal

import js
from analytics_py import analytics

cyclic = {"name": "loop"}
cyclic["self"] = cyclic
deep = []
for _ in range(5000):
    deep = [deep]

CASES = {
    "track(None)": lambda: analytics.track(None),
    "track(42)": lambda: analytics.track(42),
    "track('')": lambda: analytics.track(""),
    "track('  ')": lambda: analytics.track("  "),
    "track(object())": lambda: analytics.track(object()),
    "a set and a tuple": lambda: analytics.track("Py Collections", {"s": {1}, "t": (1, 2)}),
    "Decimal NaN and sNaN": lambda: analytics.track("Py Decimals", {"a": Decimal("NaN"), "b": Decimal("sNaN"),
                                                                   "c": Decimal("1.5")}),
    "an object without JSON": lambda: analytics.track("Py Object", {"o": object(), "ok": 1}),
    "bytes and complex": lambda: analytics.track("Py Bytes", {"b": b"x", "c": 1j}),
    "a cyclic dict": lambda: analytics.track("Py Cyclic", cyclic),
    "5,000 levels of lists": lambda: analytics.track("Py Deep", {"d": deep}),
    "a 40 KB event": lambda: analytics.track("Py Too Big", {"blob": "x" * 40_000}),
    "properties=42": lambda: analytics.track("Py Props Number", 42),
    "options='x'": lambda: analytics.track("Py Options String", {}, "x"),
    "callback=42": lambda: analytics.track("Py Callback Number", {}, {}, 42),
    "identify(object())": lambda: analytics.identify(object()),
    "group([])": lambda: analytics.group([]),
    "alias(None)": lambda: analytics.alias(None),
    "page(42)": lambda: analytics.page(42, "Py Page After Number"),
    "timeout('x')": lambda: analytics.timeout("x"),
    "on(1, 2)": lambda: analytics.on(1, 2),
    "register(42)": lambda: analytics.register(42),
    "register(object)": lambda: analytics.register(object),
    "add_source_middleware(None)": lambda: analytics.add_source_middleware(None),
    "add_destination_middleware(1)": lambda: analytics.add_destination_middleware(1),
    "track_link(42)": lambda: analytics.track_link(42, "x"),
    "set_anonymous_id({})": lambda: analytics.set_anonymous_id({}),
    "ready(42)": lambda: analytics.ready(42),
}
escaped = []
for name, call in CASES.items():
    try:
        call()
    except BaseException as exc:
        escaped.append(f"{name}: {exc!r}")
analytics.track("Py Matrix Done")
js.window.pyMatrix = json.dumps({"escaped": escaped, "count": len(CASES)})
</script>
"""


def test_the_python_matrix(page, site, collector, write_key, console_lines, page_errors):
    page.goto(site.page(write_key=write_key, body=PYTHON_MATRIX))
    page.wait_for_function("window.pyMatrix", timeout=60_000)
    result = json.loads(page.evaluate("window.pyMatrix"))
    assert result["escaped"] == [] and result["count"] >= 25
    collector.wait_for(write_key, 1, named="Py Matrix Done")
    page.wait_for_timeout(500)
    events = {e.get("event") or e.get("name"): e for e in collector.events(write_key)}
    assert events["Py Collections"]["properties"] == {"s": [1], "t": [1, 2]}
    assert events["Py Decimals"]["properties"] == {"a": None, "b": None, "c": 1.5}
    assert events["Py Object"]["properties"] == {"o": None, "ok": 1}
    assert events["Py Bytes"]["properties"] == {"b": None, "c": None}
    assert events["Py Cyclic"]["properties"] == {"name": "loop", "self": None}
    assert json.dumps(events["Py Deep"]["properties"]).count("[") == 31
    assert "Py Too Big" not in events and events["Py Props Number"]["properties"] == {}
    assert "Py Options String" in events and "Py Callback Number" in events
    assert "Py Page After Number" in events
    errors = [line for line in console_lines if line.startswith("error: analytics_py")]
    for text in ("track: the event name is missing", "is blank", "alias: the new user id is missing",
                 "timeout: expected a number", "on: expected (event name, function)",
                 "register: a plugin needs a non-empty string name", "addSourceMiddleware: the middleware",
                 "addDestinationMiddleware: the first argument", "trackLink: pass an element",
                 "setAnonymousId: expected a string id", "ready: the callback is not a function",
                 "over the 32768-byte limit"):
        assert any(text in line for line in errors), text
    assert page_errors == []
