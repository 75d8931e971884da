"""Settling a whole date: one invocation per shard, a run record per date and shard,
one JSON summary line per shard and one per date.

Invariant: a run record only reports; correctness comes from core.carbon.settlement, so a
shard can be re-run any time (the record counts attempts) and a date can be re-run
after late data arrives: only the difference is credited.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from pynamodb.exceptions import UpdateError

from core import localday
from core.carbon import late, settlement, settlement_batches
from core.errors import Unprocessable
from core.localday import stamp as _now  # UTC storage time, one home
from core.logs import Timer, log
from core.metrics import metric
from core.runlog import run_summary
from models.behaviours import Behaviour, partition, shard_of
from models.settlement import SettlementRun

DATE_RUN = late.DATE_RUN  # shard number of the whole-date record
KEYS = settlement_batches.KEYS
RESERVE_MS = 60_000  # time kept, when a unit runs under a limit, to finish a batch and checkpoint


class FutureDate(Unprocessable, ValueError):
    """A date after today (Asia/Shanghai) cannot be settled: its records are not all in yet."""

    code = "date_in_future"
    message = (
        "A date after today (Asia/Shanghai) cannot be settled: its records are not all in yet."
    )
    message_zh = "不能结算今天（北京时间）之后的日期：当天的记录还没有全部到达。"


def settleable(text, now: datetime | None = None) -> str:
    """A day settlement may run for: a YYYY-MM-DD day (localday.parse_date, 422 otherwise)
    that is not after today. Today may be settled early; later runs complete it."""
    day = localday.parse_date(text).isoformat()
    if day > localday.today(now):
        raise FutureDate()
    return day


def due_dates(now: datetime | None = None) -> list[str]:
    """What the nightly run (and `tanpuhui settle` with no date) settles: yesterday plus every
    earlier day of the late-data window that received records after it was settled."""
    return late.dates_to_settle(localday.parse_date(localday.today(now)))


def run_due(settings, shard_runner=None, now: datetime | None = None, progress=None) -> list[dict]:
    return [
        run_date(settings, d, shard_runner=shard_runner, progress=progress) for d in due_dates(now)
    ]


def _checkpoint(run: SettlementRun, batch: settlement_batches.Batch) -> None:
    """The batch's counts on the run record, and the position after it unless it failed (then it is settled again)."""
    counts = batch.counts.as_dict()
    actions = [SettlementRun.position.set(batch.last_user)] if batch.error is None else []
    actions += [getattr(SettlementRun, "pass_" + k).add(counts[k]) for k in KEYS]
    actions += [
        getattr(SettlementRun, k + "_total").add(counts[k]) for k in ("credited", "coins", "grams")
    ]
    run.update(actions=actions)


def _pass(
    settings, date: str, shard: int, registry, after: str | None, time_left
) -> tuple[int, bool]:
    """Settle the unit batch by batch, checkpointing each: (coins credited now, complete?). Stops after
    the batch that brings `time_left()` under RESERVE_MS; raises the first batch error once recorded."""
    run, coins = SettlementRun(date, shard), 0
    for batch in settlement_batches.batches(settings, date, shard, registry, after):
        _checkpoint(run, batch)
        coins += batch.counts.coins
        if batch.error is not None:
            raise batch.error
        if batch.full and time_left is not None and time_left() < RESERVE_MS:
            return coins, False
    return coins, True


def run_shard(settings, date: str, shard: int, registry=None, time_left=None) -> dict:
    """Settle one unit. A pass that was cut off (or crashed) resumes after its checkpointed
    position; a finished unit run again starts a new pass (late data: only differences are
    credited). `time_left()` (milliseconds, the Lambda context's) stops the pass after the
    batch that brings it under RESERVE_MS: the result then has complete=False and the run
    record status "cut_off"; running the unit again continues it."""
    with run_summary("settle_shard", date=date, shard=shard) as line:
        try:
            previous = SettlementRun.get(date, shard, consistent_read=True)
        except SettlementRun.DoesNotExist:
            previous = None
        resume = previous is not None and previous.status != "done" and previous.position
        run = SettlementRun(date, shard)
        actions = [
            SettlementRun.status.set("running"),
            SettlementRun.started_at.set(_now()),
            SettlementRun.attempts.add(1),
        ]
        if not resume:  # a new pass: its counts start at zero
            actions += [SettlementRun.position.remove()] + [
                getattr(SettlementRun, "pass_" + k).set(0) for k in KEYS
            ]
        run.update(actions=actions)
        try:
            coins, complete = _pass(
                settings, date, shard, registry, previous.position if resume else None, time_left
            )
        except Exception:
            run.update(
                actions=[SettlementRun.status.set("failed"), SettlementRun.finished_at.set(_now())]
            )
            raise
        run.refresh(consistent_read=True)
        totals = {
            k: int(getattr(run, "pass_" + k)) for k in KEYS
        }  # the whole pass, over its invocations
        status = "done" if complete else "cut_off"
        run.update(
            actions=[
                SettlementRun.status.set(status),
                SettlementRun.totals.set(totals),
                SettlementRun.finished_at.set(_now()),
            ]
        )
        line.update(totals, unit_status=status, resumed=bool(resume))
    metric("CoinsCredited", coins)
    metric(
        "SettlementUnits", 1, unit_status=status
    )  # failed units: Errors source=settle_shard (run_summary)
    return {**totals, "complete": complete}


