"""Daily settlement of one date and shard: behaviours -> grams -> coins, exactly once.

Invariants:
- One ledger credit per user-day and run that found new grams (settle#D, settle#D#2, ...): a replay writes nothing.
- The user-day's SettledDay item (grams credited so far) changes in the same transaction as the credit,
  guarded by its previous value: a re-run, a concurrent run or a run after a crash credits exactly
  day_grams - grams already credited (late data), never the same grams twice.
- Coins follow the carry-over rule (rules.coins_to_credit) on the account as it is at commit time.
- A credit with coins > 0 to a user with an accept left writes a notice in its own transaction
  (core.notices.outbox); functions.send_notices sends it. The footprint roll-up commits with it, on the account.
- A closed account (deleted by its citizen, core.citizens.erasure) is credited nothing more.
- What a credit needs is a value (`UserDay`), read before its transaction; the retry after a conflict
  is core.books.ledger's (`post_from`), recomputing the coins from the fresh account.
Batches of a unit: core.carbon.settlement_batches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from core.books import ledger, legs
from core.books.ledger import Movement
from core.carbon import early, footprint, rankings, rules
from core.notices import inbox, notifications, outbox
from models import Account
from models.settlement import SettledDay


def registry_for_settlement():
    from core.carbon.methodology_store import load_registry

    return load_registry()


def requires_evidence(settings) -> bool:
    """Outside local and test, a version with evidence `none` credits nothing."""
    return settings.stage not in ("local", "test")


def day_registry(registry, day):
    """A settled day keeps the versions it was first priced with: never re-priced."""
    return registry.pinned(day.versions) if day is not None and day.versions else registry


def provenance(records: list[rules.Record]) -> dict:
    """What an auditor needs to find the records behind a credit (GET /reductions/{date}/records)."""
    return {"records": len(records), "records_digest": records_digest(r.record_id for r in records)}


def records_digest(ids) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def read_state(user_ids: list[str], date: str) -> tuple[dict, dict]:
    accounts = {a.user_id: a for a in Account.batch_get(user_ids, consistent_read=True)}
    days = {
        d.user_id: d
        for d in SettledDay.batch_get([(u, date) for u in user_ids], consistent_read=True)
    }
    return accounts, days


def carry_grams(settings, account) -> int:
    """Grams settled but not yet turned into a coin. Accounts from before the coin rate was
    versioned hold none: theirs is what the one settings rate left over."""
    if account is None or account.carry_grams is not None:
        return int(account.carry_grams) if account is not None else 0
    return max(
        0, int(account.grams_total) - int(account.coins_from_grams) * settings.grams_per_coin
    )


@dataclass(frozen=True)
class UserDay:
    """What crediting one user-day needs, as read before its transaction."""

    user_id: str
    date: str
    totals: tuple[rules.ScenarioTotal, ...]  # the day's grams per scenario, all runs together
    credited_grams: int | None = None  # what the SettledDay item holds; None: never credited
    runs: int = 0  # credits so far
    versions: Mapping[str, str] = field(
        default_factory=dict
    )  # the methodology versions the day is priced with
    trace: Mapping | None = (
        None  # the records behind the day (provenance): count and digest of their ids
    )
    notice: bool = (
        False  # the user wants to be told (a notice in the credit's transaction if coins > 0)
    )

    @classmethod
    def of(
        cls, user_id: str, date: str, totals, settled: SettledDay | None, trace=None, notice=False
    ) -> UserDay:
        if settled is None:
            return cls(user_id, date, tuple(totals), trace=trace, notice=notice)
        return cls(
            user_id,
            date,
            tuple(totals),
            int(settled.grams),
            int(settled.runs),
            dict(settled.versions or {}),
            trace,
            notice,
        )


@dataclass(frozen=True)
class Credited:
    coins: int
    grams: int
    noticed: bool


def settle_user_day(
    settings, day: UserDay, account, grams_per_coin: int | None = None
) -> Credited | None:
    """Credit what this user-day has not been credited yet; None when there is nothing new.
    Top to bottom: what the day is owed (pure) -> coins from the account as read (pure carry-over
    rule, under the coin rate in force on the date: never negative) -> one transaction. If another
    movement changed the account first, nothing was written: recompute from the fresh account."""
    owed = rules.day_credit(day.date, list(day.totals), day.credited_grams or 0, day.runs)
    if owed is None:
        return None
    rate, expiry = grams_per_coin or settings.grams_per_coin, early.index_expiry(settings, day.date)

    def movement_for(account) -> Movement | None:
        if account is not None and account.closed_at:
            return None  # the citizen deleted the account (core.citizens.erasure): its coins were forfeited
        coins, carry = rules.convert(carry_grams(settings, account), owed.grams, rate)
        stored = (
            int(account.carry_grams)
            if account is not None and account.carry_grams is not None
            else 0
        )
        return credit_movement(day, owed, coins, carry - stored, expiry)

    try:
        posted = ledger.post_from(account, movement_for)
    except ledger.CauseConditionFailed:
        return None  # another run settled this user-day meanwhile; the next run sees its state
    if posted is None or posted.replayed:
        return None
    coins = int(posted.entry.amount)
    return Credited(coins, owed.grams, day.notice and coins > 0)


def credit_movement(
    day: UserDay, owed: rules.DayCredit, coins: int, carry_change: int, index_expiry=None
) -> Movement:  # index_expiry: early.index_writes
    user_id, date, totals = day.user_id, day.date, day.totals
    detail = {
        "date": date,
        "grams": owed.grams,
        "day_grams": owed.day_grams,
        "scenarios": [
            {
                "scenario": t.scenario,
                "grams": t.grams,
                "count": t.count,
                "quantity": str(t.quantity),
                "version": t.version,
            }
            for t in totals
        ],
    }
    if day.runs:
        detail["previously_credited_grams"] = day.credited_grams
    detail.update(day.trace or {})  # the records behind the day: count and digest of their ids
    # The day keeps the versions it was first priced with (never re-priced by a later version).
    pins = {**day.versions, **{t.scenario: t.version for t in totals}}
    # The day still holds what we read: a concurrent run that credited it first makes this one stop.
    settled = ledger.update(
        SettledDay(user_id, date),
        [
            SettledDay.grams.set(owed.day_grams),
            SettledDay.runs.set(owed.run),
            SettledDay.coins.add(coins),
            SettledDay.versions.set(pins),
            SettledDay.scenarios.set({t.scenario: t.grams for t in totals}),
        ],
        SettledDay.user_id.does_not_exist()
        if day.credited_grams is None
        else SettledDay.grams == day.credited_grams,
    )
    cause = (settled,) + early.index_writes(user_id, date, owed.day_grams, pins, index_expiry)
    if (
        day.notice and coins > 0
    ):  # the notice commits with the credit or not at all: told once, never about nothing
        m = notifications.settlement_message(user_id, date, coins)
        cause += (
            outbox.intent(
                user_id, "settlement_credit", f"{owed.entry_id}@{user_id}", m.data, m.page
            ),
        )
    if (
        coins > 0
    ):  # the inbox keeps every credit, told by subscribe message or not (core.notices.inbox)
        cause += (
            inbox.entry(
                user_id,
                "settlement_credit",
                owed.entry_id,
                inbox.credit_text(date, coins, owed.grams),
            ),
        )
    return Movement(
        user_id,
        owed.entry_id,
        coins,
        "settlement",
        ref=date,
        detail=detail,
        cause=cause,
        totals={
            "earned_total": coins,
            "grams_total": owed.grams,
            "coins_from_grams": coins,
            "carry_grams": carry_change,
        },
        rollups={**footprint.credit(date, owed.grams, coins), **rankings.credit(date, owed.grams)},
        legs=legs.settlement_legs(coins, {t.scenario: t.grams for t in totals}),
    )
