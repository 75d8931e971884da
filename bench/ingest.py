"""Trip-file ingestion: synthetic Yangchengtong files of two sizes go through the real
S3 path (functions.ingest_trips.ingest_object: S3 GetObject streamed line by line into
core.carbon.trips) against the serialised moto endpoint running in a child process, so that
tracemalloc here sees only the ingestion side. Prints rows/s, DynamoDB requests per
row and tracemalloc's peak for each size, and peak(large)/peak(small): memory must not
grow with the file (goal <= 1.5).
Each size is ingested twice, as two files with different trip ids: once timed without
tracemalloc (it slows Python down), once under tracemalloc for the peak.
Usage: python -m bench.ingest [SMALL] [LARGE]  (default 10000 100000)."""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import tracemalloc

from bench.harness import dynamodb_calls, endpoint_process

STATIONS = [
    "体育西路",
    "珠江新城",
    "公园前",
    "广州南站",
    "天河客运站",
    "嘉禾望岗",
    "番禺广场",
    "机场南",
    "客村",
    "黄沙",
]
MODES = ["metro"] * 12 + ["bus"] * 6 + ["brt", "ferry", "tram", "subway"]
BOUND_SHARE = 0.3  # share of the file's cards that citizens have bound
TRIPS_PER_CARD = 2.5  # a day's trips per card: the file has rows / 2.5 distinct cards


def cards_for(rows: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return [
        str(rnd.randrange(10**9, 9 * 10**9)) for _ in range(max(100, int(rows / TRIPS_PER_CARD)))
    ]


def bind_cards(settings, cards: list[str]) -> None:
    """Bind BOUND_SHARE of the cards to users (a binding period from January), as core.carbon.cards.bind stores it."""
    from core.carbon.cards import card_hash, mask
    from models.cards import BindingPeriod, Card, CardHistory

    bound_at = "2026-01-01T00:00:00+00:00"
    with CardHistory.batch_write() as bindings, Card.batch_write() as current:
        for i, no in enumerate(cards[: int(len(cards) * BOUND_SHARE)]):
            h = card_hash(settings, no)
            bindings.save(
                CardHistory(h, periods=[BindingPeriod(user_id=f"u_card{i:06d}", bound_at=bound_at)])
            )
            current.save(
                Card(
                    h,
                    card_id="c_" + h[:20],
                    user_id=f"u_card{i:06d}",
                    masked_no=mask(no),
                    bound_at=bound_at,
                )
            )


def write_file(path: str, rows: int, cards: list[str], day: str, seed: int) -> None:
    """A day's file as Yangchengtong sends it: header, some 16-digit card numbers, empty
    distances on some bus rows, and one malformed row in a thousand."""
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        f.write("trip_id,card_no,mode,boarded_at,line,from_station,to_station,distance_km\n")
        for i in range(rows):
            card = rnd.choice(cards)
            if rnd.random() < 0.1:
                card = "510000" + card
            mode = rnd.choice(MODES)
            at = f"{day}T{rnd.randint(6, 22):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}+08:00"
            if rnd.random() < 0.001:
                at = "not-a-time"
            a, b = rnd.sample(STATIONS, 2)
            line, dist = (
                (f"{rnd.randint(1, 22)}号线", f"{rnd.uniform(1, 40):.1f}")
                if mode in ("metro", "subway")
                else (
                    f"B{rnd.randint(1, 30)}",
                    "" if rnd.random() < 0.5 else f"{rnd.uniform(0.5, 15):.1f}",
                )
            )
            f.write(
                f"YCT{day.replace('-', '')}{seed:02d}{i:09d},{card},{mode},{at},{line},{a},{b},{dist}\n"
            )


def ingest_file(
    settings, s3, endpoint, rows: int, cards: list[str], day: str, seed: int, traced: bool
) -> dict:
    from functions.ingest_trips import ingest_object

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "trips.csv")
        write_file(path, rows, cards, day, seed)
        key = f"yct/trips/{day}/part-{seed}.csv"
        s3.upload_file(path, settings.trip_bucket, key)
    dynamodb_calls(endpoint, reset=True)
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    counts = ingest_object(settings, s3, settings.trip_bucket, key)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    tracemalloc.stop()
    calls = dynamodb_calls(endpoint)
    return {"seconds": seconds, "peak": peak, "counts": counts, "calls": calls}


def measure(small: int | None = None, large: int | None = None) -> dict:
    from core import localday
    from gateways import aws_client

    quick = os.environ.get("BENCH_QUICK") == "1"
    small = small or (2_000 if quick else 10_000)
    large = large or (20_000 if quick else 100_000)
    out = {"sizes": {}}
    with endpoint_process("bench-ingest") as (settings, endpoint):
        s3 = aws_client("s3", settings)
        warm = cards_for(100, 99)
        bind_cards(settings, warm)
        # Recent days: a trip before the late-data window is refused (too_old) before any lookup.
        day = [localday.add_days(localday.today(), -k) for k in range(1, 6)]
        ingest_file(settings, s3, endpoint, 100, warm, day[4], 99, traced=False)  # imports, clients
        for n, size in enumerate((small, large)):
            cards = cards_for(size, n)
            bind_cards(settings, cards)
            timed = ingest_file(settings, s3, endpoint, size, cards, day[n], 10 + n, traced=False)
            traced = ingest_file(
                settings, s3, endpoint, size, cards, day[2 + n], 20 + n, traced=True
            )
            c = timed["counts"]
            out["sizes"][size] = {
                "rows_per_s": round(size / timed["seconds"]),
                "seconds": round(timed["seconds"], 1),
                "peak_mib": round(traced["peak"] / 2**20, 2),
                "accepted": c["accepted"],
                "unbound": c["unbound"],
                "malformed": c["malformed"],
                "refused": c.get("too_old", 0) + c.get("in_future", 0),
                "requests_per_row": round(sum(timed["calls"].values()) / size, 3),
                "calls": timed["calls"],
            }
    peaks = [out["sizes"][s]["peak_mib"] for s in (small, large)]
    out.update(small=small, large=large, ratio=round(peaks[1] / peaks[0], 2))
    return out


def rows(r: dict) -> list[tuple[str, str, str]]:
    table = []
    for size, v in r["sizes"].items():
        table.append(
            (
                f"ingest {size:,} rows (moto endpoint, child process): rows/s",
                f"{v['rows_per_s']} ({v['seconds']} s; {v['requests_per_row']} DynamoDB requests/row; "
                f"{v['accepted']} accepted, {v['unbound']} unbound, {v['malformed']} malformed, "
                f"{v['refused']} too old or in the future)",
                "-",
            )
        )
        table.append((f"ingest {size:,} rows: tracemalloc peak", f"{v['peak_mib']} MiB", "-"))
    table.append(
        (f"ingest peak({r['large']:,}) / peak({r['small']:,})", str(r["ratio"]), "<= 1.5 (goal ~1)")
    )
    return table


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    result = measure(*args)
    for row in rows(result):
        print(" | ".join(row))
    for size, v in result["sizes"].items():
        print(f"  {size}: {v['calls']}")
