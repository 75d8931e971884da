"""Partner pushes of behaviour records (HMAC-signed)."""
import time
from datetime import datetime, timezone

from flask import Blueprint, g, jsonify, request
from pydantic import AwareDatetime, BaseModel, Field
from spectree import Response

from core.carbon import partners
from miniprogram_api.deps import settings
from miniprogram_api.openapi import spec
from miniprogram_api.schemas import Error

bp = Blueprint("partner", __name__, url_prefix="/partner/v1")


class RecordIn(BaseModel):
    record_id: str = Field(min_length=1, max_length=64)
    user_ref: str = Field(min_length=1, max_length=64, description="the platform user id")
    scenario: str = Field(min_length=1, max_length=40)
    quantity: float = Field(gt=0, le=100000)
    occurred_at: AwareDatetime
    facts: dict | None = None


class PushIn(BaseModel):
    records: list[RecordIn] = Field(min_length=1, max_length=500)


class Rejected(BaseModel):
    record_id: str
    reason: str


class PushOut(BaseModel):
    accepted: int
    duplicates: int
    rejected: list[Rejected]


@bp.before_request
def authenticate_partner():
    # Signature first: an unsigned or replayed push is 401 whatever its body holds.
    g.partner_id = partners.authenticate(settings(), request.headers, request.method, request.path,
                                         request.get_data(), time.time())


@bp.post("/behaviours")
@spec.validate(json=PushIn, resp=Response(HTTP_200=PushOut, HTTP_401=Error, HTTP_422=Error, HTTP_429=Error),
               tags=["partner"], security={"partner_hmac": []})
def push(json: PushIn):
    from core import ratelimit
    from core.books.accounts import _registry

    s = settings()
    pid = g.partner_id
    ratelimit.hit("partner_push", pid, s.partner_pushes_per_minute, 60)
    records = [r.model_dump() for r in json.records]
    return jsonify(partners.push(s, pid, records, _registry(), datetime.now(timezone.utc)))
