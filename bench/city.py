"""A scaled Guangzhou day settled in work units on the local endpoint (the serialised moto
server in a child process, so this process's CPU time and tracemalloc are the client's only).

1. The day (USERS users, BEHAVIOURS behaviours in UNITS partitions) is put on the work queue
   unit by unit and drained by one worker, as one Lambda invocation per unit would run it:
   user-days/s per unit, client CPU per user-day, DynamoDB requests per user-day.
2. Peak memory (tracemalloc) of one unit at two partition sizes, P and 4P records: streaming
   keeps it flat (goal: ratio <= 1.2).
3. A unit cut off by the time-limit simulation after every batch resumes through the queue
   and ends with exactly the totals of the same records settled in one go.
4. The stored size of the items a credit writes (write units per credited user-day), and a
   Yangchengtong file through ingestion (client CPU and requests per tap).
5. bench/city_model.py projects the Guangzhou day (3 M user-days, 7 M behaviours, 12 M taps)
   onto Lambda + DynamoDB from these figures.
Usage: python -m bench.city [USERS] [BEHAVIOURS]  (default 100000 500000; quick 5000 25000)."""

from __future__ import annotations

import sys
import time
import tracemalloc

from bench import city_model
from bench.city_day import QUEUE_OPS, credit_write_units, ingest_sample, write_day
from bench.harness import dynamodb_calls, endpoint_process

DAY, SMALL, LARGE, CUT, CLEAN = "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"
UNITS = 64


class CutOff:
    """Lambda's context as the time-limit simulation: time runs out after every batch."""

    def get_remaining_time_in_millis(self):
        return 1_000


def settle_day(settings, units: int) -> dict:
    """Every unit of DAY through the queue, one worker: per-unit seconds, CPU and requests."""
    import bootstrap
    from functions import work_queue, work_unit
    from gateways import Gateways

    sqs = Gateways(settings).sqs
    work_queue.ensure_queues(settings, sqs)
    work_queue.put(settings, sqs, [{"job": "settle", "date": DAY, "unit": n} for n in range(units)])
    services = bootstrap.Services(settings)
    seconds, results = [], []

    def run(unit):
        start = time.perf_counter()
        results.append(work_unit.settle(services, unit, None))
        seconds.append(time.perf_counter() - start)

    cpu, wall = time.process_time(), time.perf_counter()
    drained = work_queue.drain(
        settings, sqs, run, workers=1, visibility=work_queue.VISIBILITY_SECONDS
    )
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    credited = sum(r["credited"] for r in results)
    return {
        "units": units,
        "failed": drained["failed"],
        "credited": credited,
        "wall_s": round(wall, 1),
        "users": sum(r["users"] for r in results),
        "unit_s_max": round(max(seconds), 1),
        "per_unit": round(credited / sum(seconds), 1),
        "cpu_ms": round(1000 * cpu / max(credited, 1), 2),
    }


