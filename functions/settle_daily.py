"""Scheduled at 02:00 Asia/Shanghai (cron(0 18 * * ? *) in UTC): settle the previous local day
and every earlier day of the late-data window that received records after it was settled.

{"date": "YYYY-MM-DD"} in the event settles that date only (never a date after today); {"date": D, "shard": N} settles one
unit here. In AWS the dispatcher only puts the date's units on the work queue: the worker
function takes them through Lambda's event source mapping (functions.work_unit), whichever
unit finishes last writes the date's summary. Elsewhere (CLI, local stack) a thread pool
runs them in this process.
"""

import bootstrap
from core.carbon import settlement_runs


def handler(event, context):
    services = bootstrap.for_function()
    settings = services.settings
    event = event if isinstance(event, dict) else {}
    in_aws = context is not None and settings.stage in ("dev", "prod")
    if not event.get("date"):
        if in_aws:
            return {
                "dates": [
                    dispatch(settings, services.gateways.sqs, d)
                    for d in settlement_runs.due_dates()
                ]
            }
        return {"dates": settlement_runs.run_due(settings)}
    date = settlement_runs.settleable(event["date"])
    if "shard" in event:
        return settlement_runs.run_shard(settings, date, int(event["shard"]), services.registry())
    if in_aws:
        return dispatch(settings, services.gateways.sqs, date)
    return settlement_runs.run_date(settings, date)


def dispatch(settings, sqs, date: str) -> dict:
    from core.carbon import late
    from core.logs import log
    from functions import work_queue

    late.run_started(date)  # before any unit reads a record: later arrivals mark the day again
    units = [{"job": "settle", "date": date, "unit": n} for n in range(settings.settle_shards)]
    sent = work_queue.put(settings, sqs, units)
    log("settle_date_dispatched", date=date, units=sent)
    return {"date": date, "dispatched": sent}
