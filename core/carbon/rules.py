"""From one user's behaviours of one day to grams per scenario. Pure: no I/O.

Applied at settlement time (never at ingestion), so records keep raw facts and a
new rule or methodology version can be re-applied. Rules (METHODOLOGIES.md):
- each record counts under the methodology version in force on the day;
- transit (metro, bus, ferry, tram, brt) together: at most 8 trips, earliest first;
- bike: a ride counts only if it lasted >= 1 min; at most 10 rides and 20 km;
- walk: one record per day; counts only from 10,000 steps, at most 30,000;
- every other scenario: at most its daily cap of units;
- grams are floored to integers per scenario per day (never floats).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from core.carbon.methodologies import BIKE_MAX_RIDES, BIKE_MIN_SECONDS, GROUP_CAPS, Registry


@dataclass(frozen=True)
class Record:
    scenario: str
    quantity: Decimal
    occurred_at: str
    source_id: str
    facts: dict | None = None


@dataclass(frozen=True)
class ScenarioTotal:
    scenario: str
    grams: int
    count: int  # records that counted (after caps)
    quantity: Decimal  # units that counted
    version: str


def _counts(m, r: Record) -> bool:
    if r.quantity <= 0:
        return False
    if m.code == "bike":
        seconds = (r.facts or {}).get("duration_s")
        return seconds is not None and Decimal(str(seconds)) >= BIKE_MIN_SECONDS
    if m.threshold is not None and m.formula == "per_unit":
        return r.quantity >= m.threshold
    return True


def apply(records: list[Record], date: str, registry: Registry) -> list[ScenarioTotal]:
    by_scenario: dict[str, list[Record]] = {}
    for r in sorted(records, key=lambda r: (r.occurred_at, r.source_id)):
        by_scenario.setdefault(r.scenario, []).append(r)
    group_used = {g: Decimal(0) for g in GROUP_CAPS}
    # Group caps are shared in time order across the group's scenarios.
    counted: dict[str, list[tuple[Record, Decimal]]] = {}
    for r in sorted(records, key=lambda r: (r.occurred_at, r.source_id)):
        m = registry.in_force(r.scenario, date)
        if m is None or not _counts(m, r):
            continue
        qty = r.quantity
        if m.cap_group:
            room = GROUP_CAPS[m.cap_group] - group_used[m.cap_group]
            qty = min(qty, max(room, Decimal(0)))
            group_used[m.cap_group] += qty
        if qty > 0:
            counted.setdefault(r.scenario, []).append((r, qty))
    out = []
    for scenario in sorted(counted):
        m = registry.in_force(scenario, date)
        items = counted[scenario]
        if m.formula == "daily_threshold":
            # One record per day (the latest upload replaced earlier ones); keep the largest if several.
            r, qty = max(items, key=lambda x: x[1])
            if m.threshold is not None and qty < m.threshold:
                continue
            items = [(r, qty)]
        if scenario == "bike":
            items = items[:BIKE_MAX_RIDES]
        total, kept = Decimal(0), []
        for r, qty in items:
            if m.daily_cap is not None:
                qty = min(qty, m.daily_cap - total)
            if qty <= 0:
                break
            total += qty
            kept.append(r)
        grams = int((total * m.grams_per_unit).to_integral_value(rounding=ROUND_FLOOR))
        if grams > 0:
            out.append(ScenarioTotal(scenario, grams, len(kept), total, m.version))
    return out


def coins_to_credit(grams_total_after: int, coins_already: int, grams_per_coin: int) -> int:
    """Carry-over rule: coins = floor(cumulative settled grams / grams per coin) - coins already
    credited for reductions, so no gram is lost to rounding across days."""
    return grams_total_after // grams_per_coin - coins_already


@dataclass(frozen=True)
class DayCredit:
    """What a user-day is owed now: the grams not credited yet, and the ledger entry that credits them."""
    entry_id: str  # settle#D for the first credit, settle#D#2, #3 ... for late data
    grams: int  # day_grams - grams already credited
    day_grams: int
    run: int  # 1 for the first credit of the day


def day_credit(date: str, totals: list[ScenarioTotal], grams_done: int, runs: int) -> DayCredit | None:
    """None when there is nothing new: settled already, or a replaced upload lowered the day
    (what was credited is never clawed back)."""
    day_grams = sum(t.grams for t in totals)
    if day_grams <= grams_done:
        return None
    entry_id = f"settle#{date}" if runs == 0 else f"settle#{date}#{runs + 1}"
    return DayCredit(entry_id, day_grams - grams_done, day_grams, runs + 1)
