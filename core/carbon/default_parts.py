"""The parts every shipped methodology version is built from (core.carbon.defaults assembles them):
the dates versions take effect, the facts each kind of record may carry, and the builders of a
launch version (`_m`), a revised one (`_v2`) and a corrected one (`_fix`). Pure data."""

from __future__ import annotations

from decimal import Decimal as D

from core.carbon.methodology_versions import LAUNCH, Fact, Methodology

REVISED = "2026-12-01"
CORRECTED = "2026-12-14"  # the sweep's corrections apply from this day (after they shipped)
_A = "assumption: placeholder pending the provincial methodology text"

# Facts each kind of record may carry (types and ranges); a record with anything else is invalid_facts.
TRIP = (
    Fact("line", "text", high=D(40)),
    Fact("from_station", "text", high=D(60)),
    Fact("to_station", "text", high=D(60)),
    Fact("distance_km", "number", D(0), D(500)),
    Fact("card", "text", high=D(16)),
)
# A time, not a text: it is shown at +08:00 in the records and the export (a partner's upload time
# at the calendar's edge made the citizen's export a 500).
STEPS = (Fact("uploaded_at", "time"),)
RIDE = (
    Fact("duration_s", "int", D(0), D(86400), required=True),
    Fact("distance_km", "number", D(0), D(200)),
)
TRANSIT = {
    "cap_group": "transit",
    "group_cap": D(8),
    "max_quantity": D(1),
    "integral": True,
    "facts": TRIP,
}


def _m(code, name, unit, g, *cited, **kw):
    """A launch version. `cited`: its source, then its evidence level (none when not given);
    `version` and `since` only where a methodology starts later than the launch."""
    source, evidence = (*cited, "none")[:2]
    version, since = kw.pop("version", "1"), kw.pop("since", LAUNCH)
    return Methodology(code, name, unit, D(str(g)), version, since, source, evidence=evidence, **kw)


def _v2(base: Methodology, g, source, evidence) -> Methodology:
    from dataclasses import replace

    return replace(
        base,
        grams_per_unit=D(str(g)),
        version="2",
        effective_from=REVISED,
        source=source,
        evidence=evidence,
        assumption=evidence == "none",
    )


_GRID = {
    "parameters": ("grid_factor",),
    "coefficient": D(1000),
    "grams_per_unit": D(0),
}  # g per kg x kg/kWh
_TREE = {
    "parameters": ("tree_uptake",),
    "coefficient": D(1000),
    "grams_per_unit": D(0),
}  # g per kg x kg/tree-year


def _fix(base: Methodology, version: str, source: str, **changes) -> Methodology:
    from dataclasses import replace

    evidence = changes.pop("evidence", base.evidence)
    return replace(
        base,
        version=version,
        effective_from=CORRECTED,
        source=source,
        evidence=evidence,
        assumption=changes.pop("assumption", evidence == "none"),
        **changes,
    )
