"""The Guangzhou day projected onto Lambda + DynamoDB from what bench/city.py measured here
(client CPU and DynamoDB requests per user-day and per tap, stored item sizes) and from
documented limits and prices. Pure arithmetic: every input is measured or a constant below
with its source; bench/RESULTS.md carries the table and the reasoning.

Latencies are not measured (moto is not DynamoDB): DynamoDB documents single-digit-millisecond
reads and writes; a transaction (two phases) is taken as 20 ms. A unit's time is its CPU plus
its waiting, not overlapped: pessimistic, since its transactions are in flight while it computes."""

from __future__ import annotations

import json
import math
import os

from bench import city_book, city_capacity
from infra import capacity

CITY = {
    "user_days": 3_000_000,
    "behaviours": 7_000_000,
    "taps": 12_000_000,
}  # DESIGN.md "Daily settlement"
LAMBDA_TIMEOUT_S, LAMBDA_CONCURRENCY = 900, 1000  # Lambda's maximum; the default regional quota
READ_MS, TRANSACT_MS = 8, 20  # assumptions, above
PARTITION_WCU, TABLE_WCU = (
    1000,
    40_000,
)  # DynamoDB: per partition; per on-demand table (default quota)
WRU_YUAN = 11.1538 / 1e6  # on-demand write request unit, China (Beijing/Ningxia) price list
RRU_YUAN = (
    WRU_YUAN / 5
)  # read request unit: the China list's read price is not quoted here; AWS's ratio is 1:5
WCU_HOUR_YUAN, RCU_HOUR_YUAN = 0.058 / 10, 0.058 / 50  # provisioned capacity, the same price list
SUBSCRIBED = (
    capacity.NOTICE_SHARE
)  # credited citizens with a settlement_credit accept (assumption): outbox notices
TODAY = {"write_units": 7, "yuan": 360}  # the figures for the code before this work
RESERVE_S = 60  # core.carbon.settlement_runs.RESERVE_MS


def worker_vcpu() -> float:
    """Lambda gives one vCPU at 1,769 MB; the worker's memory is in zappa_settings.json."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "zappa_settings.json")) as f:
        return min(1.0, json.load(f)["prod_worker"]["memory_size"] / 1769)


def settlement(m: dict, units: int, in_flight: int, batch: int) -> dict:
    """m: city.py's result: cpu_ms and calls per credited user-day, write_units."""
    # Waiting per user-day at city size: the measured state reads (BatchGetItem), and per batch
    # of users and per Query page what a unit of 46,875 user-days does (the bench's small units
    # add their start and end requests to every user-day).
    reads = (
        m["calls"].get("BatchGetItem", 0) / max(m["credited"], 1)
        + 1 / batch
        + CITY["behaviours"] / CITY["user_days"] / 500
    )
    cpu_ms = m["cpu_ms"] / worker_vcpu()
    io_ms = reads * READ_MS + TRANSACT_MS / in_flight
    rate = 1000 / (cpu_ms + io_ms)  # user-days/s a unit
    per_unit = CITY["user_days"] / units
    unit_s = per_unit / rate
    concurrency = min(units, LAMBDA_CONCURRENCY)
    wall_s = math.ceil(units / concurrency) * unit_s
    return {
        "units": units,
        "per_unit": round(per_unit),
        "cpu_ms": round(cpu_ms, 2),
        "io_ms": round(io_ms, 2),
        "unit_rate": round(rate),
        "unit_s": round(unit_s),
        "invocations": math.ceil(unit_s / (LAMBDA_TIMEOUT_S - RESERVE_S)),
        "concurrency": concurrency,
        "wall_min": round(wall_s / 60, 1),
        "city_rate": round(concurrency * rate),
        "run_record_wcu": round(concurrency * rate / batch),
    }  # one partition key: the date


def write_units(m: dict) -> dict:
    """Per credited user-day: each item a transaction writes costs 2 WRU a KB; the ledger's
    local index one more a KB; a notice (outbox) for SUBSCRIBED of them, its claim and its delete."""
    sizes = m["sizes"]
    items = {k: 2 * math.ceil(v / 1024) for k, v in sizes.items()}
    items["ledger_index"] = math.ceil(sizes.get("ledger", 0) / 1024)
    items["outbox"] = round(
        SUBSCRIBED * (2 + 1 + 1), 2
    )  # written in the credit, claimed, deleted once sent
    items["footprint_move"] = round(2 * capacity.MOVE_SHARE, 2)  # the recount's moves
    items["histogram"] = city_capacity.HISTOGRAM_WRU  # and its histogram part, once a batch
    return {"items": items, "total": round(sum(items.values()), 2)}


