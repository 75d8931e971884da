"""Idempotency-Key on every mutation but an order's (API.md Conventions; an order's key commits in
the order's own transaction: core.mall.placing). One key space per caller: a citizen's user id
(shared with orders' keys), "merchant#<key id>", "partner#<partner id>", "org#<org id>".

Invariants:
- A key's record (table `idempotency`, key "<space>#<key>") holds the hash of the request it was
  first used with (operation, path and body as read; keyed with a server secret where the body
  may hold personal data, so a card number cannot be recovered by hashing guesses), the first
  answer's status, and at most an id of what the request made (`ref`) or, only where an answer
  holds nothing personal, the answer itself: nothing personal is kept beside what the mutation
  itself keeps (erasure cannot find a user#key record). It lives KEEP; past its TTL it names
  nothing, even before DynamoDB deletes it.
- Only a success is recorded: a refused request changed nothing, and a retry of it runs again.
- While it lives, the same request again is a retry (`seen` is True: the caller answers it
  without changing anything again); another request under the key is IdempotencyKeyReused (409),
  an order's key included, and changes nothing.
- The record is written in the change's own transaction where the change is not repeatable (a
  redemption, an appeal, a subscription report: `put_in`), else after the change: a crash in between, or two requests with one key
  at once, run the change twice, which those mutations allow (the second changes nothing, or
  fails on the first's effect and is answered from the record the first then wrote).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import PutError

from core.errors import IdempotencyKeyReused, InvalidRequest
from core.hashing import keyed_hash
from models.mall import IdempotencyRecord

KEEP = timedelta(days=1)  # as an order's key
MAX_KEY = 64


@dataclass(frozen=True)
class Keyed:
    """One request under an Idempotency-Key: whose, the key, and the request's hash."""

    record_id: str
    request_hash: str


def keyed(
    space: str, key: str | None, operation: str, body, secret: str | None = None
) -> Keyed | None:
    """The request under its key, None without one; a key over MAX_KEY characters (or empty, or
    with text no header can carry: lone surrogates) is refused. With `secret` the hash is keyed."""
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY or not _encodable(key):
        raise InvalidRequest(
            "Idempotency-Key must be 1 to 64 characters.",
            zh="幂等键（Idempotency-Key）长度应为 1 到 64 个字符。",
        )
    # ASCII escapes: a lone surrogate in a body hashes as its escape instead of failing to encode.
    text = json.dumps(
        [operation, body], sort_keys=True, ensure_ascii=secret is not None, default=str
    )
    digest = (
        keyed_hash(secret, text, "idempotency")
        if secret is not None
        else hashlib.sha256(text.encode()).hexdigest()
    )
    return Keyed(f"{space}#{key}", digest)


def _encodable(key: str) -> bool:
    try:
        key.encode()
    except UnicodeEncodeError:
        return False
    return True


def _live(record_id: str) -> IdempotencyRecord | None:
    try:
        r = IdempotencyRecord.get(record_id, consistent_read=True)
    except IdempotencyRecord.DoesNotExist:
        return None
    return r if r.ttl > datetime.now(UTC) else None


@dataclass(frozen=True)
class First:
    """What a key's first request answered, as its record keeps it."""

    http_status: int | None
    ref: str | None  # an id of what it made (an appeal, a card, a redeemed code's hash)
    answer: object  # the answer itself, only where it holds nothing personal; else None


def first(k: Keyed | None) -> First | None:
    """The first answer of a retry of the request the key was first used with;
    IdempotencyKeyReused for another request under a live key; None for a key not used (or
    expired)."""
    if k is None:
        return None
    r = _live(k.record_id)
    if r is None:
        return None
    if r.request_hash != k.request_hash:
        raise IdempotencyKeyReused()
    answer = json.loads(r.answer) if r.answer is not None else None
    return First(int(r.http_status) if r.http_status is not None else None, r.ref, answer)


def seen(k: Keyed | None) -> bool:
    """True for a retry of the request the key was first used with; IdempotencyKeyReused for
    another request under a live key; False for a key not used (or expired)."""
    return first(k) is not None


def record(k: Keyed, http_status: int | None = None, ref: str | None = None, answer=None):
    """The key's record of its first request (not saved: `remember` or `put_in` writes it)."""
    return IdempotencyRecord(
        k.record_id,
        status="COMPLETED",
        request_hash=k.request_hash,
        http_status=http_status,
        ref=ref,
        answer=None if answer is None else json.dumps(answer, ensure_ascii=False),
        ttl=datetime.now(UTC) + KEEP,
    )


def free():
    """The condition a key's record is put under: no live record names the key."""
    return IdempotencyRecord.key.does_not_exist() | (IdempotencyRecord.ttl < datetime.now(UTC))


def put_in(tx, k: Keyed | None, http_status: int, ref: str | None = None, **label) -> None:
    """Add the key's record to the change's own transaction (a PynamoDB TransactWrite, or a
    core.books.transaction.Labelled with its `label=`): the change and its record commit
    together, or neither does; a live record of the key fails the transaction."""
    if k is not None:
        tx.save(record(k, http_status, ref), condition=free(), **label)


def remember(k: Keyed | None, http_status: int | None = None, ref=None, answer=None) -> None:
    """Record the key's first request (after its change). A record another request put meanwhile
    stays: the first to commit names the key."""
    if k is None:
        return
    try:
        record(k, http_status, ref, answer).save(condition=free())
    except PutError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
