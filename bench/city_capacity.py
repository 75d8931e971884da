"""The Guangzhou day on the capacity the template deploys (bench/city_model.py): the numbers are
infra/capacity.py's, the same the template (infra/scaling.py) and the worker's queue pacing
(zappa_settings.json) are made from, so the model cannot price a configuration that is not
deployed. Against them, what bench/city.py measured: the paced batch's wall time in its
windows and the utilisation of each raised capacity (over 100 %: throttled, the numbers need
raising)."""

from __future__ import annotations

import re

from infra import capacity

# The measured credit items (bench/city_day.py) by table.
ITEM_TABLES = {
    "ledger": "ledger",
    "ledger_index": "ledger",
    "account": "accounts",
    "settled_day": "settled_days",
    "platform_book": "platform_book_slots",
    "footprint_move": "footprints",
    "histogram": "footprint_histograms",
    "outbox": "outbox",
}
SETTLE_RUN_WRU = 1 / 50  # a unit's checkpoint per batch of 50 users (settlement_runs, on-demand)
HISTOGRAM_WRU = (
    2 * 2 / 50
)  # the recount's histogram part, in a transaction (< 2 KB) per batch (on-demand)
SUBSCRIPTION_RRU = (
    0.5  # settlement's eventually consistent read of a user's accept (subscriptions, on-demand)
)


def _cron_minutes(cron: str) -> int:
    minute, hour = re.match(r"cron\((\d+) (\d+) ", cron).groups()
    return int(hour) * 60 + int(minute)


def settle_minutes() -> int:
    """Minutes from settle_daily's start to the lowering of the settlement capacity."""
    w = capacity.SETTLE
    return w.start_utc[0] * 60 + w.start_utc[1] + w.minutes - _cron_minutes(capacity.SETTLE_CRON)


def clock_hours(w: capacity.Window) -> int:
    """UTC clock hours the window touches: what it costs if each were billed whole."""
    start = w.start_utc[0] * 60 + w.start_utc[1]
    return (start + w.minutes - 1) // 60 - start // 60 + 1


def provisioned(city: dict, s: dict, i: dict, wu: dict, prices: dict) -> dict:
    """s, i: the model's settlement and ingestion (measured unit rates); wu: write units per credited
    user-day by item; prices: wcu_hour, rcu_hour, wru, rru (yuan)."""
    units = capacity.UNITS_AT_ONCE
    # Ingestion ranges are paced (core.carbon.trips.Pace): a range goes no faster than the pace.
    settle_rate, tap_rate = (
        units * s["unit_rate"],
        units * min(1000 / i["ms_row"], capacity.INGEST_UNIT_RATE),
    )
    measured = {}
    for item, v in wu["items"].items():
        measured[ITEM_TABLES[item]] = measured.get(ITEM_TABLES[item], 0) + v
    demand = {}  # (table, dimension) -> capacity units/s the paced batch uses
    for r in capacity.RAISES:
        if r.window is capacity.SETTLE:
            per = (
                measured.get(r.table, 0)
                if r.dimension == "write"
                else capacity.SETTLE_READS[r.table]
            )
            demand[(r.table, r.dimension)] = per * settle_rate
        else:
            per = (capacity.INGEST_WRITES if r.dimension == "write" else capacity.INGEST_READS)[
                r.table
            ]
            demand[(r.table, r.dimension)] = per * tap_rate
    price = {"write": prices["wcu_hour"], "read": prices["rcu_hour"]}
    batch = sum(r.units * r.window.minutes / 60 * price[r.dimension] for r in capacity.RAISES)
    whole = sum(r.units * clock_hours(r.window) * price[r.dimension] for r in capacity.RAISES)
    floor_hours = 0.0
    for t in capacity.PROVISIONED:
        for dim in ("write", "read"):
            r = capacity.raises_of(t).get(dim)
            floor_hours += (24 - (r.window.minutes / 60 if r else 0)) * capacity.FLOOR * price[dim]
    rest = city["user_days"] * (
        (SETTLE_RUN_WRU + HISTOGRAM_WRU) * prices["wru"] + SUBSCRIPTION_RRU * prices["rru"]
    )
    util = {
        f"{t} {d}": round(100 * demand[(t, d)] / r.units)
        for r in capacity.RAISES
        for (t, d) in [(r.table, r.dimension)]
    }
    return {
        "yuan": round(batch + floor_hours + rest),
        "batch_yuan": round(batch),
        "whole_hours_yuan": round(whole + floor_hours + rest),
        "floor_yuan": round(floor_hours, 1),
        "on_demand_yuan": round(rest, 1),
        "units_at_once": units,
        "settle_min": round(city["user_days"] / settle_rate / 60, 1),
        "settle_window_min": settle_minutes(),
        "ingest_min": round(city["taps"] / tap_rate / 60, 1),
        "ingest_window_min": capacity.INGEST.minutes,
        "utilisation": util,
        "max_utilisation": max(util.values()),
        "wcu": sum(r.units for r in capacity.RAISES if r.dimension == "write"),
    }


def row(pv: dict) -> tuple[str, str, str]:
    s, g = capacity.SETTLE, capacity.INGEST
    return (
        f"Guangzhou day (model): DynamoDB cost a day, provisioned as deployed (infra/capacity.py: "
        f"{pv['units_at_once']} units at once; ingestion {g.local(g.start_utc)}-{g.local(g.end_utc())}, "
        f"settlement {s.local(s.start_utc)}-{s.local(s.end_utc())} Asia/Shanghai)",
        f"¥{pv['yuan']} (batch windows ¥{pv['batch_yuan']}, daytime floors ¥{pv['floor_yuan']}, on-demand tables "
        f"¥{pv['on_demand_yuan']}; plus what target tracking adds for the API; ¥{pv['whole_hours_yuan']} if every "
        f"clock hour a window touches were billed whole); settlement {pv['settle_min']} of "
        f"{pv['settle_window_min']} min, ingestion {pv['ingest_min']} of {pv['ingest_window_min']} min; "
        f"peak utilisation {pv['max_utilisation']} %",
        "<= ¥200; utilisation <= 100 %",
    )


def table_rows() -> list[str]:
    """The capacity as deployed, for bench/RESULTS.md."""
    out = []
    for t in capacity.PROVISIONED:
        parts = [
            f"{d} {r.units:,} ({r.window.name} {r.window.local(r.window.start_utc)}-"
            f"{r.window.local(r.window.end_utc())}, UTC {r.window.cron(r.window.start_utc)}/"
            f"{r.window.cron(r.window.end_utc())})"
            for d, r in capacity.raises_of(t).items()
        ]
        out.append(f"  - {t}: " + "; ".join(parts))
    return out
