"""Rebuilding the day index (core.carbon.day_index) of one date from the date's stored behaviours:
the records stored before the index was deployed are in no index item, so on deploy day the
pending figure of GET /api/v1/coins reads low until ops run `tanpuhui day-index backfill`.

Invariants:
- Streamed: a unit's `date#unit` partition is read page by page and user by user
  (behaviours.shard_user_items), and indexed at most ACTIONS user-days and RECORDS records a
  write, so memory does not grow with the date's size.
- Safe to re-run, and to run while citizens upload: each record's attribute gets the entry and
  TTL every writer sets (day_index.add_updates), but only where the attribute is missing
  (`fill`: SET if_not_exists). A record's attribute is its id, so a second run sets nothing new
  and the item stays identical; a record a writer indexed meanwhile keeps the writer's entry, so
  a WeRun day replaced after this run read it is never set back to the older step count.
- A user-day too large for one item (≈1,000 records) is left out alone, as day_index.index
  leaves it out for a writer (logged `day_index_full`): a big day is written a piece at a time,
  and the pieces past 400 KB stay out (its pending figure stays low, as the writers would have
  left it), counted once in `left_out`. The other user-days of the unit are indexed.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from core import localday
from core.carbon import behaviours, day_index
from core.runlog import run_summary
from models.behaviours import Behaviour

RECORDS = behaviours.PAGE  # records a write holds at most
PIECE = day_index.PIECE  # records of one user-day an update sets at most
COUNTS = ("behaviours", "user_days", "left_out")


def backfill(settings, date: str, units=None, workers: int = 1, progress=None) -> dict:
    """Index every stored behaviour of `date` (YYYY-MM-DD, else InvalidDate), in `units` (default:
    all settings.settle_shards of them), `workers` units at a time; progress(1) after each unit.
    Returns {date, units, behaviours (read), user_days (indexed), left_out (too large)}."""
    date = localday.parse_date(date).isoformat()
    units = list(range(settings.settle_shards) if units is None else units)
    totals = dict.fromkeys(COUNTS, 0)
    with run_summary("day_index_backfill", date=date, units=len(units)) as line:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for counts in pool.map(lambda unit: backfill_unit(date, unit), units):
                for k in COUNTS:
                    totals[k] += counts[k]
                if progress:
                    progress(1)
        line.update(totals)
    return {"date": date, "units": len(units), **totals}


def backfill_unit(date: str, unit: int) -> dict:
    """Index the stored behaviours of one unit of `date`: whole user-days together, at most
    ACTIONS user-days and RECORDS records a write; a user-day of more than PIECE records alone,
    PIECE records a write (DynamoDB caps an update expression at 4 KB: ≈110 if_not_exists SETs)."""
    counts = dict.fromkeys(COUNTS, 0)
    waiting: list[list[Behaviour]] = []

    def write(groups: list[list[Behaviour]]) -> None:
        indexed = day_index.index([b for g in groups for b in g], fill=True)
        counts["user_days"] += indexed
        counts["left_out"] += len(groups) - indexed

    for _user, items in behaviours.shard_user_items(date, unit):  # one partition holds one date
        counts["behaviours"] += len(items)
        if len(items) > PIECE:
            # Every piece is tried: one that does not fit leaves out only itself (logged).
            whole = all(
                [
                    day_index.index(items[i : i + PIECE], fill=True)
                    for i in range(0, len(items), PIECE)
                ]
            )
            counts["user_days" if whole else "left_out"] += 1
            continue
        if waiting and (
            len(waiting) == day_index.ACTIONS or sum(map(len, waiting)) + len(items) > RECORDS
        ):
            write(waiting)
            waiting = []
        waiting.append(items)
    if waiting:
        write(waiting)
    return counts
