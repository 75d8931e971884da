"""A citizen's carbon footprint for a year, read from roll-ups settlement maintains.

Invariants:
- A citizen's grams (coins) of a year = the account's roll-up fp_g_YYYY (fp_c_YYYY, models.accounts)
  + the legacy Footprint(user, year).grams (.coins), and equal the year's settlement entries. A
  settlement credit ADDs its grams and coins to the roll-ups on the account item it writes anyway
  (`credit`, in its own transaction: its conditions make it happen once), so a credit writes no
  Footprint item. Footprint grams/coins are what credits added before the roll-ups moved to the
  account: nothing changes them any more, and every reader adds them (nothing settled is lost).
- The city histogram counts each active citizen once, in the bucket `counted_bucket` names:
  `recount` moves the citizen and updates `counted_bucket` in one transaction
  guarded by its old value, so a retry or a race never counts anyone twice. A crash between
  the credit and the count only delays it: the citizen's next credit moves them to the right
  bucket (there is no ops command for it yet: a citizen never credited again stays a bucket low).
Reads on a request: one Query of the year's settled days, one BatchGetItem of the account and
the Footprint item, one BatchGetItem of the histogram's parts. Never a Scan.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections import Counter

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core.carbon import footprint_rules as rules
from core.carbon.methodologies import TREE_YEAR
from core.errors import Unprocessable
from core.logs import log
from models.accounts import Account, rollup_name, rollups_of
from models.footprints import Footprint, FootprintHistogram
from models.settlement import SettledDay

PARTS = 16
READ_USERS = (
    50  # a recount reads a citizen's Footprint and account: 100 keys, one BatchGetItem's most
)
MOVERS_A_WRITE = 99  # DynamoDB takes 100 actions a transaction: the movers and one histogram part


def part_of(user_id: str) -> int:
    return zlib.crc32(user_id.encode()) % PARTS


def credit(date: str, grams: int, coins: int) -> dict:
    """A settlement credit's roll-up increments (ledger Movement.rollups): added to the account
    in the credit's transaction, in the year of the settled date (Asia/Shanghai)."""
    return {rollup_name("g", date[:4]): grams, rollup_name("c", date[:4]): coins}


def standing(user_ids: list[str], year: str) -> dict[str, tuple[int, int | None]]:
    """Each citizen's grams of the year and the bucket they are counted in (None: not counted):
    consistent reads of their account and Footprint item, one BatchGetItem per READ_USERS."""
    out = {}
    for i in range(0, len(user_ids), READ_USERS):
        chunk, name = user_ids[i : i + READ_USERS], rollup_name("g", year)
        got = models.base.get_items(
            [(Footprint, {"user_id": u, "year": year}, ["grams", "counted_bucket"]) for u in chunk]
            + [(Account, {"user_id": u}, [name]) for u in chunk]
        )
        for u, fp, acc in zip(chunk, got[: len(chunk)], got[len(chunk) :]):
            bucket = (fp or {}).get("counted_bucket")
            out[u] = (
                _number(fp, "grams") + _number(acc, name),
                None if bucket is None else int(bucket["N"]),
            )
    return out


def _number(raw: dict | None, name: str) -> int:
    return int((raw or {}).get(name, {}).get("N", "0"))


def recount(user_ids: list[str], year: str) -> int:
    """Move each citizen to the bucket of their year's grams; never raises (settlement calls it
    after credits that are committed already). Returns how many moved.

    A batch's movers go in one transaction with one histogram part's net change (MOVERS_A_WRITE
    at a time): one request per batch, not one per citizen. If it fails (a concurrent mover, a
    conflict on the part), each citizen is moved alone, as before."""
    if not user_ids:
        return 0
    moved = 0
    try:
        movers = []
        for user_id, (grams, old) in standing(list(dict.fromkeys(user_ids)), year).items():
            new = rules.bucket_of(grams)
            if old != new:
                movers.append((user_id, old, new))
        for i in range(0, len(movers), MOVERS_A_WRITE):
            chunk = movers[i : i + MOVERS_A_WRITE]
            moved += len(chunk) if _move(chunk, year) else sum(_move([m], year) for m in chunk)
    except Exception as e:  # the citizen's next credit repairs it
        log("footprint_recount_failed", level=logging.WARNING, error_type=type(e).__name__)
    return moved


