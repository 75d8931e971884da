"""What brings a citizen back, over HTTP on the local stack: the emissions questionnaire, the
opt-in ranking after a settlement, the inbox (a credit; an appeal outcome and an order's expiry
warning and refund, marked read by ids and all), the merchant directory, and deletion taking the
saved estimate and the ranking choice with the account (issue 28)."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from core.localday import SHANGHAI
from tests.e2e.test_journey_e2e import _card_boarded_today, _put_trips
from tests.support.citizens import balance, call, login, make_shop

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
    print("estimate:", json.dumps(r.body, ensure_ascii=False))
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
    print("rankings:", json.dumps(ranking, ensure_ascii=False))
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


def _kinds(stack, citizen) -> tuple[list[str], dict]:
    box = call(stack, "GET", "/api/v1/inbox", headers=citizen.auth)
    assert box.status == 200, box.body
    return [i["kind"] for i in box.body["items"]], box.body


def _set_order_expiry(stack, order_id: str, at: datetime) -> None:
    """Time passes: the order's expiry is moved from outside the app (as test_mall_e2e does)."""
    from gateways import aws_client

    aws_client("dynamodb", stack.settings()).update_item(
        TableName=stack.settings().table_name("orders"),
        Key={"order_id": {"S": order_id}},
        UpdateExpression="SET expires_at = :t",
        ExpressionAttributeValues={":t": {"S": at.isoformat()}},
    )


def test_e2e__appeal_outcome_and_order_expiry_in_the_inbox__read_by_ids_then_all(stack):
    citizen = login(stack)
    yesterday = (datetime.now(SHANGHAI).date() - timedelta(days=1)).isoformat()
    r = call(
        stack, "POST", "/api/v1/appeals", {"date": yesterday, "note": "地铁未记录"}, citizen.auth
    )
    assert r.status == 201, r.body
    resolved = stack.cli(
        "appeals",
        "resolve",
        r.body["id"],
        "--coins",
        "5",
        "--reason",
        "核实后补发",
        "--by",
        "ops-e2e",
    )
    assert resolved.returncode == 0, resolved.stderr[-2000:]
    kinds, box = _kinds(stack, citizen)
    assert kinds == ["appeal_result"] and box["unread"] == 1, box
    assert "补发 5 枚碳币" in box["items"][0]["body"]

    shop = make_shop(stack, stock=3, price=2)
    order = call(stack, "POST", "/api/v1/orders", {"product_id": shop["product_id"]}, citizen.auth)
    assert order.status == 201, order.body
    # Within a day of its expiry: the hourly run warns; past it: the run expires and refunds it.
    _set_order_expiry(stack, order.body["id"], datetime.now(UTC) + timedelta(hours=2))
    assert stack.cli("expire-orders").returncode == 0
    _set_order_expiry(stack, order.body["id"], datetime.now(UTC) - timedelta(minutes=1))
    expired = stack.cli("expire-orders")
    assert expired.returncode == 0, expired.stderr[-2000:]
    mine = call(stack, "GET", f"/api/v1/orders/{order.body['id']}", headers=citizen.auth).body
    assert mine["status"] == "expired" and balance(stack, citizen) == 5, mine

    kinds, box = _kinds(stack, citizen)
    assert kinds == ["order_expired", "order_expiring", "appeal_result"], box
    assert box["unread"] == 3 and not any(i["read"] for i in box["items"])
    assert "已过期未使用，2 枚碳币已退回" in box["items"][0]["body"]
    appeal_item = box["items"][2]["id"]
    r = call(stack, "POST", "/api/v1/inbox/read", {"ids": [appeal_item]}, citizen.auth)
    assert r.status == 204, r.body
    _, box = _kinds(stack, citizen)
    assert box["unread"] == 2 and [i["read"] for i in box["items"]] == [False, False, True]
    assert call(stack, "POST", "/api/v1/inbox/read", {"all": True}, citizen.auth).status == 204
    _, box = _kinds(stack, citizen)
    assert box["unread"] == 0 and all(i["read"] for i in box["items"])


def _held(stack, user_id: str) -> list[str]:
    """The tables holding the citizen's saved estimate and ranking choice, read raw."""
    from gateways import aws_client

    db, s = aws_client("dynamodb", stack.settings()), stack.settings()
    keys = {
        "estimates": {"user_id": {"S": user_id}},
        "rankings": {"pk": {"S": f"choice#{user_id}"}, "sk": {"S": "-"}},
    }
    return [
        table
        for table, key in keys.items()
        if "Item" in db.get_item(TableName=s.table_name(table), Key=key, ConsistentRead=True)
    ]


def test_e2e__deletion_removes_the_saved_estimate_and_the_ranking_choice(stack):
    old = login(stack)
    saved = call(
        stack,
        "POST",
        "/api/v1/footprint/estimate",
        {"household_kwh_month": 200, "household_size": 2, "diet": "vegetarian", "save": True},
        old.auth,
    )
    assert saved.status == 200 and saved.body["saved_at"], saved.body
    name = _nickname()
    chosen = call(stack, "PUT", "/api/v1/rankings/me", {"listed": True, "nickname": name}, old.auth)
    assert chosen.status == 200, chosen.body
    export = call(stack, "GET", "/api/v1/me/export", headers=old.auth).body
    assert export["footprint_estimate"]["total_kg"] == saved.body["total_kg"]
    assert export["ranking"]["nickname"] == name

    assert _held(stack, old.user_id) == ["estimates", "rankings"]
    assert call(stack, "DELETE", "/api/v1/me", headers=old.auth).status == 204
    assert call(stack, "GET", "/api/v1/footprint/estimate", headers=old.auth).status == 401
    assert _held(stack, old.user_id) == []  # gone from the tables, not just hidden

    new = login(stack, old.name)  # the same WeChat user signs in again: a new, empty account
    assert new.user_id != old.user_id
    assert call(stack, "GET", "/api/v1/footprint/estimate", headers=new.auth).status == 404
    me = call(stack, "GET", "/api/v1/rankings?period=week", headers=new.auth).body["me"]
    assert me["listed"] is False and me["grams"] == 0, me
    export = call(stack, "GET", "/api/v1/me/export", headers=new.auth).body
    assert export["footprint_estimate"] is None and not export["ranking"], export.get("ranking")
