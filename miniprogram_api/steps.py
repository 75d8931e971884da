"""WeRun step uploads and the published methodologies."""
from flask import Blueprint, g, jsonify

from miniprogram_api.deps import citizen_required, registry, settings
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("steps", __name__, url_prefix="/api/v1")


class StepsIn(Model):
    encrypted_data: str = Field(min_length=1, max_length=65536)
    iv: str = Field(min_length=1, max_length=64)


class StepsOut(Model):
    days_accepted: int


class Scenario(Model):
    code: str
    name: str
    unit: str = Field(description="for people: 次, 公里, 千瓦时 ... (English with Accept-Language: en)")
    unit_code: str = Field(description="the methodology's unit code: trip, km, kWh ...")
    grams_per_unit: str
    daily_cap: str | None
    version: str
    source: str
    effective_from: str
    assumption: bool
    evidence: str = Field(description="official | government | academic | app | derived | none "
                                      "(none credits nothing outside local and test)")


class ScenarioList(Model):
    items: list[Scenario]


@bp.post("/steps")
@citizen_required
@spec.validate(json=StepsIn, resp=Response(HTTP_200=StepsOut, HTTP_401=Error, HTTP_422=Error),
               tags=["steps"], security=CITIZEN)
def upload_steps(json: StepsIn):
    from core.carbon import steps

    return jsonify(steps.upload(settings(), g.user_id, json.encrypted_data, json.iv))


@bp.get("/scenarios")
@spec.validate(resp=Response(HTTP_200=ScenarioList), tags=["steps"])
def scenarios():
    from core.localday import today

    from core.carbon.scenario_text import describe
    from miniprogram_api.errors import language

    keys = ("code", "name", "unit", "unit_code", "grams_per_unit", "daily_cap", "version", "source", "effective_from",
            "assumption", "evidence")
    lang = language()
    current = registry().current(today(), "behaviour")  # project methodologies are for organisations
    return jsonify(items=[{k: v for k, v in describe(m.to_dict(), lang).items() if k in keys} for m in current])
