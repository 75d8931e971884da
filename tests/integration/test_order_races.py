"""Orders whose requests interleave: another request commits between this one's reads
and its transaction (the window two Lambda containers really have)."""

import pytest

from core.books import checks
from core.errors import IdempotencyKeyReused
from core.mall import placing as mall
from models import Account
from models.mall import Product
from tests.support.mall import give_coins, make_shop


def _commit_between_read_and_write(monkeypatch, other_request):
    """Run other_request() right after place_order's reads, once (a real concurrent request)."""
    real, ran = mall.TransactGet, []

    class RacedGet(real):
        def __exit__(self, *exc):
            result = super().__exit__(*exc)
            if not ran:
                ran.append(True)
                other_request()
            return result

    monkeypatch.setattr(mall, "TransactGet", RacedGet)
    return ran


def test_order__same_key_other_body_commits_first__409_not_the_other_order(
    aws, citizen, monkeypatch
):
    user = citizen["user"]["id"]
    coffee, tea = make_shop(price=10), make_shop(price=20, merchant_name="茶")
    give_coins(user, 100)
    ran = _commit_between_read_and_write(
        monkeypatch, lambda: mall.place_order(aws, user, coffee["product_id"], 1, "tap")
    )

    with pytest.raises(IdempotencyKeyReused):
        mall.place_order(aws, user, tea["product_id"], 1, "tap")

    assert ran and Account.get(user).balance == 90  # only the first body was charged
    assert (
        Product.get(tea["product_id"]).stock == 10 and Product.get(coffee["product_id"]).stock == 9
    )
    assert checks.check_all() == []


def test_order__same_key_same_body_commits_first__replays_the_first_order(
    aws, citizen, monkeypatch
):
    user = citizen["user"]["id"]
    coffee = make_shop(price=10)
    give_coins(user, 100)
    first = []
    _commit_between_read_and_write(
        monkeypatch,
        lambda: first.append(mall.place_order(aws, user, coffee["product_id"], 1, "tap")[0]),
    )

    view, created = mall.place_order(aws, user, coffee["product_id"], 1, "tap")

    assert (view["id"], view["code"], created) == (first[0]["id"], first[0]["code"], False)
    assert Account.get(user).balance == 90 and Product.get(coffee["product_id"]).stock == 9
