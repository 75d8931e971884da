"""Certifying an organisation's metered reading: quantity over a period -> grams. Pure: no I/O.

Rules:
- a project type maps to one project methodology (core.carbon.methodologies, scope "project");
- the version in force on the reading's last day certifies the whole reading, and is recorded;
- per_unit: grams = quantity x grams per unit; per_unit_year (trees alive): x days / 365;
- grams are floored to an integer (never a float); a reading's quantity per day is bounded by
  its type (a meter cannot claim more than the equipment can do), its period is at most a year,
  never ends in the future, and never overlaps another reading of the same project.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from core.carbon.methodologies import Registry
from core.carbon.rules import usable

TYPES = {
    "pv": "project_pv",
    "heat_pump": "project_heat_pump",
    "efficient_ac": "project_efficient_ac",
    "afforestation": "project_afforestation",
    "cycling": "project_cycling",
}
# Most units a single project may report per day of a reading (per_unit_year: units held at once).
MAX_PER_DAY = {
    "pv": Decimal(5000),
    "heat_pump": Decimal(500),
    "efficient_ac": Decimal(500),
    "afforestation": Decimal(1_000_000),
    "cycling": Decimal(200_000),
}
MAX_DAYS = 366


@dataclass(frozen=True)
class Certified:
    methodology: str
    version: str
    grams: int


def days(start: str, end: str) -> int:
    return (date.fromisoformat(end) - date.fromisoformat(start)).days + 1


def problem(project_type: str, start: str, end: str, quantity: Decimal, today: str) -> str | None:
    """Why a reading cannot be certified, as a stable reason, or None."""
    try:
        n = days(start, end)
    except ValueError:
        return "bad_period"
    if n < 1 or n > MAX_DAYS:
        return "bad_period"
    if end > today:
        return "in_future"
    if not quantity > 0 or quantity / n > MAX_PER_DAY[project_type]:
        return "bad_quantity"
    return None


def overlaps(a_start: str, a_end: str, b_start: str, b_end: str) -> bool:
    return a_start <= b_end and b_start <= a_end  # inclusive days: sharing one day is an overlap


def certify(
    project_type: str,
    start: str,
    end: str,
    quantity: Decimal,
    registry: Registry,
    require_evidence: bool = False,
) -> Certified | None:
    """None: no methodology certifies it (none in force, or, outside local/test, one with evidence none:
    the same rule as a citizen's day, core.carbon.rules.usable)."""
    m = registry.in_force(TYPES[project_type], end)
    if not usable(m, require_evidence):
        return None
    grams = quantity * m.grams_per_unit
    if m.formula == "per_unit_year":
        grams = grams * days(start, end) / Decimal(365)
    return Certified(m.code, m.version, int(grams.to_integral_value(rounding=ROUND_FLOOR)))
