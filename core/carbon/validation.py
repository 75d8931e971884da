"""What a behaviour record must be to count. Pure: no I/O.

Checked where a record enters (partner pushes, trip files, WeRun) and again at settlement, where
a stored record that still breaks a rule is quarantined instead of stopping its unit:
- quantity: a finite number (whole units where the unit is whole: trips, steps, items), else
  `invalid_facts`; in 0..max_quantity of the scenario's version, else `quantity_out_of_range`;
- facts: a JSON object holding only the facts the scenario declares, each of its kind and
  within its range, every required one present; else `invalid_facts`;
- time: an ISO 8601 instant with an offset, not after now (CLOCK_SKEW allowed) nor on a local
  day after today (`in_future`), and not before the late-data window (`too_old`).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from core import jsonbounds
from core.carbon.methodologies import Methodology

LATE_DAYS = 7  # a record may arrive up to 7 local days after its day (the late-data window)
CLOCK_SKEW = timedelta(minutes=5)
INVALID_FACTS, IN_FUTURE, TOO_OLD, UNKNOWN_SCENARIO = (
    "invalid_facts",
    "in_future",
    "too_old",
    "unknown_scenario",
)
QUANTITY_OUT_OF_RANGE = "quantity_out_of_range"


def number(value) -> Decimal | None:
    """A finite number as Decimal; None for anything else (bool, text, NaN, infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _fact_ok(kind: str, value, low, high) -> bool:
    if kind == "time":
        return jsonbounds.moment(value) is not None
    if kind == "text":
        return (
            isinstance(value, str)
            and (high is None or len(value) <= high)
            and (low is None or len(value) >= low)
        )
    d = number(value)
    if d is None or (kind == "int" and d != d.to_integral_value()):
        return False
    return (low is None or d >= low) and (high is None or d <= high)


def check_quantity(m: Methodology, quantity) -> str | None:
    """`invalid_facts` for no finite number (or a fraction of a whole unit), `quantity_out_of_range`
    for a number outside 0..max_quantity (an integer of any size compares exactly, as Decimal)."""
    q = number(quantity)
    if q is None or (m.integral and q != q.to_integral_value()):
        return INVALID_FACTS
    if not 0 <= q <= m.max_quantity:
        return QUANTITY_OUT_OF_RANGE
    return None


def check_facts(m: Methodology, facts) -> str | None:
    if facts is None:
        facts = {}
    if not isinstance(facts, dict):
        return INVALID_FACTS
    declared = {f.name: f for f in m.facts}
    if any(k not in declared for k in facts):
        return INVALID_FACTS
    for f in m.facts:
        if f.name not in facts:
            if f.required:
                return INVALID_FACTS
        elif not _fact_ok(f.kind, facts[f.name], f.low, f.high):
            return INVALID_FACTS
    return None


def check_time(occurred_at: datetime, now: datetime, local) -> str | None:
    """`local` is the Asia/Shanghai tzinfo: days are local days."""
    if occurred_at.tzinfo is None:
        return INVALID_FACTS
    day, today = occurred_at.astimezone(local).date(), now.astimezone(local).date()
    if occurred_at > now + CLOCK_SKEW or day > today:
        return IN_FUTURE
    if (today - day).days > LATE_DAYS:
        return TOO_OLD
    return None


def check_record(m: Methodology | None, quantity, facts, now: datetime | None = None) -> str | None:
    """The reason a record of scenario version `m` is invalid, or None. With `now` (where a record
    enters), a fact that is a time (a walking record's uploaded_at) after now is `in_future`: the
    day's latest upload wins, so a time from the future would beat every real upload."""
    if m is None:
        return UNKNOWN_SCENARIO
    reason = check_quantity(m, quantity) or check_facts(m, facts)
    if reason or now is None:
        return reason
    for f in m.facts:
        if f.kind == "time" and f.name in (facts or {}):
            if jsonbounds.moment(facts[f.name]) > now + CLOCK_SKEW:
                return IN_FUTURE
    return None


def check_stored(
    m: Methodology | None, quantity, facts, occurred_at: str, date: str, local
) -> str | None:
    """Settlement's re-check of a stored record: the record rules plus its instant naming its day."""
    reason = check_record(m, quantity, facts)
    if reason:
        return reason
    try:
        at = datetime.fromisoformat(occurred_at)
    except (TypeError, ValueError):
        return INVALID_FACTS
    if at.tzinfo is None or at.astimezone(local).date().isoformat() != date:
        return INVALID_FACTS
    return None
