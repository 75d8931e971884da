from tests.support.mall import give_coins, make_shop


def order_for(client, citizen, shop):
    give_coins(citizen["user"]["id"], 100)
    return client.post(
        "/api/v1/orders",
        json={"product_id": shop["product_id"]},
        headers={"Authorization": citizen["Authorization"]},
    ).json


def test_redeem__valid_code__200_once_then_409(client, citizen, aws):
    shop = make_shop()
    order = order_for(client, citizen, shop)
    r = client.post(
        "/merchant/v1/redemptions",
        json={"code": order["code"].lower().replace("-", " ")},
        headers=shop["auth"],
    )
    assert (
        r.status_code == 200
        and r.json["order_id"] == order["id"]
        and r.json["product"]["name"] == "美式咖啡"
    )
    again = client.post(
        "/merchant/v1/redemptions", json={"code": order["code"]}, headers=shop["auth"]
    )
    assert again.status_code == 409 and again.json["error"]["code"] == "code_redeemed"
    h = {"Authorization": citizen["Authorization"]}
    assert client.get(f"/api/v1/orders/{order['id']}", headers=h).json["status"] == "redeemed"


def test_redeem__other_merchants_code__403_code_not_yours(client, citizen, aws):
    shop, other = make_shop(), make_shop(merchant_name="另一家")
    order = order_for(client, citizen, shop)
    r = client.post("/merchant/v1/redemptions", json={"code": order["code"]}, headers=other["auth"])
    assert r.status_code == 403 and r.json["error"]["code"] == "code_not_yours"


def test_redeem__unknown_code__404_code_unknown(client, aws):
    shop = make_shop()
    r = client.post(
        "/merchant/v1/redemptions", json={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}, headers=shop["auth"]
    )
    assert r.status_code == 404 and r.json["error"]["code"] == "code_unknown"


