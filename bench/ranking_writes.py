"""Write units the city ranking adds per credited user-day (core/carbon/rankings.py).

Part 1, the real code on a local endpoint: USERS citizens (10 % listed) each credited on two days
of one week; counts (a) the write units the period roll-ups add to the credit's account write
(DynamoDB bills ceil(item size / 1 KB) per item: with vs without the rw_/rm_ attributes, on the
items as settlement left them), (b) the histogram UpdateItems and (c) the top items' rewrites
(ceil(bytes / 1 KB) each), as `after_credits` reports them. Part 2, the same rules at city scale
(3 M citizens, 10 % listed, batches of 50: the first day of a week, when the tops fill from
empty, the worst day), simulated with core.carbon.ranking_rules (pure) since the local endpoint
cannot hold a city. Usage: python -m bench.ranking_writes [USERS] [CITY] (default 2000 3000000)."""

from __future__ import annotations

import math
import random
import sys
import zlib
from collections import Counter
from datetime import UTC, datetime

from bench.harness import local_endpoint

DAYS = ("2026-11-23", "2026-11-24")  # Monday and Tuesday of one ISO week
LISTED = 0.10


def _n_size(v: str) -> int:
    digits = len(v.lstrip("-").replace(".", "").lstrip("0")) or 1
    return (digits + 1) // 2 + 1


def item_size(raw: dict, skip=lambda name: False) -> int:
    """DynamoDB's item size: names' UTF-8 bytes plus values (strings' bytes, numbers ~1 byte per 2 digits + 1)."""
    size = 0
    for name, value in raw.items():
        if skip(name):
            continue
        ((kind, v),) = value.items()
        size += len(name.encode()) + (
            _n_size(v)
            if kind == "N"
            else len(v.encode())
            if kind == "S"
            else 1
            if kind in ("BOOL", "NULL")
            else len(str(v).encode())
        )
    return size


def measure_real(users: int) -> dict:
    from core.carbon import rankings, settlement_runs
    from models.behaviours import Behaviour
    from models.rankings import RankingItem

    reports = []
    real = rankings.after_credits
    rankings.after_credits = lambda date, credited: (
        reports.append(real(date, credited)) or reports[-1]
    )
    with local_endpoint("bench-rank") as (settings, _):
        settings = settings.with_(settle_shards=8)
        rnd, now = random.Random(3), datetime.now(UTC).isoformat()
        with Behaviour.batch_write() as batch:
            for day in DAYS:
                for i in range(users):
                    for t in range(rnd.randint(1, 4)):
                        batch.save(
                            Behaviour.of(
                                f"u{i:06d}",
                                day,
                                "metro",
                                1,
                                f"{day}T{8 + t:02d}:00:00+08:00",
                                "bench",
                                f"{day}-{i}-{t}",
                                settings.settle_shards,
                                now,
                                None,
                                keep_days=settings.behaviour_retention_days,
                            )
                        )
        with RankingItem.batch_write() as batch:
            for i in range(0, users, int(1 / LISTED)):
                batch.save(RankingItem(f"choice#u{i:06d}", "-", listed=True, nickname=f"n{i}"))
        credited = sum(
            settlement_runs.run_date(settings, day, workers=2)["credited"] for day in DAYS
        )
        from models import Account

        conn = Account._get_connection()
        extra = []
        for i in range(users):
            raw = conn.get_item(f"u{i:06d}", consistent_read=True)["Item"]
            with_ = math.ceil(item_size(raw) / 1024)
            without = math.ceil(item_size(raw, lambda n: n.startswith(("rw_", "rm_"))) / 1024)
            extra.append(with_ - without)
            sizes = item_size(raw)
        hist = [i for i in RankingItem.scan() if i.pk.startswith("hist#")]
        hist_item_wcu = max(
            math.ceil(item_size(RankingItem._get_connection().get_item(i.pk, i.sk)["Item"]) / 1024)
            for i in hist
        )
    rankings.after_credits = real
    total = Counter()
    for r in reports:
        total.update(r)
    wcu = {
        "account": sum(extra) * len(DAYS) / credited,
        "hist": total["hist_writes"] * hist_item_wcu / credited,
        "top": total["top_wcu"] / credited,
    }
    return {
        "users": users,
        "credited": credited,
        "account_bytes": sizes,
        "hist_writes": total["hist_writes"],
        "top_writes": total["top_writes"],
        "wcu": wcu,
        "per_user_day": round(sum(wcu.values()), 4),
    }


def simulate_city(citizens: int, batch: int = 50, parts: int = 8, top_parts: int = 8) -> dict:
    """One day's batches under ranking_rules, writes counted as after_credits writes them (both periods)."""
    from core.carbon import ranking_rules as rules

    rnd = random.Random(5)
    tops = {p: [] for p in range(top_parts)}
    hist_writes = top_wcu = top_writes = 0
    for start in range(0, citizens, batch):
        grams = {
            f"c{i}": int(rnd.lognormvariate(6.5, 0.8))
            for i in range(start, min(citizens, start + batch))
        }
        hist_writes += 2  # one UpdateItem per period and batch (every first credit moves a citizen)
        updates = {}
        for u, g in grams.items():
            if rnd.random() < LISTED:
                updates.setdefault(zlib.crc32(f"top#{u}".encode()) % top_parts, {})[u] = g
        for part, ups in updates.items():
            merged = rules.merge_top(tops[part], ups)
            if merged != tops[part]:
                tops[part] = merged
                top_writes += 2  # the week's and the month's top part alike
                top_wcu += 2 * -(-(len(str(merged)) + 40) // 1024)
    return {
        "citizens": citizens,
        "hist_per_user_day": hist_writes / citizens,
        "top_writes": top_writes,
        "top_per_user_day": top_wcu / citizens,
        "per_user_day": round((hist_writes + top_wcu) / citizens, 4),
    }


def measure(users: int = 2000, city: int = 3_000_000) -> dict:
    """What bench.run_all calls: the real code on `users` citizens and the city simulated."""
    return {"real": measure_real(users), "city": simulate_city(city)}


def rows(result: dict) -> list[tuple[str, str, str]]:
    real, city = result["real"], result["city"]
    return [
        (
            "ranking: write units per credited user-day (local, real code)",
            f"{real['per_user_day']} ({real['credited']} user-days: account +{real['wcu']['account']:.3f}, "
            f"histogram {real['wcu']['hist']:.3f}, top {real['wcu']['top']:.3f})",
            "<= 1",
        ),
        (
            f"ranking: write units per credited user-day (city, {city['citizens']:,}, simulated)",
            str(city["per_user_day"]),
            "<= 1",
        ),
    ]


if __name__ == "__main__":
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    city = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000
    real = measure_real(users)
    print(
        f"real code: {real['credited']} credited user-days, account item {real['account_bytes']} bytes, "
        f"{real['hist_writes']} histogram writes, {real['top_writes']} top rewrites; write units per credited "
        f"user-day: account +{real['wcu']['account']:.4f}, histogram {real['wcu']['hist']:.4f}, "
        f"top {real['wcu']['top']:.4f} = {real['per_user_day']}"
    )
    sim = simulate_city(city)
    print(
        f"city ({sim['citizens']} citizens, 10 % listed, first day of a week): histogram "
        f"{sim['hist_per_user_day']:.4f} + top {sim['top_per_user_day']:.4f} = {sim['per_user_day']} write units "
        f"per credited user-day ({sim['top_writes']} top rewrites); the account adds none while it stays < 1 KB"
    )
