"""The worker's SQS entry point: one invocation takes the units Lambda's event source
mapping hands it (batch size 1 in zappa_settings.json) and runs each.

A unit that raises fails the invocation: SQS hands it out again after its visibility
timeout and moves it to the dead-letter queue after work_queue.MAX_RECEIVES attempts.
Every job is safe to repeat (settlement credits only differences; trip ids are stored once).
"""

import json

import bootstrap


def settle(services, unit, context):
    """One settlement unit; cut off near the invocation's time limit, it checkpoints and puts
    itself back on the queue, and the next invocation resumes after the checkpoint."""
    from core import localday
    from core.carbon import settlement_runs
    from functions import work_queue

    settings = services.settings
    date = localday.parse_date(unit["date"]).isoformat()
    time_left = context.get_remaining_time_in_millis if context is not None else None
    totals = settlement_runs.run_shard(
        settings, date, int(unit["unit"]), services.registry(), time_left=time_left
    )
    if not totals["complete"]:
        work_queue.put(settings, services.gateways.sqs, [unit])
        return totals
    if settlement_runs.all_shards_done(settings, date):
        settlement_runs.summarize_date(settings, date)
    return totals


def ingest_range(services, unit, context):
    from functions.ingest_trips import ingest_range as run

    return run(services.settings, services.gateways, unit, context)


JOBS = {"settle": settle, "ingest_range": ingest_range}


def run_unit(unit: dict, context=None):
    services = bootstrap.for_function()
    job = JOBS.get(unit.get("job"))
    if job is None:
        raise ValueError(f"unknown work unit job {unit.get('job')!r}")
    return job(services, unit, context)


def handler(event, context):
    return [
        run_unit(json.loads(record["body"]), context) for record in (event or {}).get("Records", [])
    ]
