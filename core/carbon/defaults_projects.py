"""Projects of organisations (PHCER), as launched: certified per metered reading over a period,
never per citizen-day. Pure data."""

from __future__ import annotations

from decimal import Decimal as D

from core.carbon.default_parts import _m
from core.carbon.methodology_versions import Methodology

PROJECTS: tuple[Methodology, ...] = (
    _m(
        "project_pv",
        "户用分布式光伏",
        "kWh",
        "386.9",
        "MEE & NBS notice on 2022 power CO2 emission factors (2024-12-20): southern grid 0.3869 kg/kWh x kWh "
        "generated",
        "official",
        scope="project",
        phcer=True,
        max_quantity=D(1000000),
    ),
    _m(
        "project_heat_pump",
        "空气源热泵热水器",
        "kWh",
        835,
        "derived: baseline of 广东省使用家用空气源热泵热水器碳普惠方法学 (2017005-V02), an electric water heater "
        "(efficiency 0.95) heating the same water; heat pump COP 3.0; saves (3.0/0.95 - 1) kWh per kWh the heat "
        "pump uses x 0.3869 kg/kWh",
        "derived",
        scope="project",
        phcer=True,
        assumption=True,
        max_quantity=D(1000000),
    ),
    _m(
        "project_efficient_ac",
        "高效节能空调",
        "kWh",
        199,
        "derived: GB 21455-2019 split units <= 4.5 kW, grade 1 APF 5.00 against grade 5 APF 3.30 for the same "
        "cooling; saves (5.00/3.30 - 1) kWh per kWh used x 0.3869 kg/kWh",
        "derived",
        scope="project",
        phcer=True,
        assumption=True,
        max_quantity=D(1000000),
    ),
    _m(
        "project_afforestation",
        "植树造林",
        "tree",
        6000,
        "US EPA greenhouse-gas equivalencies: 0.060 t CO2 per urban tree seedling over 10 years (6 kg per "
        "tree-year); trees alive x days / 365",
        "government",
        scope="project",
        phcer=True,
        assumption=True,
        formula="per_unit_year",
        max_quantity=D(1000000),
    ),
    _m(
        "project_cycling",
        "共享单车骑行",
        "km",
        93,
        "Wuhan 2025: 93.3 g per km ridden (METHODOLOGIES.md: per-km value not re-confirmed); km ridden by "
        "the fleet's riders",
        scope="project",
        phcer=True,
        assumption=True,
        max_quantity=D(1000000),
    ),
)
