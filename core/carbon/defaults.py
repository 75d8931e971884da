"""The methodology versions the platform ships (../shared/METHODOLOGIES.md). Pure data.

Version 1 of every scenario is what ran from launch; version 2 carries the revised, sourced
factors and takes effect from REVISED, after the day it shipped, so no settled day is re-priced.
Each version names its evidence level; `none` credits nothing outside local and test.
Version 3 (CORRECTED) carries the corrections of the 2026 sourcing sweep as new versions (a
version already used to credit is never rewritten): a value shared by several methodologies is a
parameter (core.carbon.parameter_defaults) they refer to, never a copy. NOTES correct what an old
version's record says without changing what it credited.
"""

from __future__ import annotations

from decimal import Decimal as D

from core.carbon.methodology_versions import LAUNCH, Fact, Methodology
from core.carbon.parameter_defaults import GRID_2023, PARAMETERS  # noqa: F401 (re-exported)

REVISED = "2026-12-01"
CORRECTED = "2026-12-14"  # the sweep's corrections apply from this day (after they shipped)
_A = "assumption: placeholder pending the provincial methodology text"

# Facts each kind of record may carry (types and ranges); a record with anything else is invalid_facts.
TRIP = (
    Fact("line", "text", high=D(40)),
    Fact("from_station", "text", high=D(60)),
    Fact("to_station", "text", high=D(60)),
    Fact("distance_km", "number", D(0), D(500)),
    Fact("card", "text", high=D(16)),
)
# A time, not a text: it is shown at +08:00 in the records and the export (a partner's upload time
# at the calendar's edge made the citizen's export a 500).
STEPS = (Fact("uploaded_at", "time"),)
RIDE = (
    Fact("duration_s", "int", D(0), D(86400), required=True),
    Fact("distance_km", "number", D(0), D(200)),
)
TRANSIT = {
    "cap_group": "transit",
    "group_cap": D(8),
    "max_quantity": D(1),
    "integral": True,
    "facts": TRIP,
}


def _m(code, name, unit, g, *cited, **kw):
    """A launch version. `cited`: its source, then its evidence level (none when not given);
    `version` and `since` only where a methodology starts later than the launch."""
    source, evidence = (*cited, "none")[:2]
    version, since = kw.pop("version", "1"), kw.pop("since", LAUNCH)
    return Methodology(code, name, unit, D(str(g)), version, since, source, evidence=evidence, **kw)


def _v2(base: Methodology, g, source, evidence) -> Methodology:
    from dataclasses import replace

    return replace(
        base,
        grams_per_unit=D(str(g)),
        version="2",
        effective_from=REVISED,
        source=source,
        evidence=evidence,
        assumption=evidence == "none",
    )


