"""Yangchengtong trip files -> behaviour records.

Invariants:
- The file is read as a stream of lines: memory does not grow with its size.
- A trip counts for the user who held the card at boarding time, and for nobody before
  binding or after unbinding.
- A trip id is stored once: the put is conditional (attribute_not_exists), so a
  re-delivered file or event changes nothing.
- A malformed row is counted with its line number and never stops the good rows.
"""
from __future__ import annotations

import csv
from datetime import datetime, timezone

from pynamodb.exceptions import PutError

from collections import OrderedDict

from core.cards import card_hash
from models.cards import CardBinding
from core.settlement_runs import SHANGHAI
from models.behaviours import Behaviour, partition, shard_of, sort_key

COLUMNS = ["trip_id", "card_no", "mode", "boarded_at", "line", "from_station", "to_station", "distance_km"]
MODES = {"metro": "metro", "subway": "metro", "bus": "bus", "brt": "brt", "ferry": "ferry", "tram": "tram"}
MAX_MALFORMED_LISTED = 50


def parse_row(row: list[str]) -> dict:
    if len(row) != len(COLUMNS):
        raise ValueError("wrong number of columns")
    r = dict(zip(COLUMNS, (v.strip() for v in row)))
    card = r["card_no"][6:] if len(r["card_no"]) == 16 and r["card_no"].startswith("510000") else r["card_no"]
    if not r["trip_id"] or len(r["trip_id"]) > 64:
        raise ValueError("trip_id")
    if len(card) != 10 or not card.isdigit():
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
    """A card's binding periods, read once per file and card (one Query), kept for the most
    recently seen cards only, so memory stays bounded however large the file."""

    def __init__(self, size: int = 10_000):
        self.size, self.periods = size, OrderedDict()

    def holder(self, h: str, at_utc: str) -> str | None:
        if h not in self.periods:
            self.periods[h] = [(b.bound_at, b.unbound_at, b.user_id) for b in CardBinding.query(h)]
            if len(self.periods) > self.size:
                self.periods.popitem(last=False)
        self.periods.move_to_end(h)
        for bound_at, unbound_at, user_id in self.periods[h]:
            if bound_at <= at_utc and (unbound_at is None or at_utc < unbound_at):
                return user_id
        return None


def ingest_lines(settings, lines, progress=None) -> dict:
    """Ingest CSV lines (an iterator of str); returns counts. The header line is optional."""
    counts = {"rows": 0, "accepted": 0, "unbound": 0, "duplicates": 0, "malformed": 0, "malformed_lines": []}
    holders = BindingCache()
    now = datetime.now(timezone.utc).isoformat()
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
        at_utc = trip["boarded"].astimezone(timezone.utc).isoformat()
        h = card_hash(settings, trip["card"])
        user_id = holders.holder(h, at_utc)
        if user_id is None:
            counts["unbound"] += 1
            continue
        day = trip["boarded"].astimezone(SHANGHAI).date().isoformat()
        facts = {k: trip[k] for k in ("line", "from_station", "to_station") if trip[k]}
        if trip["distance"] is not None:
            facts["distance_km"] = trip["distance"]
        item = Behaviour(partition(day, shard_of(user_id, settings.settle_shards)),
                         sort_key(user_id, "yct", trip["trip_id"]), user_id=user_id, date=day,
                         scenario=trip["scenario"], quantity=1, occurred_at=trip["boarded"].isoformat(),
                         source="yct", source_id=trip["trip_id"], facts=facts, ingested_at=now)
        try:
            item.save(condition=Behaviour.sk.does_not_exist())  # a trip id is stored once
            counts["accepted"] += 1
        except PutError as e:
            if e.cause_response_code != "ConditionalCheckFailedException":
                raise
            counts["duplicates"] += 1
    return counts
