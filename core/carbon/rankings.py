"""The city ranking of a week or a month (GET /api/v1/rankings), kept by settlement's roll-ups.

Invariants:
- A citizen's grams of a period are the account's roll-ups rw_YYYYWW / rm_YYYYMM, ADDed by each
  settlement credit in its own transaction (`credit`, a ledger Movement's rollups): no extra
  item and no extra write, and a credit commits them once. The same credit REMOVEs the roll-ups
  of periods 3-10 weeks / 2-4 months older (ranking_rules.stale), so the account stays small.
- After a batch of credits (`after_credits`, never raising: the credits are committed), the
  period's histogram (counts of citizens per grams bucket) moves each credited citizen from the
  bucket of their grams before the credit to the bucket after: one UpdateItem per period and
  batch, on one of PARTS items (the batch's first user picks it), so a city's settlement never
  writes one hot key. The top parts (TOP_PARTS items, a citizen always in the same one) are
  rewritten only when a listed citizen enters one or their grams in it change, guarded by the
  item's version (a concurrent rewrite makes this one read again).
- Approximation, said plainly: a batch that fails after its credits committed, or two runs
  crediting one citizen in one period at the same moment, can leave that citizen counted in a
  neighbouring bucket until the period ends; coins are never affected (ranks only). A citizen
  who opts in is placed in the top at their next credit.
- An opted-out or erased citizen is never shown: the reader filters the top by the current
  choices (core.citizens.ranking_choice writes them).
Reads on a request: one BatchGetItem (the caller's account roll-up and choice, the period's
histogram and top parts), one BatchGetItem of the top candidates' choices. Never a Scan.
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter, defaultdict

from pynamodb.attributes import NumberAttribute
from pynamodb.exceptions import PutError

import models
from core.carbon import ranking_rules as rules
from core.logs import log
from models.accounts import Account
from models.rankings import RankingItem

PARTS = 8  # histogram items per period
TOP_PARTS = 8  # top items per period
READ = 50  # users a BatchGetItem of accounts and choices (2 keys each: 100)


def _part(user_id: str, salt: str, n: int) -> int:
    return zlib.crc32(f"{salt}#{user_id}".encode()) % n


def choice_key(user_id: str) -> dict:
    return {"pk": f"choice#{user_id}", "sk": "-"}


def credit(date: str, grams: int) -> dict:
    """The ranking's roll-up increments of a settlement credit (ledger Movement.rollups): the
    date's week and month grams added, stale periods removed (None)."""
    week, month = rules.periods(date)
    return {
        **dict.fromkeys(rules.stale(date)),
        rules.rollup_name(week): grams,
        rules.rollup_name(month): grams,
    }


def _hist_bucket(b: int):
    return NumberAttribute(attr_name=f"b{b}")


