"""Traceability over real HTTP: one coin from /coins/ledger to /reductions/{date}/records,
recomputed from the records alone (可追溯)."""

import hashlib
from decimal import ROUND_FLOOR, Decimal

import pytest

from tests.e2e.test_journey_e2e import _card_boarded_today, _card_no, _put_trips
from tests.support.citizens import call, login

pytestmark = pytest.mark.e2e


def test_e2e__a_coin_traced_to_its_records_and_recomputed(stack):
    citizen, card_no, day, at, tag = _card_boarded_today(stack)
    key = _put_trips(
        stack,
        day,
        [
            f"tr-{tag}-1,{card_no},metro,{at},3号线,体育西路,珠江新城,2.1",
            f"tr-{tag}-2,{card_no},bus,{at},B1,,,",
            f"tr-{tag}-3,{_card_no()},metro,{at},1号线,,,",
        ],
    )
    assert stack.cli("ingest", "s3", key).returncode == 0
    r = stack.cli("settle", "--date", day)  # today, settled early: allowed
    assert r.returncode == 0, r.stdout + r.stderr[-2000:]

    entry = next(
        e
        for e in call(stack, "GET", "/api/v1/coins/ledger", headers=citizen.auth).body["items"]
        if e["kind"] == "settlement"
    )
    detail = entry["detail"]
    records = call(stack, "GET", f"/api/v1/reductions/{day}/records", headers=citizen.auth).body
    items = [i for i in records["items"] if i["quarantined"] is None]
    # The entry names the records: their count and the digest of their ids.
    assert detail["records"] == len(items) == 2
    digest = hashlib.sha256("\n".join(sorted(i["id"] for i in items)).encode()).hexdigest()
    assert detail["records_digest"] == digest == records["records_digest"]
    # Recompute the day's grams per scenario from the records: floor(Σ counted units × factor).
    recomputed = {}
    for i in items:
        recomputed.setdefault((i["scenario"], i["version"]), Decimal(0))
        recomputed[(i["scenario"], i["version"])] += Decimal(str(i["counted_quantity"])) * Decimal(
            i["grams_per_unit"]
        )
    grams = {k: int(v.to_integral_value(rounding=ROUND_FLOOR)) for k, v in recomputed.items()}
    assert grams == {(s["scenario"], s["version"]): s["grams"] for s in detail["scenarios"]}
    assert (
        sum(grams.values())
        == detail["grams"]
        == records["total_grams"]
        == records["credited_grams"]
    )
    # ...and the coins: this first credit of a new citizen is floor(grams / grams per coin).
    assert entry["amount"] == sum(grams.values()) // stack.settings().grams_per_coin
    # Each record is shown as the citizen knows it: the card masked, never the number.
    assert {i["ref"] for i in items} == {
        card_no[:2] + "****" + card_no[-4:]
    } and card_no not in str(records)
    # The date names no one's object: another citizen asking for the same day sees only their own (none).
    other = call(stack, "GET", f"/api/v1/reductions/{day}/records", headers=login(stack).auth)
    assert other.status == 200 and other.body["items"] == [] and other.body["total_grams"] == 0, (
        other.body
    )
