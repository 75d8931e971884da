"""A big trip file in byte ranges: every line is ingested by exactly one range whatever
the range size, ranges go through the work queue, and a range cut off by the time limit
hands the rest back and the totals stay exact."""

from datetime import UTC, datetime, timedelta

import pytest

from functions import ingest_trips, trip_ranges, work_queue
from gateways import Gateways, aws_client
from models.behaviours import Behaviour
from tests.integration.test_trips import HEADER, bind, iso

pytestmark = pytest.mark.usefixtures("yct_sim")  # its riders bind cards, which asks Yangchengtong

KEY = "yct/trips/2026-11-23/big.csv"


def _file(card_rows: int, other_rows: int) -> bytes:
    at = iso(datetime.now(UTC))  # after the test bound the card
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
    got = [
        text
        for s, e in trip_ranges.ranges(len(body), range_bytes)
        for _, text in trip_ranges.lines_in_range(s3, aws.trip_bucket, KEY, s, e)
    ]
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


def test_range_cut_off_by_time_limit__rest_handed_back__totals_exact(
    client, citizen, aws, monkeypatch
):
    bind(client, citizen, "4000000021")
    monkeypatch.setattr(ingest_trips, "SLICE_LINES", 4)
    body = _file(30, 10)
    n, handed_back = _ingest_through_queue(aws, monkeypatch, body, len(body) // 2, Context(1000))
    assert n == 2 and len(handed_back) >= 8  # every slice of 4 lines ran out of time
    assert sorted(b.source_id for b in Behaviour.scan()) == sorted(f"R{i}" for i in range(30))


def _bindings(aws):
    """Card 1: u1 all along; card 2: u2 until `switch`, then u3; card 3 never bound."""
    from core.carbon.cards import card_hash
    from models.cards import BindingPeriod, CardHistory

    now = datetime.now(UTC)
    switch = (now - timedelta(minutes=90)).isoformat()
    CardHistory(
        card_hash(aws, "4000000031"),
        periods=[BindingPeriod(user_id="u1", bound_at="2026-01-01T00:00:00+00:00")],
    ).save()
    CardHistory(
        card_hash(aws, "4000000032"),
        periods=[
            BindingPeriod(user_id="u2", bound_at="2026-01-01T00:00:00+00:00", unbound_at=switch),
            BindingPeriod(user_id="u3", bound_at=switch),
        ],
    ).save()
    at = [iso(now - timedelta(minutes=m)) for m in (120, 60)]  # before and after the switch
    rows = [f"A{n},4000000031,metro,{at[n % 2]},3,体育西路,珠江新城,{n % 9}.5" for n in range(23)]
    rows += [f"B{n},5100004000000032,bus,{at[n % 2]},B{n},,," for n in range(17)]
    rows += [f"C{n},4000000033,bus,{at[0]},B1,,," for n in range(6)] + [
        "bad,row",
        rows[3],
        rows[30],
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _stored():
    """What ingestion stored, without the stamps of when."""
    import json

    from models.claims import SourceClaim

    return (
        sorted(
            (
                b.pk,
                b.sk,
                b.user_id,
                b.date,
                b.scenario,
                b.occurred_at,
                json.dumps(b.facts, sort_keys=True),
            )
            for b in Behaviour.scan()
        ),
        sorted((c.key, c.user_id, c.date) for c in SourceClaim.scan()),
    )


def _run_ranges(s, body, crash_at=None, answer_lost=False):
    """Each range as the worker runs it; a range whose run fails is run again from its start
    (SQS re-delivers the unit). Returns the counts of the runs that finished."""
    from tests.support.faults import fail_write

    gateways, finished = Gateways(s), []
    _put(s, body)
    if crash_at:
        fail_write(s, crash_at, after_applying=answer_lost)
    for start, end in trip_ranges.ranges(len(body), len(body) // 2 + 1):
        unit = {
            "job": "ingest_range",
            "bucket": s.trip_bucket,
            "key": KEY,
            "start": start,
            "end": end,
        }
        try:
            finished.append(ingest_trips.ingest_range(s, gateways, unit, None))
        except Exception:
            finished.append(ingest_trips.ingest_range(s, gateways, unit, None))  # re-delivered
    return finished


@pytest.mark.parametrize(
    "crash_at, answer_lost", [(1, False), (2, False), (4, False), (6, False), (3, True)]
)
def test_range_crashed_between_writes__redone__same_trips_as_one_clean_run(
    endpoint_aws, monkeypatch, crash_at, answer_lost
):
    """The k-th write of the ingestion fails (behaviours written but not their claims, or half a
    file's batches): the range is redone from its start and stores exactly what a clean run does."""
    from core.carbon import trips
    from core.carbon.late import DATE_RUN
    from models.claims import SourceClaim
    from models.settlement import SettlementRun
    from tests.support.faults import faults

    monkeypatch.setattr(trips, "CHUNK", 10)  # several write batches in each range
    s = endpoint_aws
    body = _bindings(s)
    clean = _run_ranges(s, body)
    assert sum(c["accepted"] for c in clean) == 40 and sum(c["unbound"] for c in clean) == 6
    expected = _stored()
    assert {u for (_, _, u, *_) in expected[0]} == {"u1", "u2", "u3"}
    for item in [*Behaviour.scan(), *SourceClaim.scan()]:
        item.delete()
    days = {d for (_, _, _, d, *_) in expected[0]}
    for day in days:  # the days are settled already: a trip stored for them must mark them
        SettlementRun(day, DATE_RUN, late_marks=0).save()

    resumed = _run_ranges(s, body, crash_at, answer_lost)
    assert faults(s)["failed"] == 1  # the write did fail
    assert _stored() == expected
    assert sum(c["accepted"] for c in resumed) <= 40 and sum(c["duplicates"] for c in resumed) >= 2
    assert all(SettlementRun.get(d, DATE_RUN).late_marks >= 1 for d in days)
