"""Idempotency-Key on order placement: a retry gets its own order while the key's record lives,
another body a 409; after the record expired the key makes a new order, never the old one."""

from datetime import UTC, datetime, timedelta

import pytest

from core.books import checks
from models import Account
from models.mall import IdempotencyRecord, Product
from tests.support.mall import give_coins, make_shop


def buy(client, citizen, product_id, quantity=1, key="k-expiry"):
    h = {"Authorization": citizen["Authorization"], "Idempotency-Key": key}
    return client.post(
        "/api/v1/orders", json={"product_id": product_id, "quantity": quantity}, headers=h
    )


def record(citizen, key="k-expiry") -> IdempotencyRecord:
    return IdempotencyRecord.get(f"{citizen['user']['id']}#{key}", consistent_read=True)


def expire_by_ttl(citizen, key="k-expiry"):
    """Past its TTL but not yet deleted: DynamoDB removes expired items up to days later."""
    r = record(citizen, key)
    r.update(actions=[IdempotencyRecord.ttl.set(datetime.now(UTC) - timedelta(seconds=1))])


def delete_record(citizen, key="k-expiry"):
    record(citizen, key).delete()


@pytest.mark.parametrize("expire", [delete_record, expire_by_ttl], ids=["deleted", "ttl-passed"])
def test_key_reused_after_expiry_other_body__new_order_not_the_old_one(
    client, citizen, aws, expire
):
    coffee, tea = make_shop(price=10), make_shop(price=20, merchant_name="茶")
    give_coins(citizen["user"]["id"], 100)
    first = buy(client, citizen, coffee["product_id"])
    expire(citizen)

    again = buy(client, citizen, tea["product_id"], quantity=2)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json["id"] != first.json["id"] and again.json["product_id"] == tea["product_id"]
    assert again.json["code"] != first.json["code"] and again.json["coins"] == 40
    assert Account.get(citizen["user"]["id"]).balance == 100 - 10 - 40
    assert (
        Product.get(tea["product_id"]).stock == 8 and Product.get(coffee["product_id"]).stock == 9
    )
    assert record(citizen).order_id == again.json["id"]  # the key now names the new request
    assert checks.check_all() == []


@pytest.mark.parametrize("expire", [delete_record, expire_by_ttl], ids=["deleted", "ttl-passed"])
def test_key_reused_after_expiry_same_body__a_new_order(client, citizen, aws, expire):
    coffee = make_shop(price=10)
    give_coins(citizen["user"]["id"], 100)
    first = buy(client, citizen, coffee["product_id"])
    expire(citizen)

    again = buy(client, citizen, coffee["product_id"])

    assert again.status_code == 201 and again.json["id"] != first.json["id"]
    assert Account.get(citizen["user"]["id"]).balance == 80 and checks.check_all() == []


def test_key_while_record_lives__same_body_replays_other_body_409(client, citizen, aws):
    coffee, tea = make_shop(price=10), make_shop(price=20, merchant_name="茶")
    give_coins(citizen["user"]["id"], 100)
    first = buy(client, citizen, coffee["product_id"])
    retry = buy(client, citizen, coffee["product_id"])
    other = buy(client, citizen, tea["product_id"])

    assert (retry.status_code, retry.json["id"], retry.json["code"]) == (
        200,
        first.json["id"],
        first.json["code"],
    )
    assert (other.status_code, other.json["error"]["code"]) == (409, "idempotency_key_reused")
    assert "id" not in other.json and first.json["code"] not in other.get_data(as_text=True)
    assert (
        Account.get(citizen["user"]["id"]).balance == 90
        and Product.get(tea["product_id"]).stock == 10
    )


def test_same_key_two_users__two_orders(client, login, aws):
    coffee = make_shop(price=10)
    orders = []
    for _ in range(2):
        token, user = login()
        give_coins(user["id"], 100)
        orders.append(
            buy(client, {"Authorization": f"Bearer {token}"}, coffee["product_id"], key="shared")
        )
    assert [o.status_code for o in orders] == [201, 201] and orders[0].json["id"] != orders[1].json[
        "id"
    ]
