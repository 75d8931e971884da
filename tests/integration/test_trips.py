import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.carbon import trips
from models.behaviours import Behaviour

pytestmark = pytest.mark.usefixtures(
    "yct_sim"
)  # binding a card asks Yangchengtong whether it exists

HEADER = ",".join(trips.COLUMNS)


def bind(client, citizen, card):
    r = client.post(
        "/api/v1/cards", json={"card_no": card}, headers={"Authorization": citizen["Authorization"]}
    )
    assert r.status_code == 201
    return r.json


def iso(dt):
    return dt.astimezone(timezone(timedelta(hours=8))).isoformat()


def csv_of(*rows):
    return io.StringIO("\n".join([HEADER, *rows]) + "\n")


def test_ingest__bound_card__records_keyed_by_user(client, citizen, aws):
    bind(client, citizen, "4000000001")
    now = datetime.now(UTC)
    counts = trips.ingest_lines(
        aws,
        csv_of(
            f"T1,4000000001,metro,{iso(now)},3,体育西路,珠江新城,2.1",
            f"T2,5100004000000001,bus,{iso(now)},B1,,,",
        ),
    )
    assert (counts["accepted"], counts["unbound"], counts["malformed"]) == (2, 0, 0)
    items = list(Behaviour.scan())
    assert {i.source_id for i in items} == {"T1", "T2"} and {i.user_id for i in items} == {
        citizen["user"]["id"]
    }
    assert next(i for i in items if i.source_id == "T1").facts["from_station"] == "体育西路"


def test_ingest__same_file_twice__duplicates_not_added(client, citizen, aws):
    bind(client, citizen, "4000000002")
    row = f"T9,4000000002,metro,{iso(datetime.now(UTC))},3,,,"
    trips.ingest_lines(aws, csv_of(row))
    again = trips.ingest_lines(aws, csv_of(row))
    assert (again["accepted"], again["duplicates"]) == (0, 1) and Behaviour.count() == 1


def test_ingest__trip_before_binding_or_after_unbinding__unbound(client, citizen, aws):
    card = bind(client, citizen, "4000000003")
    before = iso(datetime.now(UTC) - timedelta(hours=1))
    client.delete(
        f"/api/v1/cards/{card['id']}", headers={"Authorization": citizen["Authorization"]}
    )
    after = iso(datetime.now(UTC) + timedelta(seconds=1))
    counts = trips.ingest_lines(
        aws, csv_of(f"TB,4000000003,metro,{before},3,,,", f"TA,4000000003,metro,{after},3,,,")
    )
    assert (counts["accepted"], counts["unbound"]) == (0, 2)


def test_ingest__malformed_rows__counted_with_lines_and_good_rows_kept(client, citizen, aws):
    bind(client, citizen, "4000000004")
    now = iso(datetime.now(UTC))
    counts = trips.ingest_lines(
        aws,
        csv_of(
            f"G1,4000000004,metro,{now},3,,,",
            "only,three,columns",
            f"B2,40000,metro,{now},3,,,",
            f"B3,4000000004,rocket,{now},3,,,",
            "B4,4000000004,metro,yesterday,3,,,",
            f"G2,4000000004,bus,{now},1,,,",
        ),
    )
    assert (counts["accepted"], counts["malformed"], counts["malformed_lines"]) == (
        2,
        4,
        [3, 4, 5, 6],
    )


def test_s3_event__real_event_document__ingests_and_redelivery_changes_nothing(
    client, citizen, aws
):
    from functions import ingest_trips
    from gateways import aws_client
    from tests.support.events import load_event

    bind(client, citizen, "4000000005")
    body = "\n".join([HEADER, f"S1,4000000005,metro,{iso(datetime.now(UTC))},3,,,"]).encode()
    aws_client("s3", aws).put_object(
        Bucket=aws.trip_bucket, Key="yct/trips/2026-11-23/part 1.csv", Body=body
    )
    event = load_event("s3_trip_file")
    event["Records"][0]["s3"]["bucket"]["name"] = aws.trip_bucket
    first = ingest_trips.handler(event, None)["files"][0]
    second = ingest_trips.handler(event, None)["files"][0]
    assert (first["accepted"], second["accepted"], second["duplicates"]) == (1, 0, 1)


def test_ingest__trip_repeated_before_and_after_its_batch_written__stored_once(
    client, citizen, aws, monkeypatch
):
    monkeypatch.setattr(
        trips, "CHUNK_ROWS", 50
    )  # cards read every 50 rows: the first CHUNK trips written by row 100
    bind(client, citizen, "4000000006")
    now = iso(datetime.now(UTC))
    rows = [f"R{i},4000000006,metro,{now},3,,," for i in range(trips.CHUNK + 20)]
    rows += [rows[1], rows[trips.CHUNK + 5]]  # one repeats a written trip, one a trip still waiting
    counts = trips.ingest_lines(aws, csv_of(*rows))
    assert (counts["accepted"], counts["duplicates"]) == (trips.CHUNK + 20, 2)
    assert Behaviour.count() == trips.CHUNK + 20


def test_ingest__paced__a_range_waits_to_stay_within_its_rows_per_second(aws, monkeypatch):
    # A clock that moves only when the pace waits: the work itself takes no time, so every wait is
    # exactly what the rows are ahead of it, however loaded the machine running this is.
    clock, slept = [0.0], []

    def wait(seconds):
        slept.append(seconds)
        clock[0] += seconds

    real_pace = trips.Pace
    monkeypatch.setattr(
        trips, "Pace", lambda per_second: real_pace(per_second, clock=lambda: clock[0], sleep=wait)
    )
    at = iso(datetime.now(UTC))
    counts = trips.ingest_lines(
        aws.with_(ingest_rows_per_second=1000),
        csv_of(*(f"P{n},{4100000000 + n},metro,{at},3,,," for n in range(2500))),
    )
    assert counts["rows"] == 2500 and counts["unbound"] == 2500
    # A wait before each chunk (100 cards at 1,000 rows/s: 0.1 s): 2,500 rows take 2.5 s.
    assert slept == pytest.approx([0.1] * 25) and clock[0] == pytest.approx(2.5)
    assert (
        trips.ingest_lines(aws, csv_of(f"P0,4100000000,metro,{at},3,,,"))["rows"] == 1
        and len(slept) == 25
    )
