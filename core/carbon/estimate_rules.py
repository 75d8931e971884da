"""A citizen's own annual emissions from a short questionnaire (个人碳足迹测算). Pure.

Invariants:
- Every part is whole kg CO2e a year for one person (half up); `total_kg` is the sum of the
  parts, exactly: integers, so any client's sum of the parts equals it too.
- Every part names its factor, the factor's unit, its source and evidence level (the levels of
  ../shared/METHODOLOGIES.md); a factor nobody has sourced yet says so (evidence `none`).
- Household quantities (electricity, piped gas) are shared equally by the household.
- Suggestions name only scenarios that credit in this deployment today (the caller passes
  `credits(code)`), with what they would earn in a year at today's coin rate, capped by the
  scenario's daily cap; coins are whole (floor).
The factor table is also in README ("Footprint estimate") and ../shared/METHODOLOGIES.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GRID_KG_PER_KWH = Decimal(
    "0.3869"
)  # the grid parameter's first version: callers pass the one in force
GRID_SOURCE = (
    "生态环境部、国家统计局《关于发布2022年电力二氧化碳排放因子的公告》(2024-12-20)：南方区域电网 "
    "0.3869 kg CO2/kWh"
)


@dataclass(frozen=True)
class Factor:
    value: Decimal
    unit: str
    source: str
    evidence: str


PETROL_L_PER_100KM, DIESEL_L_PER_100KM, EV_KWH_PER_100KM = (
    Decimal("7.5"),
    Decimal("7.0"),
    Decimal("15"),
)
_PETROL_KG_PER_L = Decimal("2.925") * Decimal("0.73")  # 2.925 kg CO2/kg x 0.73 kg/L
_DIESEL_KG_PER_L = Decimal("3.160") * Decimal(
    "0.84"
)  # 74,100 kg/TJ x 42,652 kJ/kg = 3.160 kg/kg x 0.84 kg/L

FACTORS = {
    "electricity": Factor(GRID_KG_PER_KWH, "kg CO2/kWh", GRID_SOURCE, "official"),
    "gas": Factor(
        Decimal("2.162"),
        "kg CO2/m³",
        "天然气低位发热量 38,931 kJ/m³（GB/T 2589-2020）× 单位热值含碳量 15.3 tC/TJ × 碳氧化率 99% × 44/12"
        "（《省级温室气体清单编制指南（试行）》）",
        "government",
    ),
    "petrol": Factor(
        (_PETROL_KG_PER_L * PETROL_L_PER_100KM / 100).quantize(Decimal("0.001")),
        "kg CO2/km",
        "汽油 43,070 kJ/kg（GB/T 2589-2020）× 18.9 tC/TJ × 98% × 44/12 = 2.925 kg CO2/kg，密度 0.73 kg/L；"
        "按在用小汽车油耗 7.5 L/100 km 估算（油耗为假设值）",
        "derived",
    ),
    "diesel": Factor(
        (_DIESEL_KG_PER_L * DIESEL_L_PER_100KM / 100).quantize(Decimal("0.001")),
        "kg CO2/km",
        "IPCC 2006 国家温室气体清单指南 第2卷第3章 柴油缺省排放因子 74,100 kg CO2/TJ × 低位发热量 "
        "42,652 kJ/kg（GB/T 2589-2020），密度 0.84 kg/L；按油耗 7.0 L/100 km 估算（油耗为假设值）",
        "derived",
    ),
    "electric": Factor(
        (GRID_KG_PER_KWH * EV_KWH_PER_100KM / 100).quantize(Decimal("0.001")),
        "kg CO2/km",
        "电网排放因子 0.3869 kg CO2/kWh（同上）× 电耗 15 kWh/100 km（电耗为假设值）",
        "derived",
    ),
    "none": Factor(Decimal(0), "kg CO2/km", "不开车", "official"),
    # 0.285 kg fuel per tonne-km (CAAC 2019) x 0.09 t per passenger x 3.16 kg CO2/kg kerosene (IPCC 2006)
    "flight": Factor(
        Decimal("0.081"),
        "kg CO2/人公里（单程：短途 1,000 km、中程 2,500 km、长途 8,000 km）",
        "中国民用航空局《2019年民航行业发展统计公报》：运输航空单位周转量油耗 0.285 kg/吨公里，"
        "每位旅客按 90 kg 折算；航空煤油排放因子 71,500 kg CO2/TJ × 44.1 TJ/Gg = 3.16 kg CO2/kg"
        "（IPCC 2006 第2卷第3章）",
        "derived",
    ),
    "diet": Factor(
        Decimal(1700),
        "kg CO2e/人年（普通饮食；重肉 ×1.28、素食 ×0.68、纯素 ×0.51）",
        "苏炳涛等，中国人口·资源与环境 2023(3)：1990-2020 年中国食物系统年均 23.26 亿吨 CO2e，按人口折算"
        "约 1.7 t/人年；饮食类型比例见 Scarborough et al., Climatic Change 2014, 125:179-192",
        "academic",
    ),
    "clothes": Factor(
        Decimal(10),
        "kg CO2e/件",
        "尚无已核实来源：占位值，待补充（如纺织品生命周期评价数据）",
        "none",
    ),
    "electronics": Factor(
        Decimal(56),
        "kg CO2e/件（以一部手机计）",
        "Apple《iPhone 15 产品环境报告》(2023)：128 GB 机型全生命周期约 56 kg CO2e",
        "derived",
    ),
}
DIET_SHARE = {
    "meat_heavy": Decimal("1.28"),
    "average": Decimal(1),
    "vegetarian": Decimal("0.68"),
    "vegan": Decimal("0.51"),
}
FLIGHT_KM = {"short": 1000, "medium": 2500, "long": 8000}
CITY_PER_CAPITA_KG = Decimal(7000)
CITY_SOURCE = (
    "广州市人均排放尚未找到可核实的公开数据，暂以全国人均约 7 t CO2（2018 年，Global Carbon Atlas）对照；"
    "仅供参考：城市人均为辖区化石能源排放，与个人消费碳足迹口径不同"
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


def with_grid(kg_per_kwh: Decimal, source: str, evidence: str) -> dict[str, Factor]:
    """The factors with the grid emission factor in force (the methodologies' shared parameter
    `grid_factor`): household electricity and an electric car's km both follow it."""
    ev = (kg_per_kwh * EV_KWH_PER_100KM / 100).quantize(Decimal("0.001"))
    return {
        **FACTORS,
        "electricity": Factor(kg_per_kwh, "kg CO2/kWh", source, evidence),
        "electric": Factor(
            ev,
            "kg CO2/km",
            f"电网排放因子 {kg_per_kwh} kg CO2/kWh（同上）× 电耗 15 kWh/100 km（电耗为假设值）",
            "derived",
        ),
    }


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


def _habits(a: Answers) -> dict[str, list[tuple[str, Decimal, str]]]:
    """Per part: (scenario, units a year, what the citizen would do) for the platform's scenarios."""
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
                    "how": how,
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
) -> dict:
    rows = parts(a, factors)
    return {
        "total_kg": sum(kg for _, kg, _ in rows),
        "parts": [
            {
                "part": p,
                "kg": kg,
                "factor": float(f.value),
                "unit": f.unit,
                "source": f.source,
                "evidence": f.evidence,
            }
            for p, kg, f in rows
        ],
        "city_per_capita_kg": int(CITY_PER_CAPITA_KG),
        "city_source": CITY_SOURCE,
        "suggestions": suggestions(a, {p: kg for p, kg, _ in rows}, in_force, grams_per_coin),
    }
