"""What a person reads about a scenario, in Simplified Chinese (default) and English. Pure: no I/O.

Methodologies keep machine values (unit codes, sources as published); this turns them into
text for the mini-program. A source published later without a Chinese text here is shown as
published."""

from __future__ import annotations

UNITS = {  # unit code -> (zh, en)
    "trip": ("次", "trip"),
    "step": ("步", "step"),
    "km": ("公里", "km"),
    "kWh": ("千瓦时", "kWh"),
    "m3": ("立方米", "m³"),
    "kg": ("千克", "kg"),
    "check-in": ("次打卡", "check-in"),
    "order": ("单", "order"),
    "item": ("件", "item"),
    "pkm": ("人·公里", "passenger-km"),
    "unit-year": ("台·年", "unit-year"),
    "tree": ("棵·年", "tree-year"),
    "hour": ("小时", "hour"),
}

NAMES_EN = {
    "metro": "Metro trip",
    "bus": "Bus trip",
    "walk": "Walking",
    "bike": "Shared bike ride",
    "power_saving": "Household power saving",
    "ev_charging": "EV charging",
    "pv": "Distributed solar power",
    "water_saving": "Household water saving",
    "recycling_paper": "Paper recycling",
    "recycling_plastic": "Plastic recycling",
    "recycling_clothes": "Clothes recycling",
    "garbage_sorting": "Garbage sorting",
    "no_cutlery": "Food delivery without cutlery",
    "e_invoice": "E-invoice",
    "e_ticket": "E-ticket",
    "clean_plate": "Clean plate",
    "second_hand": "Second-hand trade",
    "ferry": "Water bus",
    "tram": "Tram",
    "brt": "BRT",
    "carpool": "Carpooling",
    "low_carbon_venue": "Low-carbon venue check-in",
    "efficient_ac": "Efficient air conditioner",
    "heat_pump_water_heater": "Heat-pump water heater",
    "tree_planting": "Tree planting",
    "e_ticket_show": "E-ticket for a show",
}

