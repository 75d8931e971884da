"""The citizen journey over real HTTP against the local stack, with ops steps run as ops
would run them (`tanpuhui` in its own process, the ingest Lambda's handler on an S3 event):
login → bind a card → trip file in S3 → pending grams → settle → coins with provenance →
top-up by adjustment → order → merchant redeems once → reconciliation list."""

import json
import random
import subprocess
import sys
import uuid
from datetime import datetime, timedelta

import pytest

from core.localday import SHANGHAI
from tests.support.citizens import Citizen, balance, call, login, notices_to
from tests.support.events import load_event

pytestmark = pytest.mark.e2e
CSV_HEADER = "trip_id,card_no,mode,boarded_at,line,from_station,to_station,distance_km\n"


def _card_no() -> str:
    # Unique per test run on a shared stack; a leading 9 is what the simulator reports unknown.
    return str(random.randint(1_000_000_000, 8_999_999_999))


def _bind(stack, citizen: Citizen) -> tuple[str, dict]:
    card_no = _card_no()
    r = call(stack, "POST", "/api/v1/cards", {"card_no": card_no}, citizen.auth)
    assert r.status == 201, r.body
    assert r.body["masked_no"] == card_no[:2] + "****" + card_no[-4:] and card_no not in json.dumps(
        r.body
    )
    return card_no, r.body


def _after_binding(card: dict, seconds: int) -> datetime:
    """A boarding time just after the binding: trips before it belong to nobody."""
    return (datetime.fromisoformat(card["bound_at"]) + timedelta(seconds=seconds)).astimezone(
        SHANGHAI
    )


def _card_boarded_today(stack):
    """A new citizen with a bound card, and a boarding a second after the binding: (citizen, card_no,
    day, boarded at, a fresh tag for trip ids). Skips when that second falls on tomorrow in Shanghai."""
    citizen = login(stack)
    card_no, card = _bind(stack, citizen)
    boarded = _after_binding(card, 1)
    if boarded.date() != datetime.now(SHANGHAI).date():
        pytest.skip("the binding and today straddle midnight in Shanghai")
    return citizen, card_no, boarded.date().isoformat(), boarded.isoformat(), uuid.uuid4().hex[:10]


def _put_trips(stack, day: str, rows: list[str]) -> str:
    from gateways import aws_client

    key = f"yct/trips/{day}/e2e-{uuid.uuid4().hex[:8]}.csv"
    aws_client("s3", stack.settings()).put_object(
        Bucket=stack.settings().trip_bucket,
        Key=key,
        Body=(CSV_HEADER + "".join(r + "\n" for r in rows)).encode(),
    )
    return key


def _pending(stack, citizen: Citizen) -> int:
    r = call(stack, "GET", "/api/v1/coins", headers=citizen.auth)
    assert r.status == 200, r.body
    return r.body["pending_grams_today"]


