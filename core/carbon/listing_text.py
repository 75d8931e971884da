"""Words for the public methodology listing (GET /api/v1/scenarios, /methodologies, `tanpuhui
methodology review`): parameter names and sources, formulas in words, why a scenario does not
credit, and notes correcting an old version's record. Simplified Chinese by default, English on
request. Pure: no I/O.

A note never changes what a version credited (versions are immutable); it says what the record
got wrong, for a reader of the version history.
"""

from __future__ import annotations

from decimal import Decimal

from core.carbon.defaults import CORRECTED
from core.carbon.methodology_versions import LAUNCH
from core.carbon.scenario_text import UNITS

PARAMETER_NAMES = {  # name -> (zh, en)
    "grid_factor": ("南方区域电网二氧化碳排放因子", "southern grid CO2 emission factor"),
    "bus_g_per_pkm": ("纯电动公交每人公里排放削减量", "electric bus grams per passenger-km"),
    "bus_trip_km": ("广州公交平均出行距离", "Guangzhou average bus trip distance"),
    "tree_uptake": ("每棵树每年吸收二氧化碳量", "a tree's yearly CO2 uptake"),
}
PARAMETER_UNITS = {
    "kg/kWh": "千克/千瓦时",
    "g/pkm": "克/人公里",
    "km": "公里",
    "kg/tree-year": "千克/棵·年",
}
PARAMETER_SOURCES_ZH = {
    "grid_factor:1": "生态环境部、国家统计局《关于发布2022年电力二氧化碳排放因子的公告》（2024-12-20）：南方区域电网"
    "每千瓦时 0.3869 千克（全国 0.5366）",
    "grid_factor:2": "生态环境部、国家统计局《关于发布2023年电力二氧化碳排放因子的公告》（2026 年 1 月报道）：南方区域"
    "电网每千瓦时 0.4042 千克（全国 0.5306）",
    "bus_g_per_pkm:1": "《深圳市低碳公共出行碳普惠方法学(试行)》（深圳市生态环境局，2021 年 12 月）：纯电动公交每人公里 26.9 克",
    "bus_trip_km:1": "推导值：自 2026-12-01 起每次公交出行所计 212 克 ÷ 深圳每人公里 26.9 克 = 7.9 公里；尚未找到广州"
    "公布的公交平均出行距离，找到后应以其替换",
    "tree_uptake:1": "美国环境保护署（EPA）温室气体当量计算器：一棵城市树苗生长 10 年吸收 0.060 吨二氧化碳（每棵树每年约 6 千克）",
}
EVIDENCE_ZH = {
    "official": "官方（已备案方法学或官方公告）",
    "government": "政府（政府主办项目公布的规则）",
    "academic": "学术（同行评议文献）",
    "app": "平台（大型平台公开规则）",
    "derived": "推导（据公开总量计算）",
    "none": "无（暂定值）",
}

_LATER = {
    "zh": "所引来源发布于 {year} 年，晚于该版本标注的生效日 {launch}：该数值是上线时所用的数值，来源为事后补注。",
    "en": "Its source was published in {year}, after the effective date {launch} it carries: the value is what "
    "ran from launch and the source was added later.",
}
_YEARS = {
    "bus": 2025,
    "bike": 2025,
    "power_saving": 2024,
    "pv": 2024,
    "project_pv": 2024,
    "project_heat_pump": 2024,
    "project_efficient_ac": 2024,
    "project_cycling": 2025,
}
NOTES = {
    ("bus", "1"): (
        "没有来源能证实“武汉每人次 212.5 克”：武汉“武碳江湖”公布的是每人次 150 克（2023）。",
        'No source confirms "Wuhan 212.5 g/ride": Wuhan\'s 武碳江湖 credits 150 g per ride (2023).',
    )
}


def note(code: str, version: str, lang: str) -> str | None:
    """What the record of an old version got wrong (None: nothing), never what it credited."""
    i = 1 if lang == "en" else 0
    parts = [NOTES[(code, version)][i]] if (code, version) in NOTES else []
    if version == "1" and code in _YEARS:
        parts.append(
            _LATER["en" if lang == "en" else "zh"].format(year=_YEARS[code], launch=LAUNCH)
        )
    if parts and version == "1":
        parts.append(
            f"Superseded from {CORRECTED} or earlier."
            if lang == "en"
            else f"至迟自 {CORRECTED} 起由新版本取代。"
        )
    return (
        ("" if i == 0 else " ").join(parts) if parts else None
    )  # Chinese sentences join without a space


