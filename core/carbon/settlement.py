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
from decimal import Decimal

from pynamodb.transactions import TransactWrite

from core.books import ledger

from core.citizens import notifications

from core.carbon import rules
from core.books.ledger import Movement
from models import Account
from models.behaviours import Behaviour, partition
from models.settlement import SettledDay

BATCH = 50


def registry_for_settlement():
    from core.carbon.methodology_store import load_registry

    return load_registry()


def records_by_user(date: str, shard: int) -> dict[str, list[rules.Record]]:
    users: dict[str, list[rules.Record]] = defaultdict(list)
    for b in Behaviour.query(partition(date, shard), consistent_read=True):
        users[b.user_id].append(rules.Record(b.scenario, Decimal(str(b.quantity)), b.occurred_at, b.source_id, b.facts))
    return users


def _read_state(user_ids: list[str], date: str) -> tuple[dict, dict]:
    accounts = {a.user_id: a for a in Account.batch_get(user_ids, consistent_read=True)}
    days = {d.user_id: d for d in SettledDay.batch_get([(u, date) for u in user_ids], consistent_read=True)}
    return accounts, days


def settle_user_day(settings, user_id: str, date: str, totals: list, account, day) -> dict | None:
    """Credit what this user-day has not been credited yet; None when there is nothing new."""
    day_grams = sum(t.grams for t in totals)
    done = int(day.grams) if day else 0
    delta = day_grams - done
    if delta <= 0:
        return None  # settled already (or a replaced upload lowered the day: never clawed back)
    runs = int(day.runs) if day else 0
    entry_id = f"settle#{date}" if runs == 0 else f"settle#{date}#{runs + 1}"
    detail = {"date": date, "grams": delta, "day_grams": day_grams, "scenarios": [
        {"scenario": t.scenario, "grams": t.grams, "count": t.count, "quantity": str(t.quantity),
         "version": t.version} for t in totals]}
    if runs:
        detail["previously_credited_grams"] = done
    credited = {}

    def movement(acc) -> Movement:
        grams_before = int(acc.grams_total) if acc else 0
        coins_before = int(acc.coins_from_grams) if acc else 0
        coins = rules.coins_to_credit(grams_before + delta, coins_before, settings.grams_per_coin)
        credited["coins"] = coins
        return Movement(user_id, entry_id, coins, "settlement", ref=date, detail=detail,
                        totals={"earned_total": coins, "grams_total": delta, "coins_from_grams": coins})

    def extra(tx: TransactWrite) -> None:
        actions = [SettledDay.grams.set(day_grams), SettledDay.runs.set(runs + 1),
                   SettledDay.coins.add(credited["coins"])]
        # The day still holds what we read: a concurrent run that credited it first makes this one stop.
        cond = SettledDay.grams == done if day else SettledDay.user_id.does_not_exist()
        tx.update(SettledDay(user_id, date), actions=actions, condition=cond)

    try:
        posted = ledger.post(movement, extra=extra, account=account, user_id=user_id)
    except ledger.CauseConditionFailed:
        return None  # another run settled this user-day meanwhile; the next run sees its state
    if posted.replayed:
        return None
    return {"coins": credited["coins"], "grams": delta}


def settle_shard(settings, date: str, shard: int, registry=None, stop_after: int | None = None,
                 notifier=None) -> dict:
    """Settle one shard of one date. `stop_after` ends the run after that many credits
    (how tests and ops simulate a crash half-way). `notifier` (core.citizens.notifications.Notifier,
    built once per shard) tells credited users; None sends nothing."""
    registry = registry or registry_for_settlement()
    users = records_by_user(date, shard)
    summary = {"users": len(users), "credited": 0, "coins": 0, "grams": 0, "behaviours": 0,
               "notified": 0, "notify_failed": 0}
    ids = sorted(users)
    for i in range(0, len(ids), BATCH):
        chunk = ids[i:i + BATCH]
        accounts, days = _read_state(chunk, date)
        messages = []
        try:
            for user_id in chunk:
                summary["behaviours"] += len(users[user_id])
                totals = rules.apply(users[user_id], date, registry)
                done = settle_user_day(settings, user_id, date, totals, accounts.get(user_id), days.get(user_id))
                if done:
                    summary["credited"] += 1
                    summary["coins"] += done["coins"]
                    summary["grams"] += done["grams"]
                    if done["coins"] > 0:
                        messages.append(notifications.settlement_message(user_id, date, done["coins"]))
                    if stop_after is not None and summary["credited"] >= stop_after:
                        raise SettlementInterrupted(summary)
        finally:
            # Credits already committed are told even if the run stops here: a re-run credits
            # (and so notifies) nothing twice.
            if notifier is not None and messages:
                for k, v in notifier.send("settlement_credit", messages).items():
                    summary[k] += v
    return summary


class SettlementInterrupted(Exception):
    """Raised by settle_shard(stop_after=k): the run stopped after k credits, as if it crashed."""
