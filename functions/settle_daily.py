"""Scheduled at 02:00 Asia/Shanghai (cron(0 18 * * ? *) in UTC): settle the previous local day.

{"date": "YYYY-MM-DD"} in the event overrides the date; {"date": D, "shard": N} settles one
shard (what the scheduler fans out). In AWS each shard is its own asynchronous Lambda
invocation (zappa's task invocation); elsewhere a thread pool runs them.
"""
from core.carbon import settlement_runs
from functions.runtime import ready


def handler(event, context):
    settings, _ = ready()
    event = event if isinstance(event, dict) else {}
    date = settlement_runs.valid_date(event["date"]) if event.get("date") else settlement_runs.previous_local_day()
    if "shard" in event:
        return settlement_runs.run_shard(settings, date, int(event["shard"]))
    runner = _lambda_fan_out if context is not None and settings.stage in ("dev", "prod") else None
    return settlement_runs.run_date(settings, date, shard_runner=runner)


def settle_shard_task(date: str, shard: int):
    """Entry point of one shard's asynchronous invocation; the date's summary line is written
    by whichever shard finds all shards done."""
    settings, _ = ready()
    totals = settlement_runs.run_shard(settings, date, shard)
    if settlement_runs.all_shards_done(settings, date):
        settlement_runs.summarize_date(settings, date)
    return totals


def _lambda_fan_out(date: str, shard: int):
    from zappa.asynchronous import run

    run(settle_shard_task, kwargs={"date": date, "shard": shard}, service="lambda")
    return {"dispatched": shard}
