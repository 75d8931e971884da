"""The signed-in citizen's part in PHCER: the batches holding their reductions, the sale, their feedback
coins, and the projects they own with their readings."""

from flask import Blueprint, g, jsonify

from miniprogram_api.deps import citizen_required
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("phcer", __name__, url_prefix="/api/v1")


class PhcerQuery(Model):
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


class PhcerSaleOut(Model):
    trade_date: str
    price_yuan_per_tonne: str = Field(description="yuan, 2 places")
    net_yuan: str = Field(description="gross minus the exchange's fees, yuan, 2 places")


class MyPhcerBatch(Model):
    batch_id: str
    org_name: str
    period_from: str
    period_to: str
    status: str = Field(description="sealed | sold | fed_back")
    my_grams: int = Field(description="the caller's certified grams in this batch")
    batch_tonnes: str = Field(
        description="the batch's certified tonnes CO2, a decimal string (6 places)"
    )
    sale: PhcerSaleOut | None
    my_feedback_coins: int | None = Field(description="null until the batch is fed back")


class MyPhcerPage(Model):
    items: list[MyPhcerBatch]
    next_cursor: str | None


class MyReading(Model):
    reading_id: str
    period_start: str
    period_end: str
    quantity: str = Field(description="metered kWh, trees or km, a decimal string")
    methodology: str
    version: str
    grams: int
    batch_id: str | None = Field(description="the PHCER batch that took it, if any")


class MyProject(Model):
    project_id: str
    org_name: str
    type: str
    capacity: str | None
    location: str | None
    certified_grams: int
    readings: list[MyReading]


class MyProjects(Model):
    items: list[MyProject]


@bp.get("/phcer")
@citizen_required
@spec.validate(
    query=PhcerQuery,
    resp=Response(HTTP_200=MyPhcerPage, HTTP_401=Error, HTTP_422=Error),
    tags=["phcer"],
    security=CITIZEN,
)
def my_batches(query: PhcerQuery):
    """我参与的碳普惠核证减排量（PHCER）批次

    列出含有本人减排量的 PHCER 批次：机构、期间、状态（sealed 已封存 | sold 已售出 | fed_back 已回馈）、
    本人克数、批次吨数、成交日期与价格（元/吨）及净收入，以及本人获得的回馈碳币（回馈前为 null）。
    只显示本人的克数与碳币，不含其他市民的信息。"""
    from core.enterprise import views

    return jsonify(views.citizen_batches(g.user_id, query.limit, query.cursor))


@bp.get("/phcer/projects")
@citizen_required
@spec.validate(resp=Response(HTTP_200=MyProjects, HTTP_401=Error), tags=["phcer"], security=CITIZEN)
def my_projects():
    """我拥有的减排项目及其读数

    本人通过关联码成为所有者的机构项目（如户用光伏、骑行），每个项目的计量读数、核证方法学版本、
    核证克数及纳入的 PHCER 批次。"""
    from core.enterprise import views

    return jsonify(views.citizen_projects(g.user_id))
