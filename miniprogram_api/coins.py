"""Coins, the ledger and reductions of the signed-in citizen."""

from flask import Blueprint, g, jsonify

from miniprogram_api.deps import citizen_required, citizen_token, registry, settings
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Day, Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("coins", __name__, url_prefix="/api/v1")


class CoinsOut(Model):
    balance: int
    earned_total: int
    spent_total: int
    grams_total: int
    pending_grams_today: int


class PageQuery(Model):
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


class LedgerItem(Model):
    id: str
    kind: str
    amount: int
    balance_after: int
    created_at: str
    ref: str | None
    detail: dict | None


class LedgerPage(Model):
    items: list[LedgerItem]
    next_cursor: str | None


class ReductionsQuery(Model):
    from_: Day = Field(alias="from")
    to: Day


class Reduction(Model):
    date: str
    scenario: str
    grams: int
    count: int


class ReductionsOut(Model):
    items: list[Reduction]
    total_grams: int


@bp.get("/coins")
@citizen_token  # the token generation is checked in balance's one read
@spec.validate(resp=Response(HTTP_200=CoinsOut, HTTP_401=Error), tags=["coins"], security=CITIZEN)
def get_coins():
    from core.citizens import coins

    return jsonify(coins.balance(settings(), g.user_id, g.token_gen, registry()))


@bp.get("/coins/ledger")
@citizen_required
@spec.validate(
    query=PageQuery,
    resp=Response(HTTP_200=LedgerPage, HTTP_401=Error, HTTP_422=Error),
    tags=["coins"],
    security=CITIZEN,
)
def get_ledger(query: PageQuery):
    from core.citizens import coins

    return jsonify(coins.ledger_page(g.user_id, query.limit, query.cursor))


@bp.get("/reductions")
@citizen_required
@spec.validate(
    query=ReductionsQuery,
    resp=Response(HTTP_200=ReductionsOut, HTTP_401=Error, HTTP_422=Error),
    tags=["coins"],
    security=CITIZEN,
)
def get_reductions(query: ReductionsQuery):
    from core.citizens import coins

    return jsonify(coins.reductions(g.user_id, query.from_.isoformat(), query.to.isoformat()))


class DayRecord(Model):
    id: str
    source: str
    scenario: str
    quantity: float
    unit: str | None
    counted_quantity: float
    grams_per_unit: str | None
    grams: int
    version: str | None
    occurred_at: str
    ref: str
    quarantined: str | None


class DayRecordsOut(Model):
    date: str
    items: list[DayRecord]
    total_grams: int
    credited_grams: int
    records: int
    records_digest: str


@bp.get("/reductions/<day>/records")
@citizen_required
@spec.validate(
    resp=Response(HTTP_200=DayRecordsOut, HTTP_401=Error, HTTP_422=Error),
    tags=["coins"],
    security=CITIZEN,
)
def get_day_records(day: str):
    from core.carbon import trace

    return jsonify(trace.day_records(settings(), registry(), g.user_id, day))
