"""S3 ObjectCreated on yct/trips/YYYY-MM-DD/*.csv: stream the file into behaviour records.
A re-delivered event changes nothing (trip ids are stored once). One `ingest_trips` summary
line per invocation, with the counts summed over its files.

A file larger than INGEST_RANGE_BYTES is not read here: its byte ranges go on the work
queue, each ingested by its own worker invocation (`ingest_range`), which hands the rest of
its range back to the queue when its time is nearly up.
"""

import re
from itertools import islice
from urllib.parse import unquote_plus

import bootstrap
from core.carbon import trips
from core.runlog import run_summary

KEY = re.compile(r"^yct/trips/\d{4}-\d{2}-\d{2}/[^/]+\.csv$")
COUNTS = ("rows", "accepted", "duplicates", "unbound", "malformed", "in_future", "too_old")
SLICE_LINES = 5000  # lines between checks of the time left (well under a minute of work)
RESERVE_MS = 60_000  # time kept to finish a slice and hand the rest back


def ingest_object(settings, s3, bucket: str, key: str, progress=None) -> dict:
    body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    lines = (line.decode("utf-8-sig") for line in body.iter_lines())  # streamed, never read whole
    return trips.ingest_lines(settings, lines, progress=progress)


def dispatch_ranges(settings, gateways, bucket: str, key: str, size: int) -> int:
    from functions import trip_ranges, work_queue

    units = [
        {"job": "ingest_range", "bucket": bucket, "key": key, "start": s, "end": e}
        for s, e in trip_ranges.ranges(size, settings.ingest_range_bytes)
    ]
    return work_queue.put(settings, gateways.sqs, units)


def ingest_range(settings, gateways, unit, context) -> dict:
    """Ingest the lines starting in [start, end) of the unit's file; if the invocation's time
    runs short, put the rest of the range back on the queue as a new unit and stop."""
    from functions import trip_ranges, work_queue

    bucket, key, end = unit["bucket"], unit["key"], int(unit["end"])
    lines = trip_ranges.lines_in_range(gateways.s3, bucket, key, int(unit["start"]), end)
    totals = dict.fromkeys(COUNTS, 0)
    with run_summary("ingest_range", key=key, start=int(unit["start"]), end=end) as line:
        while True:
            batch = list(islice(lines, SLICE_LINES))
            counts = trips.ingest_lines(settings, (text for _, text in batch))
            for k in COUNTS:
                totals[k] += counts[k]
            if len(batch) < SLICE_LINES:
                break
            if context is not None and context.get_remaining_time_in_millis() < RESERVE_MS:
                lines.close()
                rest = {**unit, "start": batch[-1][0]}  # where the next unread line starts
                work_queue.put(settings, gateways.sqs, [rest])
                line["handed_back_from"] = rest["start"]
                totals["handed_back_from"] = rest["start"]
                break
        line.update({k: totals[k] for k in COUNTS})
    return totals


def handler(event, context):
    services = bootstrap.for_function()
    settings, gateways = services.settings, services.gateways
    results = []
    with run_summary(
        "ingest_trips", files=0, skipped_files=0, ranges=0, **{k: 0 for k in COUNTS}
    ) as line:
        line["keys"] = []
        for record in (event or {}).get("Records", []):
            bucket = record["s3"]["bucket"]["name"]
            key = unquote_plus(record["s3"]["object"]["key"])
            line["bucket"] = bucket
            if not KEY.match(key):
                line["skipped_files"] += (
                    1  # not a trip file key: the S3 filter should not have sent it
                )
                continue
            line["files"] += 1
            line["keys"].append(key)
            size = int(record["s3"]["object"].get("size", 0))
            if size > settings.ingest_range_bytes:
                n = dispatch_ranges(settings, gateways, bucket, key, size)
                results.append({"key": key, "ranges": n})
                line["ranges"] += n
                continue
            counts = ingest_object(settings, gateways.s3, bucket, key)
            results.append({"key": key, **counts})
            for k in COUNTS:
                line[k] += counts[k]
    return {"files": results}
