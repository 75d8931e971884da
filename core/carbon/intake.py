"""Storing behaviour records exactly once, whoever they name.

Invariants:
- A source record (trip id, partner record id) is stored once: its SourceClaim, keyed without
  the user, is written with attribute_not_exists in the same transaction as the behaviour, so a
  trip re-delivered after the card moved to someone else, or a partner record pushed again for
  another ref, counts for nobody a second time.
- Only a record already stored is a duplicate. Any other failure (throttling, a transaction
  conflict) is tried RETRY.attempts times (core.retry) and then raised as ServiceUnavailable (503): never reported
  as a duplicate, so the sender sends it again.
"""

from __future__ import annotations

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core.carbon import day_index
from core.errors import ServiceUnavailable
from core.retry import THROTTLED
from models.behaviours import Behaviour
from models.claims import SourceClaim, claim_key

RETRY = THROTTLED.at_most(4)


def claim_for(item: Behaviour, stamp: str) -> SourceClaim:
    return SourceClaim(
        claim_key(item.source, item.source_id),
        user_id=item.user_id,
        date=item.date,
        claimed_at=stamp,
    )


def _already_stored(e: TransactWriteError) -> bool:
    return any(
        r is not None and r.code == "ConditionalCheckFailed" for r in (e.cancellation_reasons or [])
    )


def store_once(item: Behaviour, stamp: str) -> bool:
    """True: stored now; False: this source record is stored already. Raises ServiceUnavailable."""
    for _ in RETRY.tries():  # throttled or in conflict: try again
        try:
            with TransactWrite(connection=models.connection()) as tx:
                # No user in the claim's key: the record is taken once, for whoever it named first.
                tx.save(claim_for(item, stamp), condition=SourceClaim.key.does_not_exist())
                # Records stored before claims existed are found by their own key.
                tx.save(item, condition=Behaviour.sk.does_not_exist())
                day_index.add_updates(tx, [item])  # in the same transaction: indexed iff stored
            return True
        except TransactWriteError as e:
            if _already_stored(e):
                return False
    raise ServiceUnavailable()


def claimed(items: list[Behaviour]) -> set[str]:
    """Claim keys among `items` already taken (one consistent BatchGetItem per 100)."""
    keys = list({claim_key(i.source, i.source_id) for i in items})
    return {
        c.key for c in SourceClaim.batch_get(keys, consistent_read=True, attributes_to_get=["key"])
    }


def store_batch(items: list[Behaviour], stamp: str) -> None:
    """Index the records (core.carbon.day_index: one TransactWriteItems per 100 user-days), write
    the behaviours, then their claims (BatchWriteItem retries unprocessed items). A crash between
    any two leaves the trips unclaimed: the next delivery finds them new and writes the same
    index attributes and items under the same keys again, then the claims, so each is stored
    and indexed once."""
    if not items:
        return
    day_index.index(items)
    with Behaviour.batch_write() as batch:
        for item in items:
            batch.save(item)
    with SourceClaim.batch_write() as batch:
        for item in items:
            batch.save(claim_for(item, stamp))


def store_replacing(items: list[Behaviour]) -> None:
    """Put records that replace what their keys held (a WeRun day) with their index entries: one
    TransactWriteItems for up to 50 records of distinct user-days (a week of steps is one);
    retried, then 503 (core.carbon.day_index.transact)."""
    for i in range(0, len(items), day_index.ACTIONS // 2):
        chunk = items[i : i + day_index.ACTIONS // 2]
        day_index.transact(lambda tx: _put_indexed(tx, chunk))  # noqa: B023 (called right here)


def _put_indexed(tx, chunk: list[Behaviour]) -> None:
    for item in chunk:
        tx.save(item)
    day_index.add_updates(tx, chunk)
