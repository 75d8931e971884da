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
- A unit's partition is streamed page by page (a user's records are contiguous): memory holds one batch
  of users whatever the partition's size. Reads: one Query a page, three BatchGetItems a batch (accounts,
  settled days, subscriptions); one transaction per user-day with something new, settle_in_flight at a time.
"""
from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from core.books import ledger, legs
from core.books.ledger import Movement
from core.carbon import behaviours, early, footprint, quarantine, rules
from core.notices import notifications, outbox
from models import Account
from models.settlement import SettledDay

BATCH = 50
KEYS = ("users", "credited", "coins", "grams", "behaviours", "quarantined", "noticed")  # a unit's counts


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


def _read_state(user_ids: list[str], date: str) -> tuple[dict, dict]:
    accounts = {a.user_id: a for a in Account.batch_get(user_ids, consistent_read=True)}
    days = {d.user_id: d for d in SettledDay.batch_get([(u, date) for u in user_ids], consistent_read=True)}
    return accounts, days


def carry_grams(settings, account) -> int:
    """Grams settled but not yet turned into a coin. Accounts from before the coin rate was
    versioned hold none: theirs is what the one settings rate left over."""
    if account is None or account.carry_grams is not None:
        return int(account.carry_grams) if account is not None else 0
    return max(0, int(account.grams_total) - int(account.coins_from_grams) * settings.grams_per_coin)


def settle_user_day(settings, user_id: str, date: str, totals: list, account, day, trace=None,
                    grams_per_coin: int | None = None, notice: bool = False) -> dict | None:
    """Credit what this user-day has not been credited yet; None when there is nothing new.
    Top to bottom: what the day is owed (pure) -> coins from the account as read (pure carry-over
    rule, under the coin rate in force on the date: never negative) -> one transaction. If another
    movement changed the account first, nothing was written: recompute from the fresh account.
    `notice`: the user wants to be told (a notice in the credit's transaction if coins > 0)."""
    owed = rules.day_credit(date, totals, int(day.grams) if day else 0, int(day.runs) if day else 0)
    if owed is None:
        return None
    for attempt in range(ledger.MAX_ATTEMPTS):
        if account is not None and account.closed_at:
            return None  # the citizen deleted the account (core.citizens.erasure): its coins were forfeited
        coins, carry = rules.convert(carry_grams(settings, account), owed.grams, grams_per_coin or settings.grams_per_coin)
        stored = int(account.carry_grams) if account is not None and account.carry_grams is not None else 0
        try:
            told = notice and coins > 0
            posted = ledger.post_once(credit_movement(user_id, date, owed, coins, carry - stored, totals, day, trace,
                                                      told, early.index_expiry(settings, date)), account)
        except ledger.AccountMoved as moved:
            account = moved.account
            ledger.pause(attempt)
            continue
        except ledger.CauseConditionFailed:
            return None  # another run settled this user-day meanwhile; the next run sees its state
        return None if posted.replayed else {"coins": coins, "grams": owed.grams, "noticed": int(told)}
    raise ledger.LedgerContention()


def credit_movement(user_id: str, date: str, owed: rules.DayCredit, coins: int, carry_change: int, totals: list,
                    day, trace=None, notice: bool = False, index_expiry=None) -> Movement:  # early.index_writes
    detail = {"date": date, "grams": owed.grams, "day_grams": owed.day_grams, "scenarios": [
        {"scenario": t.scenario, "grams": t.grams, "count": t.count, "quantity": str(t.quantity),
         "version": t.version} for t in totals]}
    if day is not None and int(day.runs):
        detail["previously_credited_grams"] = int(day.grams)
    detail.update(trace or {})  # the records behind the day: count and digest of their ids
    # The day keeps the versions it was first priced with (never re-priced by a later version).
    pins = {**((day.versions or {}) if day is not None else {}), **{t.scenario: t.version for t in totals}}
    # The day still holds what we read: a concurrent run that credited it first makes this one stop.
    settled = ledger.update(SettledDay(user_id, date), [SettledDay.grams.set(owed.day_grams),
                                                        SettledDay.runs.set(owed.run), SettledDay.coins.add(coins),
                                                        SettledDay.versions.set(pins),
                                                        SettledDay.scenarios.set({t.scenario: t.grams for t in totals})],
                            SettledDay.grams == int(day.grams) if day else SettledDay.user_id.does_not_exist())
    cause = (settled,) + early.index_writes(user_id, date, owed.day_grams, pins, index_expiry)
    if notice:  # the notice commits with the credit or not at all: told once, never about nothing
        m = notifications.settlement_message(user_id, date, coins)
        cause += (outbox.intent(user_id, "settlement_credit", f"{owed.entry_id}@{user_id}", m.data, m.page),)
    return Movement(user_id, owed.entry_id, coins, "settlement", ref=date, detail=detail, cause=cause,
                    totals={"earned_total": coins, "grams_total": owed.grams, "coins_from_grams": coins,
                            "carry_grams": carry_change}, rollups=footprint.credit(date, owed.grams, coins),
                    legs=legs.settlement_legs(coins, {t.scenario: t.grams for t in totals}))


def settle_shard(settings, date: str, shard: int, registry=None, after: str | None = None,
                 checkpoint=None, stop=None) -> dict:
    """Settle one unit (date and shard) after user `after`. After each batch of users,
    `checkpoint(last_user, batch_counts)` records progress (last_user None: the batch failed, its
    committed credits are counted, the position stays) and `stop()` may end the pass early (the
    invocation's time is nearly up): the result then has complete=False. A run that fails
    half-way is simply run again: only what is not credited yet is credited."""
    registry = registry or registry_for_settlement()
    rate = registry.rate_in_force(date, settings.grams_per_coin).grams_per_coin
    summary = dict.fromkeys(KEYS, 0)
    stream = behaviours.shard_user_items(date, shard, after)
    with ThreadPoolExecutor(settings.settle_in_flight) as pool:
        while chunk := list(islice(stream, BATCH)):
            batch, error = _settle_batch(settings, date, chunk, registry, rate, pool)
            for k in KEYS:
                summary[k] += batch[k]
            if checkpoint is not None:
                checkpoint(None if error else chunk[-1][0], batch)
            if error is not None:
                raise error
            if len(chunk) == BATCH and stop is not None and stop():  # a short batch was the last
                return {**summary, "complete": False, "position": chunk[-1][0]}
    return {**summary, "complete": True}


def _admitted(chunk: list, date: str, registry) -> tuple[list, int]:
    """(user_id, records) admitted in the batch, and how many were quarantined (kept out, counted)."""
    users, held = [], 0
    for user_id, items in chunk:
        records, n = quarantine.admit_all(items, date, registry)
        held += n
        users += [(user_id, records)] if records else []
    return users, held


def _settle_batch(settings, date: str, chunk: list, registry, rate: int, pool) -> tuple[dict, Exception | None]:
    """One transaction per user-day, settings.settle_in_flight at a time: (the counts of what
    committed, the first error). After an error no new transaction starts; those in flight finish."""
    users, held = _admitted(chunk, date, registry)
    ids = [u for u, _ in users]
    accounts, days = _read_state(ids, date)
    told = outbox.wants(ids, "settlement_credit")
    failed = threading.Event()

    def one(item):
        if failed.is_set():
            return None  # an earlier transaction failed: start no new one (the batch is settled again)
        user_id, records = item
        try:
            day = days.get(user_id)
            totals = rules.apply(records, date, day_registry(registry, day), requires_evidence(settings))
            return settle_user_day(settings, user_id, date, totals, accounts.get(user_id), day, provenance(records),
                                   rate, notice=user_id in told)
        except Exception:
            failed.set()
            raise

    batch = dict.fromkeys(KEYS, 0)
    batch.update(users=len(users), behaviours=sum(len(r) for _, r in users), quarantined=held)
    error, credited = None, []
    for future, item in [(pool.submit(one, item), item) for item in users]:
        try:
            done = future.result()
        except Exception as e:
            error = error or e
            continue
        if done:
            batch["credited"] += 1
            credited.append(item[0])
            for k in ("coins", "grams", "noticed"):
                batch[k] += done[k]
    footprint.recount(credited, date[:4])  # the city histogram (percentiles), for what committed
    return batch, error
