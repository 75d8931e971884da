"""The city ranking's arithmetic. Pure: no I/O.

- Periods: the ISO week (Monday to Sunday) and the calendar month of an Asia/Shanghai date.
- A citizen's grams of a period fall into one of BUCKETS geometric buckets (×1.25 from 100 g);
  rank and percentile come from the bucket counts: rank = 1 + the citizens in higher buckets +
  half of the others in one's own bucket (their exact grams are hidden by the bucket), percentile
  = the share of the others with fewer grams, one's own bucket counted half below, as the
  footprint's percentile is. Both are exact whenever no two citizens share a bucket.
- The top list: the listed citizens with the most grams, ties by user id (stable), at most KEEP
  per part; the city's top is the merge of the parts.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

BUCKETS = 60
FIRST = 100  # grams: everything below is bucket 0
RATIO = 1.25
KEEP = 100  # entries of a top part; the city's top 100 is among the parts' tops
STALE_WEEKS = range(
    3, 11
)  # a credit removes the account's week roll-ups 3..10 weeks older than its date
STALE_MONTHS = range(2, 5)


def week_of(day: str) -> str:
    y, w, _ = date.fromisoformat(day).isocalendar()
    return f"w{y}-{w:02d}"


def month_of(day: str) -> str:
    return f"m{day[:7]}"


def periods(day: str) -> tuple[str, str]:
    return week_of(day), month_of(day)


def bounds(period: str) -> tuple[str, str]:
    """(first, last) date of a period."""
    if period.startswith("w"):
        y, w = period[1:].split("-")
        first = date.fromisocalendar(int(y), int(w), 1)
        return first.isoformat(), (first + timedelta(days=6)).isoformat()
    y, m = (int(x) for x in period[1:].split("-"))
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return f"{period[1:]}-01", (nxt - timedelta(days=1)).isoformat()


def rollup_name(period: str) -> str:
    """The account attribute holding a citizen's grams of a period: rw_202649, rm_202612."""
    return f"r{period[0]}_{period[1:].replace('-', '')}"


def stale(day: str) -> list[str]:
    """Roll-up names of periods old enough to drop when crediting `day` (keeps the account small)."""
    d = date.fromisoformat(day)
    weeks = {rollup_name(week_of((d - timedelta(weeks=n)).isoformat())) for n in STALE_WEEKS}
    months, y, m = set(), d.year, d.month
    for n in STALE_MONTHS:
        yy, mm = divmod(y * 12 + m - 1 - n, 12)
        months.add(rollup_name(f"m{yy}-{mm + 1:02d}"))
    return sorted(weeks | months)


def bucket_of(grams: int) -> int | None:
    if grams <= 0:
        return None
    if grams < FIRST:
        return 0
    return min(BUCKETS - 1, 1 + int(math.log(grams / FIRST, RATIO) + 1e-9))


def standing(counts: list[int], grams: int) -> tuple[int | None, int | None]:
    """(rank, percentile 0..100) of a citizen with `grams` among the counted; (None, None) without grams."""
    mine = bucket_of(grams)
    if mine is None:
        return None, None
    others = max(0, sum(counts) - 1)  # the citizen is counted (or about to be)
    same = max(0, counts[mine] - 1) if mine < len(counts) else 0
    above = sum(counts[mine + 1 :])
    below = sum(counts[:mine]) + same / 2
    return 1 + above + same // 2, (
        0 if others == 0 else max(0, min(100, int(100 * below / others)))
    )


def merge_top(entries: list[list], updates: dict[str, int], keep: int = KEEP) -> list[list]:
    """A top part with `updates` (user -> their period grams now) applied, best first, `keep` long."""
    best = {u: int(g) for u, g in entries}
    best.update(updates)
    return [[u, g] for u, g in sorted(best.items(), key=lambda e: (-e[1], e[0]))][:keep]


def ranked(entries: list[list], limit: int = 100) -> list[tuple[int, str, int]]:
    """(rank, user, grams), best first; equal grams share a rank (1, 2, 2, 4)."""
    out, rank = [], 0
    for i, (u, g) in enumerate(sorted(entries, key=lambda e: (-e[1], e[0]))[:limit]):
        if i == 0 or g != out[-1][2]:
            rank = i + 1
        out.append((rank, u, g))
    return out
