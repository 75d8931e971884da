"""The transparency log's append (core.transparency.append) at two sizes 4× apart, against the
serialised moto endpoint in a child process (tracemalloc and CPU time here are the appender's
own), then one citizen's proof through the app, its DynamoDB requests counted.

Each size is seeded twice (ledger entries and their written-order items, settlement-shaped:
scenarios, versions, records digest, legs) and appended twice: once timed without tracemalloc,
once under tracemalloc for the peak. Prints leaves/s, the appender's CPU per leaf, DynamoDB
requests per leaf by operation, the peak for each size and peak(large)/peak(small) (goal ≤ 1.2).

The city day (≈3 M entries) is projected, not run (moto serves ≈0.75 ms an item, DynamoDB a
Query page or a BatchGetItem in ≈10 ms): the reads run on a thread beside the hashing, so the
day takes the longer of entries × CPU per leaf ÷ LAMBDA_CPU and entries × Σ requests per leaf ×
AWS latency of that request. LAMBDA_CPU: the worker's 1,024 MB has ≈0.58 of a vCPU (Lambda gives
a full vCPU at 1,769 MB). The CPU per leaf is measured here with every account new (its salt
made in the append, 100 a transaction): the first day's case, the dearest.
Usage: python -m bench.transparency_log [SMALL] [LARGE]  (default 5000 20000)."""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

from bench.harness import dynamodb_calls, endpoint_process

CITY_ENTRIES = 3_000_000
GOAL_S = 15 * 60
LAMBDA_CPU = 0.58
AWS_MS = {
    "Query": 8,
    "BatchGetItem": 12,
    "BatchWriteItem": 15,
    "PutItem": 6,
    "UpdateItem": 6,
    "GetItem": 5,
}
USERS_PER_ENTRY = 0.8  # a city day: ≈2.4 M credited citizens, some with an order or a refund too


def seed(n: int, tag: str, start: datetime) -> None:
    from core.books import written
    from models import LedgerEntry
    from models.ledger_written import LedgerWritten

    users = max(1, int(n * USERS_PER_ENTRY))
    with LedgerEntry.batch_write() as entries, LedgerWritten.batch_write() as index:
        for i in range(n):
            user, at = (
                f"bench-{tag}-{i % users:07d}",
                (start + timedelta(microseconds=i * 7)).isoformat(),
            )
            entry_id = f"settle#2026-12-01#{tag}{i}"
            detail = {
                "date": "2026-12-01",
                "grams": 727,
                "day_grams": 727,
                "records": 3,
                "records_digest": f"{i:064x}",
                "scenarios": [
                    {
                        "scenario": "metro",
                        "grams": 515,
                        "count": 1,
                        "quantity": "1",
                        "version": "1",
                    },
                    {"scenario": "bus", "grams": 212, "count": 1, "quantity": "1", "version": "1"},
                ],
            }
            entry = LedgerEntry(
                user,
                entry_id,
                seq=f"{at}#{entry_id}",
                kind="settlement",
                amount=72,
                balance_after=72,
                ref="2026-12-01",
                detail=detail,
                created_at=at,
                legs={"issuance:metro": -51, "issuance:bus": -21},
            )
            entries.save(entry)
            index.save(written.item(entry))


def one_append(endpoint, traced: bool) -> dict:
    from core import localday
    from core.transparency import append

    dynamodb_calls(endpoint, reset=True)
    if traced:
        tracemalloc.start()
    cpu, wall = time.process_time(), time.perf_counter()
    done = append.append(localday.now(), 0)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    tracemalloc.stop()
    return {
        "done": done,
        "seconds": wall,
        "cpu": cpu,
        "peak": peak,
        "calls": dynamodb_calls(endpoint),
    }


def proof_requests(settings) -> dict:
    """One citizen's GET /api/v1/coins/ledger/{id}/proof through the app: DynamoDB requests by operation."""
    from urllib.parse import quote

    from core.books import ledger
    from core.books.ledger import Movement
    from core.citizens import tokens
    from miniprogram_api import create_app
    from models import User
    from tests.support.requests_count import count_requests

    user = "bench-proof-user"
    User(user, openid="o-bench", token_gen=0, created_at=datetime.now(UTC)).save()
    ledger.post(Movement(user, "adj#bench", 5, "adjustment"))
    from core import localday
    from core.transparency import append

    append.append(localday.now(), 0)
    client = create_app(settings).test_client()
    token = tokens.issue(
        settings.token_secret, user, int(time.time()), settings.token_ttl_seconds, 0
    )
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/coins/ledger/{quote('adj#bench', safe='')}/proof"
    assert client.get(path, headers=headers).status_code == 200  # warm: the app's first request
    with count_requests() as seen:
        r = client.get(path, headers=headers)
    assert r.status_code == 200, r.json
    return {
        "calls": dict(seen),
        "proof_hashes": len(r.json["inclusion_proof"]),
        "tree_size": r.json["tree_size"],
    }


