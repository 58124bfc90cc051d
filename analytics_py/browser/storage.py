"""Cookie and localStorage stores with analytics.js's encodings; every access is guarded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import js

from ..core import cookies
from ..core.ports import Console, Store
from ..core.serialize import to_json
from ..core.storage_plan import StoragePlan
from ..core.stores import MemoryStore, UniversalStore
from .entry import Entry
from .jsbridge import is_null

PROBE_COOKIE = "__tld__"


def _decode(text: str) -> object:
    """Stored JSON back to a value; text that is not JSON (analytics.js cookies) stays text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


class FailureNotice:
    """Reports the first failure of one kind of store once, so a broken store never floods the console."""

    def __init__(self, console: Console, label: str) -> None:
        self._console = console
        self._label = label
        self._warned = False

    def failed(self, action: str, key: str, exc: BaseException) -> None:
        if not self._warned:
            self._warned = True
            self._console.warn(
                f"analytics_py: {self._label} is unavailable ({action} {key}: {exc}); "
                "falling back to the next store"
            )


class LocalStorageStore:
    """``window.localStorage``, values always JSON-encoded (``"id"`` with its quotes)."""

    def __init__(self, console: Console) -> None:
        self._notice = FailureNotice(console, "localStorage")

    def get(self, key: str) -> object | None:
        try:
            raw = js.localStorage.getItem(key)
        except Exception as exc:  # noqa: BLE001 - SecurityError in sandboxes, missing storage
            self._notice.failed("reading", key, exc)
            return None
        return None if is_null(raw) else _decode(str(raw))

    def set(self, key: str, value: object) -> None:
        if value is None:
            self.remove(key)
            return
        try:
            js.localStorage.setItem(key, to_json(value))
        except Exception as exc:  # noqa: BLE001 - QuotaExceededError, SecurityError
            self._notice.failed("writing", key, exc)

    def remove(self, key: str) -> None:
        try:
            js.localStorage.removeItem(key)
        except Exception as exc:  # noqa: BLE001
            self._notice.failed("removing", key, exc)

    def keys(self) -> list[str]:
        try:
            storage = js.localStorage
            return [str(storage.key(i)) for i in range(int(storage.length))]
        except Exception as exc:  # noqa: BLE001
            self._notice.failed("listing", "keys", exc)
            return []


class CookieJar:
    """``document.cookie`` itself, shared by the cookie stores: read each time (another tab or
    script may change it) but parsed only when the string changed; within a call from the page,
    the string the snippet read as the call came in (``entry``). Failures are reported once."""

    def __init__(self, console: Console, entry: Entry) -> None:
        self._notice = FailureNotice(console, "document.cookie")
        self._entry = entry
        self._last: tuple[str, dict[str, str]] = ("", {})

    def read_all(self) -> dict[str, str]:
        raw = self._entry.cookie()
        if raw is None:
            try:
                raw = str(js.document.cookie)
            except Exception as exc:  # noqa: BLE001 - cookies disabled or the getter removed
                self._notice.failed("reading", "cookies", exc)
                return {}
        if raw != self._last[0]:
            self._last = (raw, cookies.parse(raw))
        return self._last[1]

    def write(self, key: str, assignment: str) -> None:
        self._entry.forget_cookie()
        try:
            js.document.cookie = assignment
        except Exception as exc:  # noqa: BLE001
            self._notice.failed("writing", key, exc)


class CookieStore:
    """Cookies with one set of attributes: strings raw, other values as JSON; 365 days, ``/``,
    Lax by default."""

    def __init__(
        self, jar: CookieJar, *, domain: str | None, max_age_days: float = 365, path: str = "/",
        same_site: str | None = "Lax", secure: bool = False,
    ) -> None:
        self._jar = jar
        self._attributes = {"domain": domain, "path": path, "same_site": same_site, "secure": secure}
        self._max_age_days = max_age_days

    def _write(self, key: str, text: str, max_age_days: float) -> None:
        self._jar.write(key, cookies.format_cookie(
            key, text, max_age_days=max_age_days, **self._attributes))  # type: ignore[arg-type]

    def get(self, key: str) -> object | None:
        text = self._jar.read_all().get(key)
        return None if text is None or text == "" else _decode(text)

    def set(self, key: str, value: object) -> None:
        if value is None:
            self.remove(key)
            return
        self._write(key, value if isinstance(value, str) else to_json(value), self._max_age_days)

    def remove(self, key: str) -> None:
        self._write(key, "", -1)


@lru_cache(maxsize=None)
def cookie_domain(hostname: str) -> str | None:
    """The widest domain the browser accepts a cookie on, found once per page by probing."""
    for candidate in cookies.domain_candidates(hostname):
        try:
            js.document.cookie = cookies.format_cookie(
                PROBE_COOKIE, "1", max_age_days=None, domain=candidate)
            found = cookies.parse(str(js.document.cookie)).get(PROBE_COOKIE) == "1"
            if found:
                js.document.cookie = cookies.format_cookie(
                    PROBE_COOKIE, "", max_age_days=-1, domain=candidate)
                return candidate
        except Exception:  # noqa: BLE001 - no cookies at all: host-only, like analytics.js
            return None
    return None


@dataclass(frozen=True)
class Stores:
    ids: UniversalStore
    traits: UniversalStore
    queue: LocalStorageStore | MemoryStore  # where undelivered events wait
    page_cookies: CookieStore  # other cookies analytics.js reads and writes (``_ga``, the ad referrer)


def make_stores(plan: StoragePlan, console: Console, hostname: str, entry: Entry) -> Stores:
    """The stores the plan names, and the page's other cookies. Each kind of storage warns once
    when it fails: one localStorage store, one cookie jar under both cookie stores."""
    cookie = plan.cookie
    jar = CookieJar(console, entry)
    memory = MemoryStore()
    available: dict[str, Store] = {"memory": memory}
    local = LocalStorageStore(console) if "localStorage" in plan.identity else None
    if local is not None:
        available["localStorage"] = local
    if "cookie" in plan.identity:
        available["cookie"] = CookieStore(
            jar, domain=cookie.domain or cookie_domain(hostname), max_age_days=cookie.max_age_days,
            path=cookie.path, same_site=cookie.same_site, secure=cookie.secure)
    return Stores(
        ids=UniversalStore([available[name] for name in plan.identity], authority=available.get("cookie")),
        traits=UniversalStore([available[name] for name in plan.traits]),
        queue=local if local is not None else MemoryStore(),
        # analytics.js keeps the ad referrer on the top-level domain whatever the cookie options
        # say; its expiry (meant as a year, read by js-cookie as days) is a year here.
        page_cookies=CookieStore(jar, domain=cookie_domain(hostname), same_site=None),
    )
