"""Methodologies, caps and the coin rate as versioned, dated data (pure)."""

from decimal import Decimal as D

from core.carbon import rules
from core.carbon.defaults import DEFAULTS, REVISED
from core.carbon.methodologies import (
    EVIDENCE,
    CoinRate,
    Methodology,
    Registry,
    check_publication,
    new_version,
)
from core.carbon.rules import Record

REG = Registry()
TODAY = "2026-11-27"


def metro(**changes):
    return new_version(REG.in_force("metro", TODAY), "9", "2026-11-28", **changes)


def test_publish__factor_zero_or_negative__refused():
    assert "the factor must be > 0" in check_publication(metro(grams_per_unit=D(0)), TODAY)
    assert "the factor must be > 0" in check_publication(metro(grams_per_unit=D(-5)), TODAY)


def test_publish__no_source__refused():
    assert "a source is required" in check_publication(metro(source="  "), TODAY)


def test_publish__effective_today_or_earlier__refused():
    for day in (TODAY, "2026-11-20"):
        assert any(
            "after today" in p for p in check_publication(new_version(metro(), "9", day), TODAY)
        )


def test_publish__positive_sourced_and_from_tomorrow__accepted():
    assert check_publication(metro(grams_per_unit=D(520), source="a filed text"), TODAY) == []


def test_coin_rate__same_rules():
    assert len(check_publication(CoinRate("2", TODAY, 0, ""), TODAY)) == 3
    assert check_publication(CoinRate("2", "2026-11-28", 20, "board decision"), TODAY) == []


def test_every_shipped_version__sourced_with_an_evidence_level():
    assert all(m.source and m.evidence in EVIDENCE for m in DEFAULTS)
    assert REG.in_force("metro", TODAY).evidence == "academic"
    assert REG.in_force("water_saving", TODAY).evidence == "none"


def test_revised_defaults__only_from_their_date():
    assert REG.in_force("clean_plate", "2026-11-30").grams_per_unit == 60
    assert REG.in_force("clean_plate", REVISED).grams_per_unit == 144
    assert REVISED > TODAY


def test_evidence_none__credits_nothing_when_evidence_is_required():
    recs = [
        Record("water_saving", D(2), "2026-11-23T08:00:00+08:00", "w1"),
        Record("metro", D(1), "2026-11-23T09:00:00+08:00", "t1"),
    ]
    assert {t.scenario for t in rules.apply(recs, "2026-11-23", REG)} == {"water_saving", "metro"}
    assert {t.scenario for t in rules.apply(recs, "2026-11-23", REG, require_evidence=True)} == {
        "metro"
    }


def test_pinned_day__keeps_the_version_it_was_priced_with():
    reg = REG.publish(
        new_version(REG.in_force("metro", TODAY), "2", "2026-11-23", grams_per_unit=D(600))
    )
    rec = [Record("metro", D(1), "2026-11-23T08:00:00+08:00", "t1")]
    assert [t.grams for t in rules.apply(rec, "2026-11-23", reg)] == [600]
    assert [t.grams for t in rules.apply(rec, "2026-11-23", reg.pinned({"metro": "1"}))] == [515]


def test_caps_are_versioned__a_new_transit_cap_applies_from_its_date():
    reg = REG.publish(new_version(REG.in_force("metro", TODAY), "2", "2026-12-02", group_cap=D(5)))
    trips = [
        Record("metro", D(1), f"2026-12-02T{h:02d}:00:00+08:00", f"t{h}") for h in range(6, 16)
    ]
    assert [t.count for t in rules.apply(trips, "2026-12-02", reg)] == [5]


def test_credit__never_negative_even_when_the_coin_rate_rises():
    assert rules.coins_to_credit(25, 2, 20) == 0  # 25 g at 20 g/coin: 1 coin, 2 already
    assert rules.convert(5, 30, 20) == (1, 15)
    assert rules.convert(0, 0, 20) == (0, 0)


def test_coin_rate__in_force_by_date():
    reg = Registry(rates=(CoinRate("2", "2026-12-01", 20, "decision"),))
    assert reg.rate_in_force("2026-11-30", 10).grams_per_coin == 10
    assert reg.rate_in_force("2026-12-01", 10).grams_per_coin == 20


def test_methodology__round_trips_through_its_stored_form():
    m = REG.in_force("bike", TODAY)
    assert Methodology.from_dict(m.to_dict()) == m
