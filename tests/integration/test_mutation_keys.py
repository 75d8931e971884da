"""Idempotency-Key on every other mutation (API.md Conventions; miniprogram_api/idempotent.py):
the same key and body twice answer the same status and body and change nothing the second
time; the same key with another body is 409 `idempotency_key_reused` and changes nothing; a
key's record keeps no personal data. One key space per caller."""

from models.mall import IdempotencyRecord
from models.orders import Order, RedemptionCode
from tests.support.mall import give_coins, make_shop


def _with(headers: dict, key: str) -> dict:
    return {**headers, "Idempotency-Key": key}


def _order(client, citizen, shop) -> dict:
    give_coins(citizen["user"]["id"], 100)
    return client.post(
        "/api/v1/orders",
        json={"product_id": shop["product_id"]},
        headers={"Authorization": citizen["Authorization"]},
    ).json


def _reused(r) -> bool:
    return r.status_code == 409 and r.json["error"]["code"] == "idempotency_key_reused"


def test_redemption__a_lost_answer_retried_with_its_key__200_the_same_body(client, citizen):
    shop = make_shop()
    order = _order(client, citizen, shop)
    first = client.post(
        "/merchant/v1/redemptions", json={"code": order["code"]}, headers=_with(shop["auth"], "r1")
    )
    assert first.status_code == 200 and first.json["order_id"] == order["id"]
    redeemed_at = Order.get(order["id"]).redeemed_at
    again = client.post(
        "/merchant/v1/redemptions", json={"code": order["code"]}, headers=_with(shop["auth"], "r1")
    )
    assert (again.status_code, again.json) == (200, first.json)
    assert Order.get(order["id"]).redeemed_at == redeemed_at  # redeemed once
    # Without the key (or under a fresh one) a second scan is what it always was.
    r = client.post(
        "/merchant/v1/redemptions", json={"code": order["code"]}, headers=_with(shop["auth"], "r2")
    )
    assert r.status_code == 409 and r.json["error"]["code"] == "code_redeemed"
    # The key's record names the code's hash (in the redemption's own transaction), not the code.
    (record,) = [r for r in IdempotencyRecord.scan() if r.key.endswith("#r1")]
    assert record.key.startswith("merchant#") and order["code"] not in str(record.attribute_values)
    assert record.ref in {c.code_hash for c in RedemptionCode.scan()}


def test_redemption__the_key_with_another_code__409_nothing_redeemed(client, citizen):
    shop = make_shop()
    one, two = _order(client, citizen, shop), _order(client, citizen, shop)
    h = _with(shop["auth"], "r3")
    assert (
        client.post("/merchant/v1/redemptions", json={"code": one["code"]}, headers=h).status_code
        == 200
    )
    r = client.post("/merchant/v1/redemptions", json={"code": two["code"]}, headers=h)
    assert _reused(r)
    assert Order.get(two["id"]).status == "issued"


def test_redemption__keys_of_two_staff_keys_are_apart(client, citizen):
    from core.mall.merchants import issue_key

    shop = make_shop()
    _, other_key = issue_key(shop["merchant_id"])
    one, two = _order(client, citizen, shop), _order(client, citizen, shop)
    h1, h2 = _with(shop["auth"], "same"), {"Authorization": f"Bearer {other_key}"}
    assert (
        client.post("/merchant/v1/redemptions", json={"code": one["code"]}, headers=h1).status_code
        == 200
    )
    r = client.post(
        "/merchant/v1/redemptions", json={"code": two["code"]}, headers=_with(h2, "same")
    )
    assert r.status_code == 200 and r.json["order_id"] == two["id"]
