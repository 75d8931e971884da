"""Every boundary rule of core.carbon.validation, one behaviour each (pure, no fixtures)."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal as D

from core.carbon import validation as v
from core.carbon.cards import is_card_number
from core.carbon.methodologies import Registry

REG = Registry()
SH = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=SH)


def m(code):
    return REG.in_force(code, "2026-11-23")


def test_facts__bike_duration_as_text__invalid_facts():
    assert v.check_record(m("bike"), 3, {"duration_s": "10 min"}) == "invalid_facts"


def test_facts__bike_without_required_duration__invalid_facts():
    assert v.check_record(m("bike"), 3, {}) == "invalid_facts"


def test_facts__bike_duration_out_of_range__invalid_facts():
    assert v.check_record(m("bike"), 3, {"duration_s": -1}) == "invalid_facts"
    assert v.check_record(m("bike"), 3, {"duration_s": 86401}) == "invalid_facts"


def test_facts__fact_the_scenario_does_not_declare__invalid_facts():
    assert v.check_record(m("bike"), 3, {"duration_s": 600, "teleported": True}) == "invalid_facts"


def test_facts__not_an_object__invalid_facts():
    assert v.check_record(m("bike"), 3, ["duration_s", 600]) == "invalid_facts"


def test_facts__bool_is_not_a_number__invalid_facts():
    assert v.check_record(m("bike"), 3, {"duration_s": True}) == "invalid_facts"


def test_facts__int_fact_with_a_fraction__invalid_facts():
    assert v.check_record(m("bike"), 3, {"duration_s": 60.5}) == "invalid_facts"


def test_facts__text_too_long__invalid_facts():
    assert v.check_record(m("metro"), 1, {"line": "x" * 41}) == "invalid_facts"


def test_facts__declared_and_in_range__valid():
    assert v.check_record(m("bike"), 3.5, {"duration_s": 600, "distance_km": 3.5}) is None
    assert (
        v.check_record(m("metro"), 1, {"line": "3", "distance_km": 2.1, "card": "51****0001"})
        is None
    )
    assert v.check_record(m("power_saving"), 2, None) is None


def test_quantity__nan_text_or_no_number__invalid_facts():
    for q in (float("nan"), float("inf"), "3", None, True):
        assert v.check_record(m("power_saving"), q, None) == "invalid_facts", q


def test_quantity__negative_or_above_the_scenario_maximum__quantity_out_of_range():
    for q in (-1, 1001, 10**400, D("-0.001")):
        assert v.check_record(m("power_saving"), q, None) == "quantity_out_of_range", q


def test_quantity__whole_units_only_where_the_unit_is_whole__invalid_facts():
    assert v.check_record(m("metro"), 2, None) == "quantity_out_of_range"  # one trip a record
    assert v.check_record(m("metro"), 0.5, None) == "invalid_facts"
    assert v.check_record(m("walk"), 100.5, None) == "invalid_facts"
    assert v.check_record(m("power_saving"), D("2.5"), None) is None


def test_scenario__unknown__unknown_scenario():
    assert v.check_record(REG.in_force("teleport", "2026-11-23"), 1, None) == "unknown_scenario"


def test_time__after_now_beyond_skew__in_future():
    assert v.check_time(NOW + timedelta(minutes=6), NOW, SH) == "in_future"
    assert v.check_time(NOW + timedelta(minutes=4), NOW, SH) is None


def test_time__a_later_local_day__in_future_even_within_skew():
    late = datetime(2026, 11, 27, 23, 58, tzinfo=SH)
    assert v.check_time(late + timedelta(minutes=3), late, SH) == "in_future"


def test_time__before_the_late_data_window__too_old():
    assert v.check_time(NOW - timedelta(days=8), NOW, SH) == "too_old"
    assert v.check_time(NOW - timedelta(days=7), NOW, SH) is None


def test_time__local_day_decides_not_utc():
    # 2026-11-19 23:30 in Shanghai is 8 days before the 27th locally (15:30 UTC on the 19th).
    assert v.check_time(datetime(2026, 11, 19, 15, 30, tzinfo=UTC), NOW, SH) == "too_old"


def test_time__naive_instant__invalid_facts():
    assert v.check_time(datetime(2026, 11, 27, 8, 0), NOW, SH) == "invalid_facts"


def test_stored__instant_on_another_day_than_its_partition__invalid_facts():
    assert (
        v.check_stored(m("metro"), 1, None, "2026-11-24T08:00:00+08:00", "2026-11-23", SH)
        == "invalid_facts"
    )
    assert v.check_stored(m("metro"), 1, None, "not a time", "2026-11-23", SH) == "invalid_facts"
    assert (
        v.check_stored(m("metro"), 1, None, "2026-11-23T08:00:00+08:00", "2026-11-23", SH) is None
    )


def test_card_number__ascii_digits_only():
    assert is_card_number("4000000001")
    assert not is_card_number("４０００００００01")  # full-width digits hash as another card
    assert not is_card_number("٤٠٠٠٠٠٠٠٠١")  # Arabic-Indic digits
    assert not is_card_number("400000000") and not is_card_number("40000000012")


def test_time_fact__after_now_where_a_record_enters__in_future():
    now = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    walk = REG.in_force("walk", "2026-12-20")
    later = {"uploaded_at": "2099-12-31T23:59:59+08:00"}
    assert v.check_record(walk, 12000, later, now) == "in_future"
    assert v.check_record(walk, 12000, {"uploaded_at": "2026-12-20T20:04:00+08:00"}, now) is None
    assert (
        v.check_record(walk, 12000, {"uploaded_at": "2026-12-20T20:06:00+08:00"}, now)
        == "in_future"
    )
    assert v.check_record(walk, 12000, later) is None  # settlement's re-check has no clock
