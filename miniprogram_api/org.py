"""Organisation API: projects, metered readings, certified reductions and PHCER batches."""
from functools import wraps

from flask import Blueprint, g, jsonify, request

from miniprogram_api.deps import registry
from miniprogram_api.openapi import ORG, Response, spec
from miniprogram_api.schemas import Day, Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("org", __name__, url_prefix="/org/v1")
_ID = r"^[A-Za-z0-9_.:-]+$"


def org_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        from core.enterprise import orgs

        g.org = orgs.authenticate(request.headers.get("Authorization"))
        return view(*args, **kwargs)

    return wrapper


class ProjectIn(Model):
    project_id: str = Field(min_length=1, max_length=64, pattern=_ID)
    type: str = Field(min_length=1, max_length=20, description="pv | heat_pump | efficient_ac | afforestation | cycling")
    owner_link_code: str | None = Field(None, min_length=1, max_length=32,
                                        description="a citizen's link code made for this organisation's id")
    capacity: str | None = Field(None, max_length=64, description="as stated, e.g. '5 kWp'")
    location: str | None = Field(None, max_length=200)


class ProjectOut(Model):
    project_id: str
    type: str
    owned_by_citizen: bool
    capacity: str | None
    location: str | None
    created_at: str


class ReadingIn(Model):
    reading_id: str = Field(min_length=1, max_length=64, pattern=_ID)
    project_id: str = Field(min_length=1, max_length=64, pattern=_ID)
    period_start: Day
    period_end: Day = Field(description="inclusive; periods of one project may not overlap")
    quantity: float = Field(gt=0, le=1e9, description="metered kWh (pv, heat_pump, efficient_ac), trees "
                                                      "(afforestation) or km (cycling)")


class ReadingsIn(Model):
    readings: list[ReadingIn] = Field(min_length=1, max_length=500)


class ReadingRejected(Model):
    reading_id: str
    reason: str = Field(description="unknown_project | overlap | in_future | bad_period | bad_quantity | "
                                    "no_methodology | busy")


class ReadingsOut(Model):
    accepted: int
    duplicates: int
    rejected: list[ReadingRejected]


class PeriodQuery(Model):
    from_: Day = Field(alias="from")
    to: Day


class ReductionRow(Model):
    project_id: str
    methodology: str
    version: str
    grams: int
    readings: int


class ProjectReductionsOut(Model):
    items: list[ReductionRow]
    total_grams: int


class BatchTotal(Model):
    methodology: str
    version: str
    readings: int
    grams: int


class BatchOut(Model):
    batch_id: str
    number: int
    period_from: str
    period_to: str
    status: str = Field(description="building | sealed | sold")
    readings: int
    grams: int
    totals: list[BatchTotal]
    sold_yuan: str | None
    feedback_coins: int | None


class BatchList(Model):
    items: list[BatchOut]


@bp.post("/projects")
@org_required
@spec.validate(json=ProjectIn, resp=Response(HTTP_201=ProjectOut, HTTP_401=Error, HTTP_403=Error, HTTP_409=Error,
                                             HTTP_422=Error), tags=["org"], security=ORG)
def register_project(json: ProjectIn):
    from core.enterprise import orgs

    return jsonify(orgs.register_project(g.org, json.project_id, json.type, json.owner_link_code, json.capacity,
                                         json.location)), 201


@bp.post("/readings")
@org_required
@spec.validate(json=ReadingsIn, resp=Response(HTTP_200=ReadingsOut, HTTP_401=Error, HTTP_422=Error),
               tags=["org"], security=ORG)
def submit_readings(json: ReadingsIn):
    from core.enterprise import readings

    items = [{**r.model_dump(), "period_start": r.period_start.isoformat(), "period_end": r.period_end.isoformat(),
              "quantity": repr(r.quantity)} for r in json.readings]
    return jsonify(readings.submit(g.org, items, registry()))


@bp.get("/reductions")
@org_required
@spec.validate(query=PeriodQuery, resp=Response(HTTP_200=ProjectReductionsOut, HTTP_401=Error, HTTP_422=Error),
               tags=["org"], security=ORG)
def reductions(query: PeriodQuery):
    from core.enterprise import readings

    return jsonify(readings.reductions(g.org, query.from_.isoformat(), query.to.isoformat()))


@bp.get("/batches")
@org_required
@spec.validate(resp=Response(HTTP_200=BatchList, HTTP_401=Error), tags=["org"], security=ORG)
def batches():
    from core.enterprise import phcer

    return jsonify(items=phcer.list_batches(g.org.org_id))
