"""The one cursor codec (core.cursors): a cursor pages only the list, owner and category it came from."""

import base64
import json

import pytest

from core import cursors
from core.cursors import InvalidCursor

ORDER_KEY = {
    "order_id": {"S": "o_1"},
    "user_id": {"S": "u_a"},
    "created_at": {"S": "2026-11-23T00:00:00+00:00"},
}
LEDGER_KEY = {
    "user_id": {"S": "u_a"},
    "entry_id": {"S": "settle#2026-11-23"},
    "seq": {"S": "2026#settle"},
}


def enc(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def test_round_trip__owner_pages_on():
    assert cursors.decode(cursors.encode(ORDER_KEY), cursors.ORDERS, owner="u_a") == ORDER_KEY
    assert cursors.decode(cursors.encode(LEDGER_KEY), cursors.LEDGER, owner="u_a") == LEDGER_KEY


def test_no_cursor__first_page():
    assert (
        cursors.decode(None, cursors.ORDERS, owner="u_a") is None and cursors.encode(None) is None
    )


def test_another_owner__refused():
    with pytest.raises(InvalidCursor):
        cursors.decode(cursors.encode(ORDER_KEY), cursors.ORDERS, owner="u_b")


def test_another_kind_with_the_same_owner__refused():
    with pytest.raises(InvalidCursor):
        cursors.decode(cursors.encode(LEDGER_KEY), cursors.ORDERS, owner="u_a")


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all",
        enc([1]),
        enc("x"),
        enc({"nope": {"S": "x"}}),
        enc({**ORDER_KEY, "order_id": {"N": "1"}}),
        enc({**ORDER_KEY, "order_id": "o_1"}),
        enc({**ORDER_KEY, "order_id": {"S": 1}}),
        enc({**ORDER_KEY, "extra": {"S": "x"}}),
        enc({k: v for k, v in ORDER_KEY.items() if k != "created_at"}),  # a missing attribute
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_forged_or_malformed__422(cursor):
    with pytest.raises(InvalidCursor) as e:
        cursors.decode(cursor, cursors.ORDERS, owner="u_a")
    assert (e.value.http_status, e.value.code) == (422, "invalid_request")


def test_fixed_values__category_cursor_fits_only_its_category():
    key = {"product_id": {"S": "p_1"}, "category": {"S": "coffee"}}
    assert cursors.decode(enc(key), cursors.PRODUCTS_IN_CATEGORY, category="coffee") == key
    with pytest.raises(InvalidCursor):
        cursors.decode(enc(key), cursors.PRODUCTS_IN_CATEGORY, category="tea")
    with pytest.raises(InvalidCursor):
        cursors.decode(enc(key), cursors.PRODUCTS_ON_SALE, listed="on_sale")


def test_owned_kind_without_an_owner__a_programming_error_not_a_free_pass():
    with pytest.raises(ValueError):
        cursors.decode(cursors.encode(ORDER_KEY), cursors.ORDERS)


BATCHES = cursors.Kind(
    "batches", frozenset({"org_id", "batch_no"}), numbers=frozenset({"batch_no"})
)
BATCH_KEY = {"org_id": {"S": "o_a"}, "batch_no": {"N": "21"}}


def test_a_number_key__round_trip__only_as_whole_ascii_digits():
    assert cursors.decode(cursors.encode(BATCH_KEY), BATCHES, org_id="o_a") == BATCH_KEY
    with pytest.raises(InvalidCursor):
        cursors.decode(cursors.encode(BATCH_KEY), BATCHES, org_id="o_b")
    for bad in (
        {"S": "21"},
        {"N": "-1"},
        {"N": "1.5"},
        {"N": "1e3"},
        {"N": "١"},
        {"N": "²"},
        {"N": ""},
        {"N": "9" * 16},
        {"N": 21},
    ):
        with pytest.raises(InvalidCursor):
            cursors.decode(enc({**BATCH_KEY, "batch_no": bad}), BATCHES, org_id="o_a")
    with pytest.raises(InvalidCursor):  # a string attribute never takes a number
        cursors.decode(enc({**BATCH_KEY, "org_id": {"N": "1"}}), BATCHES, org_id="o_a")
