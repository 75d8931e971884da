"""Versions after launch: version 2 (REVISED) carries the revised, sourced factors; version 3
(CORRECTED) the corrections of the 2026 sourcing sweep, as new versions (a version already used to
credit is never rewritten; a value several methodologies share is a parameter they refer to). Pure data."""

from __future__ import annotations

from decimal import Decimal as D

from core.carbon.default_parts import _GRID, _TREE, CORRECTED, _fix, _m, _v2
from core.carbon.defaults_launch import V1
from core.carbon.defaults_projects import PROJECTS
from core.carbon.methodology_versions import Methodology

_BY = {m.code: m for m in V1}

# Revised, sourced factors (METHODOLOGIES.md "Factors and their evidence").
V2: tuple[Methodology, ...] = (
    _v2(
        _BY["bus"],
        212,
        "Shenzhen low-carbon public transport methodology 26.9 g/pkm (electric bus) × Guangzhou's "
        "average bus trip",
        "official",
    ),
    _v2(_BY["recycling_clothes"], 1280, "Luzhou 绿芽积分 rule, 1.28 kg per kg", "government"),
    _v2(
        _BY["recycling_plastic"],
        1400,
        "Meituan 青山计划 reports: 1.3–1.55 t CO2 per t of boxes recycled",
        "derived",
    ),
    _v2(
        _BY["recycling_paper"],
        1600,
        "Shenzhen school carton recycling totals (1.61 t per t)",
        "derived",
    ),
    _v2(_BY["no_cutlery"], 23, "Beijing 绿色生活季 (Meituan totals imply ≈ 40 g)", "government"),
    _v2(_BY["e_invoice"], 5, "Ant Forest rule: 5 g per e-invoice", "app"),
    _v2(_BY["e_ticket"], 136, "Ant Forest rule: 136 g per e-ticket for a train", "app"),
    _v2(
        _BY["clean_plate"],
        144,
        "Luzhou 绿芽积分 rule: 144 g per clean-plate check-in",
        "government",
    ),
)

_P, _BY2 = {m.code: m for m in PROJECTS}, {m.code: m for m in V2}

# Corrections (METHODOLOGIES.md, the 2026 sweep), each naming the inputs it is derived from.
V3: tuple[Methodology, ...] = (
    _fix(
        _BY["bus"],
        "3",
        "Shenzhen electric bus 26.9 g/pkm (parameter bus_g_per_pkm) x Guangzhou average bus trip "
        "(parameter bus_trip_km)",
        evidence="derived",
        parameters=("bus_g_per_pkm", "bus_trip_km"),
        coefficient=D(1),
        grams_per_unit=D(0),
    ),
    _fix(
        _BY["walk"],
        "2",
        "Hubei emissions exchange app: 0.02 g/step (Luzhou 0.0164 g/step); the latest upload of a "
        "day replaces earlier ones",
        formula="daily_latest",
    ),
    _fix(
        _BY["bike"],
        "2",
        "Wuhan EEB second batch of methodologies (2024-09-02), used by 武碳江湖: 93.3 g/km (2023 "
        "launch value 40 g/km); a ride counts from 1 minute",
        evidence="government",
        grams_per_unit=D("93.3"),
    ),
    _fix(
        _BY["power_saving"],
        "2",
        "grid emission factor (parameter grid_factor) x 1000 g/kg per kWh saved against "
        "the household's baseline",
        **_GRID,
    ),
    _fix(
        _BY["pv"],
        "2",
        "grid emission factor (parameter grid_factor) x 1000 g/kg per kWh generated (PHCER)",
        **_GRID,
    ),
    _fix(
        _BY["tree_planting"],
        "2",
        "a tree's yearly uptake (parameter tree_uptake, US EPA 6 kg) x 1000 g/kg per "
        "tree-year, never a one-off 18.3 kg per tree (PHCER)",
        evidence="government",
        **_TREE,
    ),
    _fix(
        _BY2["e_ticket"], "3", "Ant Forest rule: 136 g per e-ticket for a train", name="电子火车票"
    ),
    _m(
        "e_ticket_show",
        "电子演出票",
        "item",
        180,
        "Ant Forest rule: 180 g per e-ticket for a show",
        "app",
        since=CORRECTED,
        daily_cap=D(10),
        integral=True,
    ),
    _fix(
        _P["project_pv"],
        "2",
        "grid emission factor (parameter grid_factor) x 1000 g/kg per kWh generated",
        **_GRID,
    ),
    _fix(
        _P["project_heat_pump"],
        "2",
        "derived: baseline of 广东省使用家用空气源热泵热水器碳普惠方法学 (2017005-V02), "
        "an electric water heater (efficiency 0.95) heating the same water; heat pump COP 3.0 (assumed); saves "
        "3.0/0.95 - 1 = 2.15789 kWh per kWh the heat pump uses x grid emission factor (parameter grid_factor)",
        evidence="derived",
        assumption=True,
        **{**_GRID, "coefficient": D("2157.89")},
    ),
    _fix(
        _P["project_efficient_ac"],
        "2",
        "derived: GB 21455-2019 split units <= 4.5 kW, grade 1 APF 5.00 against "
        "grade 5 APF 3.30 for the same cooling; saves 5.00/3.30 - 1 = 0.51515 kWh per kWh used x grid emission "
        "factor (parameter grid_factor)",
        evidence="derived",
        assumption=True,
        **{**_GRID, "coefficient": D("515.15")},
    ),
    _fix(
        _P["project_afforestation"],
        "2",
        "a tree's yearly uptake (parameter tree_uptake, US EPA 6 kg) x 1000 g/kg; "
        "trees alive x days / 365",
        evidence="government",
        assumption=True,
        **_TREE,
    ),
    _fix(
        _P["project_cycling"],
        "2",
        "Wuhan EEB second batch of methodologies (2024-09-02): 93.3 g per km ridden by "
        "the fleet's riders",
        evidence="government",
        assumption=True,
        grams_per_unit=D("93.3"),
    ),
)
