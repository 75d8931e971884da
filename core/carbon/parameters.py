"""Named, versioned parameters that methodologies share (the grid emission factor, a trip distance,
a tree's yearly uptake), and how a methodology version that refers to them becomes concrete
versions. Pure: no I/O.

Invariants:
- A parameter version is immutable (frozen), dated, sourced and has an evidence level; the
  version in force on a date is the one with the latest effective_from on or before it.
- A methodology version with `parameters` credits coefficient x the product of their values in
  force on the day. It is expanded into one concrete version per span over which its inputs do
  not change, labelled `<methodology version>.<parameter version>...` (e.g. power_saving "2.1":
  methodology version 2 with grid_factor version 1). A label is a pure function of immutable
  versions, so the label a settled day pins (settled_days.versions) names the parameter
  versions it was priced with, and a later parameter version never re-prices it.
- A new parameter version takes effect only after today (`check_parameter`), like a methodology.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from core.carbon.methodology_versions import EVIDENCE, Methodology


@dataclass(frozen=True)
class Parameter:
    name: str  # grid_factor, bus_trip_km, ...
    value: Decimal
    unit: str  # kg/kWh, km, g/pkm, kg/tree-year
    version: str
    effective_from: str  # YYYY-MM-DD, Asia/Shanghai
    source: str
    evidence: str = "none"  # EVIDENCE

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "value": str(self.value),
            "unit": self.unit,
            "version": self.version,
            "effective_from": self.effective_from,
            "source": self.source,
            "evidence": self.evidence,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Parameter:
        return cls(
            d["name"],
            Decimal(str(d["value"])),
            d["unit"],
            d["version"],
            d["effective_from"],
            d["source"],
            d.get("evidence", "none"),
        )


def in_force(parameters, name: str, date: str) -> Parameter | None:
    found = None
    for p in sorted(
        (p for p in parameters if p.name == name), key=lambda p: (p.effective_from, p.version)
    ):
        if p.effective_from <= date:
            found = p
    return found


def names(parameters) -> list[str]:
    return sorted({p.name for p in parameters})


def check_parameter(p: Parameter, today: str, known) -> list[str]:
    """Why a parameter version may not be published (empty: it may): guarded like a methodology."""
    problems = []
    if not p.value > 0:
        problems.append("the value must be > 0")
    if not (p.source or "").strip():
        problems.append("a source is required")
    if p.evidence not in EVIDENCE:
        problems.append(f"evidence must be one of {', '.join(EVIDENCE)}")
    if not p.effective_from > today:
        problems.append(f"the effective date must be after today ({today})")
    if p.name not in names(known):
        problems.append(f"unknown parameter {p.name}")
    elif any(k.name == p.name and k.version == p.version for k in known):
        problems.append(f"{p.name} version {p.version} exists already")
    return problems


def next_version(parameters, name: str) -> str:
    numbers = [int(p.version) for p in parameters if p.name == name and p.version.isdigit()]
    return str(max(numbers, default=0) + 1)


def _weaker(a: str, b: str) -> str:
    """The weaker of two evidence levels: a value is only as good as its weakest input."""
    return a if EVIDENCE.index(a) >= EVIDENCE.index(b) else b


def concrete(m: Methodology, parameters, date: str) -> Methodology | None:
    """Methodology version `m` priced with the parameter versions in force on `date`."""
    used = [in_force(parameters, n, date) for n in m.parameters]
    if any(p is None for p in used):
        return None
    grams, evidence = m.coefficient, m.evidence
    for p in used:
        grams *= p.value
        evidence = (
            _weaker(evidence, p.evidence)
            if evidence in EVIDENCE and p.evidence in EVIDENCE
            else evidence
        )
    label = ".".join([m.version] + [p.version for p in used])
    return replace(
        m,
        version=label,
        grams_per_unit=_plain(grams),
        evidence=evidence,
        assumption=m.assumption or evidence == "none",
        inputs=tuple((p.name, p.version) for p in used),
    )


def _plain(d: Decimal) -> Decimal:
    """386.9000 -> 386.9, 6000 stays 6000 (never 6E+3)."""
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def expand(methodologies, parameters) -> tuple[Methodology, ...]:
    """Every methodology version as concrete versions: one without parameters is itself; one with
    parameters becomes one version from its own date and one more from each later date on which one
    of its parameters changes, until the scenario's next methodology version."""
    ordered = sorted(methodologies, key=lambda m: (m.code, m.effective_from, m.version))
    out = []
    for i, m in enumerate(ordered):
        if not m.parameters:
            out.append(m)
            continue
        nxt = next(
            (
                n.effective_from
                for n in ordered[i + 1 :]
                if n.code == m.code and n.effective_from > m.effective_from
            ),
            None,
        )
        dates = {m.effective_from} | {
            p.effective_from
            for p in parameters
            if p.name in m.parameters
            and p.effective_from > m.effective_from
            and (nxt is None or p.effective_from < nxt)
        }
        for d in sorted(dates):
            c = concrete(m, parameters, d)
            if c is not None:
                out.append(replace(c, effective_from=d))
    return tuple(out)
