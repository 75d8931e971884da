"""The day index (models.day_records): what the rules need of one user-day's records, at a key one
BatchGetItem finds, so GET /api/v1/coins reads the user, the account and the day's records in one
request. What an early run credited (a day settled while it was still today) rides on the same
item (core.carbon.early), so /coins needs no read of the settled day.

Invariants:
- Whoever stores a behaviour sets its record here in the same transaction (steps, partner
  pushes) or before its behaviour is written (trip files, whose retry redoes both): the index
  never lacks a stored record. Setting a record's own attribute again changes nothing, so retries
  and re-deliveries never double one, and a WeRun day (source_id = the date) replaces itself.
- An entry keeps what quarantine.admit and the rules read (scenario, quantity, occurred_at,
  source, source_id, facts), serialised as the behaviours table serialises them, and `records`
  gives them back in the order a Query of the user's behaviours does: the pending grams computed
  from it are the ones computed from the behaviours.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.operand import Path, Value
from pynamodb.transactions import TransactWrite

import models
from core.errors import ServiceUnavailable
from core.logs import log
from core.metrics import metric
from core.retry import THROTTLED
from models.behaviours import Behaviour
from models.day_records import PREFIX, DayRecords, record_name

ACTIONS = 100  # TransactWriteItems' limit: one action per user-day
PIECE = 50  # records one update sets at most: DynamoDB caps an update expression at 4 KB
RETRY = THROTTLED.at_most(4)  # a conflict or throttling, then ServiceUnavailable


class Stored(NamedTuple):
    """A behaviour as the index gives it back: the fields quarantine.admit and record_of read."""

    scenario: str
    quantity: object
    occurred_at: str
    source: str
    source_id: str
    facts: dict | None


def entry(b: Behaviour) -> dict:
    """The record's map, already in DynamoDB's typed form."""
    m = {
        "s": {"S": b.scenario},
        "q": {"N": Behaviour.quantity.serialize(b.quantity)},
        "at": {"S": b.occurred_at},
        "src": {"S": b.source},
        "id": {"S": b.source_id},
    }
    if b.facts is not None:
        m["f"] = {"S": Behaviour.facts.serialize(b.facts)}
    return {"M": m}


def by_user_day(items: list[Behaviour]) -> dict[tuple[str, str], list[Behaviour]]:
    groups: dict[tuple[str, str], list[Behaviour]] = {}
    for b in items:
        groups.setdefault((b.user_id, b.date), []).append(b)
    return groups


def add_updates(tx: TransactWrite, items: list[Behaviour], fill: bool = False) -> None:
    """One Update action per user-day of `items`, setting each record's attribute and the TTL.
    `fill` (the backfill) sets only attributes not there yet: a writer's newer entry stays."""
    for (user_id, date), group in by_user_day(items).items():
        # A list path: a source id may hold a '.', which a string path reads as a map key.
        paths = [(Path([record_name(b.source, b.source_id)]), Value(entry(b))) for b in group]
        actions = [p.set(p | v if fill else v) for p, v in paths]  # p | v: if_not_exists(p, v)
        expiries = [b.expires_at for b in group if b.expires_at is not None]
        if expiries:
            actions.append(DayRecords.expires_at.set(max(expiries)))
        tx.update(DayRecords(user_id, date), actions=actions)


def index(items: list[Behaviour], fill: bool = False) -> int:
    """Set `items` in the index: one TransactWriteItems per ACTIONS user-days (a chunk of a trip
    file is one). A conflict or throttling is retried, then raised as ServiceUnavailable (the
    file's run fails and is redone).

    A user-day whose item would pass DynamoDB's 400 KB (≈1,000 records of one citizen in a day) is
    left out of the index alone (logged): its behaviours are still stored and settled, only that
    day's pending figure on /coins stays low; the other citizens of the chunk are indexed.
    A user-day of more than PIECE records is written PIECE records a transaction.
    Returns the number of user-days written (`fill`: see add_updates)."""
    groups = list(by_user_day(items).values())
    small = [g for g in groups if len(g) <= PIECE]
    written = sum(_write(small[i : i + ACTIONS], fill) for i in range(0, len(small), ACTIONS))
    for big in (g for g in groups if len(g) > PIECE):
        # A transaction takes one action an item, so a user-day of more records than one update
        # expression holds goes in a transaction a piece; every piece is tried, and a crash
        # between them is redone by the caller's retry (SET changes nothing the second time).
        pieces = [_write([big[i : i + PIECE]], fill) for i in range(0, len(big), PIECE)]
        written += all(pieces)
    return written


def _write(groups: list[list[Behaviour]], fill: bool) -> int:
    chunk = [b for group in groups for b in group]
    try:
        transact(lambda tx: add_updates(tx, chunk, fill))
        return len(groups)
    except TooLarge:
        if len(groups) > 1:
            return sum(_write([g], fill) for g in groups)
        log("day_index_full", level=logging.WARNING, records=len(chunk), date=chunk[0].date)
        metric("DayIndexFull", 1)
        return 0


class TooLarge(ServiceUnavailable):
    """The write would make an item larger than DynamoDB's 400 KB: trying again cannot help."""


def transact(write) -> None:
    """`write(tx)` as one TransactWriteItems. A conflict or throttling is retried, then raised as
    ServiceUnavailable; an item that would pass 400 KB raises TooLarge at once."""
    for _ in RETRY.tries():
        try:
            with TransactWrite(connection=models.connection()) as tx:
                write(tx)
            return
        except TransactWriteError as e:
            if too_large(e):
                raise TooLarge() from e
    raise ServiceUnavailable()


def too_large(e: TransactWriteError) -> bool:
    """The write would make an item larger than 400 KB (DynamoDB cancels the transaction with a
    ValidationError reason; moto answers ValidationException)."""
    return e.cause_response_code == "ValidationException" or any(
        r is not None and r.code == "ValidationError" for r in (e.cancellation_reasons or [])
    )


def records(item: dict | None) -> list[Stored]:
    """The records of a day index item as read by the low-level client (typed attributes),
    in the order of their behaviours' sort keys (<user>#<source>#<source_id>)."""
    if not item:
        return []
    out = []
    for name in sorted(k for k in item if k.startswith(PREFIX)):
        m = item[name]["M"]
        facts = Behaviour.facts.deserialize(m["f"]["S"]) if "f" in m else None
        out.append(
            Stored(
                m["s"]["S"],
                Behaviour.quantity.deserialize(m["q"]["N"]),
                m["at"]["S"],
                m["src"]["S"],
                m["id"]["S"],
                facts,
            )
        )
    return out


def erase_user(user_id: str) -> int:
    """Delete every day of a citizen's index (account deletion): one Query, then the deletes."""
    erased = 0
    for d in DayRecords.query(user_id, attributes_to_get=["user_id", "date"]):
        d.delete()
        erased += 1
    return erased
