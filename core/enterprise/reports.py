"""Reports for ops and partners, read from the ledger's settlement provenance.

PHCER: reductions of the scenarios certifiable as PHCER (core.carbon.methodologies, phcer=True),
per day and scenario, counted once per user-day (the latest settlement run of a day holds
the day's totals), so a reduction is never exported twice for the same period.
"""

from __future__ import annotations

from collections import defaultdict

from core.carbon.defaults import DEFAULTS
from models import LedgerEntry

PHCER = {m.code for m in DEFAULTS if m.phcer}


def phcer_rows(start: str, end: str) -> list[dict]:
    latest: dict[tuple[str, str], dict] = {}
    # An ops export over all users: a filtered Scan of settlement entries is acceptable here.
    for e in LedgerEntry.scan(LedgerEntry.kind == "settlement"):
        d = e.detail or {}
        day = d.get("date")
        if not day or not start <= day <= end:
            continue
        key = (e.user_id, day)
        if key not in latest or int(d.get("day_grams", 0)) >= int(latest[key].get("day_grams", 0)):
            latest[key] = d
    agg: dict[tuple[str, str], dict] = defaultdict(lambda: {"grams": 0, "count": 0, "users": 0})
    for (_user, day), d in latest.items():
        for s in d.get("scenarios", []):
            if s["scenario"] in PHCER:
                row = agg[(day, s["scenario"])]
                row["grams"] += int(s["grams"])
                row["count"] += int(s["count"])
                row["users"] += 1
    return [{"date": day, "scenario": sc, **v} for (day, sc), v in sorted(agg.items())]
