"""Cold start: median wall time of importing the Lambda handler's app module in a
fresh process, against the floor `import flask, boto3, pynamodb`, as a ratio.
Goal ≤ 1.1: heavy modules (wechatpy, segno, ...) are imported only where used.

The handler's views import their domain modules (and so the models, pynamodb, botocore) on their
first request, so the second figure adds what a first signed-in GET /api/v1/coins imports: the
container's whole import cost before its first answer, against the same floor."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLOOR = "import flask, boto3, pynamodb"
HANDLER = "import miniprogram_api.wsgi"
FIRST_COINS = "import miniprogram_api.wsgi, core.citizens.users, core.citizens.coins"


def median_import(stmt: str, runs: int) -> float:
    times = []
    env = {**os.environ, "STAGE": "local", "PYTHONDONTWRITEBYTECODE": "0"}
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", stmt], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(runs: int = 15) -> dict:
    median_import(HANDLER, 2)  # warm the bytecode cache for both, as a deployed package has it
    median_import(FLOOR, 2)
    median_import(FIRST_COINS, 2)
    # Interleave to share any machine noise between the three.
    floor, handler, first = [], [], []
    for _ in range(runs):
        floor.append(median_import(FLOOR, 1))
        handler.append(median_import(HANDLER, 1))
        first.append(median_import(FIRST_COINS, 1))
    f, h, c = statistics.median(floor), statistics.median(handler), statistics.median(first)
    return {
        "floor_ms": round(f * 1000, 1),
        "handler_ms": round(h * 1000, 1),
        "ratio": round(h / f, 3),
        "first_coins_ms": round(c * 1000, 1),
        "first_coins_ratio": round(c / f, 3),
    }


if __name__ == "__main__":
    r = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
    print(
        f"cold start: floor ({FLOOR}) {r['floor_ms']} ms, handler ({HANDLER}) {r['handler_ms']} ms, "
        f"ratio {r['ratio']} (goal <= 1.1); with a first GET /api/v1/coins's imports {r['first_coins_ms']} ms, "
        f"ratio {r['first_coins_ratio']}"
    )


def rows(r: dict) -> list[tuple[str, str, str]]:
    return [
        (
            "cold start: handler import / floor import",
            f"{r['ratio']} ({r['handler_ms']} / {r['floor_ms']} ms)",
            "<= 1.1",
        ),
        (
            "cold start: handler + a first /coins's imports / floor",
            f"{r['first_coins_ratio']} ({r['first_coins_ms']} / {r['floor_ms']} ms)",
            "reported",
        ),
    ]
