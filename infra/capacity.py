"""DynamoDB capacity for the Guangzhou day: the one source of the numbers the template deploys
(infra/template.py), the worker's queue pacing (zappa_settings.json, infra/worker_mapping.py)
and the city model's provisioned cost (bench/city_model.py). Pure: no AWS client.

On-demand bills every write (¥11.15 a million WRU, China price list): the night's batch alone
is ≈¥500. Provisioned capacity bills capacity-hours (¥0.058 per 10 WCU-hours), so the tables
the batch writes are provisioned: a small daytime floor that target tracking (70 %) raises for
the API, and scheduled actions that raise the capacity for the batch window and lower it after.
The batch is paced so it fits the capacity: the worker's SQS event source mapping runs at most
UNITS_AT_ONCE work units at once (settlement units and ingestion ranges share the queue).

Times: Asia/Shanghai is UTC+8 without daylight saving; schedules are written in UTC. Each window
is one clock hour, raised on the hour and lowered at :59, so it costs one hour of capacity whether
the price list's "flat hourly rate" bills each clock hour the capacity is held in whole or pro rata.
- ingestion: Yangchengtong's file for yesterday is expected by 01:00 and ingested 01:00-01:59,
  each range paced to INGEST_UNIT_RATE rows/s (settings.ingest_rows_per_second in dev/prod), so
  the city's 12 M taps spread over ≈42 min on a fifth of the capacity an unpaced burst needs
  (a file landing later is still ingested, at daytime capacity that target tracking raises:
  slower, never lost);
- settlement: settle_daily's cron is 02:00 (18:00 UTC), when the capacity is raised (a raise
  takes a few minutes to apply: until then the ledger retries throttled transactions); lowered at
  02:59: the paced units take ≈40 min (bench/city_model.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SHANGHAI_UTC_OFFSET_H = 8
UNITS_AT_ONCE = 12  # the event source mapping's MaximumConcurrency (SQS allows 2..1000)
TARGET_UTILISATION = 70.0  # target tracking for the daytime API load
FLOOR = 5  # daytime MinCapacity per table and dimension (target tracking raises it)
DAY_MAX = 2000  # daytime MaxCapacity per table and dimension: bounds what the API can cost

# What one unit is provisioned for: above what bench/city.py measures (72-105 user-days/s and
# 1,100-1,900 taps/s a unit on the worker's memory), so the batch is not throttled; the model
# prints the utilisation and the wall times the measurement gives.
SETTLE_UNIT_RATE = 110  # credited user-days/s a settlement unit
INGEST_UNIT_RATE = 400  # taps/s an ingestion range, paced (core.settings: ingest_rows_per_second)
BEHAVIOURS_PER_TAP = 7 / 12  # the city day: 7 M behaviours from 12 M taps (DESIGN.md)
NOTICE_SHARE = 0.2  # credited citizens with a settlement_credit accept left (assumption)
MOVE_SHARE = (
    0.1  # credits that move a citizen to another footprint bucket (×1.2 buckets: ≈32 moves a year)
)

# Capacity units per credited user-day, by table (core.carbon.settlement): a transaction writes
# each item at 2 WCU a KB (all < 1 KB): the ledger entry (+1 for its local index) and its written-order
# item (core.books.written, read by the transparency log's append), the account
# (which carries the footprint's year roll-up), the settled day and the platform book slot; a
# notice for NOTICE_SHARE of them (2 in the credit, 1 when send_notices claims it, 1 when it
# deletes it); for MOVE_SHARE of them the footprint recount's move (2, in one transaction a batch
# with a histogram part). Reads: one consistent BatchGetItem item each of accounts and settled days
# (the credit's state), of accounts and footprints again (the recount's year grams), and the
# user's behaviours by Query (≈2.3 items of ≈300 B: under 1/4 of a 4 KB read unit).
SETTLE_WRITES = {
    "ledger": 3,
    "ledger_written": 2,
    "accounts": 2,
    "settled_days": 2,
    "platform_book_slots": 2,
    "footprints": 2 * MOVE_SHARE,
    "outbox": 4 * NOTICE_SHARE,
}
SETTLE_READS = {"accounts": 2, "settled_days": 1, "footprints": 1, "behaviours": 0.25}
# Per tap, ingestion (core.carbon.trips, intake): the card's binding periods (one eventually
# consistent BatchGetItem item a card), the trip's claim checked (consistent) and, for a
# behaviour, the behaviour and its claim written (BatchWriteItem, 1 WCU each) and its record set
# in the citizen's day index (core.carbon.day_index: an Update in a chunk's transaction, 2 WCU; a
# citizen's records of one chunk share it, counted here as one each).
INGEST_WRITES = {
    "behaviours": BEHAVIOURS_PER_TAP,
    "source_claims": BEHAVIOURS_PER_TAP,
    "day_records": 2 * BEHAVIOURS_PER_TAP,
}
INGEST_READS = {"card_history": 0.5, "source_claims": BEHAVIOURS_PER_TAP}
# Not provisioned (on-demand costs them less than a floor all day): settlement_runs (a checkpoint
# per 50 user-days), footprint_histograms (a part per batch of 50), subscriptions (0.5 RRU a
# credited user-day), and every table the batch does not touch. On 1 January every citizen's first credit moves them into a bucket: the recount's
# moves beyond the capacity fail and are repaired by later credits (core.carbon.footprint).


@dataclass(frozen=True)
class Window:
    name: str
    start_utc: tuple[int, int]  # (hour, minute) the capacity is raised
    minutes: int  # until it is lowered

    def end_utc(self) -> tuple[int, int]:
        end = self.start_utc[0] * 60 + self.start_utc[1] + self.minutes
        return (end // 60) % 24, end % 60

    def local(self, at: tuple[int, int]) -> str:
        return f"{(at[0] + SHANGHAI_UTC_OFFSET_H) % 24:02d}:{at[1]:02d}"

    def cron(self, at: tuple[int, int]) -> str:  # Application Auto Scaling's cron, UTC
        return f"cron({at[1]} {at[0]} * * ? *)"


INGEST = Window("ingest", (17, 0), 59)  # 01:00-01:59 Asia/Shanghai
SETTLE = Window("settle", (18, 0), 59)  # 02:00-02:59 Asia/Shanghai; settle_daily at 02:00
SETTLE_CRON = (
    "cron(0 18 * * ? *)"  # functions.settle_daily in zappa_settings.json: 02:00 Asia/Shanghai
)


@dataclass(frozen=True)
class Raise:
    table: str  # the model's short table name
    dimension: str  # write | read
    units: int  # Min = Max capacity during the window (the pacing keeps the batch under it)
    window: Window


def _units(per_item: float, items_per_s: float) -> int:
    """Capacity for the paced rate, rounded up to 100."""
    return int(math.ceil(per_item * items_per_s / 100) * 100)


def raises() -> tuple[Raise, ...]:
    settle_rate = UNITS_AT_ONCE * SETTLE_UNIT_RATE
    taps_rate = UNITS_AT_ONCE * INGEST_UNIT_RATE
    out = [Raise(t, "write", _units(u, settle_rate), SETTLE) for t, u in SETTLE_WRITES.items()]
    out += [Raise(t, "read", _units(u, settle_rate), SETTLE) for t, u in SETTLE_READS.items()]
    out += [Raise(t, "write", _units(u, taps_rate), INGEST) for t, u in INGEST_WRITES.items()]
    out += [Raise(t, "read", _units(u, taps_rate), INGEST) for t, u in INGEST_READS.items()]
    return tuple(out)


RAISES = raises()
PROVISIONED = tuple(sorted({r.table for r in RAISES}))  # these tables; every other one is on-demand


def raises_of(table: str) -> dict[str, Raise]:
    return {r.dimension: r for r in RAISES if r.table == table}
