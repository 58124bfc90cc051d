"""The composition root: read the snippet's write key and options, wire the parts, take over.

``start()`` is what the snippet's ``<script type="py">`` runs; ``instance()`` is what
``from analytics_py import analytics`` returns. Both build the one page instance once.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone
from typing import Any

import js

from ..core.analytics import Analytics
from ..core.identity import Group, User
from ..core.messages import MessageFactory
from ..core.ports import TransportError
from ..core.querystring import query_calls
from ..core.queue import RetryQueue
from ..core.destinations import bundled_destinations, schema_filter, segmentio_enabled
from ..core.plugins import Plugin
from ..core.segmentio import Segmentio, SegmentioPlugin
from ..core.wire import config_from
from ..destinations.webhook import Webhook
from ..core.storage_plan import storage_plan
from . import lifecycle, page, stdlib_hint
from .dom import DomBinder
from .entry import Entry
from .facade import Facade
from .jsbridge import BrowserConsole, Proxies, is_null, to_py
from .storage import make_stores
from .transport import FetchTransport, fetch_json

SETTINGS_TIMEOUT_MS = 5_000

_instance: Analytics | None = None
_background: set[asyncio.Task[Any]] = set()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _snippet_value(name: str) -> Any:
    stub = js.window.analytics
    value = None if is_null(stub) else getattr(stub, name, None)
    return None if is_null(value) else to_py(value)


def _cdn_base(load_options: dict[str, Any]) -> str:
    """Where the bundle and settings live: ``options.cdnURL``, else ``analytics._cdn``, else the page origin."""
    base = load_options.get("cdnURL") or _snippet_value("_cdn") or str(js.location.origin)
    return str(base).rstrip("/")


def _build(write_key: str, load_options: dict[str, Any], entry: Entry) -> tuple[Analytics, RetryQueue]:
    console = BrowserConsole()
    plan = storage_plan(load_options)
    stores = make_stores(plan, console, str(js.location.hostname), entry)
    ids, traits = stores.ids, stores.traits
    factory = MessageFactory(
        user=User(ids, traits, lambda: str(uuid.uuid4()), plan.user_keys),
        group_=Group(ids, traits, plan.group_keys),
        now=_now,
        new_id=lambda: str(uuid.uuid4()),
        environment=page.environment(),
        load_integrations=load_options.get("integrations") or {},
        page_cookies=stores.page_cookies,
        ad_memory=stores.page_cookies if plan.client_persistence else None,
    )
    queue = RetryQueue(stores.queue, write_key, console, lambda: _now().timestamp(), tab_id=str(uuid.uuid4()))
    queue.load()
    analytics = Analytics(write_key=write_key, factory=factory, console=console, read_page=page.capture,
                          queue=queue)
    return analytics, queue


async def _until_online(proxies: Proxies) -> None:
    if lifecycle.is_online():
        return
    changed = asyncio.Event()
    lifecycle.on_reconnect(changed.set, proxies)
    while not lifecycle.is_online():
        changed.clear()
        await changed.wait()


def _keep(task: asyncio.Task[Any]) -> None:
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _load_settings(analytics: Analytics, base: str, load_options: dict[str, Any],
                         queue: RetryQueue, proxies: Proxies) -> None:
    url = f"{base}/v1/projects/{analytics.write_key}/settings"
    await _until_online(proxies)  # offline at boot: wait, rather than give up on the settings
    try:
        settings = await fetch_json(url, SETTINGS_TIMEOUT_MS)
    except TransportError as exc:
        analytics.console.warn(f"analytics_py: settings unavailable ({exc}); sending to Segment.io only")
        settings = {}
    if not isinstance(settings, dict):
        settings = {}
    transport, console = FetchTransport(), analytics.console
    bundled = bundled_destinations(settings, load_options, {
        "Webhook": lambda entry: Webhook(entry, transport, console),
    })
    plugins: list[Plugin] = [*bundled]
    plan = schema_filter(settings, load_options, bool(bundled))
    if plan is not None:
        plugins.insert(0, plan)
    if segmentio_enabled(load_options):
        user = analytics.user()
        segmentio = Segmentio(analytics.write_key, config_from(settings, load_options), transport, console,
                              _now, queue, identity=lambda: (user.id(), user.anonymous_id()),
                              online=lifecycle.is_online)
        plugins.append(SegmentioPlugin(segmentio))
        lifecycle.on_reconnect(segmentio.wake, proxies)
        lifecycle.on_hide(segmentio.flush_on_hide, queue.release, proxies)
        _keep(asyncio.ensure_future(segmentio.run()))
    else:
        lifecycle.on_hide(lambda: None, queue.release, proxies)
    await analytics.open(*plugins)


def start() -> Analytics:
    """Boot once: take over ``window.analytics``, replay its buffered calls, fetch settings."""
    global _instance
    if _instance is not None:
        return _instance
    stdlib_hint.install()
    # Everything the snippet recorded is read before its stub is replaced.
    load_options = _snippet_value("_loadOptions")
    load_options = load_options if isinstance(load_options, dict) else {}
    write_key = _snippet_value("_writeKey")
    base = _cdn_base(load_options)
    entry = Entry.from_snippet()
    analytics, queue = _build(str(write_key or ""), load_options, entry)
    if not write_key:
        analytics.console.error("analytics_py: no write key; call analytics.load('<writeKey>')")
    proxies = Proxies()
    analytics.dom = DomBinder(analytics, proxies)
    facade = Facade(analytics, proxies, entry)
    buffered = facade.install()
    _instance = analytics
    rest = facade.replay_hoisted(buffered)
    if load_options.get("useQueryString") is not False:
        analytics.apply_query_string(query_calls(str(js.location.search), str(js.location.hash)))
    facade.replay(rest)
    _keep(asyncio.ensure_future(queue.keep_alive()))
    _keep(asyncio.ensure_future(_load_settings(analytics, base, load_options, queue, proxies)))
    return analytics


def instance() -> Analytics:
    """The page's instance, booting it if the snippet's script has not run yet."""
    return start()
