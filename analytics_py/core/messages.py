"""Segment-spec messages, one builder per call over shared base fields (behaviour.md section 2).

The clock and the id source are injected so tests can pin every field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping

from .args import AliasArgs, PageArgs, TrackArgs, UserArgs
from .campaign import ad_referrer, campaign
from .identity import Group, User
from .pagecontext import PageContext
from .ports import Store
from .serialize import iso_timestamp
from .version import VERSION

Message = dict[str, Any]
LIBRARY = {"name": "analytics_py", "version": VERSION}
TOP_LEVEL_OPTIONS = ("userId", "anonymousId", "timestamp", "messageId")
PAGE_KEYS = ("path", "referrer", "search", "title", "url")
AD_COOKIE = "s:context.referrer"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Environment:
    """What the browser says about itself; read once per page."""

    user_agent: str = ""
    locale: str | None = None
    timezone: str | None = None
    user_agent_data: Mapping[str, Any] | None = None


@dataclass
class MessageFactory:
    user: User
    group_: Group
    now: Callable[[], datetime]
    new_id: Callable[[], str]
    environment: Environment = field(default_factory=Environment)
    load_integrations: Mapping[str, Any] = field(default_factory=dict)
    page_cookies: Store | None = None  # where ``_ga`` (AMP) is read
    ad_memory: Store | None = None  # where the ad referrer is remembered (None: not at all)

    def track(self, args: TrackArgs, page: PageContext) -> Message:
        event = {"event": args.event, "type": "track", "properties": dict(args.properties)}
        return self._finish(event, args.options, page)

    def page(self, args: PageArgs, page: PageContext, kind: str = "page") -> Message:
        properties = dict(args.properties)
        event: Message = {"type": kind, "properties": properties}
        if args.category is not None:
            event["category"] = args.category
            if kind == "page":
                properties["category"] = args.category
        if args.name is not None:
            event["name"] = args.name
        return self._finish(event, args.options, page)

    def identify(self, args: UserArgs, page: PageContext) -> Message:
        event = {"type": "identify", "userId": self.user.id(), "traits": self.user.traits()}
        return self._finish(event, args.options, page)

    def group(self, args: UserArgs, page: PageContext) -> Message:
        event = {"type": "group", "groupId": self.group_.id(), "traits": self.group_.traits()}
        return self._finish(event, args.options, page)

    def alias(self, args: AliasArgs, page: PageContext) -> Message:
        previous = args.previous or self.user.id() or self.user.anonymous_id()
        event = {"type": "alias", "userId": args.to, "previousId": previous}
        return self._finish(event, args.options, page)

    def _finish(self, event: Message, options: Mapping[str, Any], page: PageContext) -> Message:
        moment = self.now()
        context, overrides = _split_options(options)
        integrations = {name: bool(value) for name, value in self.load_integrations.items()}
        if isinstance(options.get("integrations"), dict):
            integrations.update(options["integrations"])
        message: Message = {"timestamp": iso_timestamp(moment), **event, "context": context,
                            "integrations": integrations, **overrides}
        message["messageId"] = overrides.get("messageId") or self._message_id(moment)
        if isinstance(message["timestamp"], datetime):
            message["timestamp"] = iso_timestamp(message["timestamp"])
        self._add_identity(message)
        _add_page_context(message, page)
        self._enrich(context)
        return message

    def _message_id(self, moment: datetime) -> str:
        milliseconds = (moment - EPOCH) // timedelta(milliseconds=1)
        return f"ajs-py-{milliseconds}-{self.new_id()}"

    def _add_identity(self, message: Message) -> None:
        # An explicit options.userId (or alias target) wins over the stored id: analytics-next
        # overwrites it, which makes such calls useless (behaviour.md, "do better").
        user_id = message.get("userId") or self.user.id()
        if user_id:
            message["userId"] = user_id
        else:
            message.pop("userId", None)
        message["anonymousId"] = message.get("anonymousId") or self.user.anonymous_id()

    def _enrich(self, context: Message) -> None:
        env = self.environment
        context["userAgent"] = env.user_agent
        if env.user_agent_data is not None:
            context["userAgentData"] = dict(env.user_agent_data)
        if "locale" not in context and env.locale:
            context["locale"] = env.locale
        context.setdefault("library", dict(LIBRARY))
        search = context["page"].get("search") or ""
        if search and not context.get("campaign"):
            context["campaign"] = campaign(search)
        self._add_ad_context(context, search)
        if env.timezone:  # always the browser's, as analytics.js does
            context["timezone"] = env.timezone

    def _add_ad_context(self, context: Message, search: str) -> None:
        """``context.amp`` from an AMP ``_ga`` cookie; ``context.referrer`` from an ad id in the
        query, else the one an earlier page remembered in the ``s:context.referrer`` cookie."""
        ga = self.page_cookies.get("_ga") if self.page_cookies is not None else None
        if isinstance(ga, str) and ga.startswith("amp"):
            context["amp"] = {"id": ga}
        memory = self.ad_memory
        remembered = memory.get(AD_COOKIE) if memory is not None else None
        ad = ad_referrer(search) or (remembered if isinstance(remembered, dict) else None)
        if ad is None:
            return
        referrer = context.get("referrer")
        context["referrer"] = {**(referrer if isinstance(referrer, dict) else {}), **ad}
        if memory is not None and ad != remembered:
            memory.set(AD_COOKIE, ad)


def _split_options(options: Mapping[str, Any]) -> tuple[Message, Message]:
    """Options become context keys, except the top-level overrides and ``integrations``.

    An override that is not a non-empty string (a ``timestamp`` may also be a datetime) is
    not one: the message keeps its own value, as for a missing option.
    """
    raw_context = options.get("context")
    context: Message = dict(raw_context) if isinstance(raw_context, dict) else {}
    overrides: Message = {}
    for key, value in options.items():
        if key in ("context", "integrations") or value is None:
            continue
        if key in TOP_LEVEL_OPTIONS:
            if (isinstance(value, str) and value) or (key == "timestamp" and isinstance(value, datetime)):
                overrides[key] = value
        else:
            context[key] = value
    return context, overrides


def _add_page_context(message: Message, page: PageContext) -> None:
    context = message["context"]
    picked: Message = {}
    if message["type"] == "page":
        properties = message["properties"]
        picked = {key: properties[key] for key in PAGE_KEYS if key in properties}
        name = message.get("name")
        message["properties"] = {**page, **properties, **({"name": name} if name else {})}
    explicit = context.get("page") if isinstance(context.get("page"), dict) else {}
    context["page"] = {**page, **picked, **explicit}