def test_redeem__bad_or_revoked_key__401(client, aws):
    from core.mall.merchants import revoke_key
    from models.orders import MerchantKey

    shop = make_shop()
    assert (
        client.post(
            "/merchant/v1/redemptions", json={"code": "x"}, headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    key_id = next(iter(MerchantKey.scan())).key_id
    revoke_key(key_id)
    # At once: no per-container cache outlives a revocation.
    assert (
        client.post(
            "/merchant/v1/redemptions", json={"code": "x"}, headers=shop["auth"]
        ).status_code
        == 401
    )


def test_redeem__key_revoked_by_another_container__refused_on_every_container_at_once(
    app, aws, services
):
    """Two containers used the key (any per-process memory of it is warm); a third revokes it by
    writing the table directly: the next request on each is 401, with no wait and no cache to expire."""
    import hashlib

    from gateways import aws_client
    from miniprogram_api import create_app
    from models.orders import MerchantKey

    shop = make_shop()
    containers = [app.test_client(), create_app(aws, services=services).test_client()]
    for c in containers:
        for _ in range(3):  # known, live key: a 404 for the unknown code, not a 401
            assert (
                c.post(
                    "/merchant/v1/redemptions",
                    json={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZ1"},
                    headers=shop["auth"],
                ).status_code
                == 404
            )
    aws_client("dynamodb", aws).update_item(
        TableName=MerchantKey.Meta.table_name,
        Key={"key_hash": {"S": hashlib.sha256(shop["key"].encode()).hexdigest()}},
        UpdateExpression="SET revoked_at = :t",
        ExpressionAttributeValues={":t": {"S": "2026-01-01T00:00:00+00:00"}},
    )
    for c in containers:
        r = c.post(
            "/merchant/v1/redemptions", json={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZ1"}, headers=shop["auth"]
        )
        assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized"
        assert c.get("/merchant/v1/redemptions", headers=shop["auth"]).status_code == 401


def test_redeem__repeated_failures__429(client, aws):
    shop = make_shop()
    codes = [
        client.post(
            "/merchant/v1/redemptions",
            json={"code": f"AAAA-AAAA-AAAA-AA{i:02d}"},
            headers=shop["auth"],
        )
        for i in range(12)
    ]
    assert [r.status_code for r in codes[:10]] == [404] * 10
    assert codes[10].status_code == 429 and codes[10].json["error"]["code"] == "rate_limited"


def test_redemptions_list__by_day(client, citizen, aws):
    from core.localday import today

    shop = make_shop()
    order = order_for(client, citizen, shop)
    client.post("/merchant/v1/redemptions", json={"code": order["code"]}, headers=shop["auth"])
    items = client.get(f"/merchant/v1/redemptions?date={today()}", headers=shop["auth"]).json[
        "items"
    ]
    assert [i["order_id"] for i in items] == [order["id"]]


def test_merchant_page__served_in_chinese(client):
    r = client.get("/merchant/")
    assert r.status_code == 200 and "商户核销" in r.get_data(as_text=True)


def test_redeem__blocked_key_presents_valid_code__429_and_order_stays_issued(client, citizen, aws):
    shop = make_shop()
    order = order_for(client, citizen, shop)
    for i in range(10):
        client.post(
            "/merchant/v1/redemptions",
            json={"code": f"AAAA-AAAA-AAAA-AA{i:02d}"},
            headers=shop["auth"],
        )
    r = client.post("/merchant/v1/redemptions", json={"code": order["code"]}, headers=shop["auth"])
    assert r.status_code == 429
    h = {"Authorization": citizen["Authorization"]}
    assert client.get(f"/api/v1/orders/{order['id']}", headers=h).json["status"] == "issued"


def test_redeem__rescanning_a_redeemed_code__never_locks_the_key(client, citizen, aws):
    """A busy counter scans the same coupon twice; that is not guessing and must not cost the shop its key."""
    shop = make_shop()
    first, second = order_for(client, citizen, shop), order_for(client, citizen, shop)
    assert (
        client.post(
            "/merchant/v1/redemptions", json={"code": first["code"]}, headers=shop["auth"]
        ).status_code
        == 200
    )
    rescans = [
        client.post("/merchant/v1/redemptions", json={"code": first["code"]}, headers=shop["auth"])
        for _ in range(12)
    ]
    assert [r.status_code for r in rescans] == [409] * 12
    assert (
        client.post(
            "/merchant/v1/redemptions", json={"code": second["code"]}, headers=shop["auth"]
        ).status_code
        == 200
    )


def test_redemptions_list__date_not_yyyy_mm_dd__422(client, aws):
    shop = make_shop()
    for bad in ("0", "20261124", "2026-11-24T00:00:00", "1700000000"):
        r = client.get(f"/merchant/v1/redemptions?date={bad}", headers=shop["auth"])
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", bad


def test_redeem__customers_cancelled_codes_scanned__never_lock_the_key(client, citizen, aws):
    """Order vouchers, cancel them (refunded), have the cashier scan them: not guessing, no lockout,
    and a genuine voucher still redeems afterwards."""
    shop = make_shop(stock=50, limit=50)
    h = {"Authorization": citizen["Authorization"]}
    give_coins(citizen["user"]["id"], 200)
    cancelled = []
    for _ in range(12):
        order = client.post(
            "/api/v1/orders", json={"product_id": shop["product_id"]}, headers=h
        ).json
        assert client.post(f"/api/v1/orders/{order['id']}/cancel", headers=h).status_code == 200
        cancelled.append(order["code"])
    other = make_shop(merchant_name="另一家")
    for code in cancelled:
        for auth in (shop["auth"], other["auth"]):
            r = client.post("/merchant/v1/redemptions", json={"code": code}, headers=auth)
            assert r.status_code in (403, 404), r.json  # never 429, never 200
    genuine = order_for(client, citizen, shop)
    assert (
        client.post(
            "/merchant/v1/redemptions", json={"code": genuine["code"]}, headers=shop["auth"]
        ).status_code
        == 200
    )
    genuine = order_for(client, citizen, other)
    assert (
        client.post(
            "/merchant/v1/redemptions", json={"code": genuine["code"]}, headers=other["auth"]
        ).status_code
        == 200
    )
