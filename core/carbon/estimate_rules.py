"""A citizen's own annual emissions from a short questionnaire (个人碳足迹测算). Pure.

Invariants:
- Every part is whole kg CO2e a year for one person (half up); `total_kg` is the sum of the
  parts, exactly: integers, so any client's sum of the parts equals it too.
- Every part names its factor, the factor's unit, its source and evidence level, as the factor
  table (core.carbon.estimate_factors) has them; this module only does the arithmetic.
- Household quantities (electricity, piped gas) are shared equally by the household.
- Suggestions name only scenarios that credit in this deployment today (the caller passes
  `credits(code)`), with what they would earn in a year at today's coin rate, capped by the
  scenario's daily cap; coins are whole (floor).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.carbon.estimate_factors import (
    CITY_PER_CAPITA_KG,
    CITY_SOURCE,
    CITY_SOURCE_EN,
    DIET_SHARE,
    FACTORS,
    FLIGHT_KM,
    Factor,
)


@dataclass(frozen=True)
class Answers:
    household_kwh_month: Decimal = Decimal(0)
    household_size: int = 1
    gas_m3_month: Decimal = Decimal(0)
    car_km_week: Decimal = Decimal(0)
    car_fuel: str | None = None  # petrol | diesel | electric | none; None: petrol if any km
    flights: tuple[int, int, int] = (0, 0, 0)  # short, medium, long one-way flights a year
    diet: str = "average"
    clothes_items_year: int = 0
    electronics_items_year: int = 0


def _kg(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fuel_of(a: Answers) -> str:
    return a.car_fuel or ("petrol" if a.car_km_week > 0 else "none")


def parts(a: Answers, f: dict[str, Factor] = FACTORS) -> list[tuple[str, int, Factor]]:
    """(part, kg a year, factor) for each part, in a fixed order."""
    size = Decimal(max(a.household_size, 1))
    car = f[fuel_of(a)]
    flights = sum(n * FLIGHT_KM[band] for n, band in zip(a.flights, ("short", "medium", "long")))
    return [
        (
            "electricity",
            _kg(a.household_kwh_month * 12 / size * f["electricity"].value),
            f["electricity"],
        ),
        ("gas", _kg(a.gas_m3_month * 12 / size * f["gas"].value), f["gas"]),
        ("car", _kg(a.car_km_week * 52 * car.value), car),
        ("flights", _kg(Decimal(flights) * f["flight"].value), f["flight"]),
        ("diet", _kg(f["diet"].value * DIET_SHARE[a.diet]), f["diet"]),
        ("clothes", _kg(a.clothes_items_year * f["clothes"].value), f["clothes"]),
        ("electronics", _kg(a.electronics_items_year * f["electronics"].value), f["electronics"]),
    ]


@dataclass(frozen=True)
class Scenario:
    """What the estimate needs of a scenario in force: grams per unit and its daily cap in units."""

    code: str
    grams_per_unit: Decimal
    daily_cap: Decimal | None


# What the citizen would do, in English (Accept-Language: en), by scenario.
HOW_EN = {
    "metro": "Take the metro instead of driving, for every 10 km",
    "bus": "Take the bus instead of driving, for every 10 km",
    "bike": "Ride a shared bike instead of short drives (up to 20 km a day)",
    "power_saving": "Save a tenth of the household's electricity",
    "clean_plate": "Check in a clean plate once a day",
    "recycling_clothes": "Recycle old clothes (about 0.5 kg an item)",
}


def _habits(a: Answers) -> dict[str, list[tuple[str, Decimal, str]]]:
    """Per part: (scenario, units a year, what the citizen would do) for the platform's scenarios
    (in Chinese; HOW_EN by scenario in English)."""
    size = Decimal(max(a.household_size, 1))
    trips_week = (
        a.car_km_week / 10
    ).to_integral_value()  # a 10 km car trip replaced by one public-transport trip
    return {
        "car": [
            ("metro", trips_week * 52, "把每 10 公里的自驾改乘地铁"),
            ("bus", trips_week * 52, "把每 10 公里的自驾改乘公交"),
            (
                "bike",
                min(a.car_km_week, Decimal(140)) * 52,
                "短途自驾改骑共享单车（每天至多 20 公里）",
            ),
        ],
        "electricity": [
            ("power_saving", Decimal(_kg(a.household_kwh_month * 12 / size / 10)), "家庭节电一成")
        ],
        "diet": [("clean_plate", Decimal(365), "每天光盘打卡一次")],
        "clothes": [
            ("recycling_clothes", Decimal(a.clothes_items_year) / 2, "旧衣回收（每件约 0.5 kg）")
        ],
    }


def suggestions(
    a: Answers,
    part_kg: dict[str, int],
    in_force: dict[str, Scenario],
    grams_per_coin: int,
    most: int = 5,
    english: bool = False,
) -> list[dict]:
    """The scenarios that would cut the two largest parts that have one, most kg first.
    `in_force`: the scenarios that credit today, by code."""
    habits = _habits(a)
    out = []
    for part in [
        p for p in sorted(part_kg, key=lambda p: -part_kg[p]) if p in habits and part_kg[p] > 0
    ][:2]:
        for code, units_year, how in habits[part]:
            s = in_force.get(code)
            if s is None or units_year <= 0:
                continue
            if s.daily_cap is not None:
                units_year = min(units_year, s.daily_cap * 365)
            grams = int(units_year * s.grams_per_unit)
            out.append(
                {
                    "scenario": code,
                    "part": part,
                    "how": HOW_EN[code] if english else how,
                    "kg_year": _kg(Decimal(grams) / 1000),
                    "coins_year": grams // grams_per_coin,
                }
            )
    return sorted(out, key=lambda s: -s["kg_year"])[:most]


def estimate(
    a: Answers,
    in_force: dict[str, Scenario],
    grams_per_coin: int,
    factors: dict[str, Factor] = FACTORS,
    english: bool = False,
) -> dict:
    """The estimate; its words (units, sources, suggestions) in English when `english`, the
    numbers the same either way."""
    rows = parts(a, factors)
    return {
        "total_kg": sum(kg for _, kg, _ in rows),
        "parts": [
            {
                "part": p,
                "kg": kg,
                "factor": float(f.value),
                "unit": (f.unit_en or f.unit) if english else f.unit,
                "source": (f.source_en or f.source) if english else f.source,
                "evidence": f.evidence,
            }
            for p, kg, f in rows
        ],
        "city_per_capita_kg": int(CITY_PER_CAPITA_KG),
        "city_source": CITY_SOURCE_EN if english else CITY_SOURCE,
        "suggestions": suggestions(
            a, {p: kg for p, kg, _ in rows}, in_force, grams_per_coin, english=english
        ),
    }
