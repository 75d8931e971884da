"""The footprint estimate (POST/GET /api/v1/footprint/estimate): the pure estimate of
core.carbon.estimate_rules with today's scenarios and coin rate, saved only when asked.

Invariants:
- An answer not saved is never stored or logged: the only write is the save, when asked.
- A citizen has at most one saved estimate (the last), in their export and erased with them.
- Suggestions name only scenarios whose version in force today credits in this deployment
  (outside local and test, evidence `none` credits nothing: core.carbon.rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from core import localday
from core.carbon import estimate_factors, listing_text
from core.carbon import estimate_rules as rules
from core.carbon.rules import usable
from core.carbon.settlement import requires_evidence
from core.errors import NotFound
from models.estimates import SavedEstimate


def in_force(settings, registry, today: str) -> dict[str, rules.Scenario]:
    out = {}
    for code in registry.codes():
        m = registry.in_force(code, today)
        if (
            usable(m, requires_evidence(settings))
            and getattr(m, "scope", "behaviour") == "behaviour"
        ):
            out[code] = rules.Scenario(
                code, m.grams_per_unit, m.group_cap if m.daily_cap is None else m.daily_cap
            )
    return out


def factors(registry, today: str) -> dict:
    """The estimate's factors with the grid parameter in force today (one number for every
    electricity figure the platform shows; a published version changes this too)."""
    grid = registry.parameter("grid_factor", today)
    if grid is None:
        return estimate_factors.FACTORS
    return estimate_factors.with_grid(
        grid.value,
        listing_text.parameter_source(grid, "zh"),
        grid.evidence,
        listing_text.parameter_source(grid, "en"),
    )


@dataclass(frozen=True)
class Asked:
    """One questionnaire as asked: the answers, as typed (`raw`, what a save keeps), whether to
    save, whether the asker reads English, and whether it is an Idempotency-Key's retry (the save
    was made by the first: shown, not made again)."""

    answers: rules.Answers
    raw: dict
    save: bool = False
    english: bool = False
    retry: bool = False


def estimate(settings, registry, user_id: str, asked: Asked) -> dict:
    """The estimate in the asker's language; a save keeps it in Chinese (what GET shows)."""
    today = localday.today()
    rate = registry.rate_in_force(today, settings.grams_per_coin).grams_per_coin
    scenarios, table = in_force(settings, registry, today), factors(registry, today)
    result = rules.estimate(asked.answers, scenarios, rate, table)
    saved_at = None
    if asked.save and asked.retry:
        saved_at = _saved_at(user_id)
    elif asked.save:
        saved_at = localday.stamp()
        SavedEstimate(user_id, answers=asked.raw, result=result, saved_at=saved_at).save()
    if asked.english:
        result = rules.estimate(asked.answers, scenarios, rate, table, english=True)
    return {**result, "saved_at": saved_at}


def _saved_at(user_id: str) -> str | None:
    try:
        return SavedEstimate.get(
            user_id, consistent_read=True, attributes_to_get=["saved_at"]
        ).saved_at
    except SavedEstimate.DoesNotExist:
        return None


def saved(user_id: str) -> dict:
    try:
        s = SavedEstimate.get(user_id, consistent_read=True)
    except SavedEstimate.DoesNotExist:
        raise NotFound("No estimate saved.", zh="还没有保存过碳足迹测算。") from None
    return {**s.result, "answers": s.answers, "saved_at": s.saved_at}


def for_export(user_id: str) -> dict | None:
    try:
        s = SavedEstimate.get(user_id, consistent_read=True)
    except SavedEstimate.DoesNotExist:
        return None
    return {"answers": s.answers, "total_kg": s.result.get("total_kg"), "saved_at": s.saved_at}


def erase(user_id: str) -> None:
    SavedEstimate(user_id).delete()
