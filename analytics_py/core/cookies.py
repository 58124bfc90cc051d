"""Pure cookie text: js-cookie compatible encoding, parsing, formatting, and domain candidates."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

# js-cookie 3 percent-encodes a value, then restores these RFC 6265-safe characters.
_SAFE = "!'()*-._~#$&+/:<=>?@[]^`{|}"
# A name is percent-encoded too, keeping fewer: ``s:context.referrer`` is sent as ``s%3Acontext.referrer``.
_NAME_SAFE = "!'*-._~#$&+^`|"
_ESCAPE = re.compile(r"(%[0-9A-Fa-f]{2})+")
SECONDS_PER_DAY = 86_400


def encode_value(value: str) -> str:
    return quote(value, safe=_SAFE)


def encode_name(name: str) -> str:
    return quote(name, safe=_NAME_SAFE)


def decode_value(text: str) -> str:
    return _ESCAPE.sub(lambda m: unquote(m.group(0)), text)


def parse(cookie_header: str) -> dict[str, str]:
    """``document.cookie`` text to a dict of decoded values; the first of a repeated name wins."""
    result: dict[str, str] = {}
    for part in cookie_header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name and name not in result:
            if value.startswith('"') and value.endswith('"') and len(value) > 1:
                value = value[1:-1]
            result[decode_value(name)] = decode_value(value)
    return result


def format_cookie(
    name: str, value: str, *, max_age_days: float | None, domain: str | None, path: str = "/",
    same_site: str | None = "Lax", secure: bool = False,
) -> str:
    """One ``document.cookie`` assignment; ``max_age_days`` 0 or less deletes the cookie."""
    parts = [f"{encode_name(name)}={encode_value(value)}"]
    if max_age_days is not None:
        parts.append(f"max-age={int(max_age_days * SECONDS_PER_DAY)}")
    if domain:
        parts.append(f"domain={domain}")
    if path:
        parts.append(f"path={path}")
    if same_site:
        parts.append(f"samesite={same_site}")
    if secure:
        parts.append("secure")
    return "; ".join(parts)


def domain_candidates(hostname: str) -> list[str]:
    """Parent domains to probe, shortest first, never a bare TLD; none for IPs and single labels."""
    labels = hostname.lower().rstrip(".").split(".")
    if len(labels) < 2:
        return []
    if len(labels) == 4 and all(label.isdigit() for label in labels):
        return []
    if ":" in hostname or hostname.startswith("["):
        return []
    return [".".join(labels[i:]) for i in range(len(labels) - 2, -1, -1)]
