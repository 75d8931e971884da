"""The footprint estimate's factor table: every factor's value, unit, source and evidence level,
the city per-capita figure it is compared with and its source. Pure data (no arithmetic on a
citizen's answers: that is core.carbon.estimate_rules).

Invariants:
- Every factor names its unit, its source and its evidence level (the levels of
  ../shared/METHODOLOGIES.md); a factor nobody has sourced yet says so (evidence `none`).
- The electricity and electric-car factors follow the grid emission factor in force
  (`with_grid`, fed the shared parameter `grid_factor` by core.carbon.estimate); GRID_KG_PER_KWH
  is only its first version.
The table is also in README ("Footprint estimate") and ../shared/METHODOLOGIES.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

GRID_KG_PER_KWH = Decimal(
    "0.3869"
)  # the grid parameter's first version: callers pass the one in force
GRID_SOURCE = (
    "生态环境部、国家统计局《关于发布2022年电力二氧化碳排放因子的公告》(2024-12-20)：南方区域电网 "
    "0.3869 kg CO2/kWh"
)
GRID_SOURCE_EN = (
    "MEE & NBS, 2022 power CO2 emission factors (announced 2024-12-20): southern grid "
    "0.3869 kg CO2/kWh"
)


@dataclass(frozen=True)
class Factor:
    value: Decimal
    unit: str
    source: str
    evidence: str
    unit_en: str = ""  # English on request (Accept-Language: en); empty: the unit reads the same
    source_en: str = ""


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
    "electricity": Factor(
        GRID_KG_PER_KWH, "kg CO2/kWh", GRID_SOURCE, "official", source_en=GRID_SOURCE_EN
    ),
    "gas": Factor(
        Decimal("2.162"),
        "kg CO2/m³",
        "天然气低位发热量 38,931 kJ/m³（GB/T 2589-2020）× 单位热值含碳量 15.3 tC/TJ × 碳氧化率 99% × 44/12"
        "（《省级温室气体清单编制指南（试行）》）",
        "government",
        source_en="Natural gas 38,931 kJ/m³ net calorific value (GB/T 2589-2020) × 15.3 tC/TJ carbon content × 99% oxidation × 44/12 (provincial GHG inventory guidelines, trial)",
    ),
    "petrol": Factor(
        (_PETROL_KG_PER_L * PETROL_L_PER_100KM / 100).quantize(Decimal("0.001")),
        "kg CO2/km",
        "汽油 43,070 kJ/kg（GB/T 2589-2020）× 18.9 tC/TJ × 98% × 44/12 = 2.925 kg CO2/kg，密度 0.73 kg/L；"
        "按在用小汽车油耗 7.5 L/100 km 估算（油耗为假设值）",
        "derived",
        source_en="Petrol 43,070 kJ/kg (GB/T 2589-2020) × 18.9 tC/TJ × 98% × 44/12 = 2.925 kg CO2/kg, density 0.73 kg/L; at 7.5 L/100 km for a car in use (consumption assumed)",
    ),
    "diesel": Factor(
        (_DIESEL_KG_PER_L * DIESEL_L_PER_100KM / 100).quantize(Decimal("0.001")),
        "kg CO2/km",
        "IPCC 2006 国家温室气体清单指南 第2卷第3章 柴油缺省排放因子 74,100 kg CO2/TJ × 低位发热量 "
        "42,652 kJ/kg（GB/T 2589-2020），密度 0.84 kg/L；按油耗 7.0 L/100 km 估算（油耗为假设值）",
        "derived",
        source_en="IPCC 2006 Guidelines vol. 2 ch. 3 diesel default 74,100 kg CO2/TJ × 42,652 kJ/kg net calorific value (GB/T 2589-2020), density 0.84 kg/L; at 7.0 L/100 km (consumption assumed)",
    ),
    "electric": Factor(
        (GRID_KG_PER_KWH * EV_KWH_PER_100KM / 100).quantize(Decimal("0.001")),
        "kg CO2/km",
        "电网排放因子 0.3869 kg CO2/kWh（同上）× 电耗 15 kWh/100 km（电耗为假设值）",
        "derived",
        source_en="Grid emission factor 0.3869 kg CO2/kWh (as above) × 15 kWh/100 km (consumption assumed)",
    ),
    "none": Factor(Decimal(0), "kg CO2/km", "不开车", "official", source_en="No car"),
    # 0.285 kg fuel per tonne-km (CAAC 2019) x 0.09 t per passenger x 3.16 kg CO2/kg kerosene (IPCC 2006)
    "flight": Factor(
        Decimal("0.081"),
        "kg CO2/人公里（单程：短途 1,000 km、中程 2,500 km、长途 8,000 km）",
        "中国民用航空局《2019年民航行业发展统计公报》：运输航空单位周转量油耗 0.285 kg/吨公里，"
        "每位旅客按 90 kg 折算；航空煤油排放因子 71,500 kg CO2/TJ × 44.1 TJ/Gg = 3.16 kg CO2/kg"
        "（IPCC 2006 第2卷第3章）",
        "derived",
        unit_en="kg CO2 per passenger-km (one way: short 1,000 km, medium 2,500 km, long 8,000 km)",
        source_en="CAAC 2019 Statistical Bulletin of Civil Aviation: 0.285 kg fuel per tonne-km, 90 kg per passenger; jet kerosene 71,500 kg CO2/TJ × 44.1 TJ/Gg = 3.16 kg CO2/kg (IPCC 2006 vol. 2 ch. 3)",
    ),
    "diet": Factor(
        Decimal(1700),
        "kg CO2e/人年（普通饮食；重肉 ×1.28、素食 ×0.68、纯素 ×0.51）",
        "苏炳涛等，中国人口·资源与环境 2023(3)：1990-2020 年中国食物系统年均 23.26 亿吨 CO2e，按人口折算"
        "约 1.7 t/人年；饮食类型比例见 Scarborough et al., Climatic Change 2014, 125:179-192",
        "academic",
        unit_en="kg CO2e per person-year (average diet; meat-heavy ×1.28, vegetarian ×0.68, vegan ×0.51)",
        source_en="Su Bingtao et al., China Population, Resources and Environment 2023(3): China's food system emitted 2.326 Gt CO2e a year (1990-2020), about 1.7 t per person-year; diet ratios from Scarborough et al., Climatic Change 2014, 125:179-192",
    ),
    "clothes": Factor(
        Decimal(10),
        "kg CO2e/件",
        "尚无已核实来源：占位值，待补充（如纺织品生命周期评价数据）",
        "none",
        unit_en="kg CO2e per item",
        source_en="No verified source yet: a placeholder, to be replaced (e.g. by textile life-cycle data)",
    ),
    "electronics": Factor(
        Decimal(56),
        "kg CO2e/件（以一部手机计）",
        "Apple《iPhone 15 产品环境报告》(2023)：128 GB 机型全生命周期约 56 kg CO2e",
        "derived",
        unit_en="kg CO2e per item (a phone)",
        source_en="Apple, iPhone 15 Product Environmental Report (2023): 128 GB model, about 56 kg CO2e over its life cycle",
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
CITY_SOURCE_EN = (
    "No verifiable public figure for Guangzhou found yet: compared with China's ≈7 t CO2 a person "
    "(2018, Global Carbon Atlas); for reference only: a city's per-capita figure counts the fossil "
    "energy burnt in its territory, not a person's consumption footprint"
)


def with_grid(
    kg_per_kwh: Decimal, source: str, evidence: str, source_en: str = ""
) -> dict[str, Factor]:
    """The factors with the grid emission factor in force (the methodologies' shared parameter
    `grid_factor`): household electricity and an electric car's km both follow it."""
    ev = (kg_per_kwh * EV_KWH_PER_100KM / 100).quantize(Decimal("0.001"))
    return {
        **FACTORS,
        "electricity": Factor(kg_per_kwh, "kg CO2/kWh", source, evidence, source_en=source_en),
        "electric": Factor(
            ev,
            "kg CO2/km",
            f"电网排放因子 {kg_per_kwh} kg CO2/kWh（同上）× 电耗 15 kWh/100 km（电耗为假设值）",
            "derived",
            source_en=f"Grid emission factor {kg_per_kwh} kg CO2/kWh (as above) × 15 kWh/100 km "
            "(consumption assumed)",
        ),
    }