def unit_peak(settings, date: str) -> int:
    """tracemalloc's peak while one unit (the date's only partition) settles."""
    from core.carbon import settlement_runs

    tracemalloc.start()
    settlement_runs.run_shard(settings, date, 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def cut_off_resumes(settings, users: int) -> dict:
    """The same records for CUT (cut off after every batch, resumed via the queue) and CLEAN."""
    import bootstrap
    from functions import work_queue, work_unit
    from gateways import Gateways
    from models.settlement import SettlementRun

    one = settings.with_(settle_shards=1)
    for date in (CUT, CLEAN):
        write_day(one, date, users, 2 * users, 1, prefix=f"r{date[-2:]}_")
    sqs = Gateways(one).sqs
    work_queue.put(one, sqs, [{"job": "settle", "date": CUT, "unit": 0}])
    services, outcomes = bootstrap.Services(one), []
    work_queue.drain(
        one,
        sqs,
        lambda unit: outcomes.append(work_unit.settle(services, unit, CutOff())),
        workers=1,
    )
    work_unit.settle(services, {"job": "settle", "date": CLEAN, "unit": 0}, None)
    cut, clean = (SettlementRun.get(d, 0, consistent_read=True) for d in (CUT, CLEAN))
    keys = ("users", "behaviours", "credited", "coins", "grams")
    return {
        "invocations": len(outcomes),
        "exact": cut.status == "done"
        and all(int(cut.totals[k]) == int(clean.totals[k]) for k in keys),
        "users": int(cut.totals["users"]),
    }


def measure(users: int = 100000, behaviours: int = 500000, units: int = UNITS) -> dict:
    from core import settings as settings_mod

    with endpoint_process("bench-city") as (settings, endpoint):
        settings = settings_mod.use(settings.with_(settle_shards=units))
        start = time.perf_counter()
        write_day(settings, DAY, users, behaviours, units)
        load_s = time.perf_counter() - start
        dynamodb_calls(endpoint, reset=True)
        day = settle_day(settings, units)
        calls = {k: v for k, v in dynamodb_calls(endpoint).items() if k not in QUEUE_OPS}
        sample = [f"c{u:07d}" for u in range(0, users, max(1, users // 200))]
        writes = credit_write_units(settings, DAY, sample)
        # Memory: one partition of P records, then 4P; a first small unit warms the caches.
        p = max(2000, behaviours // units)
        one = settings_mod.use(settings.with_(settle_shards=1))
        write_day(one, "2026-11-22", 200, 500, 1, prefix="w")
        write_day(one, SMALL, p // 5, p, 1, prefix="s")
        write_day(one, LARGE, 4 * p // 5, 4 * p, 1, prefix="l")
        unit_peak(one, "2026-11-22")
        small, large = unit_peak(one, SMALL), unit_peak(one, LARGE)
        resume = cut_off_resumes(settings, 3 * 50 + 7)
        ingest = ingest_sample(settings, endpoint, 5000 if users <= 5000 else 20000)
    out = {
        "users": users,
        "behaviours": behaviours,
        "load_s": round(load_s, 1),
        **day,
        "calls": calls,
        "requests_per_user_day": round(sum(calls.values()) / max(day["credited"], 1), 3),
        "partition": p,
        "peak_small_mib": round(small / 2**20, 2),
        "peak_large_mib": round(large / 2**20, 2),
        "peak_ratio": round(large / small, 2),
        "resume": resume,
        **writes,
        "ingest": ingest,
    }
    return {**out, "city": city_model.project(out, ingest, units)}


def rows(r: dict) -> list[tuple[str, str, str]]:
    calls = ", ".join(f"{k} {v}" for k, v in sorted(r["calls"].items(), key=lambda kv: -kv[1]))
    res = r["resume"]
    return [
        (
            f"city: {r['users']} users / {r['behaviours']} behaviours in {r['units']} units, one worker",
            f"{r['credited']} user-days in {r['wall_s']} s (slowest unit {r['unit_s_max']} s; "
            f"written in {r['load_s']} s; {r['failed']} failed)",
            "-",
        ),
        (
            "city: user-days/s per unit (client CPU per user-day)",
            f"{r['per_unit']} ({r['cpu_ms']} ms)",
            "-",
        ),
        ("city: DynamoDB requests per user-day", f"{r['requests_per_user_day']} ({calls})", "-"),
        (
            f"city: peak memory per unit, {r['partition']} vs {4 * r['partition']} records",
            f"{r['peak_large_mib']} / {r['peak_small_mib']} MiB = {r['peak_ratio']}",
            "<= 1.2",
        ),
        (
            "city: unit cut off after every batch, resumed via the queue",
            f"{res['invocations']} invocations for {res['users']} users; totals = one clean run: "
            f"{'yes' if res['exact'] else 'NO'}",
            "yes",
        ),
        (
            "city: write units per credited user-day (item sizes, B)",
            f"{r['write_units']} ({', '.join(f'{k} {v}' for k, v in r['sizes'].items())})",
            "-",
        ),
        (
            f"city: ingestion, {r['ingest']['rows']} taps: client CPU and DynamoDB requests per tap",
            f"{r['ingest']['cpu_ms']} ms, {r['ingest']['requests_per_row']} ({r['ingest']['rows_per_s']} rows/s)",
            "-",
        ),
    ] + city_model.rows(r["city"])


def notes(r: dict) -> str:
    return city_model.notes(r["city"], r)


if __name__ == "__main__":
    import os

    quick = os.environ.get("BENCH_QUICK") == "1"
    args = [int(a) for a in sys.argv[1:3]] or ([5000, 25000] if quick else [])
    result = measure(*args)
    for row in rows(result):
        print(" | ".join(row))
    print("\n" + notes(result))
