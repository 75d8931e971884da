"""The footprint estimate: parts, their sum, sources, suggestions (pure)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from core.carbon import estimate_rules as r

IN_FORCE = {
    "metro": r.Scenario("metro", Decimal(515), Decimal(8)),
    "bike": r.Scenario("bike", Decimal(93), Decimal(20)),
    "power_saving": r.Scenario("power_saving", Decimal(387), Decimal(50)),
    "clean_plate": r.Scenario("clean_plate", Decimal(144), Decimal(3)),
}


def test_worked_example():
    a = r.Answers(
        household_kwh_month=Decimal(300),
        household_size=3,
        gas_m3_month=Decimal(15),
        car_km_week=Decimal(100),
        car_fuel="petrol",
        flights=(2, 0, 0),
        diet="average",
        clothes_items_year=10,
        electronics_items_year=1,
    )
    out = r.estimate(a, IN_FORCE, 10)
    kg = {p["part"]: p["kg"] for p in out["parts"]}
    assert kg == {
        "electricity": 464,
        "gas": 130,
        "car": 832,
        "flights": 162,
        "diet": 1700,
        "clothes": 100,
        "electronics": 56,
    }  # 300*12/3*0.3869; 15*12/3*2.162; 100*52*0.160; 2000*0.081
    assert out["total_kg"] == sum(kg.values()) == 3444
    assert all(p["source"] and p["unit"] and p["evidence"] for p in out["parts"])
    # the two largest parts with a scenario: diet (clean plate), then car (bike 483 kg, metro 268 kg)
    assert [s["scenario"] for s in out["suggestions"]] == ["bike", "metro", "clean_plate"]
    metro = out["suggestions"][1]
    assert (
        metro["kg_year"] == round(10 * 52 * 515 / 1000)
        and metro["coins_year"] == 10 * 52 * 515 // 10
    )


def test_only_scenarios_in_force_are_suggested():
    a = r.Answers(car_km_week=Decimal(50))
    assert {s["scenario"] for s in r.estimate(a, {}, 10)["suggestions"]} == set()


def test_daily_cap_bounds_a_suggestion():
    a = r.Answers(car_km_week=Decimal(5000))
    bike = next(s for s in r.estimate(a, IN_FORCE, 10)["suggestions"] if s["scenario"] == "bike")
    assert bike["kg_year"] <= 20 * 365 * 93 / 1000 + 1


# Any answers the API lets through (its bounds), by argument name.
ANSWERS = dict(
    kwh=st.decimals(0, 10_000, places=2),
    size=st.integers(1, 20),
    gas=st.decimals(0, 1000, places=2),
    km=st.decimals(0, 5000, places=1),
    fuel=st.sampled_from(["petrol", "diesel", "electric", "none", None]),
    flights=st.tuples(*[st.integers(0, 200)] * 3),
    diet=st.sampled_from(list(r.DIET_SHARE)),
    clothes=st.integers(0, 1000),
    gadgets=st.integers(0, 100),
)


@given(**ANSWERS)
def test_total_is_the_sum_of_the_parts(kwh, size, gas, km, fuel, flights, diet, clothes, gadgets):
    a = r.Answers(kwh, size, gas, km, fuel, flights, diet, clothes, gadgets)
    out = r.estimate(a, IN_FORCE, 10)
    assert out["total_kg"] == sum(p["kg"] for p in out["parts"]) and all(
        p["kg"] >= 0 for p in out["parts"]
    )
    assert all(s["kg_year"] >= 0 and s["coins_year"] >= 0 for s in out["suggestions"])


def test_estimate__electricity_follows_the_grid_parameter_in_force():
    from core.carbon import estimate
    from core.carbon.methodologies import Registry

    registry = Registry()
    before, after = (
        estimate.factors(registry, "2026-12-31"),
        estimate.factors(registry, "2027-01-01"),
    )
    assert before["electricity"].value == Decimal("0.3869")
    assert after["electricity"].value == Decimal("0.4042") and "2023" in after["electricity"].source
    assert after["electric"].value > before["electric"].value
