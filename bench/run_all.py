"""`make bench`: run every benchmark, print one table and write bench/RESULTS.md
with the machine and the date. A benchmark module offers measure() -> dict and
rows(result) -> [(figure, value, goal)]."""
from __future__ import annotations

import datetime
import importlib
import os
import platform
import sys

BENCHES = ["bench.cold_start", "bench.api_throughput", "bench.requests_per_endpoint", "bench.ingest",
           "bench.settlement", "bench.orders"]
HERE = os.path.dirname(os.path.abspath(__file__))


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"


def main() -> None:
    table = []
    for name in BENCHES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            table.append((name, "not available", str(e)))
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        result = module.measure()
        table.extend(module.rows(result))
    width = max(len(r[0]) for r in table)
    lines = [f"| {'figure':<{width}} | value | goal |", f"|{'-' * (width + 2)}|---|---|"]
    lines += [f"| {a:<{width}} | {b} | {c} |" for a, b, c in table]
    text = "\n".join(lines)
    print(text)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write(f"# Benchmark results\n\nMachine: {machine()}  \nDate: {stamp}  \nCommand: `make bench`\n\n{text}\n")


if __name__ == "__main__":
    main()
