"""ingest trips FILE · ingest s3 KEY"""

import os
import sys

import click

from infra.cli import cli, services, summary


def _line(c: dict) -> str:
    return (
        f"{c['rows']} rows: {c['accepted']} accepted, {c['duplicates']} duplicates, {c['unbound']} unbound, "
        f"{c['malformed']} malformed"
        + (f" (lines {c['malformed_lines'][:10]})" if c["malformed"] else "")
        + "".join(f", {c[k]} {k.replace('_', ' ')}" for k in ("in_future", "too_old") if c.get(k))
    )


@cli.group(help="Load behaviour data.")
def ingest():
    pass


@ingest.command(
    "trips",
    help="Ingest a Yangchengtong trip CSV from a local file (same rules as the S3 function).",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def ingest_trips(settings, path):
    from tqdm import tqdm

    from core.carbon import trips

    with (
        open(path, encoding="utf-8-sig", newline="") as f,
        tqdm(desc=os.path.basename(path), unit="row", file=sys.stderr) as bar,
    ):
        counts = trips.ingest_lines(settings, f, progress=bar.update)
    summary(f"ingested {os.path.basename(path)}: {_line(counts)}")


@ingest.command(
    "s3", help="Ingest a trip file already in the trip bucket (what the S3 event does)."
)
@click.argument("key")
@click.pass_obj
def ingest_s3(settings, key):
    from tqdm import tqdm

    from functions.ingest_trips import KEY, ingest_object

    if not KEY.match(key):
        raise click.BadParameter("expected yct/trips/YYYY-MM-DD/NAME.csv")
    with tqdm(desc=key, unit="row", file=sys.stderr) as bar:
        counts = ingest_object(
            settings, services().gateways.s3, settings.trip_bucket, key, progress=bar.update
        )
    summary(f"ingested s3://{settings.trip_bucket}/{key}: {_line(counts)}")
