from datetime import UTC, datetime, timedelta

from core.books import checks
from models import Account
from models.mall import Product
from tests.support.mall import give_coins, make_shop


def buy(client, citizen, shop, quantity=1, key=None):
    h = {"Authorization": citizen["Authorization"]}
    if key:
        h["Idempotency-Key"] = key
    return client.post(
        "/api/v1/orders", json={"product_id": shop["product_id"], "quantity": quantity}, headers=h
    )


def test_order__enough_coins__201_with_code_qr_and_one_transaction_effects(client, citizen, aws):
    shop = make_shop(stock=3, price=40)
    give_coins(citizen["user"]["id"], 100)
    r = buy(client, citizen, shop)
    assert r.status_code == 201 and r.json["status"] == "issued" and r.json["coins"] == 40
    assert len(r.json["code"]) == 19 and r.json["qr_svg"].startswith("<svg")
    assert (
        Account.get(citizen["user"]["id"]).balance == 60
        and Product.get(shop["product_id"]).stock == 2
    )
    assert checks.check_all() == []


def test_order__not_enough_coins__409_and_nothing_written(client, citizen, aws):
    shop = make_shop(price=40)
    give_coins(citizen["user"]["id"], 39)
    r = buy(client, citizen, shop)
    assert r.status_code == 409 and r.json["error"]["code"] == "insufficient_coins"
    assert (
        Product.get(shop["product_id"]).stock == 10
        and Account.get(citizen["user"]["id"]).balance == 39
    )


def test_order__sold_out__409_out_of_stock(client, citizen, aws):
    shop = make_shop(stock=1)
    give_coins(citizen["user"]["id"], 100)
    assert buy(client, citizen, shop).status_code == 201
    r = buy(client, citizen, shop)
    assert r.status_code == 409 and r.json["error"]["code"] == "out_of_stock"


def test_order__over_per_user_limit__409_limit_reached(client, citizen, aws):
    shop = make_shop(limit=2)
    give_coins(citizen["user"]["id"], 100)
    assert buy(client, citizen, shop, quantity=2).status_code == 201
    r = buy(client, citizen, shop)
    assert r.status_code == 409 and r.json["error"]["code"] == "limit_reached"


def test_order__unknown_product__404(client, citizen, aws):
    r = client.post(
        "/api/v1/orders",
        json={"product_id": "p_none"},
        headers={"Authorization": citizen["Authorization"]},
    )
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


def test_order__idempotency_key_retry__same_order_once(client, citizen, aws):
    shop = make_shop()
    give_coins(citizen["user"]["id"], 100)
    a, b = buy(client, citizen, shop, key="k-1"), buy(client, citizen, shop, key="k-1")
    assert (a.status_code, b.status_code) == (201, 200) and a.json["id"] == b.json["id"]
    assert Account.get(citizen["user"]["id"]).balance == 90


def test_order__idempotency_key_other_body__409(client, citizen, aws):
    shop = make_shop()
    give_coins(citizen["user"]["id"], 100)
    buy(client, citizen, shop, key="k-2")
    r = buy(client, citizen, shop, quantity=2, key="k-2")
    assert r.status_code == 409 and r.json["error"]["code"] == "idempotency_key_reused"


def test_orders__owner_only__others_get_404_and_no_code(client, login, aws):
    shop = make_shop()
    a, ua = login()
    b, _ = login()
    give_coins(ua["id"], 100)
    order = client.post(
        "/api/v1/orders",
        json={"product_id": shop["product_id"]},
        headers={"Authorization": f"Bearer {a}"},
    ).json
    r = client.get(f"/api/v1/orders/{order['id']}", headers={"Authorization": f"Bearer {b}"})
    assert r.status_code == 404 and order["code"] not in r.get_data(as_text=True)
    assert (
        client.post(
            f"/api/v1/orders/{order['id']}/cancel", headers={"Authorization": f"Bearer {b}"}
        ).status_code
        == 404
    )
    mine = client.get(
        "/api/v1/orders?status=issued", headers={"Authorization": f"Bearer {a}"}
    ).json["items"]
    assert [o["id"] for o in mine] == [order["id"]]


def test_cancel__issued__refund_restock_and_second_cancel_is_idempotent(client, citizen, aws):
    shop = make_shop()
    give_coins(citizen["user"]["id"], 100)
    order = buy(client, citizen, shop).json
    h = {"Authorization": citizen["Authorization"]}
    r = client.post(f"/api/v1/orders/{order['id']}/cancel", headers=h)
    assert r.status_code == 200 and r.json["status"] == "cancelled"
    assert (
        client.post(f"/api/v1/orders/{order['id']}/cancel", headers=h).json["status"] == "cancelled"
    )
    assert (
        Account.get(citizen["user"]["id"]).balance == 100
        and Product.get(shop["product_id"]).stock == 10
    )
    assert checks.check_all() == []


def test_cancel__redeemed__409_order_not_cancellable(client, citizen, aws):
    shop = make_shop()
    give_coins(citizen["user"]["id"], 100)
    order = buy(client, citizen, shop).json
    assert (
        client.post(
            "/merchant/v1/redemptions", json={"code": order["code"]}, headers=shop["auth"]
        ).status_code
        == 200
    )
    r = client.post(
        f"/api/v1/orders/{order['id']}/cancel", headers={"Authorization": citizen["Authorization"]}
    )
    assert r.status_code == 409 and r.json["error"]["code"] == "order_not_cancellable"


def test_expire__past_expiry__expired_refunded_restocked(client, citizen, aws, capsys):
    from core.mall import orders

    shop = make_shop()
    give_coins(citizen["user"]["id"], 100)
    order = buy(client, citizen, shop).json
    counts = orders.expire_due(now=datetime.now(UTC) + timedelta(days=8))
    assert counts == {"due": 1, "expired": 1, "skipped": 0}
    assert (
        Account.get(citizen["user"]["id"]).balance == 100
        and Product.get(shop["product_id"]).stock == 10
    )
    r = client.post("/merchant/v1/redemptions", json={"code": order["code"]}, headers=shop["auth"])
    assert r.status_code == 410 and r.json["error"]["code"] == "code_expired"
    assert orders.expire_due(now=datetime.now(UTC) + timedelta(days=8))["due"] == 0
