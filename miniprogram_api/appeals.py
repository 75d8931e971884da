"""Appeals: "my ride didn't count" (申诉)."""
from flask import Blueprint, g, jsonify
from pydantic import BaseModel, Field
from spectree import Response

from core.citizens import appeals
from miniprogram_api.deps import citizen_required
from miniprogram_api.openapi import CITIZEN, spec
from miniprogram_api.schemas import Error

bp = Blueprint("appeals", __name__, url_prefix="/api/v1")


class AppealIn(BaseModel):
    date: str = Field(max_length=10, description="YYYY-MM-DD, within the last 30 days (Asia/Shanghai)")
    note: str = Field(min_length=1, max_length=appeals.NOTE_MAX)


class Resolution(BaseModel):
    coins: int | None = None
    reason: str


class AppealOut(BaseModel):
    id: str
    date: str
    note: str
    status: str
    created_at: str
    resolved_at: str | None = None
    resolution: Resolution | None = None


class AppealPage(BaseModel):
    items: list[AppealOut]
    next_cursor: str | None


class AppealQuery(BaseModel):
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


@bp.post("/appeals")
@citizen_required
@spec.validate(json=AppealIn, resp=Response(HTTP_201=AppealOut, HTTP_401=Error, HTTP_409=Error, HTTP_422=Error),
               tags=["appeals"], security=CITIZEN)
def post_appeal(json: AppealIn):
    """File an appeal ("my ride didn't count") for a date of the last 30 days, with a note.

    One open appeal per date: a second → 409 `appeal_open`. Ops answer it from the CLI with a
    linked coin adjustment or a rejection with a reason."""
    return jsonify(appeals.file(g.user_id, json.date, json.note)), 201


@bp.get("/appeals")
@citizen_required
@spec.validate(query=AppealQuery, resp=Response(HTTP_200=AppealPage, HTTP_401=Error, HTTP_422=Error),
               tags=["appeals"], security=CITIZEN)
def get_appeals(query: AppealQuery):
    """The caller's appeals, newest first, with status open | resolved | rejected, the resolution
    ({"coins", "reason"} or {"reason"}) and resolved_at."""
    return jsonify(appeals.mine(g.user_id, query.limit, query.cursor))
