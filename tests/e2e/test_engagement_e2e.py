"""What brings a citizen back, over HTTP on the local stack: the emissions questionnaire, the
opt-in ranking after a settlement, the inbox, and the merchant directory (issue 28)."""

import uuid
from urllib.parse import quote

import pytest

from tests.e2e.test_journey_e2e import _card_boarded_today, _put_trips
from tests.support.citizens import call

pytestmark = pytest.mark.e2e


def _nickname() -> str:
    # Letters only: a nickname with a long run of digits is refused (it could be a phone number).
    return "lv" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:8])


def test_e2e__estimate_is_the_sum_of_its_parts__each_factor_sourced(stack):
    citizen, *_ = _card_boarded_today(stack)
    answers = {
        "household_kwh_month": 300,
        "household_size": 3,
        "gas_m3_month": 10,
        "car_km_week": 100,
        "car_fuel": "petrol",
        "flights": {"short": 2, "medium": 1, "long": 0},
        "diet": "average",
        "clothes_items_year": 10,
        "electronics_items_year": 1,
    }
    r = call(stack, "POST", "/api/v1/footprint/estimate", answers, citizen.auth)
    assert r.status == 200, r.body
    assert r.body["total_kg"] == sum(p["kg"] for p in r.body["parts"]) > 0
    assert all(p["source"] and p["evidence"] for p in r.body["parts"])
    assert r.body["saved_at"] is None  # not asked to save: nothing kept
    assert call(stack, "GET", "/api/v1/footprint/estimate", headers=citizen.auth).status == 404


def test_e2e__two_listed_ranked_in_order__the_third_sees_only_their_own_rank__inbox_marks_read(
    stack,
):
    riders = [_card_boarded_today(stack) for _ in range(3)]
    day = riders[0][2]
    rows = []
    for n, (_, card_no, _, at, tag) in zip((3, 2, 1), riders):
        rows += [f"t-{tag}-{i},{card_no},metro,{at},3号线,体育西路,珠江新城,2.1" for i in range(n)]
    names = [_nickname(), _nickname()]
    for (citizen, *_), name in zip(riders, names):
        r = call(
            stack, "PUT", "/api/v1/rankings/me", {"listed": True, "nickname": name}, citizen.auth
        )
        assert r.status == 200, r.body
    assert stack.cli("ingest", "s3", _put_trips(stack, day, rows)).returncode == 0
    r = stack.cli("settle", "--date", day)
    assert r.returncode == 0, r.stderr[-2000:]

    third = riders[2][0]
    ranking = call(stack, "GET", "/api/v1/rankings?period=week", headers=third.auth).body
    shown = [i["nickname"] for i in ranking["items"]]
    assert names[0] in shown and names[1] in shown
    assert shown.index(names[0]) < shown.index(names[1])  # more grams, higher
    assert ranking["me"]["listed"] is False and ranking["me"]["grams"] > 0
    assert isinstance(ranking["me"]["rank"], int) and ranking["me"]["rank"] >= 1

    first = riders[0][0]
    inbox = call(stack, "GET", "/api/v1/inbox", headers=first.auth).body
    assert inbox["unread"] >= 1 and inbox["items"][0]["read"] is False, inbox
    assert call(stack, "POST", "/api/v1/inbox/read", {"all": True}, first.auth).status == 204
    assert call(stack, "GET", "/api/v1/inbox", headers=first.auth).body["unread"] == 0

    export = call(stack, "GET", "/api/v1/me/export", headers=first.auth).body
    assert export["ranking"]["nickname"] == names[0], export.get("ranking")


def test_e2e__merchant_directory_filters_by_district(stack):
    citizen, *_ = _card_boarded_today(stack)
    r = call(
        stack,
        "GET",
        "/api/v1/merchants?district=" + quote("天河区") + "&limit=100",
        headers=citizen.auth,
    )
    assert r.status == 200 and r.body["items"], r.body
    assert {m["district"] for m in r.body["items"]} == {"天河区"}
