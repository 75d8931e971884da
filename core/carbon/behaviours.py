"""Behaviour records as the rules read them: the one function that turns a stored item into a
rule input (core.carbon.rules.Record), and the two reads that need it: one shard of a day for
settlement, one user-day for the pending grams a citizen sees.

Keys are made in one place too: models.behaviours.Behaviour.of.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from core.carbon import rules
from models.behaviours import Behaviour, partition, shard_of


def record_of(b: Behaviour) -> rules.Record:
    # Decimal(str(...)): a stored quantity may come back as a float; rules never see binary floats.
    return rules.Record(b.scenario, Decimal(str(b.quantity)), b.occurred_at, b.source_id, b.facts, b.source)


def shard_items(date: str, shard: int):
    """Every stored record in one shard of one day, as stored (one Query, paged)."""
    return Behaviour.query(partition(date, shard), consistent_read=True)


def shard_records(date: str, shard: int) -> dict[str, list[rules.Record]]:
    """Every user's records in one shard of one day."""
    users: dict[str, list[rules.Record]] = defaultdict(list)
    for b in shard_items(date, shard):
        users[b.user_id].append(record_of(b))
    return users


def user_day_items(user_id: str, day: str, shards: int):
    """One user's stored records of one day, as stored (one Query on the user's shard)."""
    return Behaviour.query(partition(day, shard_of(user_id, shards)), Behaviour.sk.startswith(f"{user_id}#"))


def user_day_records(user_id: str, day: str, shards: int) -> list[rules.Record]:
    return [record_of(b) for b in user_day_items(user_id, day, shards)]
