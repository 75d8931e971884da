"""Appeals: "my ride didn't count" (申诉)."""

from flask import Blueprint, g, jsonify

from core.citizens.appeal_limits import NOTE_MAX
from miniprogram_api.deps import citizen_required
from miniprogram_api.idempotent import current, idempotent
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("appeals", __name__, url_prefix="/api/v1")


class AppealIn(Model):
    date: str = Field(
        max_length=10, description="YYYY-MM-DD, within the last 30 days (Asia/Shanghai)"
    )
    note: str = Field(min_length=1, max_length=NOTE_MAX)


class Resolution(Model):
    coins: int | None = None
    reason: str


class AppealOut(Model):
    id: str
    date: str
    note: str
    status: str
    created_at: str
    resolved_at: str | None = None
    resolution: Resolution | None = None


class AppealPage(Model):
    items: list[AppealOut]
    next_cursor: str | None


class AppealQuery(Model):
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


def _filed(appeal_id: str) -> dict:
    from core.citizens import appeal_filing

    return appeal_filing.first_answer(g.user_id, appeal_id)


@bp.post("/appeals")
@citizen_required
@idempotent("appeals", replay=_filed)
@spec.validate(
    json=AppealIn,
    resp=Response(HTTP_201=AppealOut, HTTP_401=Error, HTTP_409=Error, HTTP_422=Error),
    tags=["appeals"],
    security=CITIZEN,
)
def post_appeal(json: AppealIn):
    """File an appeal ("my ride didn't count") for a date of the last 30 days, with a note.

    One open appeal per date: a second → 409 `appeal_open`. Ops answer it from the CLI with a
    linked coin adjustment or a rejection with a reason."""
    from core.citizens import appeal_filing

    return jsonify(appeal_filing.file(g.user_id, json.date, json.note, current())), 201


@bp.get("/appeals")
@citizen_required
@spec.validate(
    query=AppealQuery,
    resp=Response(HTTP_200=AppealPage, HTTP_401=Error, HTTP_422=Error),
    tags=["appeals"],
    security=CITIZEN,
)
def get_appeals(query: AppealQuery):
    """The caller's appeals, newest first, with status open | resolved | rejected, the resolution
    ({"coins", "reason"} or {"reason"}) and resolved_at."""
    from core.citizens import appeals

    return jsonify(appeals.mine(g.user_id, query.limit, query.cursor))
