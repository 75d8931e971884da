"""Trust boundaries: re-bound cards, full-width card numbers, partner write failures,
partner record rules, retroactive methodology versions, the records behind a day."""

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.carbon import partners, settlement_runs, trips
from core.carbon.cards import card_hash
from models import Account
from models.behaviours import Behaviour
from models.cards import BindingPeriod, CardHistory
from tests.integration.test_partner_push import PATH, link, rec, signed
from tests.support.cli import run_cli

SH = timezone(timedelta(hours=8))


def at(day, hour):
    return datetime.combine(day, datetime.min.time(), SH).replace(hour=hour).isoformat()


def test_rebinding__trip_reingested_after_the_card_moved__credits_nobody_twice(aws):
    h = card_hash(aws, "4000000009")
    day = datetime.now(SH).date() - timedelta(days=1)
    CardHistory(
        h,
        periods=[
            BindingPeriod(
                user_id="ua", bound_at="2026-01-01T00:00:00+00:00", unbound_at=at(day, 12)
            )
        ],
    ).save()
    header = ",".join(trips.COLUMNS)
    row = f"T77,4000000009,metro,{at(day, 8)},3,,,"
    assert trips.ingest_lines(aws, io.StringIO(f"{header}\n{row}\n"))["accepted"] == 1
    # The binding history is corrected: the card is now held by ub over the trip's time too.
    CardHistory(
        h, periods=[BindingPeriod(user_id="ub", bound_at="2026-01-02T00:00:00+00:00")]
    ).save()
    again = trips.ingest_lines(aws, io.StringIO(f"{header}\n{row}\n"))
    assert (again["accepted"], again["duplicates"]) == (0, 1) and Behaviour.count() == 1
    settlement_runs.run_date(aws, day.isoformat(), workers=1)
    assert Account.get("ua").grams_total == 515 and Account.count("ub") == 0


def test_trip_file__future_and_too_old_trips__counted_not_stored(aws):
    CardHistory(
        card_hash(aws, "4000000008"),
        periods=[BindingPeriod(user_id="ua", bound_at="2020-01-01T00:00:00+00:00")],
    ).save()
    now = datetime.now(SH)
    rows = [
        f"TF,4000000008,metro,{(now + timedelta(hours=1)).isoformat()},3,,,",
        f"TO,4000000008,metro,{(now - timedelta(days=9)).isoformat()},3,,,",
    ]
    counts = trips.ingest_lines(
        aws, io.StringIO(",".join(trips.COLUMNS) + "\n" + "\n".join(rows) + "\n")
    )
    assert (counts["in_future"], counts["too_old"], counts["accepted"]) == (
        1,
        1,
        0,
    ) and Behaviour.count() == 0


def test_trip_file__full_width_card_number__malformed(aws):
    row = f"TW,４０００００００08,metro,{datetime.now(SH).isoformat()},3,,,"
    assert trips.ingest_lines(aws, io.StringIO(row + "\n"))["malformed"] == 1


def test_bind__full_width_digits__card_invalid(client, citizen):
    r = client.post(
        "/api/v1/cards",
        json={"card_no": "４０００００００01"},
        headers={"Authorization": citizen["Authorization"]},
    )
    assert r.status_code == 422 and r.json["error"]["code"] == "card_invalid"


