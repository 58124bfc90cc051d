"""Reading Segment HTTP API requests: JSON bodies (also as text/plain), write key, batches."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Mapping

MAX_BODY_BYTES = 512 * 1024
MAX_JSON_DEPTH = 64  # nesting of objects and arrays; analytics_py refuses deeper values itself
SINGLE_PATHS = {"t": "track", "p": "page", "i": "identify", "g": "group", "a": "alias",
                "s": "screen", "track": "track", "page": "page", "identify": "identify",
                "group": "group", "alias": "alias", "screen": "screen"}
BATCH_PATHS = {"b", "batch"}


class IngestError(ValueError):
    """A request the collector refuses; ``status`` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def write_key_from(headers: Mapping[str, str], body: Mapping[str, Any]) -> str:
    """The write key from the body's ``writeKey``, else from HTTP Basic auth (``key:``)."""
    key = body.get("writeKey")
    if isinstance(key, str) and key:
        return key
    auth = headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(auth[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise IngestError(401, "malformed Basic authorization") from None
        if decoded.split(":", 1)[0]:
            return decoded.split(":", 1)[0]
    raise IngestError(401, "no write key: send writeKey in the body or as Basic auth")


def parse_body(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BODY_BYTES:
        raise IngestError(413, f"body over {MAX_BODY_BYTES} bytes")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise IngestError(400, f"malformed JSON: {exc}") from None
    except RecursionError:
        raise IngestError(400, f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    if not isinstance(body, dict):
        raise IngestError(400, "the body must be a JSON object")
    if json_depth(body) > MAX_JSON_DEPTH:
        raise IngestError(400, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return body


def json_depth(value: Any) -> int:
    """How deeply objects and arrays nest in ``value`` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def events_from(path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The events one request carries: itself for ``/v1/t`` etc., ``batch`` for ``/v1/b``."""
    if path in BATCH_PATHS:
        batch = body.get("batch")
        if not isinstance(batch, list) or not all(isinstance(e, dict) for e in batch):
            raise IngestError(400, "batch must be a list of objects")
        return [{**event, "sentAt": event.get("sentAt", body.get("sentAt"))} for event in batch]
    kind = SINGLE_PATHS[path]
    event = dict(body)
    event.setdefault("type", kind)
    if event["type"] != kind:
        raise IngestError(400, f"a {event['type']!r} event sent to /v1/{path}")
    return [event]


def check_event(event: Mapping[str, Any]) -> None:
    if not isinstance(event.get("messageId"), str) or not event["messageId"]:
        raise IngestError(400, "every event needs a string messageId")
    if event.get("type") not in SINGLE_PATHS.values():
        raise IngestError(400, f"unknown event type {event.get('type')!r}")
