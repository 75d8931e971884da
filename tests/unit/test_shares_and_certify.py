from decimal import Decimal

import pytest

from core.books.shares import largest_remainder
from core.carbon.methodologies import Registry, new_version
from core.enterprise import certify


def test_largest_remainder__sums_exactly_and_goes_to_largest_fractions():
    assert largest_remainder(10, {"a": 1, "b": 1, "c": 1}) == {
        "a": 4,
        "b": 3,
        "c": 3,
    }  # tie: smaller key
    assert largest_remainder(100, {"a": 38690, "b": 77380, "c": 14315}) == {
        "a": 30,
        "b": 59,
        "c": 11,
    }  # 29.67, 59.35, 10.98
    assert largest_remainder(7, {"a": 0, "b": 5}) == {"a": 0, "b": 7}
    assert largest_remainder(0, {}) == {}


@pytest.mark.parametrize("total", [0, 1, 7, 99, 1000, 123457])
def test_largest_remainder__any_total_sums_to_it(total):
    weights = {f"u{i}": (i * 7919) % 1013 + 1 for i in range(57)}
    shares = largest_remainder(total, weights)
    assert sum(shares.values()) == total and all(s >= 0 for s in shares.values())
    # nobody gets more than one coin above their exact share
    whole = sum(weights.values())
    assert all(0 <= shares[k] - total * w // whole <= 1 for k, w in weights.items())


def test_certify__version_in_force_on_the_last_day_and_floored_grams():
    reg = Registry()
    base = reg.in_force("project_pv", "2026-01-01")
    reg = reg.publish(new_version(base, "2", "2026-06-01", grams_per_unit=Decimal("500.5")))
    assert certify.certify(
        "pv", "2026-05-01", "2026-05-31", Decimal("10.5"), reg
    ) == certify.Certified("project_pv", "1", 4062)  # 10.5 x 386.9 = 4062.45
    assert certify.certify("pv", "2026-05-20", "2026-06-01", Decimal(3), reg).version == "2"


def test_certify__problems():
    assert (
        certify.problem("pv", "2026-05-02", "2026-05-01", Decimal(1), "2026-11-01") == "bad_period"
    )
    assert (
        certify.problem("pv", "2025-01-01", "2026-05-01", Decimal(1), "2026-11-01") == "bad_period"
    )
    assert (
        certify.problem("pv", "2026-10-01", "2026-11-02", Decimal(1), "2026-11-01") == "in_future"
    )
    assert (
        certify.problem("pv", "2026-10-01", "2026-10-01", Decimal(5001), "2026-11-01")
        == "bad_quantity"
    )
    assert certify.problem("pv", "2026-10-01", "2026-10-02", Decimal(10000), "2026-11-01") is None
    assert certify.overlaps("2026-01-01", "2026-01-31", "2026-01-31", "2026-02-28")
    assert not certify.overlaps("2026-01-01", "2026-01-30", "2026-01-31", "2026-02-28")


def test_every_project_methodology_has_a_source_and_a_type():
    projects = [m for m in Registry().versions if m.scope == "project"]
    assert {m.code for m in projects} == set(certify.TYPES.values())
    assert all(m.source and m.phcer for m in projects)


def test_closed_account__a_credit_goes_to_forfeits_a_debit_is_unchanged():
    from core.books.legs import on_account

    assert on_account("refund", 40, None, closed=True) == (0, {"refunds": -40, "forfeits": 40})
    assert on_account("refund", 40, None, closed=False) == (40, {"refunds": -40})
    assert on_account("order", -5, {"spending:m1": 5}, closed=True) == (-5, {"spending:m1": 5})
