"""Per-account salts of the log's account commitments.

Invariants: an account's salt is 32 random bytes, made once (a conditional put: two appends
racing keep the first; up to 100 in one transaction) the first time one of its entries is appended; `forget` (erasure) removes
it for good and leaves `erased_at`, so no later append makes a new one. Reads are batched (one
BatchGetItem per 100 accounts) and a bounded cache keeps an append's memory flat.
"""

from __future__ import annotations

import os
from collections import OrderedDict

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import localday
from core.transparency import leaves
from models.log_salts import LogSalt

CACHE = 1_000  # accounts remembered by one append: a batch's own repeats hit it; memory stays flat


class Salts:
    def __init__(self):
        self._known: OrderedDict[str, bytes | None] = OrderedDict()

    def commitments(self, user_ids) -> dict[str, str]:
        missing = sorted({u for u in user_ids if u not in self._known})
        for i in range(0, len(missing), 100):
            found = {
                s.user_id: s.salt
                for s in LogSalt.batch_get(missing[i : i + 100], consistent_read=True)
            }
            found.update(_make_all([u for u in missing[i : i + 100] if u not in found]))
            for u in missing[i : i + 100]:
                self._remember(u, found[u])
        return {u: leaves.commitment(self._known[u], u) for u in user_ids}

    def _remember(self, user_id: str, salt: bytes | None) -> None:
        self._known[user_id] = salt
        while len(self._known) > CACHE:
            self._known.popitem(last=False)


def _make_all(user_ids: list[str]) -> dict[str, bytes | None]:
    """New salts for accounts that have none, in one transaction of conditional puts (a city's
    first day makes millions: one request per 100, not one each); if another append made one of
    them meanwhile the transaction is cancelled whole and each is made or read on its own."""
    if not user_ids:
        return {}
    made = {u: os.urandom(32) for u in user_ids}
    try:
        with TransactWrite(connection=models.connection()) as tx:
            for u, salt in made.items():
                tx.save(LogSalt(u, salt=salt), condition=LogSalt.user_id.does_not_exist())
        return made
    except TransactWriteError:
        return {u: _make(u) for u in user_ids}


def _make(user_id: str) -> bytes | None:
    try:
        salt = os.urandom(32)
        LogSalt(user_id, salt=salt).save(condition=LogSalt.user_id.does_not_exist())
        return salt
    except PutError:
        return LogSalt.get(user_id, consistent_read=True).salt  # made meanwhile (or erased: None)


def salt_of(user_id: str) -> bytes | None:
    """The account's salt (None: none yet, or erased)."""
    try:
        return LogSalt.get(user_id, consistent_read=True).salt
    except LogSalt.DoesNotExist:
        return None


def forget(user_id: str) -> None:
    """Erasure: the salt goes, so the account's leaves can no longer be tied to it. Idempotent."""
    LogSalt(user_id, erased_at=localday.stamp()).save()
