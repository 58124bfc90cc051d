"""trackLink / trackForm bound to real elements; the rules are in core.autotrack."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import js
from pyodide.ffi import JsProxy

from ..core.analytics import Analytics
from ..core.args import ValidationError
from ..core.autotrack import Click, should_hold_navigation
from .jsbridge import Proxies, is_function, is_null, to_py

XLINK = "http://www.w3.org/1999/xlink"
SUBMITTING = "__analyticsPySubmitting"


def elements_of(value: Any) -> list[Any]:
    """An element, an array of them, or a jQuery object (anything with ``toArray``)."""
    if is_null(value):
        return []
    if hasattr(value, "toArray") and is_function(getattr(value, "toArray")):
        value = value.toArray()
    if bool(js.Array.isArray(value)):
        return [item for item in value if not is_null(item)]
    return [value]


def _href(element: Any) -> str | None:
    for value in (element.getAttribute("href"), element.getAttributeNS(XLINK, "href"),
                  element.getAttribute("xlink:href")):
        if not is_null(value) and str(value):
            return str(value)
    anchor = element.querySelector("a[href]")
    return None if is_null(anchor) else str(anchor.getAttribute("href"))


class DomBinder:
    """Binds listeners once per element (a WeakSet remembers), through the proxy registry."""

    def __init__(self, analytics: Analytics, proxies: Proxies) -> None:
        self._analytics = analytics
        self._proxies = proxies
        self._bound = {"click": js.WeakMap.new(), "submit": js.WeakMap.new()}  # element -> listener
        self._pending: set[asyncio.Task[None]] = set()

    def track_link(self, links: Any, event: Any, properties: Any = None, options: Any = None) -> None:
        for element in self._elements(links, "trackLink"):
            self._bind(element, "click", lambda dom_event, el=element: self._clicked(
                dom_event, el, event, properties, options))

    def track_form(self, forms: Any, event: Any, properties: Any = None, options: Any = None) -> None:
        for element in self._elements(forms, "trackForm"):
            self._bind(element, "submit", lambda dom_event, el=element: self._submitted(
                dom_event, el, event, properties, options))

    def _elements(self, value: Any, method: str) -> list[Any]:
        found = elements_of(value)
        if any(not callable(getattr(el, "addEventListener", None)) for el in found):
            raise ValidationError(f"{method}: pass an element, an array of elements or a jQuery object")
        return found

    def untrack(self, elements: Any, kind: str) -> None:
        """Remove the trackLink (``click``) or trackForm (``submit``) listener of ``elements``."""
        method = "untrackLink" if kind == "click" else "untrackForm"
        for element in self._elements(elements, method):
            listener = self._bound[kind].get(element)
            if is_null(listener):
                continue
            element.removeEventListener(kind, listener)
            self._bound[kind].delete(element)
            self._proxies.release(listener)

    def _bind(self, element: Any, kind: str, handler: Callable[[Any], None]) -> None:
        if bool(self._bound[kind].has(element)):
            return
        listener = self._proxies.function(handler)
        self._bound[kind].set(element, listener)
        element.addEventListener(kind, listener)

    def _resolve(self, value: Any, element: Any) -> Any:
        """A value, or a (JS or Python) function of the element giving it."""
        result = value(element) if callable(value) else value
        return to_py(result) if isinstance(result, JsProxy) else result

    def _track(self, element: Any, event: Any, properties: Any, options: Any) -> Any:
        return self._analytics.track(self._resolve(event, element), self._resolve(properties, element),
                                     self._resolve(options, element) or {})

    def _clicked(self, dom_event: Any, element: Any, event: Any, properties: Any, options: Any) -> None:
        click = Click(href=_href(element), target=None if is_null(element.getAttribute("target"))
                      else str(element.getAttribute("target")), ctrl=bool(dom_event.ctrlKey),
                      shift=bool(dom_event.shiftKey), meta=bool(dom_event.metaKey),
                      button=int(dom_event.button or 0))
        task = self._track(element, event, properties, options)
        if should_hold_navigation(click):
            dom_event.preventDefault()
            self._after(task, lambda: setattr(js.window.location, "href", click.href))

    def _submitted(self, dom_event: Any, form: Any, event: Any, properties: Any, options: Any) -> None:
        if bool(getattr(form, SUBMITTING, False)):
            setattr(form, SUBMITTING, False)  # our own resubmission: let the browser have it
            return
        dom_event.preventDefault()
        submitter = getattr(dom_event, "submitter", None)
        task = self._track(form, event, properties, options)

        def resubmit() -> None:
            setattr(form, SUBMITTING, True)
            if is_null(submitter):
                form.requestSubmit()
            else:
                form.requestSubmit(submitter)

        self._after(task, resubmit)

    def _after(self, task: Any, action: Callable[[], None]) -> None:
        waiting = asyncio.ensure_future(self._then(task, action))
        self._pending.add(waiting)
        waiting.add_done_callback(self._pending.discard)

    async def _then(self, task: Any, action: Callable[[], None]) -> None:
        """After the track is delivered or ``timeout`` ms passed, whichever comes first."""
        timeout = self._analytics.dispatcher.timeout_ms / 1000
        if isinstance(task, asyncio.Task):
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout)
            except asyncio.TimeoutError:
                pass
        else:
            await asyncio.sleep(timeout)
        action()
