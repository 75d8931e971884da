"""The citizen's carbon footprint for a year (个人碳足迹)."""

from typing import Literal

from flask import Blueprint, g, jsonify, request

from core import localday
from miniprogram_api.deps import citizen_required, registry, settings
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("footprint", __name__, url_prefix="/api/v1")


class FootprintQuery(Model):
    year: str | None = Field(
        None, max_length=8, description="YYYY; this year (Asia/Shanghai) when absent"
    )


class Month(Model):
    month: str
    grams: int
    by_scenario: dict[str, int]


class TreesFactor(Model):
    grams_per_tree_year: int
    source: str


class FootprintOut(Model):
    year: int
    total_grams: int
    coins_earned: int
    trees_equivalent: float
    trees_factor: TreesFactor
    months: list[Month]
    percentile: int | None = Field(
        description="share (0-100) of the city's active citizens this year with fewer grams"
    )


@bp.get("/footprint")
@citizen_required
@spec.validate(
    query=FootprintQuery,
    resp=Response(HTTP_200=FootprintOut, HTTP_401=Error, HTTP_422=Error),
    tags=["coins"],
    security=CITIZEN,
)
def get_footprint(query: FootprintQuery):
    """The caller's carbon footprint for a year (个人碳足迹): grams per month and scenario, coins
    earned, trees equivalent (with the factor's source) and the percentile among the city's active
    citizens this year. Read from roll-ups settlement maintains: no Scan."""
    from core.carbon import footprint
    from core.carbon.scenario_text import source_text
    from miniprogram_api.errors import language

    today = localday.today()
    out = footprint.footprint(g.user_id, footprint.valid_year(query.year, today), today)
    out["trees_factor"]["source"] = source_text(
        out["trees_factor"]["source"], language()
    )  # Chinese by default
    return jsonify(out)


class FlightsIn(Model):
    short: int = Field(0, ge=0, le=200, description="一年的短途单程航班数（约 1,000 km 以内）")
    medium: int = Field(0, ge=0, le=200, description="一年的中程单程航班数（约 1,500-4,000 km）")
    long: int = Field(0, ge=0, le=200, description="一年的长途单程航班数（4,000 km 以上）")


class EstimateIn(Model):
    household_kwh_month: float = Field(0, ge=0, le=10_000, description="家庭每月用电量（kWh）")
    household_size: int = Field(1, ge=1, le=20, description="家庭人数（用电、燃气按人数分摊）")
    gas_m3_month: float = Field(0, ge=0, le=1_000, description="家庭每月管道天然气用量（m³）")
    car_km_week: float = Field(0, ge=0, le=5_000, description="每周开车公里数")
    car_fuel: Literal["petrol", "diesel", "electric", "none"] | None = Field(
        None,
        description="petrol 汽油 | diesel 柴油 | electric 纯电 | none 不开车；未填且有里程时按汽油",
    )
    flights: FlightsIn | None = None
    diet: Literal["meat_heavy", "average", "vegetarian", "vegan"] | None = Field(
        None, description="meat_heavy 重肉 | average 普通（默认）| vegetarian 素食 | vegan 纯素"
    )
    clothes_items_year: int = Field(0, ge=0, le=1_000, description="一年购买新衣物件数")
    electronics_items_year: int = Field(0, ge=0, le=100, description="一年购买电子产品件数")
    save: bool = Field(
        False, description="true：保存这次测算（可在数据导出中看到，注销账号时删除）"
    )


class EstimatePart(Model):
    part: str = Field(
        description="electricity | gas | car | flights | diet | clothes | electronics，顺序固定"
    )
    kg: int = Field(description="本人一年的排放（kg CO2e，四舍五入为整数）")
    factor: float = Field(description="所用排放因子（单位见 unit）")
    unit: str
    source: str = Field(description="因子的来源（中文；Accept-Language: en 时为英文）")
    evidence: str = Field(description="official | government | academic | app | derived | none")


