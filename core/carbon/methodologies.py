"""Methodology registry: behaviour quantity -> grams of CO2 reduced. Pure: no I/O.

Methodologies, their caps and the coin rate are versioned, dated data. The version in force
on a date is the one with the latest effective_from on or before it, so a version changes
results only from its date on. A new version must be effective after the day it is published
(`check_publication`), so a settled day is never re-priced. Each version names its source and
an evidence level (../shared/METHODOLOGIES.md); outside the local and test stages a scenario
whose version in force has evidence `none` credits nothing (core.carbon.rules).
The shipped versions live in core.carbon.defaults, what a version is in core.carbon.methodology_versions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.carbon import parameters as params
from core.carbon.defaults import DEFAULTS, PARAMETERS
from core.carbon.methodology_versions import EVIDENCE, LAUNCH, CoinRate, Methodology


class Registry:
    """All versions of all methodologies and coin rates; answers which is in force on a date.
    `pins` (scenario -> version) makes a settled day keep the versions it was priced with.
    `versions` are the concrete versions (core.carbon.parameters.expand: a version that refers to
    shared parameters becomes one version per span of its parameters' versions); `published` the
    methodology versions as shipped or published; `parameters` every parameter version."""

    def __init__(self, versions=None, rates=(), pins=None, parameters=None):
        if versions is None:
            versions = DEFAULTS
        self.parameters = tuple(
            sorted(
                PARAMETERS if parameters is None else parameters,
                key=lambda p: (p.name, p.effective_from, p.version),
            )
        )
        self.published = tuple(versions)
        self.versions = tuple(
            sorted(
                params.expand(versions, self.parameters),
                key=lambda m: (m.code, m.effective_from, m.version),
            )
        )
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

    def pinned(self, pins: dict) -> Registry:
        return Registry(self.published, self.rates, pins, self.parameters)

    def parameter(self, name: str, date: str):
        return params.in_force(self.parameters, name, date)

    def history(self, code: str) -> list[Methodology]:
        return [m for m in self.versions if m.code == code]

    def rate_in_force(self, date: str, default: int) -> CoinRate:
        found = CoinRate("settings", LAUNCH, default, "settings GRAMS_PER_COIN")
        for r in self.rates:
            if r.effective_from <= date:
                found = r
        return found

    def current(self, date: str, scope: str | None = None) -> list[Methodology]:
        found = [m for m in (self.in_force(c, date) for c in self.codes()) if m is not None]
        return [m for m in found if scope is None or m.scope == scope]

    def publish(self, m: Methodology) -> Registry:
        if any(v.code == m.code and v.version == m.version for v in self.versions):
            raise ValueError(f"{m.code} version {m.version} exists already")
        if m.code not in self.codes():
            raise ValueError(f"unknown scenario {m.code}")
        return Registry(self.published + (m,), self.rates, parameters=self.parameters)


def check_publication(m: Methodology | CoinRate, today: str) -> list[str]:
    """Why a new version may not be published (empty: it may). A settled day never changes
    silently, so a version takes effect only after today; factors are positive and sourced."""
    problems = []
    # A version priced from shared parameters: its own factor is the coefficient (each parameter is > 0).
    factor = (
        m.grams_per_coin
        if isinstance(m, CoinRate)
        else m.coefficient
        if m.parameters
        else m.grams_per_unit
    )
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


# The same shipped parameter as tree_planting and project_afforestation (METHODOLOGIES.md): 6 kg.
_TREE = params.in_force(PARAMETERS, "tree_uptake", "9999-12-31")
TREE_YEAR = Equivalence(
    "tree_year", "一棵树一年吸收的二氧化碳", int(_TREE.value * 1000), _TREE.source
)