_ASSUMED = "assumption: placeholder pending the provincial methodology text"
_ASSUMED_ZH = "暂定值，待广东省方法学正式文本确认"
SOURCES_ZH = {
    "Huang Ying et al. 2017, Guangzhou metro, averaging method 0.5155 kg/trip": "黄莹等（2017）广州地铁出行碳减排核算，平均法：每人次 0.5155 千克",
    "Wuhan 武碳江湖 2025: 212.5 g/ride": "武汉“武碳江湖”（2025）：每人次 212.5 克",
    "Wuhan 碳碳星球 0.02 g/step; Ant Forest ≈ 200 g per 10,000 steps": "武汉“碳碳星球”：每步 0.02 克；蚂蚁森林约每万步 200 克",
    "Wuhan 2025: 93.3 g/km; ride must last ≥ 1 min": "武汉（2025）：每公里 93.3 克；单次骑行须满 1 分钟",
    "MEE 2022 southern grid factor 0.3869 kg/kWh; Shenzhen baseline rule": "生态环境部 2022 年南方区域电网排放因子：每千瓦时 0.3869 千克；参照深圳基准线规则",
    "grid factor MEE 2022 0.3869 kg/kWh (PHCER)": "生态环境部 2022 年电网排放因子：每千瓦时 0.3869 千克（可开发为碳普惠核证减排量）",
    "Wuhan: food delivery without disposable cutlery (value assumed)": "参照武汉外卖不要一次性餐具场景（数值为暂定）",
    "Chengdu-style QR check-in (value assumed)": "参照成都扫码打卡做法（数值为暂定）",
    "Shenzhen low-carbon public transport methodology 26.9 g/pkm (electric bus) × Guangzhou's average bus trip": "深圳低碳公共交通方法学：纯电动公交每人公里 26.9 克，乘以广州公交平均出行距离",
    "Shenzhen school carton recycling totals (1.61 t per t)": "深圳校园纸箱回收统计：每回收 1 吨减排 1.61 吨",
    "Ant Forest rule: 5 g per e-invoice": "蚂蚁森林规则：每张电子发票 5 克",
    "Ant Forest rule: 136 g per e-ticket for a train": "蚂蚁森林规则：每张火车电子客票 136 克",
    "US EPA Greenhouse Gas Equivalencies Calculator: 0.060 t CO2 per urban tree seedling grown for 10 years "
    "(6 kg per tree-year)": "美国环境保护署（EPA）温室气体当量计算器：一棵城市树苗生长 10 年吸收 0.060 吨二氧化碳"
    "（每棵树每年约 6 千克）",
    # The 2026 sourcing sweep's corrections (core.carbon.defaults V3).
    "Shenzhen electric bus 26.9 g/pkm (parameter bus_g_per_pkm) x Guangzhou average bus trip (parameter bus_trip_km)": "深圳纯电动公交每人公里 26.9 克（参数 bus_g_per_pkm）× 广州公交平均出行距离（参数 bus_trip_km）",
    "Hubei emissions exchange app: 0.02 g/step (Luzhou 0.0164 g/step); the latest upload of a day replaces earlier "
    "ones": "湖北碳排放权交易中心小程序：每步 0.02 克（泸州每步 0.0164 克）；同一天以最后一次上传为准",
    "Wuhan EEB second batch of methodologies (2024-09-02), used by 武碳江湖: 93.3 g/km (2023 launch value 40 g/km); "
    "a ride counts from 1 minute": "武汉市生态环境局第二批碳普惠方法学（2024-09-02），“武碳江湖”采用：每公里 93.3 克"
    "（2023 年上线时为 40 克）；单次骑行满 1 分钟方计入",
    "grid emission factor (parameter grid_factor) x 1000 g/kg per kWh saved against the household's baseline": "电网排放因子（参数 grid_factor）× 1000 克/千克，按相对家庭基准线节约的每千瓦时计",
    "grid emission factor (parameter grid_factor) x 1000 g/kg per kWh generated (PHCER)": "电网排放因子（参数 grid_factor）× 1000 克/千克，按每千瓦时发电量计（可开发为碳普惠核证减排量）",
    "a tree's yearly uptake (parameter tree_uptake, US EPA 6 kg) x 1000 g/kg per tree-year, never a one-off 18.3 kg "
    "per tree (PHCER)": "每棵树每年吸收量（参数 tree_uptake，美国环保署 6 千克）× 1000 克/千克，按棵·年计，"
    "不再一次性按每棵 18.3 千克计（可开发为碳普惠核证减排量）",
    "Ant Forest rule: 180 g per e-ticket for a show": "蚂蚁森林规则：每张演出电子票 180 克",
    "Luzhou 绿芽积分 rule, 1.28 kg per kg": "泸州“绿芽积分”规则：每千克旧衣 1.28 千克",
    "Meituan 青山计划 reports: 1.3–1.55 t CO2 per t of boxes recycled": "美团“青山计划”报告：每回收 1 吨餐盒减排 1.3–1.55 吨二氧化碳",
    "Beijing 绿色生活季 (Meituan totals imply ≈ 40 g)": "北京“绿色生活季”规则（按美团总量推算约 40 克）",
    "Luzhou 绿芽积分 rule: 144 g per clean-plate check-in": "泸州“绿芽积分”规则：每次光盘打卡 144 克",
    "MEE & NBS notice on 2022 power CO2 emission factors (2024-12-20): southern grid 0.3869 kg/kWh x kWh generated": "生态环境部、国家统计局 2022 年电力二氧化碳排放因子公告（2024-12-20）：南方区域电网每千瓦时 0.3869 千克 × 发电量",
    "derived: baseline of 广东省使用家用空气源热泵热水器碳普惠方法学 (2017005-V02), an electric water heater (efficiency "
    "0.95) heating the same water; heat pump COP 3.0; saves (3.0/0.95 - 1) kWh per kWh the heat pump uses x 0.3869 kg/kWh": "推导值：以《广东省使用家用空气源热泵热水器碳普惠方法学》(2017005-V02) 的基准线（效率 0.95 的电热水器加热同样的水）"
    "计，热泵能效比 3.0；热泵每用 1 千瓦时节电 (3.0/0.95 − 1) 千瓦时 × 每千瓦时 0.3869 千克",
    "derived: GB 21455-2019 split units <= 4.5 kW, grade 1 APF 5.00 against grade 5 APF 3.30 for the same cooling; saves "
    "(5.00/3.30 - 1) kWh per kWh used x 0.3869 kg/kWh": "推导值：GB 21455-2019 额定制冷量 ≤ 4.5 千瓦的分体空调，1 级能效 APF 5.00 对比 5 级 APF 3.30，制冷量相同；每用 1 千瓦时"
    "节电 (5.00/3.30 − 1) 千瓦时 × 每千瓦时 0.3869 千克",
    "US EPA greenhouse-gas equivalencies: 0.060 t CO2 per urban tree seedling over 10 years (6 kg per tree-year); trees "
    "alive x days / 365": "美国环境保护署温室气体当量：一棵城市树苗 10 年吸收 0.060 吨二氧化碳（每棵树每年 6 千克）；"
    "在活树木数 × 天数 / 365",
    "Wuhan 2025: 93.3 g per km ridden (METHODOLOGIES.md: per-km value not re-confirmed); km ridden by the fleet's riders": "武汉（2025）：每骑行 1 公里 93.3 克（当时未复核）；按车队用户骑行公里数计",
    "grid emission factor (parameter grid_factor) x 1000 g/kg per kWh generated": "电网排放因子（参数 grid_factor）× 1000 克/千克，按每千瓦时发电量计",
    "derived: baseline of 广东省使用家用空气源热泵热水器碳普惠方法学 (2017005-V02), an electric water heater (efficiency "
    "0.95) heating the same water; heat pump COP 3.0 (assumed); saves 3.0/0.95 - 1 = 2.15789 kWh per kWh the heat pump "
    "uses x grid emission factor (parameter grid_factor)": "推导值：以《广东省使用家用空气源热泵热水器碳普惠方法学》(2017005-V02) 的基准线（效率 0.95 的电热水器加热同样的水）"
    "计，热泵能效比 3.0（暂定）；热泵每用 1 千瓦时节电 3.0/0.95 − 1 = 2.15789 千瓦时 × 电网排放因子（参数 grid_factor）",
    "derived: GB 21455-2019 split units <= 4.5 kW, grade 1 APF 5.00 against grade 5 APF 3.30 for the same cooling; saves "
    "5.00/3.30 - 1 = 0.51515 kWh per kWh used x grid emission factor (parameter grid_factor)": "推导值：GB 21455-2019 额定制冷量 ≤ 4.5 千瓦的分体空调，1 级能效 APF 5.00 对比 5 级 APF 3.30，制冷量相同；每用 1 千瓦时"
    "节电 5.00/3.30 − 1 = 0.51515 千瓦时 × 电网排放因子（参数 grid_factor）",
    "a tree's yearly uptake (parameter tree_uptake, US EPA 6 kg) x 1000 g/kg; trees alive x days / 365": "每棵树每年吸收量（参数 tree_uptake，美国环保署 6 千克）× 1000 克/千克；在活树木数 × 天数 / 365",
    "Wuhan EEB second batch of methodologies (2024-09-02): 93.3 g per km ridden by the fleet's riders": "武汉市生态环境局第二批碳普惠方法学（2024-09-02）：每骑行 1 公里 93.3 克；按车队用户骑行公里数计",
    _ASSUMED: _ASSUMED_ZH,
    _ASSUMED + " (PHCER)": _ASSUMED_ZH + "（可开发为碳普惠核证减排量）",
    _ASSUMED + " (PHCER, per tree-year)": _ASSUMED_ZH
    + "（可开发为碳普惠核证减排量，按每棵树每年计）",
}


def source_text(source: str, lang: str) -> str:
    """A published source for a reader in `lang`: Chinese where we have it, else as published."""
    return source if lang == "en" else SOURCES_ZH.get(source, source)


def describe(m: dict, lang: str) -> dict:
    """A methodology's dict (Methodology.to_dict) with name, unit and source for a reader in `lang`."""
    zh, en = UNITS.get(m["unit"], (m["unit"], m["unit"]))
    out = dict(m, unit_code=m["unit"])
    if lang == "en":
        out.update(name=NAMES_EN.get(m["code"], m["name"]), unit=en)
    else:
        out.update(unit=zh, source=source_text(m["source"], lang))
    return out
