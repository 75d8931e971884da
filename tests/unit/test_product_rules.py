"""The product file's rules (pure): every problem named at once, nothing half-accepted."""

import pytest

from core.mall.product_rules import InvalidProducts, changed_fields, parse_products

GOOD = {
    "id": "p_1",
    "name": "券",
    "category": "food",
    "merchant_id": "m_1",
    "price_coins": 10,
    "per_user_limit": 1,
    "valid_days": 7,
    "description": "说明",
}


def test_parse__a_good_product__defaults_to_a_coins_only_voucher():
    (spec,) = parse_products([GOOD])
    assert (spec.fulfilment, spec.price_fen, spec.stock, spec.image_url) == (
        "voucher",
        0,
        None,
        None,
    )


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"price_coins": -1}, "price_coins"),
        ({"price_coins": 0}, "coins, cash or both"),
        ({"price_coins": True}, "price_coins"),
        ({"fulfilment": "shipping"}, "fulfilment"),
        ({"id": "P 1"}, "id must"),
        ({"image_url": "http://x"}, "https://"),
        ({"name": ""}, "name"),
        ({"colour": "red"}, "unknown field"),
        ({"fulfilment": "activation_code", "stock": 3}, "code pool"),
        ({"category": "食品"}, "category"),
        ({"valid_days": 0}, "valid_days"),
        ({"stock": 10**9}, "stock"),
    ],
)
def test_parse__each_bad_field__is_named(bad, words):
    with pytest.raises(InvalidProducts) as e:
        parse_products([GOOD, GOOD | {"id": "p_2"} | bad])
    assert any(words in p and "p_2" in p or words in p for p in e.value.problems)
    assert all("p_1" not in p for p in e.value.problems)


def test_parse__duplicates_and_non_lists__refused():
    with pytest.raises(InvalidProducts, match="listed twice"):
        parse_products([GOOD, GOOD])
    for data in ({}, [], "x", [1]):
        with pytest.raises(InvalidProducts):
            parse_products(data)


def test_changed_fields__only_what_differs():
    (spec,) = parse_products([GOOD | {"price_fen": 500}])
    current = spec.fields() | {"price_fen": 0}
    assert changed_fields(current, spec) == {"price_fen": (0, 500)}
    assert changed_fields(spec.fields(), spec) == {}
