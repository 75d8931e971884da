from decimal import Decimal as D

from core.carbon import rules
from core.carbon.methodologies import Registry, new_version
from core.carbon.rules import Record

REG = Registry()


def rec(scenario, qty, t="08:00", sid=None, **facts):
    return Record(
        scenario,
        D(str(qty)),
        f"2026-11-23T{t}:00+08:00",
        sid or f"{scenario}{t}{qty}",
        facts or None,
    )


def totals(records, date="2026-11-23", reg=REG):
    return {t.scenario: (t.grams, t.count) for t in rules.apply(records, date, reg)}


def test_registry__at_least_20_scenarios_with_sources():
    current = REG.current("2026-11-23")
    assert len(current) >= 20 and all(m.source for m in current)


def test_metro_and_bus__per_trip_factors():
    assert totals([rec("metro", 1, "08:00"), rec("bus", 1, "09:00")]) == {
        "metro": (515, 1),
        "bus": (212, 1),
    }


def test_transit__more_than_8_trips__earliest_8_count():
    trips = [rec("metro", 1, f"{h:02d}:00") for h in range(6, 12)] + [
        rec("bus", 1, f"{h:02d}:00") for h in range(12, 16)
    ]
    assert totals(trips) == {"metro": (6 * 515, 6), "bus": (2 * 212, 2)}


def test_walk__below_threshold__nothing():
    assert totals([rec("walk", 9999)]) == {}


def test_walk__12000_steps__240_grams():
    assert totals([rec("walk", 12000)]) == {"walk": (240, 1)}


def test_walk__above_cap__capped_at_30000_steps():
    assert totals([rec("walk", 45000)]) == {"walk": (600, 1)}


def test_bike__short_ride__ignored_and_km_capped():
    rides = [
        rec("bike", 2.5, "08:00", duration_s=30),
        rec("bike", 12, "09:00", duration_s=3000),
        rec("bike", 12, "10:00", duration_s=3000),
    ]
    assert totals(rides) == {"bike": (20 * 93, 2)}


def test_bike__more_than_10_rides__10_count():
    rides = [rec("bike", 1, f"{h:02d}:00", duration_s=300) for h in range(6, 18)]
    assert totals(rides) == {"bike": (10 * 93, 10)}


def test_grams__floored_to_integers():
    assert totals([rec("walk", 10001)]) == {"walk": (200, 1)}  # 200.02 g -> 200


def test_version__new_factor_applies_only_from_its_date():
    reg = REG.publish(
        new_version(REG.in_force("metro", "2026-01-01"), "2", "2026-12-01", grams_per_unit=D(600))
    )
    assert totals([rec("metro", 1)], "2026-11-30", reg) == {"metro": (515, 1)}
    result = rules.apply([rec("metro", 1)], "2026-12-01", reg)
    assert [(t.grams, t.version) for t in result] == [(600, "2")]


def test_coins__carry_over_keeps_remainders():
    assert rules.coins_to_credit(15, 0, 10) == 1
    assert rules.coins_to_credit(15 + 7, 1, 10) == 1  # 22 g in all -> 2 coins, 1 already
    assert rules.coins_to_credit(22 + 3, 2, 10) == 0
