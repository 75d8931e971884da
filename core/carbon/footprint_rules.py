"""The footprint's arithmetic. Pure: no I/O.

- A year's grams fall into one of BUCKETS geometric buckets (×1.2 each from 1 kg), fine enough
  that a percentile read from bucket counts is within a bucket's share of the true one.
- Percentile: the share of the city's active citizens (grams > 0 this year) with fewer grams,
  citizens in one's own bucket counted as half below (the bucket hides their exact grams).
- Trees equivalent: grams / the tree-year factor of core.carbon.methodologies.TREE_YEAR.
"""

from __future__ import annotations

import math
from collections import defaultdict

BUCKETS = 80
FIRST = 1000  # grams: everything below 1 kg is bucket 0
RATIO = 1.2


def bucket_of(grams: int) -> int | None:
    if grams <= 0:
        return None  # not active: not counted
    if grams < FIRST:
        return 0
    return min(BUCKETS - 1, 1 + int(math.log(grams / FIRST, RATIO)))


def percentile(counts: list[int], grams: int) -> int | None:
    """0..100 (rounded down), or None when the citizen has no grams this year."""
    mine = bucket_of(grams)
    if mine is None:
        return None
    total = sum(counts)
    others = total - 1  # the citizen is counted in `counts` (or about to be)
    if others <= 0:
        return 0
    below = sum(counts[:mine]) + max(0, counts[mine] - 1) / 2
    return max(0, min(100, int(100 * below / others)))


def months(days: list[tuple[str, int, dict]], year: str, last: str) -> list[dict]:
    """[(date, grams, {scenario: grams})] -> one {"month", "grams", "by_scenario"} per month of
    `year` up to `last` (YYYY-MM), months without grams included (a chart needs every month)."""
    grams, by = defaultdict(int), defaultdict(lambda: defaultdict(int))
    for date, g, scenarios in days:
        grams[date[:7]] += int(g)
        for code, sg in (scenarios or {}).items():
            by[date[:7]][code] += int(sg)
    every = [f"{year}-{m:02d}" for m in range(1, 13) if f"{year}-{m:02d}" <= last]
    return [
        {"month": m, "grams": grams[m], "by_scenario": dict(sorted(by[m].items()))} for m in every
    ]


def trees(grams: int, grams_per_tree_year: int) -> float:
    return round(grams / grams_per_tree_year, 2)
