"""Organisation API: projects, metered readings, certified reductions and PHCER batches."""

from functools import wraps

from flask import Blueprint, g, jsonify, request

from miniprogram_api.deps import registry, settings
from miniprogram_api.idempotent import idempotent, org
from miniprogram_api.openapi import ORG, Response, spec
from miniprogram_api.schemas import Day, Error
from miniprogram_api.shapes import Field, Model, Refused

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
    type: str = Field(
        min_length=1,
        max_length=20,
        description="pv | heat_pump | efficient_ac | afforestation | cycling",
    )
    owner_link_code: str | None = Field(
        None,
        min_length=1,
        max_length=32,
        description="a citizen's link code made for this organisation's id",
    )
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
    quantity: float = Field(
        description="metered kWh (pv, heat_pump, efficient_ac), trees (afforestation) or km "
        "(cycling); more than 0 and within the type's daily bound, else bad_quantity"
    )


class ReadingsIn(Model):
    readings: list[ReadingIn] = Field(
        min_length=1,
        max_length=500,
        each=True,
        description="a reading that is not a ReadingIn is rejected alone (bad_quantity, "
        "bad_period or invalid_reading)",
    )


class ReadingRejected(Model):
    reading_id: str
    reason: str = Field(
        description="unknown_project | overlap | in_future | bad_period | bad_quantity | "
        "no_methodology | busy | invalid_reading (an id or a field of the wrong kind)"
    )


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


class SaleOut(Model):
    trade_ref: str
    trade_date: str
    tonnes: str
    price_yuan_per_tonne: str
    gross_yuan: str
    fees_yuan: str
    net_yuan: str


class FeedbackPolicyOut(Model):
    share: str
    coins_per_yuan: str
    effective_from: str
    source: str


class BatchOut(Model):
    batch_id: str
    number: int
    period_from: str
    period_to: str
    status: str = Field(description="building | sealed | sold | fed_back")
    readings: int
    grams: int
    totals: list[BatchTotal]
    sold_yuan: str | None = Field(description="the sale's net yuan (gross minus fees), 2 places")
    sale: SaleOut | None = Field(description="the exchange's trade confirmation, as recorded")
    feedback_coins: int | None = Field(
        description="coins returned to the batch's citizens, fixed by the first run"
    )
    feedback_policy: FeedbackPolicyOut | None


class BatchList(Model):
    items: list[BatchOut]
    next_cursor: str | None


class FeedbackTotals(Model):
    coins: int
    citizens: int
    share: str
    coins_per_yuan: str
    policy_from: str
    returned_yuan: str = Field(description="the coins' value at the policy's coin value, 2 places")
    kept_yuan: str


class BatchDetail(BatchOut):
    tonnes: str = Field(description="certified tonnes CO2, 6 places")
    feedback: FeedbackTotals | None


class OrgProject(Model):
    project_id: str
    type: str
    capacity: str | None
    location: str | None
    owner_linked: bool = Field(description="a citizen owns it (their link is in place)")
    certified_grams: int = Field(description="grams certified from all its readings")


class OrgProjectPage(Model):
    items: list[OrgProject]
    next_cursor: str | None


class OrgPageQuery(Model):
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


def _registered(project_id: str) -> dict:
    from core.enterprise import orgs

    return orgs.registered_answer(g.org.org_id, project_id)


@bp.post("/projects")
@org_required
@idempotent("org/projects", org, replay=_registered, ref=lambda answer: answer["project_id"])
@spec.validate(
    json=ProjectIn,
    resp=Response(
        HTTP_201=ProjectOut, HTTP_401=Error, HTTP_403=Error, HTTP_409=Error, HTTP_422=Error
    ),
    tags=["org"],
    security=ORG,
)
def register_project(json: ProjectIn):
    from core.enterprise import orgs

    return jsonify(
        orgs.register_project(
            g.org, json.project_id, json.type, json.owner_link_code, json.capacity, json.location
        )
    ), 201


@bp.get("/projects")
@org_required
@spec.validate(
    query=OrgPageQuery,
    resp=Response(HTTP_200=OrgProjectPage, HTTP_401=Error, HTTP_422=Error),
    tags=["org"],
    security=ORG,
)
def list_projects(query: OrgPageQuery):
    """本机构的项目列表

    每个项目的类型、容量、位置、是否已有市民所有者（owner_linked），以及其全部读数核证的克数（certified_grams）。"""
    from core.enterprise import views

    return jsonify(views.org_projects(g.org.org_id, query.limit, query.cursor))


@bp.post("/readings")
@org_required
@idempotent("org/readings", org, keep_answer=True)  # counts and reading ids, no person
@spec.validate(
    json=ReadingsIn,
    resp=Response(HTTP_200=ReadingsOut, HTTP_401=Error, HTTP_422=Error),
    tags=["org"],
    security=ORG,
)
def submit_readings(json: ReadingsIn):
    from core.carbon.settlement import requires_evidence
    from core.enterprise import readings

    items = [
        {
            **r.model_dump(),
            "period_start": r.period_start.isoformat(),
            "period_end": r.period_end.isoformat(),
            "quantity": repr(r.quantity),
        }
        for r in json.readings
        if not isinstance(r, Refused)
    ]
    # Outside local/test a project methodology with evidence none certifies nothing (no_methodology).
    out = readings.submit(g.org, items, registry(), requires_evidence(settings()))
    # A reading the shape refused is rejected alone, answered with the others (one bad of eight: 7 + 1).
    out["rejected"] = [
        {"reading_id": r.text("reading_id"), "reason": _reading_reason(r)}
        for r in json.readings
        if isinstance(r, Refused)
    ] + out["rejected"]
    return jsonify(out)


def _reading_reason(r: Refused) -> str:
    fields = r.fields()
    if fields == {"quantity"}:
        return "bad_quantity"
    return (
        "bad_period" if fields and fields <= {"period_start", "period_end"} else "invalid_reading"
    )


@bp.get("/reductions")
@org_required
@spec.validate(
    query=PeriodQuery,
    resp=Response(HTTP_200=ProjectReductionsOut, HTTP_401=Error, HTTP_422=Error),
    tags=["org"],
    security=ORG,
)
def reductions(query: PeriodQuery):
    from core.enterprise import readings

    return jsonify(readings.reductions(g.org, query.from_.isoformat(), query.to.isoformat()))


@bp.get("/batches")
@org_required
@spec.validate(
    query=OrgPageQuery,
    resp=Response(HTTP_200=BatchList, HTTP_401=Error, HTTP_422=Error),
    tags=["org"],
    security=ORG,
)
def batches(query: OrgPageQuery):
    """本机构的 PHCER 批次

    每个批次的编号、期间、状态（building | sealed | sold | fed_back）、读数与克数、成交确认及回馈碳币。"""
    from core.enterprise import views

    return jsonify(views.batches_page(g.org.org_id, query.limit, query.cursor))


@bp.get("/batches/<batch_id>")
@org_required
@spec.validate(
    resp=Response(HTTP_200=BatchDetail, HTTP_401=Error, HTTP_404=Error), tags=["org"], security=ORG
)
def batch(batch_id: str):
    """一个 PHCER 批次的详情

    批次的核证吨数、按方法学版本的合计、成交确认（成交编号、日期、吨数、单价、总额、手续费、净收入），
    以及回馈合计：碳币数、市民人数、所用回馈政策、返还市民的金额与机构保留的金额（元）。其他机构的批次返回 404。"""
    from core.enterprise import views

    return jsonify(views.org_batch(g.org.org_id, batch_id))