def parameter_name(name: str, lang: str) -> str:
    zh, en = PARAMETER_NAMES.get(name, (name, name))
    return en if lang == "en" else zh


def parameter_unit(unit: str, lang: str) -> str:
    return unit if lang == "en" else PARAMETER_UNITS.get(unit, unit)


def parameter_source(p, lang: str) -> str:
    return p.source if lang == "en" else PARAMETER_SOURCES_ZH.get(f"{p.name}:{p.version}", p.source)


def _n(d: Decimal | None) -> str:
    return "" if d is None else format(d.normalize(), "f")


def formula(m, used: list, lang: str) -> str:
    """The version `m` in words: how grams follow from a record, with its parameters and caps."""
    en = lang == "en"
    zh_unit, en_unit = UNITS.get(m.unit, (m.unit, m.unit))
    unit = en_unit if en else zh_unit
    if used:
        parts = [
            f"{parameter_name(p.name, lang)} {_n(p.value)} {parameter_unit(p.unit, lang)}"
            for p in used
        ]
        if m.coefficient == 1000 and all(p.unit.startswith("kg") for p in used):
            parts.append("1000 g/kg" if en else "1000 克/千克")
        elif m.coefficient != 1:
            parts.append(
                f"{_n(m.coefficient)} ({'derivation in the source' if en else '推导系数，见来源'})"
            )
        value = " × ".join(parts) + f" = {_n(m.grams_per_unit)}"
        text = f"grams per {unit} = {value} g" if en else f"每{unit}减排量 = {value} 克二氧化碳"
    else:
        text = (
            f"{_n(m.grams_per_unit)} g CO2 per {unit}"
            if en
            else f"每{unit}减排 {_n(m.grams_per_unit)} 克二氧化碳"
        )
    return text + "".join(_rules(m, unit, en))


def _rules(m, unit: str, en: bool) -> list[str]:
    out = []
    if m.formula in ("daily_threshold", "daily_latest"):
        out.append(
            f"; counts only from {_n(m.threshold)} {unit}s a day"
            if en
            else f"；当日满 {_n(m.threshold)} {unit}方计入"
        )
        if m.formula == "daily_latest":
            out.append(
                "; the latest upload of a day replaces earlier ones"
                if en
                else "；同一天以最后一次上传为准"
            )
    elif m.threshold is not None:
        out.append(
            f"; a record counts from {_n(m.threshold)} {unit}"
            if en
            else f"；单条记录满 {_n(m.threshold)} {unit}方计入"
        )
    if m.formula == "per_unit_year":
        out.append("; trees alive × days / 365" if en else "；按在活数量 × 天数 / 365 计")
    if m.min_duration_s:
        out.append(
            f"; a record counts from {m.min_duration_s} s"
            if en
            else f"；单次须满 {m.min_duration_s} 秒"
        )
    if m.max_records:
        out.append(
            f"; at most {m.max_records} records a day" if en else f"；每日最多 {m.max_records} 条"
        )
    if m.cap_group:
        out.append(
            f"; metro, bus, water bus, tram and BRT together at most {_n(m.group_cap)} trips a day"
            if en
            else f"；地铁、公交、水上巴士、有轨电车、BRT 合计每日最多计 {_n(m.group_cap)} 次"
        )
    if m.daily_cap is not None:
        out.append(
            f"; at most {_n(m.daily_cap)} {unit} a day"
            if en
            else f"；每日最多计 {_n(m.daily_cap)} {unit}"
        )
    return out


def not_credited(m, upcoming, stage: str, lang: str) -> str:
    """Why this deployment credits nothing for a scenario today (`m` in force, or None if it starts later)."""
    en = lang == "en"
    if m is None:
        return (
            f"Starts on {upcoming.effective_from}."
            if en
            else f"该场景自 {upcoming.effective_from} 起施行，此前不计入。"
        )
    text = (
        f"Version {m.version} in force has no verifiable source (evidence none): this deployment ({stage}) "
        "credits nothing for it and pays no coins."
        if en
        else f"现行版本（版本 {m.version}）的数值尚无可核实的来源（证据等级：无），本部署（{stage}）不计入其减排量，"
        "也不发放碳币。"
    )
    if upcoming is not None:
        text += (
            f" From {upcoming.effective_from} version {upcoming.version} (evidence {upcoming.evidence}) credits it."
            if en
            else f"自 {upcoming.effective_from} 起按版本 {upcoming.version}（证据等级："
            f"{EVIDENCE_ZH[upcoming.evidence]}）计入。"
        )
    return text
