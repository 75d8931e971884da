"""Yangchengtong trip files -> behaviour records.

Invariants:
- The file is read as a stream of lines: memory does not grow with its size.
- A trip counts for the user who held the card at boarding time, and for nobody before
  binding or after unbinding.
- A trip id is stored once, whoever holds the card when it arrives again: rows go in chunks of
  CHUNK; each chunk's trip claims (core.carbon.intake, keyed without the user) are read with one
  consistent BatchGetItem and only unclaimed trips are written (BatchWriteItem, 25 a request),
  so a re-delivered file or event changes nothing. A row repeated inside a file is a duplicate.
- A trip after now is counted `in_future`, one before the late-data window `too_old`; neither
  is stored. A trip for a day already settled marks that day (core.carbon.late).
  (Two deliveries of one file at the very same moment could both write a trip: the same key
  with the same content, so settlement still sees it once; only both runs count it accepted.)
- A malformed row is counted with its line number and never stops the good rows.
"""
from __future__ import annotations

import csv
from datetime import datetime, timezone

from collections import OrderedDict

from core.carbon import intake, late, validation
from core.carbon.cards import card_hash, holder_at, is_card_number, mask
from models.cards import CardHistory
from core import localday
from models.behaviours import Behaviour

COLUMNS = ["trip_id", "card_no", "mode", "boarded_at", "line", "from_station", "to_station", "distance_km"]
MODES = {"metro": "metro", "subway": "metro", "bus": "bus", "brt": "brt", "ferry": "ferry", "tram": "tram"}
MAX_MALFORMED_LISTED = 50
CHUNK = 100  # BatchGetItem's limit: one existence read per 100 rows


def parse_row(row: list[str]) -> dict:
    if len(row) != len(COLUMNS):
        raise ValueError("wrong number of columns")
    r = dict(zip(COLUMNS, (v.strip() for v in row)))
    card = r["card_no"][6:] if len(r["card_no"]) == 16 and r["card_no"].startswith("510000") else r["card_no"]
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
    return {**r, "card": card, "scenario": MODES[r["mode"].lower()], "boarded": boarded, "distance": distance}


class BindingCache:
    """Cards' binding periods, read once per file and card, a chunk's unknown cards with one
    BatchGetItem (one item per card holds all its periods), kept for the most recently seen
    cards only, so memory stays bounded however large the file."""

    def __init__(self, size: int = 4096):
        self.size, self.periods = size, OrderedDict()

    def prefetch(self, hashes: set[str]) -> None:
        missing = [h for h in hashes if h not in self.periods]
        for h in hashes - set(missing):
            self.periods.move_to_end(h)  # in use again: evict others first
        if not missing:
            return
        found = {c.card_hash: c for c in CardHistory.batch_get(missing)}  # 100 keys a request
        for h in missing:
            # A tuple: most cards were never bound and all share the one empty tuple.
            self.periods[h] = tuple((p.bound_at, p.unbound_at, p.user_id) for p in found[h].periods) \
                if h in found else ()
        while len(self.periods) > self.size:
            self.periods.popitem(last=False)

    def holder(self, h: str, at_utc: str) -> str | None:
        if h not in self.periods:
            self.prefetch({h})
        self.periods.move_to_end(h)
        return holder_at(self.periods[h], at_utc)


def ingest_lines(settings, lines, progress=None, now: datetime | None = None) -> dict:
    """Ingest CSV lines (an iterator of str); returns counts. The header line is optional.
    Holds one chunk of rows and a bounded card cache at a time, whatever the file's size."""
    counts = {"rows": 0, "accepted": 0, "unbound": 0, "duplicates": 0, "malformed": 0, "in_future": 0,
              "too_old": 0, "malformed_lines": []}
    holders = BindingCache()
    at = now or datetime.now(timezone.utc)
    now = at.isoformat()
    trips: list[dict] = []
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
        trip["card_hash"] = card_hash(settings, trip["card"])
        trips.append(trip)
        if len(trips) == CHUNK:
            _ingest_chunk(settings, holders, trips, now, counts)
    _ingest_chunk(settings, holders, trips, now, counts)
    return counts


def _ingest_chunk(settings, holders: BindingCache, trips: list[dict], now: str, counts: dict) -> None:
    holders.prefetch({t["card_hash"] for t in trips})
    chunk: dict[str, Behaviour] = {}  # by trip id
    for trip in trips:
        item = _behaviour(settings, holders, trip, now)
        if item is None:
            counts["unbound"] += 1
        elif item.source_id in chunk:
            counts["duplicates"] += 1  # the same trip twice in this chunk: the first one counts
        else:
            chunk[item.source_id] = item
    trips.clear()
    _store_new(chunk, counts, now)


def _behaviour(settings, holders: BindingCache, trip: dict, now: str) -> Behaviour | None:
    at_utc = trip["boarded"].astimezone(timezone.utc).isoformat()
    user_id = holders.holder(trip["card_hash"], at_utc)
    if user_id is None:
        return None
    day = localday.day_of(trip["boarded"])
    facts = {k: trip[k][:n] for k, n in (("line", 40), ("from_station", 60), ("to_station", 60)) if trip[k]}
    facts["card"] = mask(trip["card"])  # what the citizen's records list shows (never the number)
    if trip["distance"] is not None:
        facts["distance_km"] = trip["distance"]
    return Behaviour.of(user_id, day, trip["scenario"], 1, trip["boarded"].isoformat(), "yct", trip["trip_id"],
                        settings.settle_shards, now, facts, keep_days=settings.behaviour_retention_days)


def _store_new(chunk: dict, counts: dict, now: str) -> None:
    """Write the chunk's trips that no one has claimed yet; empties the chunk."""
    if not chunk:
        return
    taken = intake.claimed(list(chunk.values()))
    new = [item for item in chunk.values() if f"yct#{item.source_id}" not in taken]
    counts["duplicates"] += len(chunk) - len(new)
    intake.store_batch(new, now)
    counts["accepted"] += len(new)
    # Stored first, then marked: a run that started before the mark settles the day again.
    late.mark_settled_days({item.date for item in chunk.values()}, now)
    chunk.clear()
