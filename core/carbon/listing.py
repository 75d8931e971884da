"""The public methodology listing: per scenario what this deployment credits today and why not,
its formula in words, the parameters it uses with their sources, and its version history
(GET /api/v1/scenarios, the /methodologies page, `tanpuhui methodology review`). Pure: no I/O.

Invariant: `credits` is decided by the same rule settlement applies (core.carbon.rules._usable via
`counts_today`): a scenario the deployment will not credit is never listed as earning; it says why.
"""

from __future__ import annotations

from core.carbon import listing_text as text
from core.carbon import rules
from core.carbon.scenario_text import describe

EVIDENCE_ORDER = ("official", "government", "academic", "app", "derived", "none")


def counts_today(m, require_evidence: bool) -> bool:
    return rules.usable(m, require_evidence)


def _upcoming(registry, code: str, today: str, require_evidence: bool):
    """The first later version this deployment would credit (None: none published)."""
    return next(
        (
            m
            for m in registry.history(code)
            if m.effective_from > today and counts_today(m, require_evidence)
        ),
        None,
    )


def _parameters(registry, m, lang: str) -> list:
    return [
        p
        for p in (
            next((q for q in registry.parameters if q.name == n and q.version == v), None)
            for n, v in m.inputs
        )
        if p is not None
    ]


def parameter_entry(p, lang: str) -> dict:
    return {
        "name": p.name,
        "value": format(p.value.normalize(), "f"),
        "unit": text.parameter_unit(p.unit, lang),
        "source": text.parameter_source(p, lang),
        "evidence": p.evidence,
    }


def scenario(
    registry, code: str, today: str, require_evidence: bool, stage: str, lang: str
) -> dict | None:
    """One scenario as the listing shows it; None if it has no version in force today or later."""
    history = registry.history(code)
    m = registry.in_force(code, today)
    shown = m or next((v for v in history if v.effective_from > today), None)
    if shown is None:
        return None
    credits = m is not None and counts_today(m, require_evidence)
    used = _parameters(registry, shown, lang)
    d = describe(shown.to_dict(), lang)
    return {
        "code": code,
        "name": d["name"],
        "unit": d["unit"],
        "unit_code": shown.unit,
        "grams_per_unit": str(shown.grams_per_unit),
        "daily_cap": d["daily_cap"],
        "version": shown.version,
        "effective_from": shown.effective_from,
        "source": d["source"],
        "evidence": shown.evidence,
        "assumption": shown.assumption,
        "credits": credits,
        "not_credited_reason": None
        if credits
        else text.not_credited(m, _upcoming(registry, code, today, require_evidence), stage, lang),
        "formula": text.formula(shown, used, lang),
        "parameters": [parameter_entry(p, lang) for p in used],
        "versions": [
            {
                "version": v.version,
                "effective_from": v.effective_from,
                "grams_per_unit": str(v.grams_per_unit),
                "evidence": v.evidence,
                "source": describe(v.to_dict(), lang)["source"],
                "note": text.note(code, v.version.split(".")[0], lang),
            }
            for v in history
        ],
    }


def scenarios(
    registry,
    today: str,
    require_evidence: bool,
    stage: str,
    lang: str,
    scope: str | None = "behaviour",
):
    out = []
    for code in registry.codes():
        if scope is not None and registry.history(code)[0].scope != scope:
            continue
        entry = scenario(registry, code, today, require_evidence, stage, lang)
        if entry is not None:
            out.append(entry)
    return out


def parameters(registry, today: str, lang: str) -> list[dict]:
    """Every shared parameter: its versions, the one in force today, and the scenarios that use it."""
    out = []
    for name in sorted({p.name for p in registry.parameters}):
        now = registry.parameter(name, today)
        users = sorted({m.code for m in registry.published if name in m.parameters})
        out.append(
            {
                "name": name,
                "title": text.parameter_name(name, lang),
                "in_force": now and now.version,
                "used_by": users,
                "versions": [
                    {
                        **parameter_entry(p, lang),
                        "version": p.version,
                        "effective_from": p.effective_from,
                    }
                    for p in registry.parameters
                    if p.name == name
                ],
            }
        )
    return out
