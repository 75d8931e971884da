"""Yangchengtong trip files -> behaviour records.

Invariants:
- The file is read as a stream of lines: memory does not grow with its size.
- A trip counts for the user who held the card at boarding time, and for nobody before
  binding or after unbinding.
- A trip id is stored once, whoever holds the card when it arrives again: new trips go in
  batches of CHUNK; each batch's trip claims (core.carbon.intake, keyed without the user) are
  read with one consistent BatchGetItem and only unclaimed trips are written (BatchWriteItem,
  25 a request), so a re-delivered file or event changes nothing. A row repeated inside a file
  is a duplicate. A run cut off anywhere is redone by re-delivery: what it stored is found claimed.
- DynamoDB requests: one BatchGetItem per CARDS_A_READ distinct cards (every binding period of
  a card is one item), one per CHUNK new trips, one TransactWriteItems per CHUNK new trips (their
  day index, core.carbon.day_index, written before the behaviours), full BatchWriteItems, and one
  mark per day at the end: about 0.01 + 0.1 x (share of rows bound) requests a row.
- A trip after now is counted `in_future`, one before the late-data window `too_old`; neither
  is stored. A trip for a day already settled marks that day (core.carbon.late).
  (Two deliveries of one file at the very same moment could both write a trip: the same key
  with the same content, so settlement still sees it once; only both runs count it accepted.)
- A malformed row is counted with its line number and never stops the good rows.
"""

from __future__ import annotations

import csv
import time
from datetime import UTC, datetime
from itertools import islice

from core import localday
from core.carbon import intake, late, validation
from core.carbon.cards import card_hash, holder_at, is_card_number, mask
from models.behaviours import Behaviour
from models.cards import CardHistory

COLUMNS = [
    "trip_id",
    "card_no",
    "mode",
    "boarded_at",
    "line",
    "from_station",
    "to_station",
    "distance_km",
]
MODES = {
    "metro": "metro",
    "subway": "metro",
    "bus": "bus",
    "brt": "brt",
    "ferry": "ferry",
    "tram": "tram",
}
MAX_MALFORMED_LISTED = 50
CARDS_A_READ = 100  # BatchGetItem's limit: a chunk of rows names at most 100 cards, read at once
CHUNK_ROWS = 1000  # and holds at most this many rows, however few cards they share
CHUNK = (
    100  # new trips checked against the claims 100 at a time (one read) and written 25 a request
)


def parse_row(row: list[str]) -> dict:
    if len(row) != len(COLUMNS):
        raise ValueError("wrong number of columns")
    r = dict(zip(COLUMNS, (v.strip() for v in row)))
    card = (
        r["card_no"][6:]
        if len(r["card_no"]) == 16 and r["card_no"].startswith("510000")
        else r["card_no"]
    )
    if not r["trip_id"] or len(r["trip_id"]) > 64:
        raise ValueError("trip_id")
    if not is_card_number(card):
        raise ValueError("card_no")
    if r["mode"].lower() not in MODES:
        raise ValueError("mode")
    boarded = datetime.fromisoformat(r["boarded_at"])
    if boarded.tzinfo is None:
        raise ValueError("boarded_at needs an offset")
    distance = float(r["distance_km"]) if r["distance_km"] else None
    if distance is not None and not 0 <= distance < 500:
        raise ValueError("distance_km")
    return {
        **r,
        "card": card,
        "scenario": MODES[r["mode"].lower()],
        "boarded": boarded,
        "distance": distance,
    }


def ingest_lines(settings, lines, progress=None, now: datetime | None = None) -> dict:
    """Ingest CSV lines (an iterator of str); returns counts. The header line is optional.
    Holds one chunk of rows and one batch of new trips at a time, whatever the file's size."""
    counts = {
        "rows": 0,
        "accepted": 0,
        "unbound": 0,
        "duplicates": 0,
        "malformed": 0,
        "in_future": 0,
        "too_old": 0,
        "malformed_lines": [],
    }
    at = now or datetime.now(UTC)
    batch = _Batch(settings, at.isoformat(), counts)
    try:
        for n, row in enumerate(csv.reader(lines), 1):
            if progress:
                progress(1)
            if not row or (n == 1 and row and row[0].strip() == "trip_id"):
                continue
            counts["rows"] += 1
            try:
                trip = parse_row(row)
            except (ValueError, TypeError):
                counts["malformed"] += 1
                if len(counts["malformed_lines"]) < MAX_MALFORMED_LISTED:
                    counts["malformed_lines"].append(n)
                continue
            late_or_early = validation.check_time(trip["boarded"], at, localday.SHANGHAI)
            if late_or_early:  # a trip after now or before the late-data window never counts
                counts[late_or_early] += 1
                continue
            batch.add(trip, card_hash(settings, trip["card"]))
        batch.finish()
    finally:
        # Stored first, then marked (also when a write failed half-way: what got stored is
        # settled again); a run that started before the mark settles the day again.
        late.mark_settled_days(batch.days, batch.now)
    return counts


