"""Page lifecycle hooks: connectivity comes back, the page hides, the page goes away."""

from __future__ import annotations

from typing import Callable

import js

from .jsbridge import Proxies


def is_online() -> bool:
    return bool(js.navigator.onLine)


def on_reconnect(wake: Callable[[], None], proxies: Proxies) -> None:
    """Call ``wake`` on the ``online`` event and whenever the page turns visible."""
    js.window.addEventListener("online", proxies.function(lambda event: wake()))

    def visibility(event: object) -> None:
        if str(js.document.visibilityState) == "visible":
            wake()

    js.document.addEventListener("visibilitychange", proxies.function(visibility))


def on_hide(flush: Callable[[], None], leave: Callable[[], None], proxies: Proxies) -> None:
    """``flush`` when the page turns hidden or is being left; ``leave`` too on ``pagehide``.

    Both run synchronously inside the event: work after an ``await`` might never run.
    """
    def hidden(event: object) -> None:
        if str(js.document.visibilityState) == "hidden":
            flush()

    def pagehide(event: object) -> None:
        flush()
        leave()

    js.document.addEventListener("visibilitychange", proxies.function(hidden))
    js.window.addEventListener("pagehide", proxies.function(pagehide))
