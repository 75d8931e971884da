"""Daily settlement of one date and shard: behaviours -> grams -> coins, exactly once.

Invariants:
- One ledger credit per user-day and run that found new grams; ids settle#D, settle#D#2, ...
  so a replayed run hits attribute_not_exists and writes nothing.
- The user-day's SettledDay item (grams credited so far) changes in the same transaction as
  the credit, guarded by its previous value: a re-run, a concurrent run or a run after a crash
  credits exactly day_grams - grams already credited (late data), never the same grams twice.
- Coins follow the carry-over rule on the account's cumulative grams (core.carbon.rules.coins_to_credit),
  recomputed from the account as it is at commit time.
- A credit with coins > 0 is followed by a subscribe message to users who accepted one
  (core.citizens.notifications); notifying never fails or undoes a credit.
Reads: one Query per shard page and one BatchGetItem per 50 users; then one transaction per
user-day that has something new to credit; subscriptions are read only for credited users.
"""
from __future__ import annotations

from collections import defaultdict

from core.books import ledger, legs
from core.books.ledger import Movement
from core.carbon import behaviours, quarantine, rules
from core.citizens import notifications
from models import Account
from models.settlement import SettledDay

BATCH = 50


def registry_for_settlement():
    from core.carbon.methodology_store import load_registry

    return load_registry()


def records_by_user(date: str, shard: int, registry) -> tuple[dict[str, list[rules.Record]], int]:
    """The shard's records by user, and how many were quarantined (kept out, never raised)."""
    users: dict[str, list[rules.Record]] = defaultdict(list)
    held = 0
    for b in behaviours.shard_items(date, shard):
        record, reason = quarantine.admit(b, date, registry)
        if record is None:
            quarantine.hold(b, date, reason)
            held += 1
        else:
            users[b.user_id].append(record)
    return users, held


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
    import hashlib

    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def _read_state(user_ids: list[str], date: str) -> tuple[dict, dict]:
    accounts = {a.user_id: a for a in Account.batch_get(user_ids, consistent_read=True)}
    days = {d.user_id: d for d in SettledDay.batch_get([(u, date) for u in user_ids], consistent_read=True)}
    return accounts, days


def carry_grams(settings, account) -> int:
    """Grams settled but not yet turned into a coin. Accounts from before the coin rate was
    versioned hold none: theirs is what the one settings rate left over."""
    if account is None:
        return 0
    if account.carry_grams is not None:
        return int(account.carry_grams)
    return max(0, int(account.grams_total) - int(account.coins_from_grams) * settings.grams_per_coin)


def settle_user_day(settings, user_id: str, date: str, totals: list, account, day, trace=None,
                    grams_per_coin: int | None = None) -> dict | None:
    """Credit what this user-day has not been credited yet; None when there is nothing new.

    Top to bottom: what the day is owed (pure) -> coins from the account as read (pure carry-over
    rule, under the coin rate in force on the date: never negative) -> one transaction. If another
    movement changed the account first, nothing was written: recompute from the fresh account."""
    owed = rules.day_credit(date, totals, int(day.grams) if day else 0, int(day.runs) if day else 0)
    if owed is None:
        return None
    for attempt in range(ledger.MAX_ATTEMPTS):
        coins, carry = rules.convert(carry_grams(settings, account), owed.grams, grams_per_coin or settings.grams_per_coin)
        stored = int(account.carry_grams) if account is not None and account.carry_grams is not None else 0
        try:
            posted = ledger.post_once(credit_movement(user_id, date, owed, coins, carry - stored, totals, day, trace),
                                      account)
        except ledger.AccountMoved as moved:
            account = moved.account
            ledger.pause(attempt)
            continue
        except ledger.CauseConditionFailed:
            return None  # another run settled this user-day meanwhile; the next run sees its state
        return None if posted.replayed else {"coins": coins, "grams": owed.grams}
    raise ledger.LedgerContention()


def credit_movement(user_id: str, date: str, owed: rules.DayCredit, coins: int, carry_change: int, totals: list,
                    day, trace=None) -> Movement:
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
                                                        SettledDay.versions.set(pins)],
                            SettledDay.grams == int(day.grams) if day else SettledDay.user_id.does_not_exist())
    return Movement(user_id, owed.entry_id, coins, "settlement", ref=date, detail=detail, cause=(settled,),
                    totals={"earned_total": coins, "grams_total": owed.grams, "coins_from_grams": coins,
                            "carry_grams": carry_change},
                    legs=legs.settlement_legs(coins, {t.scenario: t.grams for t in totals}))


def settle_shard(settings, date: str, shard: int, registry=None, notifier=None) -> dict:
    """Settle one shard of one date. `notifier` (core.citizens.notifications.Notifier, built once
    per shard) tells credited users; None sends nothing. A run that fails half-way (a write
    refused, the Lambda stopped) is simply run again: only what is not credited yet is credited."""
    registry = registry or registry_for_settlement()
    users, held = records_by_user(date, shard, registry)
    rate = registry.rate_in_force(date, settings.grams_per_coin).grams_per_coin
    summary = {"users": len(users), "credited": 0, "coins": 0, "grams": 0, "behaviours": 0,
               "quarantined": held, "notified": 0, "notify_failed": 0}
    ids = sorted(users)
    for i in range(0, len(ids), BATCH):
        chunk = ids[i:i + BATCH]
        accounts, days = _read_state(chunk, date)
        messages = []
        try:
            for user_id in chunk:
                summary["behaviours"] += len(users[user_id])
                day = days.get(user_id)
                totals = rules.apply(users[user_id], date, day_registry(registry, day), requires_evidence(settings))
                done = settle_user_day(settings, user_id, date, totals, accounts.get(user_id), day,
                                       provenance(users[user_id]), rate)
                if done:
                    summary["credited"] += 1
                    summary["coins"] += done["coins"]
                    summary["grams"] += done["grams"]
                    if done["coins"] > 0:
                        messages.append(notifications.settlement_message(user_id, date, done["coins"]))
        finally:
            # Credits already committed are told even if the run stops here: a re-run credits
            # (and so notifies) nothing twice.
            if notifier is not None and messages:
                for k, v in notifier.send("settlement_credit", messages).items():
                    summary[k] += v
    return summary

