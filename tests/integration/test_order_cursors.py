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
        client.post("/api/v1/orders", json={"product_id": shop["product_id"]}, headers={"Authorization": f"Bearer {b}"})
    b_cursor = _orders(client, b).json["next_cursor"]
    made_up = base64.urlsafe_b64encode(json.dumps({"nope": {"S": "x"}}).encode()).decode()

    assert _orders(client, b, b_cursor).status_code == 200  # the owner pages on
    for cursor in (b_cursor, made_up):
        r = _orders(client, a, cursor)
        assert (r.status_code, r.json["error"]["code"]) == (422, "invalid_request")