def _run_ingest_lambda(stack, key: str) -> dict:
    """The S3-triggered function's real handler, on the sample S3 event pointed at `key`."""
    event = load_event("s3_trip_file")
    event["Records"][0]["s3"]["bucket"]["name"] = stack.settings().trip_bucket
    event["Records"][0]["s3"]["object"]["key"] = key
    code = (
        "import json,sys; from functions.ingest_trips import handler; "
        "print(json.dumps(handler(json.loads(sys.stdin.read()), None)))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(event),
        env=stack.tool_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_e2e__card_trip_file_in_s3__records_found_and_unbinding_stops_counting(stack):
    """Issue 3: bind a card, drop a trip file into the local S3, find the records."""
    citizen = login(stack)
    card_no, card = _bind(stack, citizen)
    boarded = _after_binding(card, 1)
    if boarded.date() != datetime.now(SHANGHAI).date():
        pytest.skip(
            "the binding and today straddle midnight in Shanghai"
        )  # pending grams are today's only
    day, at = boarded.date().isoformat(), boarded.isoformat()
    key = _put_trips(
        stack,
        day,
        [
            f"i3-{uuid.uuid4().hex}-m,{card_no},metro,{at},3号线,体育西路,客村,",
            f"i3-{uuid.uuid4().hex}-b,510000{card_no},bus,{at},B1,,,3.5",
        ],
    )
    result = _run_ingest_lambda(stack, key)
    assert [(f["rows"], f["accepted"], f["unbound"], f["malformed"]) for f in result["files"]] == [
        (2, 2, 0, 0)
    ]
    assert _pending(stack, citizen) == 515 + 212

    # Re-delivery of the same event stores nothing twice.
    again = _run_ingest_lambda(stack, key)
    assert (again["files"][0]["accepted"], again["files"][0]["duplicates"]) == (0, 2)
    assert _pending(stack, citizen) == 515 + 212

    # After unbinding, the card's trips belong to nobody.
    assert call(stack, "DELETE", f"/api/v1/cards/{card['id']}", headers=citizen.auth).status == 204
    later = datetime.now(SHANGHAI) + timedelta(seconds=1)
    key2 = _put_trips(
        stack, day, [f"i3-{uuid.uuid4().hex}-late,{card_no},metro,{later.isoformat()},5号线,,,"]
    )
    assert [(f["accepted"], f["unbound"]) for f in _run_ingest_lambda(stack, key2)["files"]] == [
        (0, 1)
    ]
    assert _pending(stack, citizen) == 515 + 212


def test_e2e__unknown_card__refused_by_yangchengtong(stack):
    citizen = login(stack)
    r = call(stack, "POST", "/api/v1/cards", {"card_no": "9" + _card_no()[1:]}, citizen.auth)
    assert (r.status, r.body["error"]["code"]) == (422, "card_invalid")
    assert call(stack, "GET", "/api/v1/cards", headers=citizen.auth).body["items"] == []


def _seeded_product_over(stack, coins: int) -> dict:
    """A demo product the trips alone cannot pay for, so the journey needs an ops top-up."""
    r = call(stack, "GET", "/api/v1/products?limit=100")
    assert r.status == 200, r.body
    items = sorted(
        (p for p in r.body["items"] if p["price_coins"] > coins and p["stock"] > 0),
        key=lambda p: p["id"],
    )
    assert items, "the demo mall has no product dearer than the trips earned"
    return items[0]


def test_e2e__citizen_journey__trips_to_coins_to_order_to_one_redemption(stack):
    citizen, card_no, day, at, tag = _card_boarded_today(stack)
    r = call(
        stack,
        "POST",
        "/api/v1/me/subscriptions",
        {"templates": {"settlement_credit": "accept"}},
        citizen.auth,
    )
    assert r.status == 200, r.body
    key = _put_trips(
        stack,
        day,
        [
            f"j-{tag}-1,{card_no},metro,{at},3号线,体育西路,珠江新城,2.1",
            f"j-{tag}-2,{card_no},subway,{at},3号线,珠江新城,体育西路,",
            f"j-{tag}-3,{card_no},bus,{at},B1,,,",
            f"j-{tag}-4,{_card_no()},metro,{at},1号线,,,",  # nobody's card
            f"j-{tag}-5,not-a-card,metro,{at},1号线,,,",
        ],
    )
    r = stack.cli("ingest", "s3", key)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "5 rows: 3 accepted, 0 duplicates, 1 unbound, 1 malformed (lines [6])" in r.stderr

    grams = 2 * 515 + 212
    assert _pending(stack, citizen) == grams
    assert balance(stack, citizen) == 0

    r = stack.cli("settle", "--date", day)
    assert r.returncode == 0 and "failed shards none" in r.stderr, r.stderr[-3000:]
    coins = grams // stack.settings().grams_per_coin
    got = call(stack, "GET", "/api/v1/coins", headers=citizen.auth).body
    assert (got["balance"], got["earned_total"], got["grams_total"]) == (coins, coins, grams)
    # Settling the date again credits nothing twice.
    r = stack.cli("settle", "--date", day)
    assert r.returncode == 0 and f"settled {day}: 0 users credited, 0 coins" in r.stderr, r.stderr[
        -3000:
    ]
    assert balance(stack, citizen) == coins
    # The stack's notice sender (AWS's every-minute schedule) tells the citizen once, through the simulator.
    told = notices_to(stack, citizen, wait_s=3 * stack.settings().local_notice_seconds + 10)
    assert [m["data"]["number2"]["value"] for m in told] == [str(coins)]

    # Provenance: the settlement entry names the scenarios, their grams, counts and methodology.
    entries = call(stack, "GET", "/api/v1/coins/ledger", headers=citizen.auth).body["items"]
    assert [(e["kind"], e["amount"], e["balance_after"]) for e in entries] == [
        ("settlement", coins, coins)
    ]
    by_scenario = {s["scenario"]: s for s in entries[0]["detail"]["scenarios"]}
    assert {k: (v["grams"], v["count"]) for k, v in by_scenario.items()} == {
        "metro": (1030, 2),
        "bus": (212, 1),
    }
    assert all(v.get("version") for v in by_scenario.values())
    red = call(stack, "GET", f"/api/v1/reductions?from={day}&to={day}", headers=citizen.auth).body
    assert red["total_grams"] == grams
    assert {(i["scenario"], i["count"]) for i in red["items"]} == {("metro", 2), ("bus", 1)}

    # Ops top-up, with a reason the citizen sees in the ledger.
    product = _seeded_product_over(stack, coins)
    top_up = product["price_coins"] - coins
    r = stack.cli(
        "adjust",
        citizen.user_id,
        str(top_up),
        "--reason",
        "e2e journey: top-up for a demo order",
        "--by",
        "e2e-ops",
        "--id",
        f"journey-{tag}",
    )
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    assert balance(stack, citizen) == product["price_coins"]
    adjustment = call(stack, "GET", "/api/v1/coins/ledger", headers=citizen.auth).body["items"][0]
    assert (adjustment["kind"], adjustment["amount"]) == ("adjustment", top_up)
    assert adjustment["ref"] == "e2e journey: top-up for a demo order"

    # The order, retried with its Idempotency-Key, is placed once.
    headers = {**citizen.auth, "Idempotency-Key": f"journey-{tag}"}
    first = call(
        stack, "POST", "/api/v1/orders", {"product_id": product["id"], "quantity": 1}, headers
    )
    assert first.status == 201, first.body
    retry = call(
        stack, "POST", "/api/v1/orders", {"product_id": product["id"], "quantity": 1}, headers
    )
    assert (retry.status, retry.body["id"], retry.body["code"]) == (
        200,
        first.body["id"],
        first.body["code"],
    )
    assert first.body["status"] == "issued" and first.body["coins"] == product["price_coins"]
    assert balance(stack, citizen) == 0

    # The merchant redeems the code once; the second scan is refused; the day's list shows it.
    merchant = {"Authorization": f"Bearer mk_demo_{product['merchant_id']}_local"}
    r = call(stack, "POST", "/merchant/v1/redemptions", {"code": first.body["code"]}, merchant)
    assert r.status == 200, r.body
    assert (r.body["order_id"], r.body["product"]["id"], r.body["quantity"]) == (
        first.body["id"],
        product["id"],
        1,
    )
    r2 = call(stack, "POST", "/merchant/v1/redemptions", {"code": first.body["code"]}, merchant)
    assert (r2.status, r2.body["error"]["code"]) == (409, "code_redeemed")
    redeemed_day = (
        datetime.fromisoformat(r.body["redeemed_at"]).astimezone(SHANGHAI).date().isoformat()
    )
    listed = call(stack, "GET", f"/merchant/v1/redemptions?date={redeemed_day}", headers=merchant)
    assert (
        listed.status == 200
        and [i["order_id"] for i in listed.body["items"]].count(first.body["id"]) == 1
    )

    order = call(stack, "GET", f"/api/v1/orders/{first.body['id']}", headers=citizen.auth).body
    assert order["status"] == "redeemed"
    r = call(stack, "POST", f"/api/v1/orders/{first.body['id']}/cancel", headers=citizen.auth)
    assert (r.status, r.body["error"]["code"]) == (409, "order_not_cancellable")
    assert balance(stack, citizen) == 0
