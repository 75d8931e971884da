"""Methodology registry: behaviour quantity -> grams of CO2 reduced. Pure: no I/O.

Methodologies are versioned data. Each version has an effective-from date; the
version in force on a behaviour's date is the one with the latest effective_from
on or before it, so publishing a version changes results only from its date on.
Values marked `assumption=True` are placeholders ops must confirm (METHODOLOGIES.md).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from decimal import Decimal

LAUNCH = "2019-12-24"  # the Guangzhou platform's launch; first version of every default


@dataclass(frozen=True)
class Methodology:
    code: str
    name: str
    unit: str
    grams_per_unit: Decimal
    version: str
    effective_from: str  # YYYY-MM-DD, Asia/Shanghai
    source: str
    daily_cap: Decimal | None = None  # max units counted per user per day
    threshold: Decimal | None = None  # min units (per day for walk, per record otherwise) to count at all
    cap_group: str | None = None  # scenarios sharing one daily cap (transit)
    assumption: bool = False
    phcer: bool = False  # may be aggregated and sold as PHCER; exported separately
    formula: str = "per_unit"  # per_unit | daily_threshold (walk: counts only when the day total >= threshold)
    # | per_unit_year (projects: units held over a period, e.g. trees alive: units x days / 365)
    scope: str = "behaviour"  # behaviour: a citizen's daily records | project: an organisation's metered readings

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("grams_per_unit", "daily_cap", "threshold"):
            d[k] = None if d[k] is None else str(d[k])
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Methodology":
        d = dict(d)
        for k in ("grams_per_unit", "daily_cap", "threshold"):
            d[k] = None if d.get(k) is None else Decimal(str(d[k]))
        return cls(**d)


# Group caps: at most this many units (trips) of all the group's scenarios together per day.
GROUP_CAPS = {"transit": Decimal(8)}
BIKE_MAX_KM = Decimal(20)
BIKE_MAX_RIDES = 10
BIKE_MIN_SECONDS = 60

_A = "assumption: placeholder pending the provincial methodology text"


def _m(code, name, unit, g, source, **kw):
    return Methodology(code, name, unit, Decimal(str(g)), "1", LAUNCH, source, **kw)


DEFAULTS: tuple[Methodology, ...] = (
    _m("metro", "地铁出行", "trip", 515, "Huang Ying et al. 2017, Guangzhou metro, averaging method 0.5155 kg/trip",
       cap_group="transit"),
    _m("bus", "公交出行", "trip", 212, "Wuhan 武碳江湖 2025: 212.5 g/ride", cap_group="transit"),
    _m("walk", "步行", "step", "0.02", "Wuhan 碳碳星球 0.02 g/step; Ant Forest ≈ 200 g per 10,000 steps",
       threshold=Decimal(10000), daily_cap=Decimal(30000), formula="daily_threshold"),
    _m("bike", "骑共享单车", "km", 93, "Wuhan 2025: 93.3 g/km; ride must last ≥ 1 min",
       daily_cap=BIKE_MAX_KM, phcer=True),
    _m("power_saving", "家庭节电", "kWh", 387, "MEE 2022 southern grid factor 0.3869 kg/kWh; Shenzhen baseline rule",
       daily_cap=Decimal(50)),
    _m("ev_charging", "新能源汽车充电", "kWh", 500, _A, daily_cap=Decimal(100), assumption=True),
    _m("pv", "分布式光伏发电", "kWh", 387, "grid factor MEE 2022 0.3869 kg/kWh (PHCER)", daily_cap=Decimal(500),
       phcer=True),
    _m("water_saving", "家庭节水", "m3", 168, _A, daily_cap=Decimal(5), assumption=True),
    _m("recycling_paper", "废纸回收", "kg", 1400, _A, daily_cap=Decimal(50), assumption=True),
    _m("recycling_plastic", "废塑料回收", "kg", 1500, _A, daily_cap=Decimal(50), assumption=True),
    _m("recycling_clothes", "旧衣回收", "kg", 3600, _A, daily_cap=Decimal(30), assumption=True),
    _m("garbage_sorting", "垃圾分类", "check-in", 50, _A, daily_cap=Decimal(2), assumption=True),
    _m("no_cutlery", "外卖不要餐具", "order", 48, "Wuhan: food delivery without disposable cutlery (value assumed)",
       daily_cap=Decimal(3), assumption=True),
    _m("e_invoice", "电子发票", "item", 10, _A, daily_cap=Decimal(10), assumption=True),
    _m("e_ticket", "电子票据", "item", 5, _A, daily_cap=Decimal(10), assumption=True),
    _m("clean_plate", "光盘行动", "check-in", 60, _A, daily_cap=Decimal(3), assumption=True),
    _m("second_hand", "二手交易", "item", 1000, _A, daily_cap=Decimal(5), assumption=True),
    _m("ferry", "水上巴士", "trip", 300, _A, cap_group="transit", assumption=True),
    _m("tram", "有轨电车", "trip", 250, _A, cap_group="transit", assumption=True),
    _m("brt", "快速公交BRT", "trip", 230, _A, cap_group="transit", assumption=True),
    _m("carpool", "拼车出行", "pkm", 80, _A, daily_cap=Decimal(60), assumption=True),
    _m("low_carbon_venue", "低碳场所打卡", "check-in", 100, "Chengdu-style QR check-in (value assumed)",
       daily_cap=Decimal(2), assumption=True),
    _m("efficient_ac", "高效空调", "unit-year", 150000, _A + " (PHCER)", daily_cap=Decimal(3), assumption=True,
       phcer=True),
    _m("heat_pump_water_heater", "空气能热水器", "unit-year", 450000, _A + " (PHCER)", daily_cap=Decimal(2),
       assumption=True, phcer=True),
    _m("tree_planting", "植树造林", "tree", 18300, _A + " (PHCER, per tree-year)", daily_cap=Decimal(20),
       assumption=True, phcer=True),
    # Projects of organisations (PHCER): certified per metered reading over a period, never per citizen-day.
    _m("project_pv", "户用分布式光伏", "kWh", "386.9",
       "MEE & NBS notice on 2022 power CO2 emission factors (2024-12-20): southern grid 0.3869 kg/kWh x kWh "
       "generated", scope="project", phcer=True),
    _m("project_heat_pump", "空气源热泵热水器", "kWh", 835,
       "derived: baseline of 广东省使用家用空气源热泵热水器碳普惠方法学 (2017005-V02), an electric water heater "
       "(efficiency 0.95) heating the same water; heat pump COP 3.0; saves (3.0/0.95 - 1) kWh per kWh the heat "
       "pump uses x 0.3869 kg/kWh", scope="project", phcer=True, assumption=True),
    _m("project_efficient_ac", "高效节能空调", "kWh", 199,
       "derived: GB 21455-2019 split units <= 4.5 kW, grade 1 APF 5.00 against grade 5 APF 3.30 for the same "
       "cooling; saves (5.00/3.30 - 1) kWh per kWh used x 0.3869 kg/kWh", scope="project", phcer=True,
       assumption=True),
    _m("project_afforestation", "植树造林", "tree", 6000,
       "US EPA greenhouse-gas equivalencies: 0.060 t CO2 per urban tree seedling over 10 years (6 kg per "
       "tree-year); trees alive x days / 365", scope="project", phcer=True, assumption=True,
       formula="per_unit_year"),
    _m("project_cycling", "共享单车骑行", "km", 93,
       "Wuhan 2025: 93.3 g per km ridden (METHODOLOGIES.md: per-km value not re-confirmed); km ridden by "
       "the fleet's riders", scope="project", phcer=True, assumption=True),
)


class Registry:
    """All versions of all methodologies; answers which version is in force on a date."""

    def __init__(self, versions=DEFAULTS):
        self.versions = tuple(sorted(versions, key=lambda m: (m.code, m.effective_from, m.version)))

    def codes(self) -> list[str]:
        return sorted({m.code for m in self.versions})

    def in_force(self, code: str, date: str) -> Methodology | None:
        found = None
        for m in self.versions:
            if m.code == code and m.effective_from <= date:
                found = m  # sorted by effective_from: the last one on or before `date` wins
        return found

    def current(self, date: str, scope: str | None = None) -> list[Methodology]:
        found = [m for m in (self.in_force(c, date) for c in self.codes()) if m is not None]
        return [m for m in found if scope is None or m.scope == scope]

    def publish(self, m: Methodology) -> "Registry":
        if any(v.code == m.code and v.version == m.version for v in self.versions):
            raise ValueError(f"{m.code} version {m.version} exists already")
        if m.code not in self.codes():
            raise ValueError(f"unknown scenario {m.code}")
        return Registry(self.versions + (m,))


def new_version(base: Methodology, version: str, effective_from: str, **changes) -> Methodology:
    return replace(base, version=version, effective_from=effective_from, **changes)
