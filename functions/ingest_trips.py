"""S3 ObjectCreated on yct/trips/YYYY-MM-DD/*.csv: stream the file into behaviour records.
A re-delivered event changes nothing (trip ids are stored once). One `ingest_trips` summary
line per invocation, with the counts summed over its files."""
import re
from urllib.parse import unquote_plus

from core.carbon import trips
from core.runlog import run_summary
from functions.runtime import ready

KEY = re.compile(r"^yct/trips/\d{4}-\d{2}-\d{2}/[^/]+\.csv$")
COUNTS = ("rows", "accepted", "duplicates", "unbound", "malformed")


def ingest_object(settings, s3, bucket: str, key: str, progress=None) -> dict:
    body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    lines = (line.decode("utf-8-sig") for line in body.iter_lines())  # streamed, never read whole
    return trips.ingest_lines(settings, lines, progress=progress)


def handler(event, context):
    settings, gateways = ready()
    results = []
    with run_summary("ingest_trips", files=0, skipped_files=0, **{k: 0 for k in COUNTS}) as line:
        line["keys"] = []
        for record in (event or {}).get("Records", []):
            bucket = record["s3"]["bucket"]["name"]
            key = unquote_plus(record["s3"]["object"]["key"])
            line["bucket"] = bucket
            if not KEY.match(key):
                line["skipped_files"] += 1  # not a trip file key: the S3 filter should not have sent it
                continue
            counts = ingest_object(settings, gateways.s3, bucket, key)
            results.append({"key": key, **counts})
            line["files"] += 1
            line["keys"].append(key)
            for k in COUNTS:
                line[k] += counts[k]
    return {"files": results}
