"""A redemption under an Idempotency-Key whose transaction commits but whose answer is lost (the
local endpoint's 'after applying' fault, over real HTTP): the SDK's retry of the transaction finds
the code redeemed, and the key's record, committed in that same transaction, says by this very
request: the cashier gets 200 and the redemption, not 409 code_redeemed; scanning again with the
same key (the cashier's own retry) gets the same 200 and body; the order is redeemed once."""

from core import settings as settings_mod
from core.mall.placing import place_order
from models.orders import Order
from tests.support.faults import fail_write, faults
from tests.support.mall import give_coins, make_shop


def _paid_order(endpoint_aws):
    """The app on the endpoint, a shop, and a citizen's order of one of its products, to redeem."""
    import bootstrap
    from miniprogram_api import create_app

    s = settings_mod.use(endpoint_aws)
    client = create_app(s, services=bootstrap.Services(s)).test_client()
    shop = make_shop()
    give_coins("u1", 100)
    order, _ = place_order(s, "u1", shop["product_id"], 1, None)
    return s, client, shop, order


def test_redemption__committed_answer_lost__200_and_the_same_body_again(endpoint_aws):
    s, client, shop, order = _paid_order(endpoint_aws)
    h = {**shop["auth"], "Idempotency-Key": "scan-1"}
    fail_write(s, 1, after_applying=True)  # the redemption's transaction commits, its answer a 500
    first = client.post("/merchant/v1/redemptions", json={"code": order["code"]}, headers=h)
    assert faults(s)["failed"] == 1  # the fault did fire: the answer was lost
    assert first.status_code == 200 and first.json["order_id"] == order["id"], first.json
    again = client.post("/merchant/v1/redemptions", json={"code": order["code"]}, headers=h)
    assert (again.status_code, again.json) == (200, first.json)
    assert Order.get(order["id"]).status == "redeemed"
    other = {**shop["auth"], "Idempotency-Key": "scan-2"}  # a second scan is still refused
    r = client.post("/merchant/v1/redemptions", json={"code": order["code"]}, headers=other)
    assert r.status_code == 409 and r.json["error"]["code"] == "code_redeemed"


def test_redemption__no_key__committed_answer_lost__200_once_then_409(endpoint_aws):
    s, client, shop, order = _paid_order(endpoint_aws)
    fail_write(s, 1, after_applying=True)  # committed, the answer lost; the SDK retries it
    first = client.post(
        "/merchant/v1/redemptions", json={"code": order["code"]}, headers=shop["auth"]
    )
    assert faults(s)["failed"] == 1
    assert first.status_code == 200 and first.json["order_id"] == order["id"], first.json
    again = client.post(
        "/merchant/v1/redemptions", json={"code": order["code"]}, headers=shop["auth"]
    )
    assert again.status_code == 409 and again.json["error"]["code"] == "code_redeemed"
    assert Order.get(order["id"]).status == "redeemed"