def ingestion(i: dict) -> dict:
    """i: city_day.ingest_sample's result; ranges of settings.ingest_range_bytes (16 MiB, ~110 B a row)."""
    range_rows = 16 * 1024 * 1024 // 110
    ranges = math.ceil(CITY["taps"] / range_rows)
    ms_row = i["cpu_ms"] / worker_vcpu() + i["requests_per_row"] * READ_MS
    range_s = range_rows * ms_row / 1000
    return {
        "ranges": ranges,
        "range_rows": range_rows,
        "ms_row": round(ms_row, 3),
        "range_s": round(range_s),
        "invocations": math.ceil(range_s / (LAMBDA_TIMEOUT_S - RESERVE_S)),
        "concurrency": min(ranges, LAMBDA_CONCURRENCY),
        "wall_min": round(range_s / 60, 1),
    }


def cost(m: dict, wu: dict) -> dict:
    """DynamoDB yuan a day, on-demand. Reads (RRU: 4 KB strongly consistent, half that eventually):
    settlement reads each user's account twice (the credit, the recount), settled day and footprint
    (consistent, 1 each),
    subscriptions (eventual, 0.5) and its behaviours (~300 B each, by Query pages); ingestion per
    tap as infra/capacity.py counts it (card binding, claim check; a behaviour and its claim written)."""
    behaviours_per_day = CITY["behaviours"] / CITY["user_days"]
    settle_rru = (
        sum(v for k, v in capacity.SETTLE_READS.items() if k != "behaviours")
        + 0.5
        + behaviours_per_day * 300 / 4096
    )
    settle = CITY["user_days"] * (wu["total"] * WRU_YUAN + settle_rru * RRU_YUAN)
    ingest = CITY["taps"] * (
        sum(capacity.INGEST_WRITES.values()) * WRU_YUAN
        + sum(capacity.INGEST_READS.values()) * RRU_YUAN
    )
    return {
        "settle_yuan": round(settle),
        "ingest_yuan": round(ingest),
        "yuan": round(settle + ingest),
        "settle_rru": round(settle_rru, 2),
    }


def project(m: dict, i: dict, units: int, in_flight: int = 8, batch: int = 50) -> dict:
    s, wu = settlement(m, units, in_flight, batch), write_units(m)
    table_wcu = {}  # by table (an item's writes, its index's, the recount's)
    for k, v in wu["items"].items():
        t = city_capacity.ITEM_TABLES[k]
        table_wcu[t] = table_wcu.get(t, 0) + round(s["city_rate"] * v)
    hot = max(table_wcu, key=table_wcu.get)
    c, book = cost(m, wu), city_book.book_slots(s, table_wcu, CITY["user_days"], TRANSACT_MS)
    pv = city_capacity.provisioned(
        CITY,
        s,
        ingestion(i),
        wu,
        {"wcu_hour": WCU_HOUR_YUAN, "rcu_hour": RCU_HOUR_YUAN, "wru": WRU_YUAN, "rru": RRU_YUAN},
    )
    key_wcu = {
        "run records (the date)": s["run_record_wcu"],
        f"platform book (each of {book['slots']} day#slot)": book["wcu_per_key"],
    }
    return {
        "settlement": s,
        "ingestion": ingestion(i),
        "write_units": wu,
        "cost": c,
        "provisioned": pv,
        "table_wcu": table_wcu,
        "partitions_needed": {k: math.ceil(v / PARTITION_WCU) for k, v in table_wcu.items()},
        "key_wcu": key_wcu,
        "book": book,
        "bottleneck": first_bottleneck(s, table_wcu, hot, key_wcu, book),
    }


