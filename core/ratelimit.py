"""Fixed-window rate limits kept in DynamoDB, so a limit holds across Lambda containers.

Invariant: at most `limit` counted hits per subject per window; the counter is one
atomic ADD (one UpdateItem), so concurrent hits are never lost. `count` only counts (the caller
decides, e.g. redemption's lockout, which its transaction also checks); `hit` counts and enforces. Subjects are hashed
before they are stored (an IP address or a merchant key id is not kept in clear).
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

from core.errors import RateLimited
from models.rate_limits import RateWindow


def _key(scope: str, subject: str, window_start: int) -> str:
    digest = hashlib.sha256(f"{scope}:{subject}".encode()).hexdigest()[:20]
    return f"{scope}#{digest}#{window_start}"


def window_key(scope: str, subject: str, window_s: int, now: float) -> str:
    """The counter item of the window `now` falls in (for a ConditionCheck in a caller's transaction)."""
    return _key(scope, subject, int(now // window_s * window_s))


def count(scope: str, subject: str, window_s: int, now: float | None = None) -> int:
    """Count one hit without enforcing anything; returns the window's hits so far, this one included."""
    now = time.time() if now is None else now
    start = int(now // window_s * window_s)
    item = RateWindow(window_key(scope, subject, window_s, now))
    expires = datetime.fromtimestamp(start + 2 * window_s, tz=UTC)
    item.update(
        actions=[RateWindow.hits.add(1), RateWindow.ttl.set(expires)]
    )  # atomic: no lost hits
    return int(item.hits)


def hit(scope: str, subject: str, limit: int, window_s: int, now: float | None = None) -> int:
    """Count one hit; raise RateLimited once the window holds more than `limit` hits."""
    now = time.time() if now is None else now
    hits = count(scope, subject, window_s, now)
    if hits > limit:
        raise RateLimited(retry_after=int(now // window_s * window_s + window_s - now) + 1)
    return hits
