"""Settle a synthetic day on the serialised local endpoint: wall time, DynamoDB requests
per user-day, and the ratio to issuing the same number of minimal transactions (one put +
one update, no reads) directly with boto3 in the same run, with the same concurrency.
Usage: python -m bench.settlement [USERS] [BEHAVIOURS]  (default 20000 100000)."""

from __future__ import annotations

import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from bench.harness import dynamodb_calls, endpoint_process

DATE = "2026-11-23"
WORKERS = 4


def load_day(settings, users: int, behaviours: int) -> None:
    from models.behaviours import Behaviour

    rnd = random.Random(7)
    now = datetime.now(UTC).isoformat()
    with Behaviour.batch_write() as batch:
        for i in range(behaviours):
            user = f"u{i % users:06d}"
            scenario = rnd.choice(["metro", "metro", "bus", "bike", "walk"])
            qty = {"walk": rnd.randint(5000, 20000), "bike": rnd.randint(1, 8)}.get(scenario, 1)
            sid = f"{DATE}" if scenario == "walk" else f"s{i}"
            batch.save(
                Behaviour.of(
                    user,
                    DATE,
                    scenario,
                    qty,
                    f"{DATE}T{8 + i % 12:02d}:00:00+08:00",
                    "bench",
                    sid,
                    settings.settle_shards,
                    now,
                    {"duration_s": 600} if scenario == "bike" else None,
                    keep_days=settings.behaviour_retention_days,
                )
            )


def minimal_transactions(settings, n: int) -> float:
    from gateways import aws_client

    ddb = aws_client("dynamodb", settings)
    ledger_t, accounts_t = settings.table_name("ledger"), settings.table_name("accounts")

    def one(i):
        user = f"m{i:06d}"
        ddb.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": ledger_t,
                        "Item": {
                            "user_id": {"S": user},
                            "entry_id": {"S": f"settle#{DATE}"},
                            "seq": {"S": "x"},
                            "amount": {"N": "5"},
                        },
                        "ConditionExpression": "attribute_not_exists(entry_id)",
                    }
                },
                {
                    "Update": {
                        "TableName": accounts_t,
                        "Key": {"user_id": {"S": user}},
                        "UpdateExpression": "ADD balance :a",
                        "ExpressionAttributeValues": {":a": {"N": "5"}},
                    }
                },
            ]
        )

    start = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(one, range(n)))
    return time.perf_counter() - start


def measure(users: int = 20000, behaviours: int = 100000) -> dict:
    from core.carbon import settlement_runs

    # The endpoint in its own process, as DynamoDB is: moto's CPU does not share this process's GIL
    # with the settlement code or with the baseline's client.
    with endpoint_process("bench-settle") as (settings, endpoint):
        settings = settings.with_(settle_shards=16)
        from core import settings as settings_mod

        settings_mod.use(settings)
        load_day(settings, users, behaviours)
        dynamodb_calls(endpoint, reset=True)
        start = time.perf_counter()
        summary = settlement_runs.run_date(settings, DATE, workers=WORKERS)
        settle_s = time.perf_counter() - start
        calls = dynamodb_calls(endpoint)
        user_days = summary["credited"]
        baseline_s = minimal_transactions(settings, user_days)
    return {
        "users": users,
        "behaviours": behaviours,
        "user_days": user_days,
        "settle_s": round(settle_s, 1),
        "baseline_s": round(baseline_s, 1),
        "requests_per_user_day": round(sum(calls.values()) / user_days, 3),
        "calls": calls,
        "ratio": round(settle_s / baseline_s, 2),
    }


def rows(r: dict) -> list[tuple[str, str, str]]:
    return [
        (
            f"settlement: {r['users']} users / {r['behaviours']} behaviours wall time",
            f"{r['settle_s']} s",
            "-",
        ),
        ("settlement: DynamoDB requests per user-day", str(r["requests_per_user_day"]), "-"),
        (
            "settlement: time / minimal transactions' time",
            f"{r['ratio']} ({r['baseline_s']} s baseline)",
            "<= 1.3",
        ),
    ]


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    r = measure(*args)
    print(
        f"settlement: {r['user_days']} user-days in {r['settle_s']} s; {r['requests_per_user_day']} DynamoDB "
        f"requests per user-day {r['calls']}; minimal transactions {r['baseline_s']} s; ratio {r['ratio']}"
    )