def first_bottleneck(s: dict, table_wcu: dict, hot: str, key_wcu: dict, book: dict) -> str:
    key = max(key_wcu, key=key_wcu.get)
    if key_wcu[key] > PARTITION_WCU:
        return (
            f"one partition key: {key} {key_wcu[key]:,} WCU/s against {PARTITION_WCU:,} a partition: "
            f"settlement runs at about {round(s['city_rate'] * PARTITION_WCU / key_wcu[key]):,} user-days/s"
        )
    if book["ceiling"] < s["city_rate"]:
        return city_book.bottleneck(book, s, TRANSACT_MS)
    if table_wcu[hot] > TABLE_WCU:
        return (
            f"{hot} table writes: {table_wcu[hot]:,} WCU/s at {s['concurrency']} units > {TABLE_WCU:,} "
            "(per-table quota): cap the queue's concurrency or raise the quota"
        )
    return (
        f"worker CPU: {s['cpu_ms']} ms a user-day on {worker_vcpu():.2f} vCPU against {s['io_ms']} ms of "
        f"DynamoDB waiting; next, {hot} writes ({table_wcu[hot]:,} WCU/s: on-demand serves up to "
        "twice the previous peak at once, so the first city day needs warm throughput set)"
    )


def rows(p: dict) -> list[tuple[str, str, str]]:
    s, i, c, wu, pv, b = (
        p["settlement"],
        p["ingestion"],
        p["cost"],
        p["write_units"],
        p["provisioned"],
        p["book"],
    )
    capped = (
        f"; {b['wall_min']} min if the platform book's item conflicts bind"
        if b["ceiling"] < s["city_rate"]
        else ""
    )
    wcu = ", ".join(f"{k} {v:,}" for k, v in p["table_wcu"].items())
    parts = ", ".join(f"{k} {v}" for k, v in p["partitions_needed"].items())
    keys = ", ".join(f"{k} {v:,}" for k, v in p["key_wcu"].items())
    return [
        (
            f"Guangzhou day (model): settlement, {s['units']} units of {s['per_unit']:,} user-days",
            f"{s['wall_min']} min at concurrency {s['concurrency']} ({s['unit_rate']} user-days/s a unit: "
            f"{s['cpu_ms']} ms CPU + {s['io_ms']} ms waiting; {s['unit_s']} s a unit, {s['invocations']} invocation(s)){capped}",
            "<= 60 min",
        ),
        (
            f"Guangzhou day (model): ingestion, {CITY['taps']:,} taps in {i['ranges']} ranges of {i['range_rows']:,}",
            f"{i['wall_min']} min at concurrency {i['concurrency']} ({i['ms_row']} ms a tap; "
            f"{i['invocations']} invocation(s) a range) unpaced; as deployed {pv['units_at_once']} ranges at once, paced: "
            f"{pv['ingest_min']} min",
            "<= 60 min",
        ),
        (
            "Guangzhou day (model): write units per credited user-day",
            f"{wu['total']} ({', '.join(f'{k} {v}' for k, v in wu['items'].items())})",
            f"≈{TODAY['write_units']} before",
        ),
        (
            "Guangzhou day (model): peak WCU/s by table (partitions of 1,000 WCU needed)",
            f"{wcu} ({parts})",
            f"<= {TABLE_WCU:,} a table",
        ),
        (
            "Guangzhou day (model): peak WCU/s on one partition key",
            keys,
            f"<= {PARTITION_WCU:,} a partition",
        ),
        (
            "Guangzhou day (model): DynamoDB cost a day, on-demand",
            f"¥{c['yuan']} (settlement ¥{c['settle_yuan']}, ingestion ¥{c['ingest_yuan']})",
            f"<= ¥200 (≈¥{TODAY['yuan']} before)",
        ),
        city_capacity.row(pv),
        ("Guangzhou day (model): first bottleneck", p["bottleneck"], "-"),
    ]


