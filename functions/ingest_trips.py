"""S3 ObjectCreated on yct/trips/YYYY-MM-DD/*.csv: stream the file into behaviour records.
A re-delivered event changes nothing (trip ids are stored once)."""
import re
from urllib.parse import unquote_plus

from core import trips
from core.logs import Timer, log
from functions.runtime import ready

KEY = re.compile(r"^yct/trips/\d{4}-\d{2}-\d{2}/[^/]+\.csv$")


def ingest_object(settings, s3, bucket: str, key: str, progress=None) -> dict:
    timer = Timer()
    body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    lines = (line.decode("utf-8-sig") for line in body.iter_lines())  # streamed, never read whole
    counts = trips.ingest_lines(settings, lines, progress=progress)
    log("ingest_trips", bucket=bucket, key=key, duration_ms=timer.ms, **counts)
    return counts


def handler(event, context):
    settings, gateways = ready()
    results = []
    for record in (event or {}).get("Records", []):
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        if not KEY.match(key):
            log("ingest_trips_skipped", bucket=bucket, key=key, reason="not a trip file key")
            continue
        results.append({"key": key, **ingest_object(settings, gateways.s3, bucket, key)})
    return {"files": results}
