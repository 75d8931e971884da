"""Behaviour records as the rules read them: the one function that turns a stored item into a
rule input (core.carbon.rules.Record), and the two reads that need it: one shard of a day for
settlement (streamed), one user-day for the pending grams a citizen sees.

Keys are made in one place too: models.behaviours.Behaviour.of.
"""

from __future__ import annotations

from decimal import Decimal

from core.carbon import rules
from models.behaviours import Behaviour, partition, shard_of

PAGE = 500  # behaviours a Query page


def record_of(b: Behaviour) -> rules.Record:
    # Decimal(str(...)): a stored quantity may come back as a float; rules never see binary floats.
    return rules.Record(
        b.scenario, Decimal(str(b.quantity)), b.occurred_at, b.source_id, b.facts, b.source
    )


def shard_user_items(date: str, shard: int, after: str | None = None):
    """(user_id, stored items) for each user of one shard of one day, in sort-key order, starting
    after user `after`. Streamed: sort keys start with the user id, so a user's records are
    contiguous and only one Query page and one user's items are in memory at a time."""
    cond = Behaviour.sk > after + "#\uffff" if after else None
    user, records = None, []
    for b in Behaviour.query(partition(date, shard), cond, consistent_read=True, page_size=PAGE):
        if b.user_id != user:
            if user is not None:
                yield user, records
            user, records = b.user_id, []
        records.append(b)
    if user is not None:
        yield user, records


def user_day_items(user_id: str, day: str, shards: int):
    """One user's stored records of one day, as stored (one Query on the user's shard)."""
    return Behaviour.query(
        partition(day, shard_of(user_id, shards)), Behaviour.sk.startswith(f"{user_id}#")
    )


def user_day_records(user_id: str, day: str, shards: int) -> list[rules.Record]:
    return [record_of(b) for b in user_day_items(user_id, day, shards)]


def erase_user(user_id: str, days: list[str], shards: int) -> int:
    """Delete a citizen's records of these days (account deletion: trips name lines and stations).
    One Query per day on the citizen's own shard; what settlement credited stays in the ledger."""
    erased = 0
    for day in sorted(set(days)):
        for b in user_day_items(user_id, day, shards):
            b.delete()
            erased += 1
    return erased
