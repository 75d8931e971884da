"""Money and stock under real concurrency: many clients over HTTP at once against the
local stack (tests.support.concurrency.run_clients). Counts are asserted exactly."""

from collections import Counter

import pytest

from tests.support.citizens import (
    balance,
    call,
    check_private,
    give_coins,
    login,
    make_shop,
    product_stock,
)
from tests.support.concurrency import run_clients

pytestmark = pytest.mark.e2e


def _order(stack, citizen, product_id, key=None):
    headers = {**citizen.auth, **({"Idempotency-Key": key} if key else {})}
    return "POST", stack.api + "/api/v1/orders", {"product_id": product_id, "quantity": 1}, headers


def _outcomes(replies) -> Counter:
    check_private(*replies)
    return Counter(
        r.status if r.status < 400 else (r.status, r.body["error"]["code"]) for r in replies
    )


def _ledger_clean(stack) -> None:
    r = stack.cli("ledger", "check")
    assert r.returncode == 0 and "ledger check: 0 problem(s)" in r.stderr, (
        r.stdout[-3000:] + r.stderr[-2000:]
    )


def test_e2e__32_buyers_64_orders_for_50_in_stock__exactly_50_sold(stack):
    shop = make_shop(stack, stock=50, price=10, limit=3)
    buyers = [login(stack) for _ in range(32)]
    for b in buyers:
        give_coins(stack, b.user_id, 100)

    # Each buyer sends two orders at once with everyone else's: 64 attempts for 50 items.
    replies = run_clients(
        64, lambda i: _order(stack, buyers[i % 32], shop["product_id"]), timeout=600
    )

    assert _outcomes(replies) == {201: 50, (409, "out_of_stock"): 14}
    assert product_stock(stack, shop["product_id"]) == 0
    sold = Counter(r.client % 32 for r in replies if r.status == 201)
    for i, b in enumerate(buyers):
        assert balance(stack, b) == 100 - 10 * sold[i]  # debited once per order, never below zero
    assert (
        sum(len(call(stack, "GET", "/api/v1/orders", headers=b.auth).body["items"]) for b in buyers)
        == 50
    )
    _ledger_clean(stack)


def test_e2e__16_scanners_redeem_one_code_at_once__exactly_one_succeeds(stack):
    # 16 staff keys of one merchant: 16 counters scanning the same code (a single key would
    # also meet the per-key failure limit, which is not what this test is about).
    shop = make_shop(stack, stock=5, keys=16)
    buyer = login(stack)
    give_coins(stack, buyer.user_id, 10)
    order = call(stack, "POST", "/api/v1/orders", {"product_id": shop["product_id"]}, buyer.auth)
    assert order.status == 201, order.body
    code = order.body["code"]

    replies = run_clients(
        16,
        lambda i: (
            "POST",
            stack.api + "/merchant/v1/redemptions",
            {"code": code},
            {"Authorization": f"Bearer {shop['keys'][i]}"},
        ),
        timeout=600,
    )

    assert _outcomes(replies) == {200: 1, (409, "code_redeemed"): 15}
    winner = next(r for r in replies if r.status == 200)
    assert winner.body["order_id"] == order.body["id"]
    assert (
        call(stack, "GET", f"/api/v1/orders/{order.body['id']}", headers=buyer.auth).body["status"]
        == "redeemed"
    )


def test_e2e__one_idempotency_key_sent_10_times_at_once__one_order_one_debit(stack):
    shop = make_shop(stack, stock=5, price=30)
    buyer = login(stack)
    give_coins(stack, buyer.user_id, 100)

    replies = run_clients(
        10, lambda i: _order(stack, buyer, shop["product_id"], key="tap-once"), timeout=600
    )

    assert _outcomes(replies) == {201: 1, 200: 9}  # the first creates, the rest replay it
    assert len({r.body["id"] for r in replies}) == 1 and len({r.body["code"] for r in replies}) == 1
    assert balance(stack, buyer) == 70
    assert product_stock(stack, shop["product_id"]) == 4
    assert len(call(stack, "GET", "/api/v1/orders", headers=buyer.auth).body["items"]) == 1
    # The same key with another body is refused, not replayed.
    r = call(
        stack,
        "POST",
        "/api/v1/orders",
        {"product_id": shop["product_id"], "quantity": 2},
        {**buyer.auth, "Idempotency-Key": "tap-once"},
    )
    assert (r.status, r.body["error"]["code"]) == (409, "idempotency_key_reused")
    assert balance(stack, buyer) == 70
    _ledger_clean(stack)


def test_e2e__one_key_two_bodies_at_once__one_order_and_the_other_body_refused(stack):
    coffee, tea = make_shop(stack, stock=5, price=10), make_shop(stack, stock=5, price=20)
    buyer = login(stack)
    give_coins(stack, buyer.user_id, 100)
    product_of = [coffee["product_id"] if i % 2 else tea["product_id"] for i in range(10)]

    replies = run_clients(
        10, lambda i: _order(stack, buyer, product_of[i], key="two-bodies"), timeout=600
    )

    winner = next(r for r in replies if r.status == 201)
    for r in replies:
        if product_of[r.client] == winner.body["product_id"]:
            assert r.status in (200, 201) and r.body["id"] == winner.body["id"], r.body
        else:  # the same key with another body: refused, never answered with the other order
            assert (r.status, r.body["error"]["code"]) == (409, "idempotency_key_reused"), r.body
    assert [r.status for r in replies].count(201) == 1
    assert balance(stack, buyer) == 100 - winner.body["coins"]
    assert product_stock(stack, coffee["product_id"]) + product_stock(stack, tea["product_id"]) == 9
    _ledger_clean(stack)


def test_e2e__cancels_and_redemptions_of_one_order_at_once__exactly_one_side_wins(stack):
    shop = make_shop(stack, stock=5, price=30, keys=8)
    buyer = login(stack)
    give_coins(stack, buyer.user_id, 100)
    order = call(
        stack, "POST", "/api/v1/orders", {"product_id": shop["product_id"]}, buyer.auth
    ).body

    def request(i):
        if i < 8:
            return "POST", f"{stack.api}/api/v1/orders/{order['id']}/cancel", None, buyer.auth
        return (
            "POST",
            stack.api + "/merchant/v1/redemptions",
            {"code": order["code"]},
            {"Authorization": f"Bearer {shop['keys'][i - 8]}"},
        )

    replies = run_clients(16, request, timeout=600)

    cancels, redeems = _outcomes(replies[:8]), _outcomes(replies[8:])
    status = call(stack, "GET", f"/api/v1/orders/{order['id']}", headers=buyer.auth).body["status"]
    if status == "redeemed":
        assert (cancels, redeems) == (
            {(409, "order_not_cancellable"): 8},
            {200: 1, (409, "code_redeemed"): 7},
        )
        assert (balance(stack, buyer), product_stock(stack, shop["product_id"])) == (70, 4)
    else:  # cancelled first: refunded and restocked once, and the code no longer exists at the counter
        assert status == "cancelled"
        assert (cancels, redeems) == ({200: 8}, {(404, "code_unknown"): 8})
        assert (balance(stack, buyer), product_stock(stack, shop["product_id"])) == (100, 5)
    _ledger_clean(stack)
