"""Idempotency-Key on a citizen's mutations that change state without moving coins (API.md
Conventions): the estimate with `save`, the ranking choice, marking the inbox read. (An order's
key commits in the order's own transaction: core.mall.placing.)

Invariants:
- A key's record (table `idempotency`, key "<user id>#<key>", shared with orders' keys) holds the
  hash of the request it was first used with (operation and body as read), never the body or
  the answer: nothing personal is kept beside what the mutation itself keeps. It lives KEEP;
  past its TTL it names nothing, even before DynamoDB deletes it.
- While it lives, the same request again is a retry (`seen` is True: the caller answers it
  without changing anything again); another request under the key is IdempotencyKeyReused (409),
  an order's key included, and changes nothing.
- The record is written after the change it stands for: a crash in between, or two requests with
  one key at once, apply the change twice, which these mutations allow (the same body leaves the
  same state).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import PutError

from core.errors import IdempotencyKeyReused, InvalidRequest
from models.mall import IdempotencyRecord

KEEP = timedelta(days=1)  # as an order's key
MAX_KEY = 64


@dataclass(frozen=True)
class Keyed:
    """One request under an Idempotency-Key: whose, the key, and the request's hash."""

    record_id: str
    request_hash: str


def keyed(user_id: str, key: str | None, operation: str, body: dict) -> Keyed | None:
    """The request under its key, None without one; a key over MAX_KEY characters (or empty) is refused."""
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY:
        raise InvalidRequest(
            "Idempotency-Key must be 1 to 64 characters.",
            zh="幂等键（Idempotency-Key）长度应为 1 到 64 个字符。",
        )
    text = json.dumps([operation, body], sort_keys=True, ensure_ascii=False, default=str)
    return Keyed(f"{user_id}#{key}", hashlib.sha256(text.encode()).hexdigest())


def _live(record_id: str) -> IdempotencyRecord | None:
    try:
        r = IdempotencyRecord.get(record_id, consistent_read=True)
    except IdempotencyRecord.DoesNotExist:
        return None
    return r if r.ttl > datetime.now(UTC) else None


def seen(k: Keyed | None) -> bool:
    """True for a retry of the request the key was first used with; IdempotencyKeyReused for
    another request under a live key; False for a key not used (or expired)."""
    if k is None:
        return False
    r = _live(k.record_id)
    if r is None:
        return False
    if r.request_hash != k.request_hash:
        raise IdempotencyKeyReused()
    return True


def remember(k: Keyed | None) -> None:
    """Record the key's first request (after its change). A record another request put meanwhile
    stays: the first to commit names the key."""
    if k is None:
        return
    now = datetime.now(UTC)
    try:
        IdempotencyRecord(
            k.record_id, status="COMPLETED", request_hash=k.request_hash, ttl=now + KEEP
        ).save(condition=IdempotencyRecord.key.does_not_exist() | (IdempotencyRecord.ttl < now))
    except PutError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
