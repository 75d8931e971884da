"""A big trip file in byte ranges: every line is ingested by exactly one range whatever
the range size, ranges go through the work queue, and a range cut off by the time limit
hands the rest back and the totals stay exact."""
from datetime import datetime, timezone

import pytest

from functions import ingest_trips, trip_ranges, work_queue
from gateways import Gateways, aws_client
from models.behaviours import Behaviour
from tests.integration.test_trips import HEADER, bind, iso

pytestmark = pytest.mark.usefixtures("yct_sim")  # its riders bind cards, which asks Yangchengtong

KEY = "yct/trips/2026-11-23/big.csv"


def _file(card_rows: int, other_rows: int) -> bytes:
    at = iso(datetime.now(timezone.utc))  # after the test bound the card
    rows = [f"R{n},4000000021,metro,{at},3,体育西路,珠江新城,{n % 9}.5" for n in range(card_rows)]
    rows += [f"X{n},{4100000000 + n},bus,{at},B{n},,," for n in range(other_rows)]
    return ("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode()


def _put(aws, body):
    s3 = aws_client("s3", aws)
    s3.put_object(Bucket=aws.trip_bucket, Key=KEY, Body=body)
    return s3


@pytest.mark.parametrize("range_bytes", [1, 7, 64, 333, 10**6])
def test_lines_in_range__every_line_in_exactly_one_range(aws, range_bytes):
    body = _file(7, 5) + b"last,line,without,newline"
    s3 = _put(aws, body)
    got = [text for s, e in trip_ranges.ranges(len(body), range_bytes)
           for _, text in trip_ranges.lines_in_range(s3, aws.trip_bucket, KEY, s, e)]
    assert "".join(got) == body.decode("utf-8-sig")


class Context:
    def __init__(self, ms):
        self.ms = ms

    def get_remaining_time_in_millis(self):
        return self.ms


def _ingest_through_queue(aws, monkeypatch, body, range_bytes, context):
    s = aws.with_(ingest_range_bytes=range_bytes)
    gateways = Gateways(s)
    _put(aws, body)
    work_queue.ensure_queues(s, gateways.sqs)
    n = ingest_trips.dispatch_ranges(s, gateways, aws.trip_bucket, KEY, len(body))
    handed_back = []

    def run(unit):
        totals = ingest_trips.ingest_range(s, gateways, unit, context)
        handed_back.extend([totals["handed_back_from"]] if "handed_back_from" in totals else [])

    assert work_queue.drain(s, gateways.sqs, run, workers=2)["failed"] == 0
    return n, handed_back


def test_big_file__ranges_on_the_queue__each_trip_stored_once(client, citizen, aws, monkeypatch):
    bind(client, citizen, "4000000021")
    n, _ = _ingest_through_queue(aws, monkeypatch, _file(40, 25), 500, None)
    assert n > 5
    assert sorted(b.source_id for b in Behaviour.scan()) == sorted(f"R{i}" for i in range(40))


def test_range_cut_off_by_time_limit__rest_handed_back__totals_exact(client, citizen, aws, monkeypatch):
    bind(client, citizen, "4000000021")
    monkeypatch.setattr(ingest_trips, "SLICE_LINES", 4)
    body = _file(30, 10)
    n, handed_back = _ingest_through_queue(aws, monkeypatch, body, len(body) // 2, Context(1000))
    assert n == 2 and len(handed_back) >= 8  # every slice of 4 lines ran out of time
    assert sorted(b.source_id for b in Behaviour.scan()) == sorted(f"R{i}" for i in range(30))
