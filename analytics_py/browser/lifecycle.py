"""Page lifecycle hooks: connectivity comes back, the page becomes visible again."""

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
