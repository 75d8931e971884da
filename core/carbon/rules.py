"""From one user's behaviours of one day to grams per scenario. Pure: no I/O.

Applied at settlement time (never at ingestion), so records keep raw facts and a
new rule or methodology version can be re-applied. Rules (METHODOLOGIES.md):
- each record counts under the methodology version in force on the day (or the version the
  day was first priced with: Registry.pinned); caps are part of that version;
- transit (metro, bus, ferry, tram, brt) together: at most group_cap (8) trips, earliest first;
- bike: a ride counts only if it lasted >= min_duration_s (1 min); at most max_records (10) rides and 20 km;
- outside local/test, a version with evidence `none` counts nothing;
- walk: one record per day (from version 2 the latest upload); counts only from 10,000 steps, at most 30,000;
- every other scenario: at most its daily cap of units;
- grams are floored to integers per scenario per day (never floats).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, Decimal

from core import jsonbounds
from core.carbon.methodologies import Registry


@dataclass(frozen=True)
class Record:
    scenario: str
    quantity: Decimal
    occurred_at: str
    source_id: str
    facts: dict | None = None
    source: str = ""  # yct | werun | partner:<id>: with source_id, the record's id

    @property
    def record_id(self) -> str:
        return f"{self.source}#{self.source_id}"


@dataclass(frozen=True)
class ScenarioTotal:
    scenario: str
    grams: int
    count: int  # records that counted (after caps)
    quantity: Decimal  # units that counted
    version: str


@dataclass(frozen=True)
class Counted:
    """What one record contributed: the units that counted after caps, under which version."""

    record: Record
    quantity: Decimal
    version: str
    grams_per_unit: Decimal


def _counts(m, r: Record) -> bool:
    if r.quantity <= 0:
        return False
    if m.min_duration_s is not None:
        seconds = (r.facts or {}).get("duration_s")
        return (
            isinstance(seconds, (int, float, Decimal)) and Decimal(str(seconds)) >= m.min_duration_s
        )
    if m.threshold is not None and m.formula == "per_unit":
        return r.quantity >= m.threshold
    return True


_NEVER = datetime(1, 1, 2, tzinfo=UTC)  # an upload time that cannot be read ranks first of all


def _latest(item: tuple[Record, Decimal]) -> tuple:
    """The upload's moment, compared as a time (texts at different offsets do not sort as times:
    a WeRun stamp at +00:00 and a partner's at +08:00), then the record's time and id."""
    r = item[0]
    uploaded = jsonbounds.moment((r.facts or {}).get("uploaded_at")) or _NEVER
    return (uploaded, r.occurred_at, r.source_id)


def usable(m, require_evidence: bool) -> bool:
    """Whether version `m` credits anything at all in a deployment (outside local/test: evidence)."""
    return m is not None and not (require_evidence and m.evidence == "none")


def apply(
    records: list[Record], date: str, registry: Registry, require_evidence: bool = False
) -> list[ScenarioTotal]:
    return apply_detailed(records, date, registry, require_evidence)[0]


def apply_detailed(
    records: list[Record], date: str, registry: Registry, require_evidence: bool = False
) -> tuple[list[ScenarioTotal], list[Counted]]:
    """Totals per scenario, and each record's counted units (what an auditor recomputes from).
    `require_evidence`: versions with evidence `none` count nothing (every stage but local/test)."""
    group_used: dict[str, Decimal] = {}
    # Group caps are shared in time order across the group's scenarios.
    counted: dict[str, list[tuple[Record, Decimal]]] = {}
    for r in sorted(records, key=lambda r: (r.occurred_at, r.source_id)):
        m = registry.in_force(r.scenario, date)
        if not usable(m, require_evidence) or not _counts(m, r):
            continue
        qty = r.quantity
        if m.cap_group:
            cap = m.group_cap if m.group_cap is not None else qty
            used = group_used.get(m.cap_group, Decimal(0))
            qty = min(qty, max(cap - used, Decimal(0)))
            group_used[m.cap_group] = used + qty
        if qty > 0:
            counted.setdefault(r.scenario, []).append((r, qty))
    out, per_record = [], []
    for scenario in sorted(counted):
        m = registry.in_force(scenario, date)
        items = counted[scenario]
        if m.formula in ("daily_threshold", "daily_latest"):
            # One record per day. Version 1 of walk kept the largest of several; from daily_latest on,
            # the latest upload replaces earlier ones (METHODOLOGIES.md), as a WeRun day does when stored.
            r, qty = (
                max(items, key=_latest)
                if m.formula == "daily_latest"
                else max(items, key=lambda x: x[1])
            )
            if m.threshold is not None and qty < m.threshold:
                continue
            items = [(r, qty)]
        if m.max_records is not None:
            items = items[: m.max_records]
        total, kept = Decimal(0), []
        for r, qty in items:
            if m.daily_cap is not None:
                qty = min(qty, m.daily_cap - total)
            if qty <= 0:
                break
            total += qty
            kept.append(Counted(r, qty, m.version, m.grams_per_unit))
        grams = int((total * m.grams_per_unit).to_integral_value(rounding=ROUND_FLOOR))
        if grams > 0:
            out.append(ScenarioTotal(scenario, grams, len(kept), total, m.version))
            per_record.extend(kept)
    return out, per_record


def coins_to_credit(grams_total_after: int, coins_already: int, grams_per_coin: int) -> int:
    """Carry-over rule: coins = floor(cumulative settled grams / grams per coin) - coins already
    credited for reductions, so no gram is lost to rounding across days."""
    return max(0, grams_total_after // grams_per_coin - coins_already)


@dataclass(frozen=True)
class DayCredit:
    """What a user-day is owed now: the grams not credited yet, and the ledger entry that credits them."""

    entry_id: str  # settle#D for the first credit, settle#D#2, #3 ... for late data
    grams: int  # day_grams - grams already credited
    day_grams: int
    run: int  # 1 for the first credit of the day


def day_credit(
    date: str, totals: list[ScenarioTotal], grams_done: int, runs: int
) -> DayCredit | None:
    """None when there is nothing new: settled already, or a replaced upload lowered the day
    (what was credited is never clawed back)."""
    day_grams = sum(t.grams for t in totals)
    if day_grams <= grams_done:
        return None
    entry_id = f"settle#{date}" if runs == 0 else f"settle#{date}#{runs + 1}"
    return DayCredit(entry_id, day_grams - grams_done, day_grams, runs + 1)


def convert(carry_grams: int, new_grams: int, grams_per_coin: int) -> tuple[int, int]:
    """Coins for the grams carried over plus the new grams, and the grams carried on: never a
    negative credit, whatever the coin rate in force (a raised rate only slows future coins)."""
    total = max(0, carry_grams) + max(0, new_grams)
    return total // grams_per_coin, total % grams_per_coin