def after_credits(date: str, credited: dict[str, int]) -> dict:
    """Move the credited citizens in the date's histograms and tops; never raises.
    Returns what it wrote: {"hist_writes", "top_writes", "top_wcu"} (bench/ranking_writes.py)."""
    done = {"hist_writes": 0, "top_writes": 0, "top_wcu": 0}
    credited = {u: g for u, g in credited.items() if g > 0}
    if not credited:
        return done
    try:
        users, periods = sorted(credited), rules.periods(date)
        names = [rules.rollup_name(p) for p in periods]
        now, listed = {}, set()
        for i in range(0, len(users), READ):
            chunk = users[i : i + READ]
            got = models.base.get_items(
                [(Account, {"user_id": u}, names) for u in chunk]
                + [(RankingItem, choice_key(u), ["listed"]) for u in chunk]
            )
            for u, acc, ch in zip(chunk, got[: len(chunk)], got[len(chunk) :]):
                now[u] = [int((acc or {}).get(n, {}).get("N", "0")) for n in names]
                if ch and ch.get("listed", {}).get("BOOL"):
                    listed.add(u)
        for k, period in enumerate(periods):
            net = Counter()
            for u in users:
                new, old = now[u][k], now[u][k] - credited[u]
                if rules.bucket_of(new) != rules.bucket_of(old):
                    net[rules.bucket_of(new)] += 1
                    if rules.bucket_of(old) is not None:
                        net[rules.bucket_of(old)] -= 1
            actions = [_hist_bucket(b).add(n) for b, n in sorted(net.items()) if n]
            if actions:
                RankingItem(f"hist#{period}", f"{_part(users[0], 'hist', PARTS):02d}").update(
                    actions=actions
                )
                done["hist_writes"] += 1
            by_part = defaultdict(dict)
            for u in listed:
                by_part[_part(u, "top", TOP_PARTS)][u] = now[u][k]
            for part, updates in sorted(by_part.items()):
                wrote = _merge_top(period, part, updates)
                done["top_writes"] += bool(wrote)
                done["top_wcu"] += -(-wrote // 1024)  # a write unit per KB begun
    except Exception as e:  # ranks only: the next credit in the period moves the citizen again
        log("ranking_rollup_failed", level=logging.WARNING, error_type=type(e).__name__)
    return done


def _merge_top(period: str, part: int, updates: dict[str, int], tries: int = 5) -> int:
    """Rewrite a top part if `updates` change it; the bytes written (0: nothing changed)."""
    for _ in range(tries):
        try:
            item = RankingItem.get(f"top#{period}", f"{part:02d}", consistent_read=True)
        except RankingItem.DoesNotExist:
            item = RankingItem(f"top#{period}", f"{part:02d}", entries=[], version=0)
        merged = rules.merge_top(item.entries or [], updates)
        if merged == (item.entries or []):
            return 0
        version = int(item.version or 0)
        fresh = RankingItem(f"top#{period}", f"{part:02d}", entries=merged, version=version + 1)
        try:
            fresh.save(
                condition=RankingItem.version.does_not_exist()
                if version == 0 and not item.entries
                else RankingItem.version == version
            )
            return len(str(merged)) + 40
        except PutError as e:
            if e.cause_response_code != "ConditionalCheckFailedException":
                raise
    return 0


def forget(user_id: str, days: list[str]) -> int:
    """Take a citizen out of the top parts of every period of these days (a legacy account's
    erasure: core.citizens.rekey); one BatchGetItem per 50 periods, a rewrite only where they are.
    Returns how many parts named them (the reader never showed an erased citizen anyway)."""
    periods = sorted({p for d in days for p in rules.periods(d)})
    keys = [(f"top#{p}", f"{_part(user_id, 'top', TOP_PARTS):02d}") for p in periods]
    named = 0
    for i in range(0, len(keys), 50):
        for item in RankingItem.batch_get(keys[i : i + 50], consistent_read=True):
            if any(u == user_id for u, _ in item.entries or []):
                named += _without(item.pk, item.sk, user_id)
    return named


def _without(pk: str, sk: str, user_id: str, tries: int = 5) -> int:
    for _ in range(tries):
        item = RankingItem.get(pk, sk, consistent_read=True)
        version = int(item.version or 0)
        kept = [[u, g] for u, g in item.entries or [] if u != user_id]
        try:
            RankingItem(pk, sk, entries=kept, version=version + 1).save(
                condition=RankingItem.version == version
                if version
                else RankingItem.version.does_not_exist()
            )
            return 1
        except PutError as e:
            if e.cause_response_code != "ConditionalCheckFailedException":
                raise
    return 0


def ranking(user_id: str, period_kind: str, today: str) -> dict:
    """The city's top 100 listed citizens of this week or month, and the caller's own standing."""
    period = rules.week_of(today) if period_kind == "week" else rules.month_of(today)
    name = rules.rollup_name(period)
    keys = [(Account, {"user_id": user_id}, [name]), (RankingItem, choice_key(user_id), None)]
    keys += [(RankingItem, {"pk": f"hist#{period}", "sk": f"{p:02d}"}, None) for p in range(PARTS)]
    # Whole items: get_items takes one projection per table, and these are all one table.
    keys += [
        (RankingItem, {"pk": f"top#{period}", "sk": f"{p:02d}"}, None) for p in range(TOP_PARTS)
    ]
    got = models.base.get_items(keys)
    account, choice, hists, tops = got[0], got[1], got[2 : 2 + PARTS], got[2 + PARTS :]
    counts = [0] * rules.BUCKETS
    for h in hists:
        for b in range(rules.BUCKETS):
            counts[b] += int((h or {}).get(f"b{b}", {}).get("N", "0"))
    entries = []
    for t in tops:
        if t:
            entries += RankingItem.from_raw_data(t).entries or []
    candidates = rules.ranked(entries, 100)
    shown = _listed([u for _, u, _ in candidates])
    items = rules.ranked([[u, g] for _, u, g in candidates if u in shown], 100)
    grams = int((account or {}).get(name, {}).get("N", "0"))
    rank, pct = rules.standing(counts, grams)
    first, last = rules.bounds(period)
    return {
        "period": period_kind,
        "from": first,
        "to": min(last, today),
        "items": [{"rank": r, "nickname": shown[u], "grams": g} for r, u, g in items],
        "me": {
            "rank": rank,
            "grams": grams,
            "percentile": pct,
            "listed": bool((choice or {}).get("listed", {}).get("BOOL")),
        },
    }


def _listed(user_ids: list[str]) -> dict[str, str]:
    """user -> nickname of those still listed (one BatchGetItem for up to 100)."""
    if not user_ids:
        return {}
    got = models.base.get_items(
        [(RankingItem, choice_key(u), ["listed", "nickname"]) for u in user_ids]
    )
    return {
        u: c["nickname"]["S"]
        for u, c in zip(user_ids, got)
        if c and c.get("listed", {}).get("BOOL") and "nickname" in c
    }
