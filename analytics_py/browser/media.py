"""``Html5Media``: the opt-in plugin that tracks a ``<video>``/``<audio>`` element with the
Video Spec events (the state machine is ``core.media``)."""

from __future__ import annotations

import uuid
from typing import Any, Mapping

import js
from pyodide.ffi import create_proxy

from ..core.args import ValidationError
from ..core.media import MEDIA_EVENTS, MediaSession, PlayerState
from ..core.version import VERSION
from .jsbridge import is_null


def is_media_element(value: Any) -> bool:
    return not is_null(value) and bool(js.HTMLMediaElement.prototype.isPrototypeOf(value))


class Html5Media:
    """``analytics.register(Html5Media(element, {"title": ...}))``: each playback, pause, seek,
    buffering and end of ``element`` is tracked; ``properties`` go into every event."""

    name = "HTML5 Media"
    type = "utility"
    version = VERSION

    def __init__(self, element: Any, properties: Mapping[str, Any] | None = None) -> None:
        if not is_media_element(element):
            raise ValidationError("Html5Media: expected a <video> or <audio> element")
        if properties is not None and not isinstance(properties, Mapping):
            raise ValidationError("Html5Media: properties must be an object")
        self._element = element
        self._session = MediaSession(str(uuid.uuid4()), properties or {})
        self._listeners: list[tuple[str, Any]] = []
        self._analytics: Any = None

    def load(self, ctx: Any, analytics: Any) -> None:
        self._analytics = analytics
        for name in MEDIA_EVENTS:
            listener = create_proxy(lambda event, name=name: self._on(name))
            self._element.addEventListener(name, listener)
            self._listeners.append((name, listener))

    def is_loaded(self) -> bool:
        return bool(self._listeners)

    def unload(self) -> None:
        for name, listener in self._listeners:
            self._element.removeEventListener(name, listener)
            listener.destroy()
        self._listeners = []

    def _on(self, dom_event: str) -> None:
        try:
            self._track(dom_event)
        except Exception as exc:  # noqa: BLE001 - a DOM listener must never throw into the page
            js.console.error(f"analytics_py: Html5Media could not read a {dom_event} event: {exc!r}")

    def _track(self, dom_event: str) -> None:
        element = self._element
        state = PlayerState(
            position=float(element.currentTime), duration=float(element.duration),
            volume=float(element.volume), muted=bool(element.muted),
            full_screen=not is_null(js.document.fullscreenElement)
            and bool(js.document.fullscreenElement.isSameNode(element)))
        for event, properties in self._session.on(dom_event, state):
            self._analytics.track(event, properties)
