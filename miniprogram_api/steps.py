"""WeRun step uploads and the published methodologies."""

from flask import Blueprint, g, jsonify

from miniprogram_api.deps import citizen_required, registry, settings
from miniprogram_api.idempotent import idempotent
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("steps", __name__, url_prefix="/api/v1")


class StepsIn(Model):
    encrypted_data: str = Field(min_length=1, max_length=65536)
    iv: str = Field(min_length=1, max_length=64)


class StepsOut(Model):
    days_accepted: int


class ScenarioParameter(Model):
    name: str = Field(
        description="the shared parameter's name: grid_factor, bus_trip_km, tree_uptake ..."
    )
    value: str = Field(description='参数值，十进制字符串（精确，不经浮点），如 "0.3869"')
    unit: str
    source: str
    evidence: str


class ScenarioVersion(Model):
    version: str = Field(
        description="a version that uses shared parameters is labelled with their versions: "
        "2.1 = methodology version 2 with grid_factor version 1"
    )
    effective_from: str
    grams_per_unit: str = Field(description="每单位克数，十进制字符串（精确，不经浮点）")
    evidence: str
    source: str
    note: str | None = Field(
        description="what the record of this version got wrong (never what it credited)"
    )


class Scenario(Model):
    code: str
    name: str
    unit: str = Field(
        description="for people: 次, 公里, 千瓦时 ... (English with Accept-Language: en)"
    )
    unit_code: str = Field(description="the methodology's unit code: trip, km, kWh ...")
    grams_per_unit: str = Field(
        description='今天（或即将）生效版本的每单位克数，十进制字符串（精确，不经浮点），如 "41.6"'
    )
    daily_cap: str | None = Field(
        description='本场景每日最多计入的数量（以 unit 计），十进制字符串，如 "20"；'
        "本场景无单独上限时为 null（与其他场景合计的上限写在 formula 里）"
    )
    version: str
    source: str = Field(description="Chinese (English with Accept-Language: en)")
    effective_from: str
    assumption: bool
    evidence: str = Field(
        description="official | government | academic | app | derived | none "
        "(none credits nothing outside local and test)"
    )
    credits: bool = Field(description="whether this deployment credits the scenario today")
    not_credited_reason: str | None = Field(
        description="why not, when credits is false (Chinese; English on request)"
    )
    formula: str = Field(
        description="how grams follow from a record, in words, with the parameters' values and caps"
    )
    parameters: list[ScenarioParameter]
    versions: list[ScenarioVersion]


class ScenarioList(Model):
    items: list[Scenario]


@bp.post("/steps")
@citizen_required
@idempotent("steps", keep_answer=True)  # {days_accepted}: nothing personal
@spec.validate(
    json=StepsIn,
    resp=Response(HTTP_200=StepsOut, HTTP_401=Error, HTTP_422=Error),
    tags=["steps"],
    security=CITIZEN,
)
def upload_steps(json: StepsIn):
    from core.carbon import steps

    return jsonify(steps.upload(settings(), g.user_id, json.encrypted_data, json.iv))


@bp.get("/scenarios")
@spec.validate(resp=Response(HTTP_200=ScenarioList), tags=["steps"], security={})
def scenarios():
    """低碳场景与方法学

    本部署今天对每个场景是否计入（credits；不计入时 not_credited_reason 说明原因）、证据等级、来源（中文）、
    公式（文字）、所用共享参数（如电网排放因子，含来源与证据等级）及版本沿革。证据等级为 none 的版本在
    local/test 以外的部署不计入，也不以可得碳币的方式展示。English with Accept-Language: en. Every scenario
    this deployment lists, whether it credits it today and why not, its formula, parameters and versions."""
    from core.carbon.listing import scenarios as listed
    from core.carbon.settlement import requires_evidence
    from core.localday import today
    from miniprogram_api.errors import language

    s = settings()
    return jsonify(items=listed(registry(), today(), requires_evidence(s), s.stage, language()))
