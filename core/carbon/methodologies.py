"""Methodology registry: behaviour quantity -> grams of CO2 reduced. Pure: no I/O.

Methodologies, their caps and the coin rate are versioned, dated data. The version in force
on a date is the one with the latest effective_from on or before it, so a version changes
results only from its date on. A new version must be effective after the day it is published
(`check_publication`), so a settled day is never re-priced. Each version names its source and
an evidence level (../shared/METHODOLOGIES.md); outside the local and test stages a scenario
whose version in force has evidence `none` credits nothing (core.carbon.rules).
The shipped versions live in core.carbon.defaults.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from decimal import Decimal

LAUNCH = "2019-12-24"  # the Guangzhou platform's launch; first version of every default
EVIDENCE = ("official", "government", "academic", "app", "derived", "none")
_DECIMALS = ("grams_per_unit", "daily_cap", "threshold", "group_cap", "max_quantity")


@dataclass(frozen=True)
class Fact:
    """One fact a scenario's records may carry: kind int | number | text; low/high bound the
    value (a text's length for text); required facts must be present."""
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
    threshold: Decimal | None = None  # min units (per day for walk, per record otherwise) to count at all
    cap_group: str | None = None  # scenarios sharing one daily cap (transit)
    group_cap: Decimal | None = None  # that shared cap, in units (trips)
    max_records: int | None = None  # at most this many records a day count (bike rides)
    min_duration_s: int | None = None  # a record counts only if its duration_s fact reaches this
    assumption: bool = False
    phcer: bool = False  # may be aggregated and sold as PHCER; exported separately
    formula: str = "per_unit"  # per_unit | daily_threshold (walk: counts only when the day total >= threshold)
    # | per_unit_year (projects: units held over a period, e.g. trees alive: units x days / 365)
    scope: str = "behaviour"  # behaviour: a citizen's daily records | project: an organisation's metered readings
    evidence: str = "none"  # EVIDENCE
    max_quantity: Decimal = Decimal(1000)  # one record's quantity is 0..this
    integral: bool = False  # quantity in whole units (trips, steps, items)
    facts: tuple[Fact, ...] = ()  # the facts a record may carry; anything else is invalid_facts

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in _DECIMALS:
            d[k] = None if d[k] is None else str(d[k])
        d["facts"] = [{**f, "low": _s(f["low"]), "high": _s(f["high"])} for f in d["facts"]]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Methodology":
        d = dict(d)
        for k in _DECIMALS:
            if d.get(k) is not None:
                d[k] = Decimal(str(d[k]))
            elif k in d and k == "max_quantity":
                del d[k]
        d["facts"] = tuple(Fact(f["name"], f["kind"], _d(f.get("low")), _d(f.get("high")), bool(f.get("required")))
                           for f in d.get("facts") or ())
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


class Registry:
    """All versions of all methodologies and coin rates; answers which is in force on a date.
    `pins` (scenario -> version) makes a settled day keep the versions it was priced with."""

    def __init__(self, versions=None, rates=(), pins=None):
        if versions is None:
            from core.carbon.defaults import DEFAULTS

            versions = DEFAULTS
        self.versions = tuple(sorted(versions, key=lambda m: (m.code, m.effective_from, m.version)))
        self.rates = tuple(sorted(rates, key=lambda r: (r.effective_from, r.version)))
        self.pins = dict(pins or {})

    def codes(self) -> list[str]:
        return sorted({m.code for m in self.versions})

    def version(self, code: str, version: str) -> Methodology | None:
        return next((m for m in self.versions if m.code == code and m.version == version), None)

    def in_force(self, code: str, date: str) -> Methodology | None:
        if code in self.pins:
            pinned = self.version(code, self.pins[code])
            if pinned is not None:
                return pinned
        found = None
        for m in self.versions:
            if m.code == code and m.effective_from <= date:
                found = m  # sorted by effective_from: the last one on or before `date` wins
        return found

    def pinned(self, pins: dict) -> "Registry":
        return Registry(self.versions, self.rates, pins)

    def rate_in_force(self, date: str, default: int) -> CoinRate:
        found = CoinRate("settings", LAUNCH, default, "settings GRAMS_PER_COIN")
        for r in self.rates:
            if r.effective_from <= date:
                found = r
        return found

    def current(self, date: str, scope: str | None = None) -> list[Methodology]:
        found = [m for m in (self.in_force(c, date) for c in self.codes()) if m is not None]
        return [m for m in found if scope is None or m.scope == scope]

    def publish(self, m: Methodology) -> "Registry":
        if any(v.code == m.code and v.version == m.version for v in self.versions):
            raise ValueError(f"{m.code} version {m.version} exists already")
        if m.code not in self.codes():
            raise ValueError(f"unknown scenario {m.code}")
        return Registry(self.versions + (m,), self.rates)


def check_publication(m: Methodology | CoinRate, today: str) -> list[str]:
    """Why a new version may not be published (empty: it may). A settled day never changes
    silently, so a version takes effect only after today; factors are positive and sourced."""
    problems = []
    factor = m.grams_per_coin if isinstance(m, CoinRate) else m.grams_per_unit
    if not factor > 0:
        problems.append("the factor must be > 0")
    if not (m.source or "").strip():
        problems.append("a source is required")
    if not m.effective_from > today:
        problems.append(f"the effective date must be after today ({today})")
    if isinstance(m, Methodology):
        if m.evidence not in EVIDENCE:
            problems.append(f"evidence must be one of {', '.join(EVIDENCE)}")
        if m.daily_cap is not None and m.daily_cap <= 0:
            problems.append("the daily cap must be > 0")
    return problems


def new_version(base: Methodology, version: str, effective_from: str, **changes) -> Methodology:
    return replace(base, version=version, effective_from=effective_from, **changes)


@dataclass(frozen=True)
class Equivalence:
    """A factor that restates grams for people (not a methodology: it never moves coins)."""
    code: str
    name: str
    grams: int  # grams of CO2 per one unit of the equivalence
    source: str


# METHODOLOGIES.md: 0.060 t CO2 per urban tree seedling grown for 10 years = 6 kg per tree-year.
TREE_YEAR = Equivalence("tree_year", "一棵树一年吸收的二氧化碳", 6000,
                        "US EPA Greenhouse Gas Equivalencies Calculator: 0.060 t CO2 per urban tree "
                        "seedling grown for 10 years (6 kg per tree-year)")