class Suggestion(Model):
    scenario: str = Field(description="本平台的低碳场景代码（今天在本部署可计入的）")
    part: str = Field(description="它能减少的排放部分（parts 中的 part）")
    how: str = Field(description="怎么做，一句话（中文；Accept-Language: en 时为英文）")
    kg_year: int = Field(description="按今日方法学一年可计入的减排量（kg，受每日上限约束）")
    coins_year: int = Field(description="按今日碳币规则一年可得的碳币（取整）")


class EstimateOut(Model):
    total_kg: int = Field(description="各部分之和（kg CO2e/年）")
    parts: list[EstimatePart]
    city_per_capita_kg: int
    city_source: str
    suggestions: list[Suggestion]
    saved_at: str | None = Field(
        description="保存时间（+08:00）；未要求保存（save 不为 true）时为 null"
    )
    answers: dict | None = Field(
        None, description="仅 GET 返回：保存时的答案（未填的字段为其默认值）"
    )


@bp.post("/footprint/estimate")
@citizen_required
@spec.validate(
    json=EstimateIn,
    resp=Response(
        HTTP_200=EstimateOut, HTTP_400=Error, HTTP_401=Error, HTTP_409=Error, HTTP_422=Error
    ),
    tags=["coins"],
    security=CITIZEN,
)
def estimate(json: EstimateIn):
    """个人碳足迹测算：按问卷估算一年的排放，并给出减排建议

    根据家庭用电、燃气、开车、航班、饮食、新衣物和电子产品估算本人一年的碳排放（kg CO2e），
    逐项给出排放因子、单位、来源和证据等级，总量等于各项之和；与城市人均排放对照（注明来源）；
    并列出能减少最大几项排放、且本平台当前可计入的低碳场景，以及按今日碳币规则一年可得的减排量和碳币。
    只有 `save: true` 时保存（仅保留最近一次，出现在数据导出中，注销账号时删除）；未保存的答案不会被存储。"""
    from decimal import Decimal

    from core.carbon import estimate as service
    from core.carbon.estimate_rules import Answers
    from miniprogram_api.errors import language

    f = json.flights
    flights = (f.short, f.medium, f.long) if f is not None else (0, 0, 0)
    answers = Answers(
        household_kwh_month=Decimal(str(json.household_kwh_month)),
        household_size=json.household_size,
        gas_m3_month=Decimal(str(json.gas_m3_month)),
        car_km_week=Decimal(str(json.car_km_week)),
        car_fuel=json.car_fuel,
        flights=flights,
        diet=json.diet or "average",
        clothes_items_year=json.clothes_items_year,
        electronics_items_year=json.electronics_items_year,
    )
    raw = {
        "household_kwh_month": json.household_kwh_month,
        "household_size": json.household_size,
        "gas_m3_month": json.gas_m3_month,
        "car_km_week": json.car_km_week,
        "car_fuel": json.car_fuel,
        "flights": dict(zip(("short", "medium", "long"), flights)),
        "diet": answers.diet,
        "clothes_items_year": json.clothes_items_year,
        "electronics_items_year": json.electronics_items_year,
    }
    from core import idempotency

    keyed = idempotency.keyed(
        g.user_id, request.headers.get("Idempotency-Key"), "footprint/estimate", json.model_dump()
    )
    retry = idempotency.seen(keyed)  # a retry saves nothing again and shows the first save's time
    asked = service.Asked(answers, raw, json.save, english=language() == "en", retry=retry)
    out = service.estimate(settings(), registry(), g.user_id, asked)
    if not retry:
        idempotency.remember(keyed)
    return jsonify(out)


@bp.get("/footprint/estimate")
@citizen_required
@spec.validate(
    resp=Response(HTTP_200=EstimateOut, HTTP_401=Error, HTTP_404=Error),
    tags=["coins"],
    security=CITIZEN,
)
def saved_estimate():
    """最近保存的碳足迹测算

    返回本人最近一次保存的测算结果（含当时的答案、因子和建议）；从未保存过则 404 `not_found`。"""
    from core.carbon import estimate as service

    return jsonify(service.saved(g.user_id))
