"""The FFI seam: JS values into Python (by JSON, as the wire sees them) and back, and proxies."""

from __future__ import annotations

import json
from typing import Any, Callable

import js
from pyodide.ffi import JsException, JsProxy, create_proxy, jsnull, to_js

from ..core.serialize import MAX_NESTING


class ConversionError(ValueError):
    """A JS value has no JSON form (a cycle, a BigInt, a throwing toJSON)."""


def is_null(value: object) -> bool:
    """True for JS ``null`` and ``undefined`` alike."""
    return value is None or value is jsnull


def is_function(value: object) -> bool:
    return isinstance(value, JsProxy) and value.typeof == "function"


class Unrepresentable:
    """Stands for a JS value with no JSON form; the core nulls it with a console warning."""

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return self.description


def to_py(value: object) -> Any:
    """A JS argument as Python: functions stay callable proxies, objects go through JSON.

    JSON is the wire's own semantics (Dates become ISO strings, functions and ``undefined``
    vanish, NaN becomes null), the same as analytics.js. What ``JSON.stringify`` refuses
    (cycles, BigInt, a throwing ``toJSON``) is converted value by value instead, so the rest
    of the call survives and the core can report the parts it must null.
    """
    if is_null(value):
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    if is_function(value):
        return value
    try:
        text = _stringify(value)
    except JsException:
        return _to_py_value_by_value(value)
    if is_null(text):
        return None
    text = str(text)
    if text.count("{") + text.count("[") > BRACKETS_SAFE_TO_PARSE:
        return _to_py_value_by_value(value)  # maybe nested deeply: converted depth-limited instead
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _to_py_value_by_value(value)


# Parsing JSON nested thousands deep overflows the wasm stack (a RangeError no ``except`` sees);
# a text with fewer brackets than this cannot nest that deep.
BRACKETS_SAFE_TO_PARSE = 256


_STRINGIFY = js.JSON.stringify  # taken when analytics_py boots: a page replacing it later is ignored
POLLUTABLE = (js.Array.prototype, js.Object.prototype)  # a toJSON on these rewrites every value


def _stringify(value: Any) -> Any:
    """``JSON.stringify`` as the platform defines it, even on a page that put a ``toJSON`` on
    ``Array.prototype`` or ``Object.prototype`` (old Prototype.js did): it is set aside for the
    call (which runs no page code but the values' own ``toJSON``) and put back."""
    set_aside = []
    for prototype in POLLUTABLE:
        descriptor = js.Reflect.getOwnPropertyDescriptor(prototype, "toJSON")
        if not is_null(descriptor) and bool(js.Reflect.deleteProperty(prototype, "toJSON")):
            set_aside.append((prototype, descriptor))
    try:
        return _STRINGIFY(value)
    finally:
        for prototype, descriptor in set_aside:
            js.Reflect.defineProperty(prototype, "toJSON", descriptor)


def _to_py_value_by_value(value: Any) -> Any:
    def default(item: Any, convert: Callable[[Any], Any], cache: Callable[..., Any]) -> Any:
        try:
            if callable(getattr(item, "toJSON", None)):
                return convert(item.toJSON())
        except Exception as exc:  # noqa: BLE001 - the page's toJSON threw
            return Unrepresentable(f"a value whose toJSON threw ({exc})")
        if item.typeof in ("function", "symbol", "undefined"):
            return VANISHES
        return Unrepresentable(f"a JS {item.typeof} with no JSON form")

    try:  # containers below MAX_NESTING stay JS proxies; the core nulls them with a warning
        converted = value.to_py(depth=MAX_NESTING + 1, default_converter=default)  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - anything else the page can construct
        raise ConversionError(str(exc)) from None
    return _as_json_would(converted, {})


def _as_json_would(value: Any, made: dict[int, Any]) -> Any:
    """What ``JSON.stringify`` does with functions and symbols: gone from objects, null in
    arrays. A plain object whose own ``toJSON`` failed (it is still there) has no JSON form.
    Cycles are kept (each container is made once), for the core to report."""
    if not isinstance(value, (dict, list)):
        return value
    if id(value) in made:
        return made[id(value)]
    if isinstance(value, dict):
        if "toJSON" in value and _vanishes(value["toJSON"]):  # its own toJSON failed just now
            return Unrepresentable("an object whose toJSON threw")
        result: dict[str, Any] = made.setdefault(id(value), {})
        result.update((k, _as_json_would(v, made)) for k, v in value.items() if not _vanishes(v))
        return result
    items: list[Any] = made.setdefault(id(value), [])
    items.extend(None if _vanishes(v) else _as_json_would(v, made) for v in value)
    return items


VANISHES = object()  # a function, symbol or undefined: what JSON.stringify leaves out


def _vanishes(value: Any) -> bool:
    return value is VANISHES or (isinstance(value, JsProxy) and value.typeof in ("function", "symbol", "undefined"))


def to_js_value(value: object) -> Any:
    """Python data as plain JS objects and arrays (never a ``Map``)."""
    return to_js(value, dict_converter=js.Object.fromEntries)


class Proxies:
    """Makes and holds every long-lived proxy handed to JS, so none is created unowned."""

    def __init__(self) -> None:
        self.owned: list[Any] = []

    def function(self, fn: Callable[..., Any]) -> Any:
        proxy = create_proxy(fn)
        self.owned.append(proxy)
        return proxy

    def release(self, proxy: Any) -> None:
        """A proxy JS no longer holds (its listener was removed): free it."""
        self.owned = [p for p in self.owned if not (p is proxy or p == proxy)]
        proxy.destroy()


class BrowserConsole:
    """The ``Console`` port on ``console``."""

    def log(self, *parts: object) -> None:
        js.console.log(*[str(p) for p in parts])

    def warn(self, *parts: object) -> None:
        js.console.warn(*[str(p) for p in parts])

    def error(self, *parts: object) -> None:
        js.console.error(*[str(p) for p in parts])
