"""`make bench`: run every benchmark, print one table and write bench/RESULTS.md
with the machine and the date. A benchmark module offers measure() -> dict and
rows(result) -> [(figure, value, goal)], and may offer notes(result) -> markdown written
after the table (bench.city: the Guangzhou day's model and its reasoning).
BENCH_QUICK=1 (or --quick) runs smaller sizes and shorter timings so the whole run takes
minutes on the moto endpoint; the sizes used are printed in the table either way."""

from __future__ import annotations

import datetime
import importlib
import os
import platform
import sys

BENCHES = [
    "bench.cold_start",
    "bench.api_throughput",
    "bench.requests_per_endpoint",
    "bench.ingest",
    "bench.settlement",
    "bench.orders",
    "bench.city",
    "bench.transparency_log",
    "bench.ranking_writes",
]
HERE = os.path.dirname(os.path.abspath(__file__))
# Full mode settles 5,000 users / 25,000 behaviours, not the 20,000 / 100,000 day: moto
# deep-copies every table a transaction touches (ledger, accounts grow with each credit),
# so its time grows with the square of the users; `python -m bench.settlement` runs the full day.
# bench.city full: 100,000 users / 500,000 behaviours (its defaults; slow on 2 cores).
FULL_ARGS = {"bench.settlement": {"users": 5000, "behaviours": 25000}}
QUICK_ARGS = {
    "bench.cold_start": {"runs": 5},
    "bench.api_throughput": {"seconds": 2.0},
    "bench.ingest": {"small": 2000, "large": 20000},
    "bench.settlement": {"users": 1000, "behaviours": 5000},
    "bench.city": {"users": 5000, "behaviours": 25000},
    "bench.transparency_log": {"small": 2000, "large": 8000},
    # The city stays at 3 M in quick mode: it is pure arithmetic (~10 s), and 3 M is the goal's size.
    "bench.ranking_writes": {"users": 500},
}


def machine() -> str:
    u = platform.uname()
    return (
        f"{u.system} {u.release} {u.machine} ({u.node}), {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


def main() -> None:
    import time

    quick = os.environ.get("BENCH_QUICK") == "1" or "--quick" in sys.argv
    args = QUICK_ARGS if quick else FULL_ARGS
    table, notes = [], []
    load_before = machine()
    for name in BENCHES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            table.append((name, "not available", str(e)))
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            result = module.measure(**args.get(name, {}))
        except Exception as e:  # one broken benchmark must not hide the others' figures
            table.append((name, "failed", f"{type(e).__name__}: {e}"[:200]))
            continue
        table.extend(module.rows(result))
        if hasattr(module, "notes"):
            notes.append(module.notes(result))
        print(f"  {name}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    width = max(len(r[0]) for r in table)
    lines = [f"| {'figure':<{width}} | value | goal |", f"|{'-' * (width + 2)}|---|---|"]
    lines += [f"| {a:<{width}} | {b} | {c} |" for a, b, c in table]
    text = "\n".join(lines)
    print(text)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write(
            f"# Benchmark results\n\nMachine: {load_before}  \nDate: {stamp}  \n"
            f"Command: `{'BENCH_QUICK=1 ' if quick else ''}make bench`\n\n{text}\n"
            + "".join("\n" + n for n in notes)
        )


if __name__ == "__main__":
    main()
