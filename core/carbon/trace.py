"""Traceability: the records behind one user-day's grams (GET /api/v1/reductions/{date}/records).
Read-only.

Invariant: the listing applies the same rules, the same versions (the day's pinned ones once
settled) and the same quarantine check as settlement, so an auditor recomputes the day's grams
from it: per scenario, floor(sum of counted_quantity × grams_per_unit), split over the records by
largest remainder so their grams add up to it exactly; and the settlement
entry's `records` and `records_digest` (sha256 of the sorted ids of the non-quarantined items,
one per line) match the listing. Card numbers appear masked, partners by name.
"""

from __future__ import annotations

from decimal import Decimal

from core import localday
from core.books.shares import largest_remainder
from core.carbon import behaviours, quarantine, rules, settlement
from models.partners import Partner
from models.settlement import SettledDay

_SOURCES = {"yct": "trip", "werun": "steps"}


def settled_day(user_id: str, day: str):
    try:
        return SettledDay.get(user_id, day, consistent_read=True)
    except SettledDay.DoesNotExist:
        return None


def behaviours_of(settings, user_id: str, day: str):
    return behaviours.user_day_items(user_id, day, settings.settle_shards)


def _number(d: Decimal):
    return int(d) if d == d.to_integral_value() else float(d)


def _ref(b, partner_names: dict) -> str:
    if b.source == "yct":
        return (b.facts or {}).get("card") or "51****????"
    if b.source.startswith("partner:"):
        pid = b.source.split(":", 1)[1]
        if pid not in partner_names:
            try:
                partner_names[pid] = Partner.get(pid).name
            except Partner.DoesNotExist:
                partner_names[pid] = pid
        return f"{partner_names[pid]} {b.source_id}"
    return "微信运动" if b.source == "werun" else b.source


def day_records(settings, registry, user_id: str, day: str) -> dict:
    localday.parse_date(day)  # 422 for anything but a real YYYY-MM-DD day
    done = settled_day(user_id, day)
    registry = settlement.day_registry(registry, done)
    stored, admitted = [], []
    for b in behaviours_of(settings, user_id, day):
        record, reason = quarantine.admit(b, day, registry)
        stored.append((b, record, reason))
        if record is not None:
            admitted.append(record)
    totals, counted = rules.apply_detailed(
        admitted, day, registry, settlement.requires_evidence(settings)
    )
    by_id = {c.record.record_id: c for c in counted}
    shares = gram_shares(totals, counted)
    names: dict = {}
    items = []
    for b, record, reason in sorted(
        stored, key=lambda x: (x[0].occurred_at, x[0].source, x[0].source_id)
    ):
        m = registry.in_force(b.scenario, day)
        c = by_id.get(record.record_id) if record else None
        counted_qty = c.quantity if c else Decimal(0)
        items.append(
            {
                "id": f"{b.source}#{b.source_id}",
                "source": _SOURCES.get(b.source, "partner"),
                "scenario": b.scenario,
                "quantity": _number(Decimal(str(b.quantity))),
                "unit": m.unit if m else None,
                "counted_quantity": _number(counted_qty),
                "grams_per_unit": str(c.grams_per_unit) if c else None,
                "grams": shares.get(record.record_id, 0) if record else 0,
                "version": c.version if c else (m.version if m else None),
                "occurred_at": b.occurred_at,
                "ref": _ref(b, names),
                "quarantined": reason,
            }
        )
    return {
        "date": day,
        "items": items,
        "total_grams": sum(t.grams for t in totals),
        "credited_grams": int(done.grams) if done else 0,
        **settlement.provenance(admitted),
    }


def gram_shares(totals, counted) -> dict[str, int]:
    """Each counted record's whole grams, summing exactly to its scenario's total (floor of the
    exact sum): the scenario's grams split by the records' exact shares (units x grams per unit),
    the grams the floors leave over going to the largest remainders first (core.books.shares)."""
    exact: dict[str, dict[str, Decimal]] = {}
    for c in counted:
        exact.setdefault(c.record.scenario, {})[c.record.record_id] = c.quantity * c.grams_per_unit
    out: dict[str, int] = {}
    for t in totals:
        weights = exact.get(t.scenario, {})
        if not weights:
            continue
        places = max(max(-w.as_tuple().exponent, 0) for w in weights.values())
        scaled = {k: int(w.scaleb(places)) for k, w in weights.items()}
        out.update(largest_remainder(t.grams, scaled))
    return out
