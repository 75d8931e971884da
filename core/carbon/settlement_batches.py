"""Settling a unit (a date and shard) batch by batch: its users streamed, credited in flight, counted.

Invariants:
- A unit's partition is streamed page by page (a user's records are contiguous): memory holds one batch
  of users whatever the partition's size. Reads: one Query a page, three BatchGetItems a batch (accounts,
  settled days, subscriptions); one transaction per user-day with something new (core.carbon.settlement),
  settle_in_flight at a time.
- Each batch is returned as a value (`Batch`: the last user, the counts of what committed, the first
  error), so the caller records progress and decides to go on; after an error no new transaction starts
  in that batch, and settling it again credits only what is not credited yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, fields
from itertools import islice

from core.carbon import behaviours, footprint, quarantine, rankings, rules
from core.carbon.settlement import (
    Credited,
    UserDay,
    day_registry,
    provenance,
    read_state,
    registry_for_settlement,
    requires_evidence,
    settle_user_day,
)
from core.notices import outbox

BATCH = 50


@dataclass(frozen=True)
class Counts:
    """What a batch (or a unit's pass) settled."""

    users: int = 0
    credited: int = 0
    coins: int = 0
    grams: int = 0
    behaviours: int = 0
    quarantined: int = 0
    noticed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, k) + getattr(other, k) for k in KEYS))

    def as_dict(self) -> dict:
        return asdict(self)


KEYS = tuple(f.name for f in fields(Counts))  # a unit's counts, as the run record stores them


@dataclass(frozen=True)
class Batch:
    """One batch of a unit's users, settled: the last user (the position to resume after), what
    committed, and the first error (after one, the batch is settled again when the unit resumes)."""

    last_user: str
    counts: Counts
    error: Exception | None = None
    full: bool = True  # False: the unit's last batch


def batches(
    settings, date: str, shard: int, registry=None, after: str | None = None
) -> Iterator[Batch]:
    """Settle one unit (date and shard) after user `after`, a batch of users at a time, yielding each
    batch's progress: the caller records it, stops after an error (the batch's committed credits are
    counted, the position stays) or when its time is nearly up, simply by not asking for the next.
    A run that fails half-way is simply run again: only what is not credited yet is credited."""
    registry = registry or registry_for_settlement()
    rate = registry.rate_in_force(date, settings.grams_per_coin).grams_per_coin
    stream = behaviours.shard_user_items(date, shard, after)
    with ThreadPoolExecutor(settings.settle_in_flight) as pool:
        while chunk := list(islice(stream, BATCH)):
            counts, error = _settle_batch(settings, date, chunk, registry, rate, pool)
            yield Batch(
                chunk[-1][0], counts, error, full=len(chunk) == BATCH
            )  # a short batch was the last


def settle_shard(settings, date: str, shard: int, registry=None, after: str | None = None) -> dict:
    """A whole unit in one go (tests, benchmarks): its counts; the first error is raised."""
    total = Counts()
    for batch in batches(settings, date, shard, registry, after):
        total += batch.counts
        if batch.error is not None:
            raise batch.error
    return {**total.as_dict(), "complete": True}


def _admitted(chunk: list, date: str, registry) -> tuple[list, int]:
    """(user_id, records) admitted in the batch, and how many were quarantined (kept out, counted)."""
    users, held = [], 0
    for user_id, items in chunk:
        records, n = quarantine.admit_all(items, date, registry)
        held += n
        users += [(user_id, records)] if records else []
    return users, held


def _settle_batch(
    settings, date: str, chunk: list, registry, rate: int, pool
) -> tuple[Counts, Exception | None]:
    """One transaction per user-day, settings.settle_in_flight at a time: (the counts of what
    committed, the first error). After an error no new transaction starts; those in flight finish."""
    users, held = _admitted(chunk, date, registry)
    ids = [u for u, _ in users]
    accounts, settled = read_state(ids, date)
    told = outbox.wants(ids, "settlement_credit")

    def one(user_id: str, records: list) -> Credited | None:
        day = settled.get(user_id)
        totals = rules.apply(
            records, date, day_registry(registry, day), requires_evidence(settings)
        )
        user_day = UserDay.of(
            user_id, date, totals, day, provenance(records), notice=user_id in told
        )
        return settle_user_day(settings, user_day, accounts.get(user_id), rate)

    results, error = _in_flight(pool, one, users, settings.settle_in_flight)
    credited = [(u, c) for u, c in results if c is not None]
    footprint.recount(
        [u for u, _ in credited], date[:4]
    )  # the city histogram (percentiles), for what committed
    rankings.after_credits(
        date, {u: c.grams for u, c in credited}
    )  # the week's and month's ranking, likewise
    return Counts(
        users=len(users),
        credited=len(credited),
        coins=sum(c.coins for _, c in credited),
        grams=sum(c.grams for _, c in credited),
        behaviours=sum(len(r) for _, r in users),
        quarantined=held,
        noticed=sum(c.noticed for _, c in credited),
    ), error


def _in_flight(pool, work, items: list, limit: int) -> tuple[list, Exception | None]:
    """work(*item) for each item, at most `limit` at a time: ((first of item, result) of each that
    returned, the first error). Once one fails no more start (those in flight finish); decided here, in
    the caller's thread, so nothing is shared with the workers."""
    running, results, error = {}, [], None
    pending = iter(items)
    while True:
        while error is None and len(running) < limit and (item := next(pending, None)) is not None:
            running[pool.submit(work, *item)] = item[0]
        if not running:
            return results, error
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            key = running.pop(future)
            try:
                results.append((key, future.result()))
            except Exception as e:
                error = error or e
