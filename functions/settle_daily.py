"""Scheduled at 02:00 Asia/Shanghai (cron(0 18 * * ? *) in UTC): settle the previous local day.

{"date": "YYYY-MM-DD"} in the event overrides the date; {"date": D, "shard": N} settles one
unit here. In AWS the dispatcher only puts the date's units on the work queue: the worker
function takes them through Lambda's event source mapping (functions.work_unit), whichever
unit finishes last writes the date's summary. Elsewhere (CLI, local stack) a thread pool
runs them in this process.
"""
import bootstrap
from core import localday
from core.carbon import settlement_runs


def handler(event, context):
    services = bootstrap.for_function()
    settings = services.settings
    event = event if isinstance(event, dict) else {}
    date = localday.parse_date(event["date"]).isoformat() if event.get("date") else localday.yesterday()
    if "shard" in event:
        return settlement_runs.run_shard(settings, date, int(event["shard"]), notifier=services.notifier())
    if context is not None and settings.stage in ("dev", "prod"):
        return dispatch(settings, services.gateways.sqs, date)
    return settlement_runs.run_date(settings, date, notifier=services.notifier())


def dispatch(settings, sqs, date: str) -> dict:
    from core.logs import log
    from functions import work_queue

    units = [{"job": "settle", "date": date, "unit": n} for n in range(settings.settle_shards)]
    sent = work_queue.put(settings, sqs, units)
    log("settle_date_dispatched", date=date, units=sent)
    return {"date": date, "dispatched": sent}