V1: tuple[Methodology, ...] = (
    _m(
        "metro",
        "地铁出行",
        "trip",
        515,
        "Huang Ying et al. 2017, Guangzhou metro, averaging method 0.5155 kg/trip",
        "academic",
        **TRANSIT,
    ),
    _m(
        "bus", "公交出行", "trip", 212, "Wuhan 武碳江湖 2025: 212.5 g/ride", "government", **TRANSIT
    ),
    _m(
        "walk",
        "步行",
        "step",
        "0.02",
        "Wuhan 碳碳星球 0.02 g/step; Ant Forest ≈ 200 g per 10,000 steps",
        "government",
        threshold=D(10000),
        daily_cap=D(30000),
        formula="daily_threshold",
        max_quantity=D(200000),
        integral=True,
        facts=STEPS,
    ),
    _m(
        "bike",
        "骑共享单车",
        "km",
        93,
        "Wuhan 2025: 93.3 g/km; ride must last ≥ 1 min",
        daily_cap=D(20),
        phcer=True,
        max_records=10,
        min_duration_s=60,
        max_quantity=D(100),
        facts=RIDE,
    ),
    _m(
        "power_saving",
        "家庭节电",
        "kWh",
        387,
        "MEE 2022 southern grid factor 0.3869 kg/kWh; Shenzhen baseline rule",
        "official",
        daily_cap=D(50),
    ),
    _m("ev_charging", "新能源汽车充电", "kWh", 500, _A, daily_cap=D(100), assumption=True),
    _m(
        "pv",
        "分布式光伏发电",
        "kWh",
        387,
        "grid factor MEE 2022 0.3869 kg/kWh (PHCER)",
        "official",
        daily_cap=D(500),
        phcer=True,
        max_quantity=D(10000),
    ),
    _m("water_saving", "家庭节水", "m3", 168, _A, daily_cap=D(5), assumption=True),
    _m("recycling_paper", "废纸回收", "kg", 1400, _A, daily_cap=D(50), assumption=True),
    _m("recycling_plastic", "废塑料回收", "kg", 1500, _A, daily_cap=D(50), assumption=True),
    _m("recycling_clothes", "旧衣回收", "kg", 3600, _A, daily_cap=D(30), assumption=True),
    _m(
        "garbage_sorting",
        "垃圾分类",
        "check-in",
        50,
        _A,
        daily_cap=D(2),
        assumption=True,
        integral=True,
    ),
    _m(
        "no_cutlery",
        "外卖不要餐具",
        "order",
        48,
        "Wuhan: food delivery without disposable cutlery (value assumed)",
        daily_cap=D(3),
        assumption=True,
        integral=True,
    ),
    _m("e_invoice", "电子发票", "item", 10, _A, daily_cap=D(10), assumption=True, integral=True),
    _m("e_ticket", "电子票据", "item", 5, _A, daily_cap=D(10), assumption=True, integral=True),
    _m(
        "clean_plate",
        "光盘行动",
        "check-in",
        60,
        _A,
        daily_cap=D(3),
        assumption=True,
        integral=True,
    ),
    _m("second_hand", "二手交易", "item", 1000, _A, daily_cap=D(5), assumption=True, integral=True),
    _m("ferry", "水上巴士", "trip", 300, _A, assumption=True, **TRANSIT),
    _m("tram", "有轨电车", "trip", 250, _A, assumption=True, **TRANSIT),
    _m("brt", "快速公交BRT", "trip", 230, _A, assumption=True, **TRANSIT),
    _m("carpool", "拼车出行", "pkm", 80, _A, daily_cap=D(60), assumption=True),
    _m(
        "low_carbon_venue",
        "低碳场所打卡",
        "check-in",
        100,
        "Chengdu-style QR check-in (value assumed)",
        daily_cap=D(2),
        assumption=True,
        integral=True,
    ),
    _m(
        "efficient_ac",
        "高效空调",
        "unit-year",
        150000,
        _A + " (PHCER)",
        daily_cap=D(3),
        assumption=True,
        phcer=True,
        max_quantity=D(10),
        integral=True,
    ),
    _m(
        "heat_pump_water_heater",
        "空气能热水器",
        "unit-year",
        450000,
        _A + " (PHCER)",
        daily_cap=D(2),
        assumption=True,
        phcer=True,
        max_quantity=D(10),
        integral=True,
    ),
    _m(
        "tree_planting",
        "植树造林",
        "tree",
        18300,
        _A + " (PHCER, per tree-year)",
        daily_cap=D(20),
        assumption=True,
        phcer=True,
        integral=True,
    ),
)
# Projects of organisations (PHCER): certified per metered reading over a period, never per citizen-day.
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
_GRID = {
    "parameters": ("grid_factor",),
    "coefficient": D(1000),
    "grams_per_unit": D(0),
}  # g per kg x kg/kWh
_TREE = {
    "parameters": ("tree_uptake",),
    "coefficient": D(1000),
    "grams_per_unit": D(0),
}  # g per kg x kg/tree-year


def _fix(base: Methodology, version: str, source: str, **changes) -> Methodology:
    from dataclasses import replace

    evidence = changes.pop("evidence", base.evidence)
    return replace(
        base,
        version=version,
        effective_from=CORRECTED,
        source=source,
        evidence=evidence,
        assumption=changes.pop("assumption", evidence == "none"),
        **changes,
    )


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

DEFAULTS: tuple[Methodology, ...] = V1 + V2 + PROJECTS + V3
PHCER = frozenset(m.code for m in V1 if m.phcer)