def _move(movers: list[tuple[str, int | None, int | None]], year: str) -> bool:
    """Move (user, old bucket, new bucket) citizens in one transaction, or none of them."""
    net = Counter()
    for _, old, new in movers:
        if new is not None:
            net[new] += 1
        if old is not None:
            net[old] -= 1
    # Parts only spread the writes: a citizen may be added in one part and taken out of another,
    # so one part's count can go below 0; only the sum over parts (city_counts) is the city.
    actions = [getattr(FootprintHistogram, f"b{b}").add(n) for b, n in sorted(net.items()) if n]
    try:
        with TransactWrite(connection=models.connection()) as tx:
            for user_id, old, new in movers:
                # counted_bucket still says where we counted them: of two movers only one wins.
                cond = (
                    Footprint.counted_bucket.does_not_exist()
                    if old is None
                    else Footprint.counted_bucket == old
                )
                tx.update(
                    Footprint(user_id, year),
                    condition=cond,
                    actions=[
                        Footprint.counted_bucket.remove()
                        if new is None
                        else Footprint.counted_bucket.set(new)
                    ],
                )
            if actions:
                tx.update(FootprintHistogram(year, part_of(movers[0][0])), actions=actions)
    except TransactWriteError:
        return False
    return True


def city_counts(year: str) -> list[int]:
    counts = [0] * rules.BUCKETS
    for h in FootprintHistogram.batch_get([(year, p) for p in range(PARTS)]):
        counts = [a + b for a, b in zip(counts, h.counts())]
    return counts


def valid_year(year: str | None, today: str) -> str:
    if year is None:
        return today[:4]
    if not (re.fullmatch(r"[0-9]{4}", year) and "2019" <= year <= today[:4]):
        raise Unprocessable(
            "year must be a year from 2019 to this year (YYYY).",
            zh="年份应为 2019 年至今年之间的四位数字。",
        )
    return year


def footprint(user_id: str, year: str, today: str) -> dict:
    """`today` (YYYY-MM-DD, Asia/Shanghai) ends the months listed for the current year."""
    days = list(
        SettledDay.query(user_id, SettledDay.date.between(f"{year}-01-01", f"{year}-12-31"))
    )
    grams = sum(int(d.grams or 0) for d in days)
    ranked = standing([user_id], year)[user_id][0]
    last = today[:7] if today[:4] == year else f"{year}-12"
    return {
        "year": int(year),
        "total_grams": grams,
        "coins_earned": sum(int(d.coins or 0) for d in days),
        "trees_equivalent": rules.trees(grams, TREE_YEAR.grams),
        "trees_factor": {"grams_per_tree_year": TREE_YEAR.grams, "source": TREE_YEAR.source},
        "months": rules.months(
            [(d.date, int(d.grams or 0), _plain(d.scenarios)) for d in days], year, last
        ),
        "percentile": rules.percentile(city_counts(year), ranked) if ranked > 0 else None,
    }


def _plain(scenarios) -> dict:
    """A settled day's split (a raw map) as {code: grams}; days settled before the split was kept have none."""
    return {k: int(v) for k, v in scenarios.as_dict().items()} if scenarios else {}


def years(user_id: str) -> list[dict]:
    """Every year's roll-up of a citizen (the data export): the years on the account and on
    Footprint items (legacy grams and coins, or only the bucket a citizen is counted in)."""
    account = models.base.get_items([(Account, {"user_id": user_id}, None)])[0]
    totals = {y: (r["g"], r["c"]) for y, r in rollups_of(account).items()}
    for f in Footprint.query(user_id):
        g, c = totals.get(f.year, (0, 0))
        totals[f.year] = (g + int(f.grams or 0), c + int(f.coins or 0))
    return [{"year": int(y), "grams": g, "coins": c} for y, (g, c) in sorted(totals.items())]
