"""The shared parameter versions the platform ships (../shared/METHODOLOGIES.md). Pure data.

A parameter version is never changed once a day was credited with it; a correction or a newer
figure is a new version effective after the day it ships (GRID_2023 for the 2023 grid factor).
"""

from __future__ import annotations

from decimal import Decimal as D

from core.carbon.methodology_versions import LAUNCH
from core.carbon.parameters import Parameter

GRID_2023 = "2027-01-01"  # the 2023 southern grid factor applies from this day (after it shipped)

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "grid_factor",
        D("0.3869"),
        "kg/kWh",
        "1",
        "2024-12-20",
        "MEE & NBS notice on 2022 power CO2 emission factors (2024-12-20): southern grid 0.3869 kg/kWh "
        "(national 0.5366)",
        "official",
    ),
    Parameter(
        "grid_factor",
        D("0.4042"),
        "kg/kWh",
        "2",
        GRID_2023,
        "MEE & NBS 《关于发布2023年电力二氧化碳排放因子的公告》 (reported January 2026): southern grid "
        "0.4042 kg/kWh (national 0.5306)",
        "official",
    ),
    Parameter(
        "bus_g_per_pkm",
        D("26.9"),
        "g/pkm",
        "1",
        "2021-12-01",
        "《深圳市低碳公共出行碳普惠方法学(试行)》, Shenzhen EEB, Dec 2021: electric bus 26.9 g per "
        "passenger-km",
        "official",
    ),
    Parameter(
        "bus_trip_km",
        D("7.9"),
        "km",
        "1",
        "2026-12-01",
        "derived: the 212 g per bus trip credited since 2026-12-01 / 26.9 g/pkm (Shenzhen) = 7.9 km; "
        "no published Guangzhou average bus trip distance found yet: one should replace this",
        "derived",
    ),
    Parameter(
        "tree_uptake",
        D("6"),
        "kg/tree-year",
        "1",
        LAUNCH,
        "US EPA Greenhouse Gas Equivalencies Calculator: 0.060 t CO2 per urban tree seedling grown for "
        "10 years (6 kg per tree-year)",
        "government",
    ),
)
