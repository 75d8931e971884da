"""The one money splitter (core.books.shares) and the legs it gives: no coin lost, any weights."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.books import legs
from core.books.shares import largest_remainder

weights = st.dictionaries(
    st.text(min_size=1, max_size=4), st.integers(0, 10**9), min_size=1, max_size=30
)
zeros = st.dictionaries(st.text(min_size=1, max_size=4), st.just(0), min_size=1, max_size=30)


@given(total=st.integers(0, 10**12), weights=st.one_of(weights, zeros))
def test_parts_sum_to_the_whole_each_within_one_of_its_exact_share(total, weights):
    parts = largest_remainder(total, weights)
    assert parts.keys() == weights.keys() and sum(parts.values()) == total
    whole = sum(weights.values())
    exact = {
        k: Fraction(total * w, whole) if whole else Fraction(total, len(weights))
        for k, w in weights.items()
    }
    assert all(abs(parts[k] - exact[k]) < 1 and parts[k] >= 0 for k in weights)


@given(amount=st.integers(-(10**9), 10**9), weights=st.one_of(weights, zeros))
def test_legs_of_any_signed_amount_sum_to_it(amount, weights):
    assert sum(legs.allocate(amount, weights).values()) == amount


def test_weights_summing_to_zero__split_equally_ties_to_the_smaller_key():
    assert largest_remainder(7, {"b": 0, "a": 0, "c": 0}) == {"a": 3, "b": 2, "c": 2}
    assert legs.allocate(-5, {"bus": 0, "metro": 0}) == {"bus": -3, "metro": -2}


def test_no_keys__nothing_to_split_is_fine_coins_to_split_are_an_error():
    assert largest_remainder(0, {}) == {}
    with pytest.raises(ValueError):
        largest_remainder(3, {})
    assert legs.allocate(3, {}) == {
        "unassigned": 3
    }  # a settlement credit with no scenario still balances
