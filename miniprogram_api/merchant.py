"""Merchant API: redeem codes at the counter, list a day's redemptions; the staff web page."""

import os

from flask import Blueprint, g, jsonify, request, send_from_directory

from miniprogram_api.idempotent import current, idempotent, merchant
from miniprogram_api.openapi import MERCHANT, Response, spec
from miniprogram_api.schemas import Day, Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("merchant", __name__)
STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")


class RedeemIn(Model):
    code: str = Field(min_length=1, max_length=64)


class ProductRef(Model):
    id: str
    name: str


class RedeemOut(Model):
    order_id: str
    product: ProductRef
    quantity: int
    redeemed_at: str


class DayQuery(Model):
    date: Day | None = Field(
        default=None, description="the local day (YYYY-MM-DD); today (+08:00) when left out"
    )


class RedemptionLine(RedeemOut):
    coins: int
    cash_fen: int


class RedemptionTotals(Model):
    count: int
    quantity: int
    coins: int
    cash_fen: int


class RedemptionList(Model):
    items: list[RedemptionLine]
    totals: RedemptionTotals


def merchant_required(view):
    from functools import wraps

    @wraps(view)
    def wrapper(*args, **kwargs):
        from core.mall import merchants

        g.merchant_key = merchants.authenticate(request.headers.get("Authorization"))
        return view(*args, **kwargs)

    return wrapper


def _redeemed(code_hash: str) -> dict:
    from core.mall import redemption

    return redemption.answer_of(g.merchant_key, code_hash)


@bp.post("/merchant/v1/redemptions")
@merchant_required
@idempotent("merchant/redemptions", merchant, replay=_redeemed)
@spec.validate(
    json=RedeemIn,
    resp=Response(
        HTTP_200=RedeemOut,
        HTTP_401=Error,
        HTTP_403=Error,
        HTTP_404=Error,
        HTTP_409=Error,
        HTTP_410=Error,
        HTTP_422=Error,
        HTTP_429=Error,
    ),
    tags=["merchant"],
    security=MERCHANT,
)
def redeem(json: RedeemIn):
    from core.mall import redemption

    return jsonify(redemption.redeem(g.merchant_key, json.code, current()))


@bp.get("/merchant/v1/redemptions")
@merchant_required
@spec.validate(
    query=DayQuery,
    resp=Response(HTTP_200=RedemptionList, HTTP_401=Error, HTTP_422=Error),
    tags=["merchant"],
    security=MERCHANT,
)
def list_redemptions(query: DayQuery):
    from core import localday
    from core.mall import redemption

    day = query.date.isoformat() if query.date is not None else localday.today()
    items = redemption.redemptions(g.merchant_key.merchant_id, day)
    return jsonify(items=items, totals=redemption.totals(items))


@bp.get("/merchant/")
def page():
    return send_from_directory(STATIC, "merchant.html")
