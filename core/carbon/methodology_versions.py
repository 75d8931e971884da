"""What one methodology version is (and a coin rate): dated, sourced, versioned data. Pure: no I/O.

A version is immutable once shipped or published (frozen dataclasses); its Decimal fields
round-trip through `to_dict` / `from_dict` as strings, never as floats. The registry that
answers which version is in force is core.carbon.methodologies; the shipped versions are
core.carbon.defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

LAUNCH = "2019-12-24"  # the Guangzhou platform's launch; first version of every default
EVIDENCE = ("official", "government", "academic", "app", "derived", "none")
_DECIMALS = ("grams_per_unit", "daily_cap", "threshold", "group_cap", "max_quantity", "coefficient")


@dataclass(frozen=True)
class Fact:
    """One fact a scenario's records may carry: kind int | number | text | time; low/high bound the
    value (a text's length for text); a time is a date-time with an offset inside the calendar
    (core.jsonbounds.moment); required facts must be present."""

    name: str
    kind: str
    low: Decimal | None = None
    high: Decimal | None = None
    required: bool = False


@dataclass(frozen=True)
class Methodology:
    code: str
    name: str
    unit: str
    grams_per_unit: Decimal
    version: str
    effective_from: str  # YYYY-MM-DD, Asia/Shanghai
    source: str
    daily_cap: Decimal | None = None  # max units counted per user per day
    threshold: Decimal | None = (
        None  # min units (per day for walk, per record otherwise) to count at all
    )
    cap_group: str | None = None  # scenarios sharing one daily cap (transit)
    group_cap: Decimal | None = None  # that shared cap, in units (trips)
    max_records: int | None = None  # at most this many records a day count (bike rides)
    min_duration_s: int | None = None  # a record counts only if its duration_s fact reaches this
    assumption: bool = False
    phcer: bool = False  # may be aggregated and sold as PHCER; exported separately
    formula: str = (
        "per_unit"  # per_unit | daily_threshold (walk: counts only when the day total >= threshold;
    )
    # the largest of several records) | daily_latest (as daily_threshold, the latest upload replacing earlier ones)
    # | per_unit_year (projects: units held over a period, e.g. trees alive: units x days / 365)
    scope: str = "behaviour"  # behaviour: a citizen's daily records | project: an organisation's metered readings
    evidence: str = "none"  # EVIDENCE
    max_quantity: Decimal = Decimal(1000)  # one record's quantity is 0..this
    integral: bool = False  # quantity in whole units (trips, steps, items)
    facts: tuple[Fact, ...] = ()  # the facts a record may carry; anything else is invalid_facts
    # Shared parameters (core.carbon.parameters): grams_per_unit = coefficient x their values in force.
    parameters: tuple[str, ...] = ()
    coefficient: Decimal = Decimal(1)
    inputs: tuple[
        tuple[str, str], ...
    ] = ()  # (parameter, version) a concrete version was priced with

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in _DECIMALS:
            d[k] = None if d[k] is None else str(d[k])
        d["facts"] = [{**f, "low": _s(f["low"]), "high": _s(f["high"])} for f in d["facts"]]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Methodology:
        d = dict(d)
        for k in _DECIMALS:
            if d.get(k) is not None:
                d[k] = Decimal(str(d[k]))
            elif k in d and k in ("max_quantity", "coefficient"):
                del d[k]
        d["facts"] = tuple(
            Fact(f["name"], f["kind"], _d(f.get("low")), _d(f.get("high")), bool(f.get("required")))
            for f in d.get("facts") or ()
        )
        d["parameters"] = tuple(d.get("parameters") or ())
        d["inputs"] = tuple(tuple(i) for i in d.get("inputs") or ())
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class CoinRate:
    """Grams of CO2 per carbon coin, from a date on (versioned like a methodology)."""

    version: str
    effective_from: str
    grams_per_coin: int
    source: str


def _s(v):
    return None if v is None else str(v)


def _d(v):
    return None if v is None else Decimal(str(v))
