"""Organisation API: projects, metered readings, certified reductions and PHCER batches."""

from functools import wraps

from flask import Blueprint, g, jsonify, request

from miniprogram_api.deps import registry, settings
from miniprogram_api.idempotent import idempotent, org
from miniprogram_api.openapi import ORG, Response, spec
from miniprogram_api.org_shapes import (
    BatchDetail,
    BatchList,
    OrgPageQuery,
    OrgProjectPage,
    PeriodQuery,
    ProjectIn,
    ProjectOut,
    ProjectReductionsOut,
    ReadingsIn,
    ReadingsOut,
)
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Refused

bp = Blueprint("org", __name__, url_prefix="/org/v1")


def org_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        from core.enterprise import orgs

        g.org = orgs.authenticate(request.headers.get("Authorization"))
        return view(*args, **kwargs)

    return wrapper


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
