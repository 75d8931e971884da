"""The mall as ops, citizens and WeChat Pay meet it, over HTTP against the whole local stack:
an activation code pool raced for by more citizens than it has codes (each code shown only when its
owner opens the order); an activation code paid partly in cash, shown only once paid; coins-plus-cash orders
paid through the WeChat Pay simulator (notification sent twice), left unpaid until they expire,
and paid then cancelled with both currencies refunded. Ledger and stock checks after each."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.concurrency import http, run_clients

pytestmark = [pytest.mark.e2e]
RUN = uuid.uuid4().hex[:6]
VIP, CASH, VIPCASH = f"p_e2e_vip_{RUN}", f"p_e2e_cash_{RUN}", f"p_e2e_vipcash_{RUN}"


def citizen(stack, coins: int) -> dict:
    login = http(
        "POST", stack.api + "/api/v1/auth/login", {"code": f"test-mall{uuid.uuid4().hex[:12]}"}
    )
    assert login.status == 200, login.body
    user_id = login.body["user"]["id"]
    r = stack.cli("adjust", user_id, str(coins), "--reason", "mall e2e", "--by", "e2e-ops")
    assert r.returncode == 0, r.stderr[-2000:]
    return {"id": user_id, "auth": {"Authorization": f"Bearer {login.body['token']}"}}


def balance(stack, c) -> int:
    return http("GET", stack.api + "/api/v1/coins", headers=c["auth"]).body["balance"]


def stock(stack, product_id) -> int:
    return http("GET", f"{stack.api}/api/v1/products/{product_id}").body["stock"]


def checks_pass(stack):
    r = stack.cli("ledger", "check")
    assert r.returncode == 0 and "0 problem(s)" in r.stderr, r.stdout[-2000:] + r.stderr[-1000:]
    for pid in (VIP, CASH, VIPCASH):
        assert stock(stack, pid) >= 0
    from tests.support.invariants import data_problems

    assert data_problems(stack) == []  # every stock >= 0, every code pool's stock == its free codes


@pytest.fixture(scope="module")
def products(stack, tmp_path_factory):
    d = tmp_path_factory.mktemp("mall")
    spec = [
        {
            "id": VIP,
            "name": "视频会员 7天（测试）",
            "category": "membership",
            "merchant_id": "m_demo_09",
            "price_coins": 10,
            "per_user_limit": 1,
            "valid_days": 30,
            "fulfilment": "activation_code",
            "description": "激活码，查看后不可退",
        },
        {
            "id": CASH,
            "name": "地铁日票 碳币加现金（测试）",
            "category": "transit",
            "merchant_id": "m_demo_01",
            "price_coins": 20,
            "price_fen": 990,
            "per_user_limit": 5,
            "valid_days": 30,
            "stock": 3,
            "description": "20碳币加9.9元",
        },
        {
            "id": VIPCASH,
            "name": "音乐会员 月卡 碳币加现金（测试）",
            "category": "membership",
            "merchant_id": "m_demo_09",
            "price_coins": 10,
            "price_fen": 500,
            "per_user_limit": 2,
            "valid_days": 30,
            "fulfilment": "activation_code",
            "description": "激活码，10碳币加5元",
        },
    ]
    (d / "products.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    r = stack.cli("product", "upsert", str(d / "products.json"))
    assert r.returncode == 0 and f"created {VIP}" in r.stdout and f"created {CASH}" in r.stdout, (
        r.stderr[-2000:]
    )
    (d / "codes.txt").write_text(
        "\n".join(f"VIP-{RUN}-{i}" for i in range(5)) + "\n", encoding="utf-8"
    )
    r = stack.cli("product", "codes", VIP, str(d / "codes.txt"))
    assert r.returncode == 0 and "loaded=5" in r.stdout, r.stderr[-2000:]
    assert stock(stack, VIP) == 5
    (d / "cash_codes.txt").write_text(
        "\n".join(f"MUSIC-{RUN}-{i}" for i in range(2)) + "\n", encoding="utf-8"
    )
    r = stack.cli("product", "codes", VIPCASH, str(d / "cash_codes.txt"))
    assert r.returncode == 0 and "loaded=2" in r.stdout, r.stderr[-2000:]
    return spec


def test_e2e__eight_citizens_race_for_five_codes__five_orders_distinct_codes(stack, products):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        crowd = list(pool.map(lambda _: citizen(stack, 10), range(8)))
    replies = run_clients(
        8,
        lambda i: ("POST", stack.api + "/api/v1/orders", {"product_id": VIP}, crowd[i]["auth"]),
        timeout=300,
    )
    won = [r for r in replies if r.status == 201]
    assert len(won) == 5, [(r.status, r.body) for r in replies]
    assert (
        sorted(r.body["error"]["code"] for r in replies if r.status != 201) == ["out_of_stock"] * 3
    )
    # The 201 reveals nothing: each code is shown only when its owner opens that order.
    assert all(
        (r.body["status"], r.body["activation_code"], r.body["code"]) == ("issued", None, None)
        for r in won
    )
    assert stock(stack, VIP) == 0
    owners = [(c, r.body) for c, r in zip(crowd, replies) if r.status == 201]
    shown = [
        http("GET", f"{stack.api}/api/v1/orders/{o['id']}", headers=c["auth"]).body
        for c, o in owners
    ]
    assert len({v["activation_code"] for v in shown}) == 5
    assert all(
        v["activation_code"].startswith(f"VIP-{RUN}-") and v["status"] == "redeemed" for v in shown
    )
    winner, order = owners[0]
    # Viewed: delivered, not refundable, and the error says so.
    r = http("POST", f"{stack.api}/api/v1/orders/{order['id']}/cancel", headers=winner["auth"])
    assert (r.status, r.body["error"]["code"]) == (409, "order_not_cancellable")
    assert "激活码" in r.body["error"]["message"] or "activation" in r.body["error"]["message"]
    other = next(c for c in crowd if c is not winner)
    assert (
        http("GET", f"{stack.api}/api/v1/orders/{order['id']}", headers=other["auth"]).status == 404
    )
    checks_pass(stack)


def test_e2e__activation_code_with_cash__no_code_until_paid__then_shown_and_kept(stack, products):
    c = citizen(stack, 30)
    r = http("POST", stack.api + "/api/v1/orders", {"product_id": VIPCASH}, headers=c["auth"])
    assert r.status == 201 and r.body["status"] == "pending_payment", r.body
    assert r.body["activation_code"] is None and r.body["payment"]["package"].startswith(
        "prepay_id="
    )
    unpaid = http("GET", f"{stack.api}/api/v1/orders/{r.body['id']}", headers=c["auth"]).body
    assert (unpaid["status"], unpaid["activation_code"], unpaid["code_shown"]) == (
        "pending_payment",
        None,
        False,
    )
    paid = http("POST", stack.wechatpay + "/_sim/pay", {"out_trade_no": r.body["id"]})
    assert paid.body["status"] == 204, paid.body
    listed = http("GET", stack.api + "/api/v1/orders", headers=c["auth"]).body["items"]
    assert [(o["status"], o["activation_code"]) for o in listed] == [("issued", None)]
    shown = http("GET", f"{stack.api}/api/v1/orders/{r.body['id']}", headers=c["auth"]).body
    assert shown["activation_code"].startswith(f"MUSIC-{RUN}-") and shown["status"] == "redeemed"
    r = http("POST", f"{stack.api}/api/v1/orders/{r.body['id']}/cancel", headers=c["auth"])
    assert (r.status, r.body["error"]["code"]) == (409, "order_not_cancellable")
    assert (balance(stack, c), stock(stack, VIPCASH)) == (20, 1)
    checks_pass(stack)


def pay_order(stack, c) -> dict:
    r = http("POST", stack.api + "/api/v1/orders", {"product_id": CASH}, headers=c["auth"])
    assert r.status == 201 and r.body["status"] == "pending_payment", r.body
    assert (
        r.body["payment"]["package"].startswith("prepay_id=")
        and r.body["payment"]["signType"] == "RSA"
    )
    assert r.body["cash_fen"] == 990 and r.body["coins"] == 20
    return r.body


def test_e2e__coins_plus_cash__paid_by_notification_sent_twice__one_transition(stack, products):
    c = citizen(stack, 50)
    order = pay_order(stack, c)
    assert balance(stack, c) == 30  # coins held at once
    first = http("POST", stack.wechatpay + "/_sim/pay", {"out_trade_no": order["id"]})
    assert first.status == 200 and first.body["status"] == 204, first.body
    paid = http("GET", f"{stack.api}/api/v1/orders/{order['id']}", headers=c["auth"]).body
    assert (
        paid["status"] == "issued" and paid["paid_at"] and paid["code"] and paid["payment"] is None
    )
    again = http("POST", stack.wechatpay + "/_sim/notify", {"out_trade_no": order["id"]})
    assert again.body["status"] == 204
    same = http("GET", f"{stack.api}/api/v1/orders/{order['id']}", headers=c["auth"]).body
    assert (same["status"], same["paid_at"], same["expires_at"]) == (
        "issued",
        paid["paid_at"],
        paid["expires_at"],
    )
    outcomes = [
        json.loads(line).get("outcome")
        for line in stack.log_lines()
        if '"wechatpay_notification"' in line and order["id"] in line
    ]
    assert outcomes == ["issued", "already"]
    forged = http(
        "POST",
        stack.api + "/wechatpay/v1/notify",
        {"event_type": "TRANSACTION.SUCCESS"},
        headers={"Wechatpay-Timestamp": str(int(datetime.now().timestamp()))},
    )
    assert forged.status == 401
    assert balance(stack, c) == 30
    checks_pass(stack)


def test_e2e__unpaid_order__expires_with_coins_and_stock_back(stack, products):
    import boto3

    c = citizen(stack, 50)
    left = stock(stack, CASH)
    order = pay_order(stack, c)
    assert (balance(stack, c), stock(stack, CASH)) == (30, left - 1)
    # 15 minutes pass: the order's payment window is moved into the past from outside the app.
    ddb = boto3.client(
        "dynamodb",
        endpoint_url=stack.aws,
        region_name="cn-northwest-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    ddb.update_item(
        TableName=stack.settings().table_name("orders"),
        Key={"order_id": {"S": order["id"]}},
        UpdateExpression="SET expires_at = :t",
        ExpressionAttributeValues={":t": {"S": past}},
    )
    r = stack.cli("expire-orders")
    assert r.returncode == 0 and "cancelled 1 of 1 unpaid" in r.stderr + r.stdout, r.stderr[-2000:]
    gone = http("GET", f"{stack.api}/api/v1/orders/{order['id']}", headers=c["auth"]).body
    assert gone["status"] == "cancelled"
    assert (balance(stack, c), stock(stack, CASH)) == (50, left)
    assert (
        http("GET", f"{stack.wechatpay}/_sim/trades/{order['id']}").body["trade_state"] == "CLOSED"
    )
    checks_pass(stack)


def test_e2e__paid_then_cancelled__refunded_in_coins_and_cash(stack, products):
    c = citizen(stack, 50)
    left = stock(stack, CASH)
    order = pay_order(stack, c)
    assert (
        http("POST", stack.wechatpay + "/_sim/pay", {"out_trade_no": order["id"]}).body["status"]
        == 204
    )
    r = http("POST", f"{stack.api}/api/v1/orders/{order['id']}/cancel", headers=c["auth"])
    assert (
        r.status == 200 and r.body["status"] == "cancelled" and r.body["refund_status"] == "SUCCESS"
    ), r.body
    assert (balance(stack, c), stock(stack, CASH)) == (50, left)
    trade = http("GET", f"{stack.wechatpay}/_sim/trades/{order['id']}").body
    assert [x["amount"]["refund"] for x in trade["refunds"]] == [990]
    again = http("POST", f"{stack.api}/api/v1/orders/{order['id']}/cancel", headers=c["auth"])
    assert (
        again.status == 200
        and len(http("GET", f"{stack.wechatpay}/_sim/trades/{order['id']}").body["refunds"]) == 1
    )
    assert balance(stack, c) == 50
    checks_pass(stack)
