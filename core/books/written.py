"""The ledger in written order, for the transparency log (core.transparency).

Invariants:
- Every ledger entry has exactly one LedgerWritten item, put in the entry's own transaction
  (core.books.ledger.post_once; the entry's attribute_not_exists keeps both once), keyed by the
  entry's created_at, user and id, with a copy of what a leaf says of it (FIELDS): the append
  reads these Query pages only. So an entry is listed here if and only if it committed, and a
  Query is strongly consistent: no index lag to allow for (a GSI's would be unbounded).
- `since(after, before)` yields every entry whose key is after `after` and whose created_at is
  before `before`, in key order (created_at, then user, then entry id: a total order, the log's
  leaf order). It streams: one page per shard of one hour at a time, merged.
- created_at is taken just before the transaction is sent, so an entry commits at most the
  writer's Lambda timeout plus DynamoDB's request validity after it; an append trailing the clock
  by more than that (LOG_MERGE_DELAY_SECONDS, README "Transparency log") misses nothing.
"""

from __future__ import annotations

import heapq
import json
import zlib
from datetime import datetime, timedelta
from types import SimpleNamespace

from models.ledger_written import LedgerWritten

SHARDS = 16  # partitions an hour of writes spreads over (a city night: ≈60 writes/s each)
PAGE = 250  # items a Query page holds: the merge keeps one page per shard (SHARDS × PAGE items at most)


def shard_of(user_id: str) -> int:
    return zlib.crc32(b"written#" + user_id.encode()) % SHARDS


def key_of(created_at: str, user_id: str, entry_id: str) -> str:
    return f"{created_at}#{user_id}#{entry_id}"


def bucket_of(created_at: str, user_id: str) -> str:
    return f"{created_at[:13]}#{shard_of(user_id):02d}"


FIELDS = ("entry_id", "kind", "amount", "created_at", "detail", "legs")  # what a leaf is made of


def item(entry) -> LedgerWritten:
    """The written item of a ledger entry (a LedgerEntry, or anything with its FIELDS and user_id)."""
    return LedgerWritten(
        bucket_of(entry.created_at, entry.user_id),
        key_of(entry.created_at, entry.user_id, entry.entry_id),
        user_id=entry.user_id,
        entry_id=entry.entry_id,
        entry={f: getattr(entry, f) for f in FIELDS},
    )


def add(tx, entry) -> None:
    tx.save(item(entry))  # no condition: the entry's own attribute_not_exists keeps the pair once


def entry_of(w) -> SimpleNamespace:
    """The entry as its written item recorded it (user_id and FIELDS)."""
    return SimpleNamespace(user_id=w.user_id, **w.entry)


def _hours(first: str, last: str):
    at, end = datetime.strptime(first, "%Y-%m-%dT%H"), datetime.strptime(last, "%Y-%m-%dT%H")
    while at <= end:
        yield at.strftime("%Y-%m-%dT%H")
        at += timedelta(hours=1)


def _shard(hour: str, shard: int, after: str, before: str):
    """One shard's items of the hour, as plain values: the pages are read with PynamoDB's connection
    and picked apart here (a model object per item cost more CPU than the rest of the append)."""
    low, start = (after if after[:13] == hour else hour), None
    condition = LedgerWritten.key.between(low, before)
    while True:
        page = LedgerWritten._get_connection().query(
            f"{hour}#{shard:02d}",
            range_key_condition=condition,
            consistent_read=True,
            limit=PAGE,
            exclusive_start_key=start,
        )
        for raw in page.get("Items", []):
            key = raw["key"]["S"]
            if key != after and key[:32] < before:
                entry = json.loads(raw["entry"]["S"]) if "entry" in raw else None
                yield SimpleNamespace(
                    key=key, user_id=raw["user_id"]["S"], entry_id=raw["entry_id"]["S"], entry=entry
                )
        start = page.get("LastEvaluatedKey")
        if not start:
            return


def first_hour() -> str | None:
    """The earliest hour with a written entry (a Scan of bucket names: only the first append needs it)."""
    hours = {
        w.bucket[:13]
        for w in LedgerWritten.scan(attributes_to_get=["bucket"], consistent_read=True)
    }
    return min(hours) if hours else None


def since(after: str, before: str):
    """LedgerWritten items with key > `after` ("" for the start) and created_at < `before`, in key order."""
    start = after[:13] if after else first_hour()
    if start is None or not before:
        return
    for hour in _hours(start, before[:13]):
        yield from heapq.merge(
            *(_shard(hour, s, after, before) for s in range(SHARDS)), key=lambda w: w.key
        )
