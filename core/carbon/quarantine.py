"""Stored records that break a rule at settlement: kept out of every credit, never stopping
their unit. Each is logged (`record_quarantined`), counted in the run's totals, and kept in the
quarantine table for `tanpuhui quarantine list [--date D]`; re-settling re-puts the same item.
"""

from __future__ import annotations

from core import localday
from core.carbon import behaviours, rules, validation
from core.logs import log, user_ref
from models.quarantine import QuarantinedRecord


def admit(b, date: str, registry) -> tuple[rules.Record | None, str | None]:
    """The rule input of a stored behaviour, or the reason it is quarantined."""
    m = registry.in_force(b.scenario, date)
    reason = validation.check_stored(m, b.quantity, b.facts, b.occurred_at, date, localday.SHANGHAI)
    if reason:
        return None, reason
    return behaviours.record_of(b), None


def hold(b, date: str, reason: str) -> None:
    QuarantinedRecord(
        date,
        f"{b.pk}|{b.sk}",
        user_id=b.user_id,
        scenario=b.scenario,
        source=b.source,
        source_id=b.source_id,
        reason=reason,
        quarantined_at=localday.stamp(),
    ).save()
    log(
        "record_quarantined",
        level=30,
        date=date,
        scenario=b.scenario,
        source=b.source,
        source_id=b.source_id,
        reason=reason,
        user=user_ref(b.user_id),
    )


def listed(date: str | None = None):
    """Quarantined records of one date (a Query), or of every date (a Scan: ops only)."""
    return QuarantinedRecord.query(date) if date else QuarantinedRecord.scan()


def admit_all(items, date: str, registry) -> tuple[list[rules.Record], int]:
    """A user's stored items of `date`: the admitted records, and how many were held."""
    records, held = [], 0
    for b in items:
        record, reason = admit(b, date, registry)
        if record is None:
            hold(b, date, reason)
            held += 1
        else:
            records.append(record)
    return records, held
