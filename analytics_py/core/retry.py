"""Which answers are retried, and how long to wait: pure policy (behaviour.md section 4.3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Callable

MAX_ATTEMPTS = 10
MAX_BACKOFF_S = 60.0
MAX_RETRY_AFTER_S = 300.0
RETRIED_4XX = frozenset({408, 410, 429, 460})
DROPPED_5XX = frozenset({501, 505, 511})


class Verdict(Enum):
    DELIVERED = "delivered"
    RETRY = "retry"
    DROP = "drop"


@dataclass(frozen=True)
class Classification:
    verdict: Verdict
    wait_s: float | None = None  # a 429's Retry-After, when the server gave one


def classify(status: int | None, retry_after: str | None = None) -> Classification:
    """``None`` is a request that got no answer (offline, refused): retried like a 5xx."""
    if status is None:
        return Classification(Verdict.RETRY)
    if status < 400:
        return Classification(Verdict.DELIVERED)
    if status == 429 and retry_after is not None and retry_after.strip().isdigit():
        return Classification(Verdict.RETRY, min(float(retry_after.strip()), MAX_RETRY_AFTER_S))
    if status in RETRIED_4XX or (status >= 500 and status not in DROPPED_5XX):
        return Classification(Verdict.RETRY)
    return Classification(Verdict.DROP)


def backoff_s(attempt: int, rng: Callable[[], float]) -> float:
    """Seconds before retry ``attempt`` (1-based): 0.5 s doubling, ±10 % jitter, at most 60 s."""
    base = min(0.5 * 2.0 ** (attempt - 1), MAX_BACKOFF_S)
    return min(base * (0.9 + 0.2 * rng()), MAX_BACKOFF_S)