def notes(p: dict, measured: dict) -> str:
    """The model's reasoning for bench/RESULTS.md, with this run's numbers."""
    s, c, pv, b = p["settlement"], p["cost"], p["provisioned"], p["book"]
    return f"""## The Guangzhou day on Lambda + DynamoDB (bench/city_model.py)

Measured here (bench/city.py, {measured["users"]:,} users / {measured["behaviours"]:,} behaviours in {s["units"]} units,
moto in a child process): client CPU {measured["cpu_ms"]} ms per credited user-day, {measured["requests_per_user_day"]}
DynamoDB requests per user-day, stored item sizes {measured["sizes"]} B, ingestion {measured["ingest"]["cpu_ms"]} ms
CPU and {measured["ingest"]["requests_per_row"]} requests per tap. Not measured (moto is not DynamoDB): latencies,
taken as {READ_MS} ms a read and {TRANSACT_MS} ms a transaction (DynamoDB documents single-digit milliseconds).

- Settlement: a unit waits {s["io_ms"]} ms and computes {s["cpu_ms"]} ms per user-day (the worker's
  {worker_vcpu():.2f} vCPU at its configured memory): {s["unit_rate"]} user-days/s, {s["unit_s"]} s for
  {s["per_unit"]:,} user-days, under Lambda's 900 s (a unit that is not checkpoints and resumes). All
  {s["units"]} units at once: {s["wall_min"]} min. 1,769 MB (one vCPU) would cut the CPU share by
  {100 - round(100 * worker_vcpu())} %; memory itself is flat (the peak ratio above).
- Write units per credited user-day: {p["write_units"]["total"]}: the items of one transaction at 2 WRU
  each (ledger entry, account with the footprint's year roll-up, settled day, platform book slot: each < 1 KB), 1 for the ledger's local index, and a notice
  for the {round(SUBSCRIBED * 100)} % of citizens assumed to accept one (2 WRU in the credit's transaction,
  1 when the sender claims it, 1 when it deletes it).
- Partitions: user-keyed tables spread over partitions; at full concurrency they need
  {p["partitions_needed"]} partitions of 1,000 WCU. The fixed keys stay small: the run records
  ({s["run_record_wcu"]} WCU/s on the date's key), the platform book ({b["wcu_per_key"]} WCU/s on each of the day's
  {b["slots"]} `day#slot` keys, PLATFORM_BOOK_SLOTS; one key per day it would be {p["table_wcu"].get("platform_book_slots", 0):,}),
  each outbox bucket (1/32 of the outbox's), each behaviour partition `date#unit` during ingestion
  ({round(CITY["behaviours"] / 3600 / s["units"])} WCU/s a key if ingestion takes an hour).
{city_book.notes(b, s, pv, TRANSACT_MS)}
- Cost: on-demand at ¥11.1538 a million WRU (China price list) is ¥{c["yuan"]} a day (settlement
  ¥{c["settle_yuan"]}, ingestion ¥{c["ingest_yuan"]}): the write units themselves, not waste. What is deployed
  instead (infra/capacity.py, the one source of these numbers for the template, the queue and this model):
  the tables the batch writes are provisioned (¥0.058 per 10 WCU-hours, ¥0.058 per 50 RCU-hours), at a
  daytime floor of {capacity.FLOOR} units that target tracking ({capacity.TARGET_UTILISATION:.0f} %) raises for the API, and raised by
  scheduled actions for the night; the worker's event source mapping runs at most {pv["units_at_once"]} units at
  once (MaximumConcurrency, set by zappa's post callback infra/worker_mapping.py), so the batch stays
  within what is raised: settlement {pv["settle_min"]} min of its {pv["settle_window_min"]}, ingestion {pv["ingest_min"]} min of
  its {pv["ingest_window_min"]}, peak utilisation {pv["max_utilisation"]} % ({", ".join(f"{k} {v} %" for k, v in pv["utilisation"].items())}).
  Raised, by table and dimension (UTC crons):
{chr(10).join(city_capacity.table_rows())}
  A day: ¥{pv["yuan"]} = ¥{pv["batch_yuan"]} for the windows + ¥{pv["floor_yuan"]} of daytime floors + ¥{pv["on_demand_yuan"]} on the
  on-demand tables the batch touches lightly (run records, footprint histograms, subscriptions), plus what target tracking adds
  for the API's daytime load. The price list bills a flat hourly rate for the capacity reserved:
  taken here as capacity x time provisioned; each window is one clock hour (raised on the hour,
  lowered at :59), so billing every clock hour touched in whole gives about the same, ¥{pv["whole_hours_yuan"]}.
  Ingestion ranges are paced to {capacity.INGEST_UNIT_RATE} rows/s each (settings.ingest_rows_per_second) so the
  night's taps spread over their hour on a fifth of the capacity a burst would need.
- First bottleneck: {p["bottleneck"]}.
"""