def measure(small: int | None = None, large: int | None = None) -> dict:
    quick = os.environ.get("BENCH_QUICK") == "1"
    small = small or (2_000 if quick else 5_000)
    large = large or (8_000 if quick else 20_000)
    out: dict = {"sizes": {}, "small": small, "large": large}
    with endpoint_process("bench-tlog") as (settings, endpoint):
        start = datetime.now(UTC) - timedelta(hours=2)
        seed(200, "warm", start)
        one_append(endpoint, traced=False)  # imports, clients, the first salts
        for k, size in enumerate((small, large)):
            seed(size, f"t{k}", start + timedelta(minutes=10 + 20 * k))
            timed = one_append(endpoint, traced=False)
            seed(size, f"m{k}", start + timedelta(minutes=20 + 20 * k))
            traced = one_append(endpoint, traced=True)
            calls = {op: n / size for op, n in timed["calls"].items()}
            out["sizes"][size] = {
                "leaves_per_s": round(size / timed["seconds"]),
                "seconds": round(timed["seconds"], 1),
                "cpu_us_per_leaf": round(timed["cpu"] / size * 1e6),
                "peak_mib": round(traced["peak"] / 2**20, 2),
                "requests_per_leaf": calls,
                "appended": timed["done"].appended,
            }
        out["proof"] = proof_requests(settings)
        out["tree_size"], out["root_hash"] = timed["done"].tree_size, timed["done"].root_hash
    big = out["sizes"][large]
    out["ratio"] = round(big["peak_mib"] / out["sizes"][small]["peak_mib"], 2)
    io = {op: n * AWS_MS.get(op, 10) / 1000 for op, n in big["requests_per_leaf"].items()}
    # The reads run on a thread beside the hashing: the day takes the longer of CPU and round trips.
    out["city_io_s"] = round(CITY_ENTRIES * sum(io.values()))
    for name, vcpu in (("city_s", LAMBDA_CPU), ("city_1vcpu_s", 1.0)):
        out[name] = max(round(CITY_ENTRIES * big["cpu_us_per_leaf"] / 1e6 / vcpu), out["city_io_s"])
    return out


def rows(r: dict) -> list[tuple[str, str, str]]:
    table = []
    for size, v in r["sizes"].items():
        reqs = ", ".join(f"{op} {n:.4f}" for op, n in sorted(v["requests_per_leaf"].items()))
        table.append(
            (
                f"log append {size:,} entries (moto endpoint, child process): leaves/s",
                f"{v['leaves_per_s']} ({v['seconds']} s; CPU {v['cpu_us_per_leaf']} µs/leaf; requests/leaf: {reqs})",
                "-",
            )
        )
        table.append(
            (f"log append {size:,} entries: tracemalloc peak", f"{v['peak_mib']} MiB", "-")
        )
    table.append(
        (f"log append peak({r['large']:,}) / peak({r['small']:,})", str(r["ratio"]), "<= 1.2")
    )
    table.append(
        (
            "log append: city day of 3,000,000 entries, projected, worker at 1,024 MB (0.58 vCPU)",
            f"{r['city_s'] / 60:.1f} min (DynamoDB round trips alone {r['city_io_s'] / 60:.1f} min)",
            "<= 15 min",
        )
    )
    table.append(
        (
            "log append: city day, projected, at 1,769 MB (1 vCPU)",
            f"{r['city_1vcpu_s'] / 60:.1f} min",
            "<= 15 min",
        )
    )
    p = r["proof"]
    table.append(
        (
            "GET /api/v1/coins/ledger/{id}/proof: DynamoDB requests",
            f"{sum(p['calls'].values())} ({', '.join(f'{k} {v}' for k, v in sorted(p['calls'].items()))}; "
            f"{p['proof_hashes']} proof hashes, tree of {p['tree_size']:,})",
            "O(log n) items, constant requests",
        )
    )
    return table


if __name__ == "__main__":
    result = measure(*[int(a) for a in sys.argv[1:3]])
    for row in rows(result):
        print(" | ".join(row))
