"""Which stores keep identity and traits, under which keys: read from analytics.js load options.

``cookie: {domain, maxage, path, sameSite, secure}``, ``storage: {stores: [...]}``,
``user: {persist, localStorageFallbackDisabled, cookie: {key}, localStorage: {key}}``,
``group: {cookie: {key}, localStorage: {key}}`` and ``disableClientPersistence``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .identity import GROUP_KEYS, USER_KEYS, Keys

STORE_NAMES = ("localStorage", "cookie", "memory")
DEFAULT_ORDER = ("localStorage", "cookie", "memory")


@dataclass(frozen=True)
class CookieOptions:
    domain: str | None = None  # None: the top-level domain the browser accepts, probed once
    max_age_days: float = 365
    path: str = "/"
    same_site: str | None = "Lax"
    secure: bool = False


@dataclass(frozen=True)
class StoragePlan:
    identity: tuple[str, ...]  # stores for ids, in priority order; memory always last
    traits: tuple[str, ...]  # the same without cookies: traits never go into a cookie
    user_keys: Keys = USER_KEYS
    group_keys: Keys = GROUP_KEYS
    cookie: CookieOptions = CookieOptions()
    client_persistence: bool = True  # False with disableClientPersistence: nothing is stored at all


def _section(options: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = options.get(name)
    return value if isinstance(value, dict) else {}


def _key(section: Mapping[str, Any], store: str, default: str) -> str:
    key = _section(section, store).get("key")
    return key if isinstance(key, str) and key else default


def _order(options: Mapping[str, Any]) -> tuple[str, ...]:
    user = _section(options, "user")
    if options.get("disableClientPersistence") is True or user.get("persist") is False:
        return ("memory",)
    stores = _section(options, "storage").get("stores")
    order = list(DEFAULT_ORDER)
    if isinstance(stores, list) and stores and all(s in STORE_NAMES for s in stores):
        order = list(dict.fromkeys(stores))
    if user.get("localStorageFallbackDisabled") is True and "localStorage" in order:
        order.remove("localStorage")
    # Memory is the last fallback whatever the order says: a broken store never loses the ids.
    return tuple([name for name in order if name != "memory"] + ["memory"])


def _cookie(options: Mapping[str, Any]) -> CookieOptions:
    cookie = _section(options, "cookie")
    domain, maxage = cookie.get("domain"), cookie.get("maxage")
    path, same_site = cookie.get("path"), cookie.get("sameSite")
    return CookieOptions(
        domain=domain if isinstance(domain, str) and domain else None,
        max_age_days=float(maxage) if isinstance(maxage, (int, float)) and not isinstance(maxage, bool) else 365,
        path=path if isinstance(path, str) and path else "/",
        same_site=same_site if isinstance(same_site, str) and same_site else "Lax",
        secure=cookie.get("secure") is True,
    )


def storage_plan(options: Mapping[str, Any]) -> StoragePlan:
    """The plan the load options ask for; unknown or malformed options keep the defaults."""
    order = _order(options)
    user, group = _section(options, "user"), _section(options, "group")
    return StoragePlan(
        identity=order,
        traits=tuple(name for name in order if name != "cookie"),
        user_keys=Keys(id=_key(user, "cookie", USER_KEYS.id), traits=_key(user, "localStorage", USER_KEYS.traits)),
        group_keys=Keys(id=_key(group, "cookie", GROUP_KEYS.id),
                        traits=_key(group, "localStorage", GROUP_KEYS.traits)),
        cookie=_cookie(options),
        client_persistence=options.get("disableClientPersistence") is not True,
    )
