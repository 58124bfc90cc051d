"""Status classification and backoff: the retry policy, table by table."""

import random

import pytest

from analytics_py.core.retry import Classification, Verdict, backoff_s, classify

D, R, X = Verdict.DELIVERED, Verdict.RETRY, Verdict.DROP


@pytest.mark.parametrize("status, verdict", [
    (200, D), (204, D), (302, D), (None, R), (500, R), (502, R), (503, R), (504, R), (599, R),
    (501, X), (505, X), (511, X), (408, R), (410, R), (429, R), (460, R),
    (400, X), (401, X), (403, X), (404, X), (413, X),
])
def test_classification(status, verdict):
    assert classify(status).verdict is verdict


def test_429_honours_retry_after_in_seconds_capped():
    assert classify(429, "2") == Classification(R, 2.0)
    assert classify(429, "100000") == Classification(R, 300.0)
    assert classify(429, "Wed, 21 Oct 2026 07:28:00 GMT") == Classification(R, None)


def test_backoff_doubles_with_jitter_and_caps_at_a_minute():
    rng = random.Random(7).random
    waits = [backoff_s(attempt, rng) for attempt in range(1, 11)]
    assert 0.45 <= waits[0] <= 0.55 and 0.9 <= waits[1] <= 1.1
    assert all(later >= earlier * 1.6 for earlier, later in zip(waits[:7], waits[1:8]))
    assert max(waits) <= 60.0 and waits[-1] >= 54.0
