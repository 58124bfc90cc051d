"""``analytics.on / once / off``: listeners of the calls the page makes, never able to break it."""

from __future__ import annotations

from typing import Any, Callable

Listener = Callable[..., object]


class Emitter:
    """Named events with ordered listeners; a listener that raises is reported and skipped."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self._listeners: dict[str, list[tuple[Listener, bool]]] = {}
        self._report = report

    def on(self, name: str, listener: Listener) -> None:
        self._listeners.setdefault(name, []).append((listener, False))

    def once(self, name: str, listener: Listener) -> None:
        self._listeners.setdefault(name, []).append((listener, True))

    def off(self, name: str, listener: Listener | None = None) -> None:
        """Remove one listener (compared with ``==``), or all of ``name`` when none is given."""
        if listener is None:
            self._listeners.pop(name, None)
            return
        kept = [(fn, one) for fn, one in self._listeners.get(name, []) if not fn == listener]
        self._listeners[name] = kept

    def emit(self, name: str, *args: Any) -> None:
        listeners = self._listeners.get(name, [])
        self._listeners[name] = [(fn, one) for fn, one in listeners if not one]
        for listener, _ in listeners:
            try:
                listener(*args)
            except Exception as exc:  # noqa: BLE001 - a page's listener must not break the call
                self._report(f"analytics_py: an on('{name}') listener raised {exc!r}")