def test_partner__invalid_facts_and_too_old__rejected_with_reasons(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes")
    uid = link(client, {"Authorization": citizen["Authorization"]}, pid, secret)
    bad = rec(uid, "b1")
    bad["facts"] = {"duration_s": "10 min"}
    old = rec(uid, "b2", when=datetime.now(UTC) - timedelta(days=9))
    raw, hd = signed(secret, pid, {"records": [bad, old, rec(uid, "b3")]})
    body = client.post(PATH, data=raw, headers=hd).json
    assert body["accepted"] == 1 and {(x["record_id"], x["reason"]) for x in body["rejected"]} == {
        ("b1", "invalid_facts"),
        ("b2", "too_old"),
    }


def test_partner__same_record_for_another_linked_user__duplicate(client, login, aws):
    pid, secret = partners.add_partner(aws, "bikes")
    (t1, _), (t2, _) = login(), login()
    ref1 = link(client, {"Authorization": f"Bearer {t1}"}, pid, secret, "ref-1")
    ref2 = link(client, {"Authorization": f"Bearer {t2}"}, pid, secret, "ref-2")
    raw, hd = signed(secret, pid, {"records": [rec(ref1, "r1")]})
    assert client.post(PATH, data=raw, headers=hd).json["accepted"] == 1
    raw, hd = signed(secret, pid, {"records": [rec(ref2, "r1")]})
    assert client.post(PATH, data=raw, headers=hd).json == {
        "accepted": 0,
        "duplicates": 1,
        "rejected": [],
    }


@pytest.fixture
def throttled_writes():
    """DynamoDB answers every TransactWriteItems that stores a source record with
    ThrottlingException (at the transport)."""
    from botocore.awsrequest import AWSResponse

    import models

    def throttle(params=None, **kwargs):
        if "source_claims" not in str(params):
            return None
        return (
            AWSResponse("https://dynamodb", 400, {}, None),
            {
                "Error": {"Code": "ThrottlingException", "Message": "slow down"},
                "ResponseMetadata": {"HTTPStatusCode": 400},
            },
        )

    events = models.connection().client.meta.events
    events.register("before-call.dynamodb.TransactWriteItems", throttle, unique_id="throttle")
    yield
    events.unregister("before-call.dynamodb.TransactWriteItems", unique_id="throttle")


def test_partner__throttled_write__503_retryable_never_a_duplicate(
    client, citizen, aws, throttled_writes
):
    pid, secret = partners.add_partner(aws, "bikes")
    ref = link(client, {"Authorization": citizen["Authorization"]}, pid, secret)
    raw, hd = signed(secret, pid, {"records": [rec(ref, "r1")]})
    r = client.post(PATH, data=raw, headers=hd)
    assert r.status_code == 503 and r.json["error"]["code"] == "service_unavailable"
    assert Behaviour.count() == 0


def test_methodology_publish__retroactive_negative_or_unsourced__refused(aws, capsys):
    today = datetime.now(SH).date()
    base = [
        "methodology",
        "publish",
        "metro",
        "--version",
        "2",
        "--evidence",
        "academic",
        "--by",
        "ops-li",
    ]
    tomorrow = today + timedelta(days=1)

    def publish(effective_from, grams_per_unit, *source) -> int:
        return run_cli(
            capsys,
            *base,
            "--effective-from",
            effective_from.isoformat(),
            "--grams-per-unit",
            grams_per_unit,
            *source,
        )[0]

    assert publish(today, "600", "--source", "x") != 0  # retroactive
    assert publish(tomorrow, "-1", "--source", "x") != 0  # negative
    assert publish(tomorrow, "600") != 0  # unsourced
    from models.methodologies import PublishedMethodology

    assert PublishedMethodology.count() == 0
    code = publish(tomorrow, "600", "--source", "a filed text")
    assert code == 0 and PublishedMethodology.get("metro", "2").published_by == "ops-li"


def test_settled_day__never_repriced_by_a_later_version(aws):
    from core.carbon.methodologies import new_version
    from models.methodologies import PublishedMethodology
    from tests.support.behaviours import add_behaviour

    day = "2026-11-23"
    add_behaviour(aws, "u1", day, "metro", 1, "t1")
    settlement_runs.run_date(aws, day, workers=1)
    # A version slipped in behind the rules' back (e.g. an old publication) covering the day:
    m = new_version(
        __import__("core.carbon.methodologies", fromlist=["Registry"])
        .Registry()
        .in_force("metro", day),
        "9",
        "2026-11-01",
        grams_per_unit=__import__("decimal").Decimal(900),
    )
    PublishedMethodology("metro", "9", data=m.to_dict(), published_at="x").save()
    add_behaviour(aws, "u1", day, "metro", 1, "t2", at="09:00")
    settlement_runs.run_date(aws, day, workers=1)
    assert Account.get("u1").grams_total == 2 * 515  # priced with v1, as the day first was


def test_coin_rate_raised__late_credit_never_negative_and_carry_kept(aws):
    from models.methodologies import PublishedMethodology
    from tests.support.behaviours import add_behaviour

    day = "2026-11-23"
    add_behaviour(aws, "u1", day, "metro", 1, "t1")
    settlement_runs.run_date(aws, day, workers=1)
    assert (Account.get("u1").balance, Account.get("u1").carry_grams) == (51, 5)
    # The rate doubles from before the day (as an old publication would have it), then late data arrives.
    PublishedMethodology(
        "_coin_rate",
        "2",
        data={
            "version": "2",
            "effective_from": "2026-01-01",
            "grams_per_coin": 20,
            "source": "test",
        },
        published_at="x",
    ).save()
    add_behaviour(aws, "u1", day, "bus", 1, "t2", at="09:00")
    settlement_runs.run_date(aws, day, workers=1)
    acc = Account.get("u1")
    assert acc.balance == 51 + (5 + 212) // 20 and acc.carry_grams == (5 + 212) % 20
    from models import LedgerEntry

    assert all(int(e.amount) >= 0 for e in LedgerEntry.query("u1") if e.kind == "settlement")
