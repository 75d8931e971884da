"""A citizen's stored behaviour records as their export shows them: Yangchengtong trips, WeRun
step days and partners' records. Read-only.

Invariants:
- Read by key, never a Scan: the days are the citizen's day index (day_records, one Query on
  their id), their settled days still inside the retention window (one Query) and the last week
  (records settlement may still reach); each day is one Query on the citizen's own shard
  (behaviours.user_day_items). A record that expired (TTL) is no longer held and not shown.
- Nothing that identifies the citizen elsewhere: a trip shows its card masked, as stored
  (core.carbon.trips keeps only the mask); no user id, card hash or WeChat id.
- Every time at +08:00 (core.localday.local_iso; facts' times through local_times).
"""

from __future__ import annotations

from core import localday
from core.carbon import behaviours, links
from models.day_records import DayRecords
from models.settlement import SettledDay

SETTLE_REACH_DAYS = 7  # settle_daily reaches back a week (API.md, "Files and schedules")
TRIP_FACTS = ("line", "from_station", "to_station", "distance_km")


def days_held(settings, user_id: str) -> list[str]:
    """Every local day that may hold a stored record of the citizen, oldest first."""
    today = localday.today()
    oldest = localday.add_days(today, -(settings.behaviour_retention_days + 1))
    days = {d.date for d in DayRecords.query(user_id, attributes_to_get=["date"])}
    days |= {
        d.date
        for d in SettledDay.query(user_id, SettledDay.date >= oldest, attributes_to_get=["date"])
    }
    days |= {localday.add_days(today, -n) for n in range(SETTLE_REACH_DAYS + 1)}
    return sorted(d for d in days if d >= oldest)


def records_held(settings, user_id: str) -> dict[str, list[dict]]:
    """{"trips", "steps", "partner_records"}, each oldest first."""
    held = {"trips": [], "steps": [], "partner_records": []}
    names: dict[str, str] = {}
    for day in days_held(settings, user_id):
        for b in sorted(
            behaviours.user_day_items(user_id, day, settings.settle_shards),
            key=lambda b: (b.occurred_at, b.source, b.source_id),
        ):
            if b.source == "yct":
                held["trips"].append(_trip(b))
            elif b.source == "werun":
                held["steps"].append(_steps(b))
            elif b.source.startswith("partner:"):
                held["partner_records"].append(_partner_record(b, names))
    return held


def _common(b) -> dict:
    return {
        "date": b.date,
        "scenario": b.scenario,
        "occurred_at": localday.local_iso(b.occurred_at),
        "received_at": localday.local_iso(b.ingested_at),
    }


def _trip(b) -> dict:
    facts = b.facts or {}
    return {
        "id": b.source_id,
        **_common(b),
        "masked_no": facts.get("card"),  # the card's mask, kept with the trip
        **{k: facts.get(k) for k in TRIP_FACTS},
    }


def _steps(b) -> dict:
    return {**_common(b), "steps": int(b.quantity)}


def _partner_record(b, names: dict[str, str]) -> dict:
    pid = b.source.split(":", 1)[1]
    if pid not in names:  # a partner removed since: its id is what is known
        names[pid] = links.counterpart_name(pid) or pid
    return {
        "partner_id": pid,
        "partner_name": names[pid],
        "record_id": b.source_id,
        **_common(b),
        "quantity": _number(b.quantity),
        "facts": localday.local_times(b.facts),
    }


def _number(q):
    return int(q) if q == int(q) else float(q)
