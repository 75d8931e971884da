"""Partner API (HMAC-signed): exchanging a citizen's link code, pushing behaviour records."""

import time
from datetime import UTC, datetime

from flask import Blueprint, g, jsonify, request

from miniprogram_api.deps import registry, settings
from miniprogram_api.idempotent import idempotent, partner
from miniprogram_api.openapi import Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import AwareDatetime, Field, Model, Refused

bp = Blueprint("partner", __name__, url_prefix="/partner/v1")


class RecordIn(Model):
    record_id: str = Field(min_length=1, max_length=64)
    user_ref: str = Field(
        min_length=1,
        max_length=64,
        description="a partner_user_ref the citizen linked (POST /partner/v1/links)",
    )
    scenario: str = Field(min_length=1, max_length=40)
    quantity: float = Field(
        description="within the scenario's bounds (GET /api/v1/scenarios), else the record "
        "is rejected as quantity_out_of_range"
    )
    occurred_at: AwareDatetime
    facts: dict | None = None


class PushIn(Model):
    records: list[RecordIn] = Field(
        min_length=1,
        max_length=500,
        each=True,
        description="a record that is not a RecordIn is rejected alone (invalid_facts, "
        "or quantity_out_of_range for a number past any bound)",
    )


class Rejected(Model):
    record_id: str
    reason: str


class PushOut(Model):
    accepted: int
    duplicates: int
    rejected: list[Rejected]


@bp.before_request
def authenticate_partner():
    # Signature first: an unsigned or replayed push is 401 whatever its body holds.
    from core.carbon import partners

    g.partner = partners.authenticate(
        settings(), request.headers, request.method, request.path, request.get_data(), time.time()
    )


class LinkIn(Model):
    link_code: str = Field(
        min_length=1, max_length=32, description="the one-time code the citizen made for you"
    )
    partner_user_ref: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[\x21-\x7e]+$",
        description="your own id of this citizen; name it in later pushes as user_ref",
    )


class LinkOut(Model):
    partner_user_ref: str
    linked_at: str


@bp.post("/links")
@idempotent("partner/links", partner)  # the same code and ref again answer the same link
@spec.validate(
    json=LinkIn,
    resp=Response(HTTP_201=LinkOut, HTTP_401=Error, HTTP_409=Error, HTTP_422=Error),
    tags=["partner"],
    security={"partner_hmac": []},
)
def link(json: LinkIn):
    """用授权码建立关联

    把市民生成的一次性授权码换成与你方用户标识（partner_user_ref）的关联。已关联到另一位市民的标识：
    409 partner_ref_taken，不做任何更改；同一授权码、同一标识的重复请求返回同一关联。"""
    from core.carbon import links

    return jsonify(links.exchange(g.partner.partner_id, json.link_code, json.partner_user_ref)), 201


@bp.post("/behaviours")
@idempotent("partner/behaviours", partner, keep_answer=True)  # counts and record ids, no person
@spec.validate(
    json=PushIn,
    resp=Response(HTTP_200=PushOut, HTTP_401=Error, HTTP_422=Error, HTTP_429=Error),
    tags=["partner"],
    security={"partner_hmac": []},
)
def push(json: PushIn):
    from core import ratelimit
    from core.carbon import partners

    s = settings()
    ratelimit.hit("partner_push", g.partner.partner_id, s.partner_pushes_per_minute, 60)
    records = [r.model_dump() for r in json.records if not isinstance(r, Refused)]
    refused = tuple(
        {"record_id": r.text("record_id"), "reason": _reason(r)}
        for r in json.records
        if isinstance(r, Refused)
    )
    return jsonify(partners.push(s, g.partner, records, registry(), datetime.now(UTC), refused))


def _reason(r: Refused) -> str:
    """A record the shape refused: a quantity that is a number but none a float holds is past every
    scenario's bounds; anything else is not a record's facts."""
    quantity = r.raw.get("quantity") if isinstance(r.raw, dict) else None
    numeric = isinstance(quantity, (int, float)) and not isinstance(quantity, bool)
    return "quantity_out_of_range" if r.fields() == {"quantity"} and numeric else "invalid_facts"