class _Batch:
    """Rows are gathered until they name CARDS_A_READ distinct cards (or CHUNK_ROWS rows), whose
    binding periods are then read with one BatchGetItem (one item per card holds all its
    periods); the bound trips wait in `new` until CHUNK of them can be checked against the
    claims with one BatchGetItem and written with full BatchWriteItems. Nothing is kept from
    one chunk of rows to the next but the trips waiting to be written."""

    def __init__(self, settings, now: str, counts: dict):
        self.settings, self.now, self.counts = settings, now, counts
        self.rows: list[tuple[dict, str]] = []
        self.cards: set[str] = set()
        self.new: dict[str, Behaviour] = {}  # by trip id, in file order
        self.days: set[str] = set()  # days of the bound trips seen (stored now or before)
        self.pace = Pace(settings.ingest_rows_per_second)

    def add(self, trip: dict, h: str) -> None:
        if len(self.rows) == CHUNK_ROWS or (
            h not in self.cards and len(self.cards) == CARDS_A_READ
        ):
            self._resolve()
        self.rows.append((trip, h))
        self.cards.add(h)

    def finish(self) -> None:
        self._resolve()
        self._write(everything=True)

    def _resolve(self) -> None:
        self.pace.rows(len(self.rows))
        periods = (
            {c.card_hash: c.periods for c in CardHistory.batch_get(list(self.cards))}
            if self.cards
            else {}
        )
        for trip, h in self.rows:
            item = _behaviour(self.settings, periods.get(h, ()), trip, self.now)
            if item is None:
                self.counts["unbound"] += 1
                continue
            self.days.add(
                item.date
            )  # a duplicate marks its day again: it may have been stored unmarked
            if item.source_id in self.new:
                self.counts["duplicates"] += (
                    1  # the same trip twice before it was written: the first counts
                )
            else:
                self.new[item.source_id] = item
        self.rows, self.cards = [], set()
        self._write()

    def _write(self, everything: bool = False) -> None:
        while len(self.new) >= CHUNK or (everything and self.new):
            ids = list(islice(self.new, CHUNK))
            _store_new([self.new.pop(i) for i in ids], self.counts, self.now)


def _behaviour(settings, periods, trip: dict, now: str) -> Behaviour | None:
    at_utc = trip["boarded"].astimezone(UTC).isoformat()
    user_id = holder_at(((p.bound_at, p.unbound_at, p.user_id) for p in periods), at_utc)
    if user_id is None:
        return None
    day = localday.day_of(trip["boarded"])
    facts = {
        k: trip[k][:n]
        for k, n in (("line", 40), ("from_station", 60), ("to_station", 60))
        if trip[k]
    }
    facts["card"] = mask(trip["card"])  # what the citizen's records list shows (never the number)
    if trip["distance"] is not None:
        facts["distance_km"] = trip["distance"]
    return Behaviour.of(
        user_id,
        day,
        trip["scenario"],
        1,
        trip["boarded"].isoformat(),
        "yct",
        trip["trip_id"],
        settings.settle_shards,
        now,
        facts,
        keep_days=settings.behaviour_retention_days,
    )


def _store_new(items: list[Behaviour], counts: dict, now: str) -> None:
    """Write those of `items` (distinct trips) that no one has claimed yet."""
    taken = intake.claimed(items)
    new = [item for item in items if f"yct#{item.source_id}" not in taken]
    counts["duplicates"] += len(items) - len(new)
    intake.store_batch(new, now)
    counts["accepted"] += len(new)


class Pace:
    """At most `per_second` rows a second (0: no limit), waited for a chunk at a time.

    Why: the night's ingestion runs on capacity raised for a clock hour (infra/capacity.py); 12
    ranges at full speed would finish the city in ~9 minutes and need five times the capacity,
    billed for the whole hour all the same."""

    def __init__(self, per_second: int, clock=time.monotonic, sleep=None):
        self.per_second, self.clock, self.sleep = per_second, clock, sleep or time.sleep
        self.start, self.done = clock(), 0

    def rows(self, n: int) -> None:
        self.done += n
        if self.per_second > 0:
            ahead = self.done / self.per_second - (self.clock() - self.start)
            if ahead > 0:
                self.sleep(ahead)