def run_date(settings, date: str, shard_runner=None, workers: int = 4, progress=None) -> dict:
    """Settle every shard of `date`. shard_runner(date, shard) defaults to running here in a
    thread pool (local stack, CLI); in AWS the scheduler passes one that invokes a Lambda per shard."""
    timer = Timer()
    late.run_started(date)  # before any shard reads a record: later arrivals mark the day again
    registry = settlement.registry_for_settlement()
    runner = shard_runner or (lambda d, s: run_shard(settings, d, s, registry))
    shards = range(settings.settle_shards)
    results, failed = [], []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {s: pool.submit(runner, date, s) for s in shards}
        for s, f in futures.items():
            try:
                results.append(f.result())
            except Exception:
                failed.append(s)
            if progress:
                progress(1)
    if shard_runner is not None:
        log(
            "settle_date_dispatched",
            date=date,
            shards=len(futures),
            failed_shards=failed,
            duration_ms=timer.ms,
        )
        return {"date": date, "dispatched": len(futures) - len(failed), "failed_shards": failed}
    return summarize_date(settings, date, duration_ms=timer.ms)


def summarize_date(settings, date: str, duration_ms=None) -> dict:
    """Totals of the date's unit records (one Query); logs the one settle_date line. The *_total
    counts are exact across repeated and concurrent runs; the others describe the latest passes."""
    runs = [r for r in SettlementRun.query(date, consistent_read=True) if r.shard != DATE_RUN]
    failed = sorted(int(r.shard) for r in runs if r.status != "done")
    summary = {
        "date": date,
        "shards": settings.settle_shards,
        "shards_done": len(runs) - len(failed),
        "failed_shards": failed,
    }
    for key in KEYS:  # the latest pass of each unit
        summary[key] = sum(int((r.totals or {}).get(key, 0)) for r in runs if r.status == "done")
    for key in (
        "credited",
        "coins",
        "grams",
    ):  # every run's credits, each counted by the run that made it
        summary[key + "_total"] = sum(int(getattr(r, key + "_total") or 0) for r in runs)
    status = "done" if summary["shards_done"] == settings.settle_shards else "incomplete"
    # An update, not a put: the date record also holds the late-data marks (core.carbon.late).
    SettlementRun(date, DATE_RUN).update(
        actions=[
            SettlementRun.status.set(status),
            SettlementRun.totals.set(summary),
            SettlementRun.finished_at.set(_now()),
        ]
    )
    log("settle_date", status=status, duration_ms=duration_ms, **summary)
    if status == "done" and date == localday.yesterday():
        # Watched by the settle_date_missing alarm (infra/alarms.py), on its absence by 04:00.
        metric("YesterdaySettled", 1)
    return summary


def all_shards_done(settings, date: str) -> bool:
    runs = [r for r in SettlementRun.query(date, consistent_read=True) if r.shard != DATE_RUN]
    return len(runs) == settings.settle_shards and all(r.status == "done" for r in runs)


def forget_position(user_id: str, dates, shards: int) -> int:
    """A citizen's erasure whose id must not stay anywhere (a legacy account's: core.citizens.rekey):
    a unit run whose resume cursor is this user gets an equivalent one. Their records are erased
    already, so resuming after the shard's previous user (or a new pass, if none: only differences
    are credited) settles exactly who resuming after them would; a finished run's cursor is never
    read again and goes. One BatchGetItem; a conditional write only where the cursor names them."""
    shard = shard_of(user_id, shards)
    keys = sorted({(d, shard) for d in dates})
    changed = 0
    for run in SettlementRun.batch_get(keys, consistent_read=True):
        if run.position != user_id:
            continue
        before = None
        if run.status != "done":
            for b in Behaviour.query(
                partition(run.date, shard),
                Behaviour.sk < user_id,
                scan_index_forward=False,
                limit=1,
            ):
                before = b.user_id
        action = SettlementRun.position.set(before) if before else SettlementRun.position.remove()
        try:
            run.update(actions=[action], condition=SettlementRun.position == user_id)
            changed += 1
        except UpdateError as e:
            if e.cause_response_code != "ConditionalCheckFailedException":
                raise  # the run moved on meanwhile
    return changed
