"""A scaled Guangzhou day for bench/city.py: behaviours as ingestion stores them (Behaviour.of,
so partitions and sort keys are the product's), and the stored size of the items one credit
writes, for the write units a credited user-day costs.

The mix follows the city (DESIGN.md "Daily settlement"): ~2.3 behaviours per user-day on
average over 3 M user-days, most of them metro and bus taps, a steps day for some, a few
bike rides; here a user gets BEHAVIOURS/USERS records on average."""

from __future__ import annotations

import math
import random

from core.localday import stamp

SCENARIOS = ["metro"] * 6 + ["bus"] * 3 + ["bike", "walk"]


def write_day(
    settings, date: str, users: int, behaviours: int, units: int, prefix: str = "c", seed: int = 7
) -> None:
    """`behaviours` records over `users` users of `date`, in `units` partitions."""
    from models.behaviours import Behaviour

    rnd = random.Random(seed)
    now = stamp()
    walked: set[int] = set()
    with Behaviour.batch_write() as batch:
        for i in range(behaviours):
            u = i % users
            scenario = rnd.choice(SCENARIOS)
            if scenario == "walk" and u in walked:
                scenario = "metro"  # one steps record per user-day
            walked.add(u) if scenario == "walk" else None
            qty = {"walk": rnd.randint(5000, 20000), "bike": rnd.randint(1, 8)}.get(scenario, 1)
            sid = date if scenario == "walk" else f"{prefix}{i}"
            source = "werun" if scenario == "walk" else "yct"
            batch.save(
                Behaviour.of(
                    f"{prefix}{u:07d}",
                    date,
                    scenario,
                    qty,
                    f"{date}T{7 + i % 14:02d}:{i % 60:02d}:00+08:00",
                    source,
                    sid,
                    units,
                    now,
                    facts={"duration_s": 900} if scenario == "bike" else None,
                    keep_days=settings.behaviour_retention_days,
                )
            )


def item_size(item: dict) -> int:
    """DynamoDB's billed size of an item in low-level JSON: names plus values."""
    return sum(len(name.encode()) + _value_size(v) for name, v in item.items())


def _value_size(v: dict) -> int:
    ((kind, x),) = v.items()
    if kind == "S":
        return len(x.encode())
    if kind == "N":
        return math.ceil(len(x.lstrip("-").replace(".", "").lstrip("0") or "0") / 2) + 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + _value_size(e) for k, e in x.items())
    if kind == "L":
        return 3 + sum(1 + _value_size(e) for e in x)
    if kind in ("SS", "NS", "BS"):
        return sum(len(str(e)) for e in x)
    return 1  # BOOL, NULL


def credit_write_units(settings, date: str, user_ids: list[str]) -> dict:
    """Write units of one credit, from the stored items of credited users: each item a
    transaction writes costs 2 WCU per KB; the ledger's local index one more write per KB.
    Items the credit writes are found by the keys it uses (see core.carbon.settlement)."""
    from gateways import aws_client

    ddb = aws_client("dynamodb", settings)
    tables = _credit_items(settings, date)
    per_item: dict[str, list[int]] = {name: [] for name in tables}
    for user in user_ids:
        for name, (table, key_of) in tables.items():
            got = ddb.get_item(TableName=settings.table_name(table), Key=key_of(user)).get("Item")
            if got:
                per_item[name].append(item_size(got))
    sizes = {name: sum(v) / len(v) for name, v in per_item.items() if v}
    units = sum(2 * math.ceil(s / 1024) for s in sizes.values()) + math.ceil(
        sizes.get("ledger", 0) / 1024
    )
    return {"sizes": {k: round(v) for k, v in sizes.items()}, "write_units": units}


def _credit_items(settings, date: str) -> dict:
    """The items one settlement credit writes, by name: (table, key of a user)."""
    from core import localday
    from core.books.platform import KEY, slot_key, slot_of

    items = {
        "ledger": ("ledger", lambda u: {"user_id": {"S": u}, "entry_id": {"S": f"settle#{date}"}}),
        # with the citizen's year roll-up (core.carbon.footprint.credit): no Footprint item
        "account": ("accounts", lambda u: {"user_id": {"S": u}}),
        "settled_day": ("settled_days", lambda u: {"user_id": {"S": u}, "date": {"S": date}}),
        # double entry (core.books.platform): the day's slot item the credit adds its legs to
        "platform_book": (
            "platform_book_slots",
            lambda u: {
                KEY: {"S": slot_key(localday.today(), slot_of(u, settings.platform_book_slots))}
            },
        ),
    }
    return items


def ingest_sample(settings, endpoint, rows: int) -> dict:
    """A Yangchengtong file of `rows` taps for yesterday through the real S3 path: client CPU
    and DynamoDB requests per row (bench/ingest.py's file and card mix)."""
    import os
    import tempfile
    import time
    from datetime import date, timedelta

    from bench.harness import dynamodb_calls
    from bench.ingest import bind_cards, cards_for, write_file
    from functions.ingest_trips import ingest_object
    from gateways import aws_client

    s3, day = aws_client("s3", settings), (date.today() - timedelta(days=1)).isoformat()
    cards = cards_for(rows, 3)
    bind_cards(settings, cards)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "trips.csv")
        write_file(path, rows, cards, day, 3)
        s3.upload_file(path, settings.trip_bucket, f"yct/trips/{day}/city.csv")
    dynamodb_calls(endpoint, reset=True)
    cpu, wall = time.process_time(), time.perf_counter()
    counts = ingest_object(settings, s3, settings.trip_bucket, f"yct/trips/{day}/city.csv")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    requests = sum(v for k, v in dynamodb_calls(endpoint).items() if k not in QUEUE_OPS)
    return {
        "rows": rows,
        "accepted": counts["accepted"],
        "cpu_ms": round(1000 * cpu / rows, 3),
        "requests_per_row": round(requests / rows, 3),
        "rows_per_s": round(rows / wall),
    }


# The local endpoint counts every X-Amz-Target: these are SQS's, not DynamoDB's.
QUEUE_OPS = {
    "SendMessage",
    "SendMessageBatch",
    "ReceiveMessage",
    "DeleteMessage",
    "CreateQueue",
    "GetQueueUrl",
    "GetQueueAttributes",
    "ChangeMessageVisibility",
    "PurgeQueue",
}
