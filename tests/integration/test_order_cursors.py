"""List cursors are opaque to clients but not trusted: one pages only its owner's orders."""

import base64
import json

from tests.support.mall import give_coins, make_shop


def _orders(client, token, cursor=None):
    q = "?limit=1" + (f"&cursor={cursor}" if cursor else "")
    return client.get("/api/v1/orders" + q, headers={"Authorization": f"Bearer {token}"})


def test_orders__cursor_of_another_user_or_made_up__422(client, login, aws):
    shop = make_shop()
    a, _ = login()
    b, ub = login()
    give_coins(ub["id"], 100)
    for _ in range(2):
        client.post(
            "/api/v1/orders",
            json={"product_id": shop["product_id"]},
            headers={"Authorization": f"Bearer {b}"},
        )
    b_cursor = _orders(client, b).json["next_cursor"]
    made_up = base64.urlsafe_b64encode(json.dumps({"nope": {"S": "x"}}).encode()).decode()

    assert _orders(client, b, b_cursor).status_code == 200  # the owner pages on
    for cursor in (b_cursor, made_up):
        r = _orders(client, a, cursor)
        assert (r.status_code, r.json["error"]["code"]) == (422, "invalid_request")


def test_products__made_up_cursors__422_and_real_ones_page_on(client, aws):
    for i in range(3):
        make_shop(merchant_name=f"店{i}")  # coffee products
    real = client.get("/api/v1/products?limit=1").json["next_cursor"]
    real_coffee = client.get("/api/v1/products?limit=1&category=coffee").json["next_cursor"]
    assert client.get(f"/api/v1/products?limit=1&cursor={real}").status_code == 200
    assert (
        client.get(f"/api/v1/products?limit=1&category=coffee&cursor={real_coffee}").status_code
        == 200
    )

    def enc(d):
        return base64.urlsafe_b64encode(json.dumps(d).encode()).decode()

    made_up = [
        enc({"nope": {"S": "x"}}),
        enc({"product_id": {"N": "1"}}),
        enc({"product_id": "x"}),
        enc([1]),
        "not base64 at all",
        real_coffee,
    ]  # a category's cursor does not fit the whole-catalogue scan
    for cursor in made_up:
        r = client.get(f"/api/v1/products?limit=1&cursor={cursor}")
        assert (r.status_code, r.json["error"]["code"]) == (422, "invalid_request"), cursor
    for cursor in (
        real,
        enc({"product_id": {"S": "p_x"}, "category": {"S": "tea"}}),
    ):  # not this category's
        r = client.get(f"/api/v1/products?limit=1&category=coffee&cursor={cursor}")
        assert (r.status_code, r.json["error"]["code"]) == (422, "invalid_request"), cursor
