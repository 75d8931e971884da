"""Order rules on plain values (core.mall.order_rules): limit, stock, price, expiry, ids."""

from datetime import UTC, datetime

import pytest

from core.errors import Unprocessable
from core.mall import order_rules
from core.mall.order_rules import LimitReached, OutOfStock, ProductOffSale, Terms

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
COFFEE = Terms(price_coins=30, stock=5, per_user_limit=3, valid_days=7)


def test_price__coins_times_quantity_and_valid_to_the_end_of_the_last_local_day():
    p = order_rules.price(
        COFFEE, held=1, quantity=2, now=NOW
    )  # bought 2026-11-23 09:00 in Guangzhou
    assert (p.coins, p.cash_fen, p.status, p.expires_at.isoformat(), p.most_held_before) == (
        60,
        0,
        "issued",
        "2026-11-30T15:59:59+00:00",
        1,
    )  # = 2026-11-30T23:59:59+08:00


@pytest.mark.parametrize(
    "bought, valid_days, last",
    [
        ("2026-11-23T15:59:59+00:00", 1, "2026-11-24T23:59:59+08:00"),  # 23:59:59 local: the 23rd
        (
            "2026-11-23T16:00:00+00:00",
            1,
            "2026-11-25T23:59:59+08:00",
        ),  # 00:00 local: already the 24th
        (
            "2026-12-31T20:00:00+00:00",
            30,
            "2027-01-31T23:59:59+08:00",
        ),  # across the year, local day 2027-01-01
    ],
)
def test_voucher_expiry__last_second_of_the_shanghai_day(bought, valid_days, last):
    expiry = order_rules.voucher_expiry(datetime.fromisoformat(bought), valid_days)
    assert expiry.utcoffset().total_seconds() == 0  # stored in UTC, compared as strings
    assert expiry == datetime.fromisoformat(last)


def test_limit__holding_plus_quantity_over_limit__refused():
    with pytest.raises(LimitReached):
        order_rules.price(COFFEE, held=2, quantity=2, now=NOW)


def test_stock__short__refused_and_limit_is_named_first():
    with pytest.raises(OutOfStock):
        order_rules.price(
            Terms(30, stock=1, per_user_limit=5, valid_days=7), held=0, quantity=2, now=NOW
        )
    with pytest.raises(LimitReached):  # both broken: the citizen hears about their own limit
        order_rules.price(
            Terms(30, stock=0, per_user_limit=1, valid_days=7), held=1, quantity=1, now=NOW
        )


def test_broken_rule__after_a_failed_transaction__stock_else_limit():
    assert isinstance(order_rules.broken_rule(stock_now=0, quantity=1), OutOfStock)
    assert isinstance(order_rules.broken_rule(stock_now=4, quantity=1), LimitReached)
    assert isinstance(
        order_rules.broken_rule(stock_now=4, quantity=1, on_sale_now=False), ProductOffSale
    )
    # An activation code order whose picked code went to another order picks again.
    assert order_rules.broken_rule(stock_now=4, quantity=1, fulfilment="activation_code") is None


def test_cash_part__pending_payment_for_the_payment_window():
    p = order_rules.price(Terms(10, 5, 3, 7, price_fen=990), held=0, quantity=2, now=NOW)
    assert (p.coins, p.cash_fen, p.status, p.expires_at.isoformat()) == (
        20,
        1980,
        "pending_payment",
        "2026-11-23T01:15:00+00:00",
    )


def test_off_sale_and_activation_codes_one_at_a_time__refused():
    with pytest.raises(ProductOffSale):
        order_rules.price(Terms(30, 5, 3, 7, on_sale=False), held=0, quantity=1, now=NOW)
    with pytest.raises(Unprocessable):
        order_rules.price(
            Terms(30, 5, 3, 7, fulfilment="activation_code"), held=0, quantity=2, now=NOW
        )


def test_ids__idempotency_per_user_and_key__order_ids_random():
    assert (
        order_rules.idempotency_id("u1", "tap") == "u1#tap"
        and order_rules.idempotency_id("u1", None) is None
    )
    assert order_rules.idempotency_id("u2", "tap") != order_rules.idempotency_id("u1", "tap")
    ids = {
        order_rules.order_id() for _ in range(100)
    }  # never derived from a key: a reused key cannot name an old order
    assert len(ids) == 100 and all(i.startswith("o_") and len(i) == 22 for i in ids)


def test_request_hash__same_body_same_hash():
    assert (
        order_rules.request_hash("p1", 1)
        == order_rules.request_hash("p1", 1)
        != order_rules.request_hash("p1", 2)
    )
