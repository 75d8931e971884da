"""Which subscribe-message templates the signed-in citizen accepted (wx.requestSubscribeMessage)."""

from typing import Literal

from flask import Blueprint, g, jsonify

from miniprogram_api.deps import citizen_required
from miniprogram_api.idempotent import current, idempotent
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("subscriptions", __name__, url_prefix="/api/v1")

TemplateName = Literal[
    "settlement_credit", "order_expiring", "appeal_result"
]  # core.notices.notifications.TEMPLATES
Answer = Literal["accept", "reject", "ban", "filter"]  # core.notices.notifications.ANSWERS


class SubscriptionsIn(Model):
    templates: dict[TemplateName, Answer] = Field(
        min_length=1, description="template name -> the user's answer"
    )


class TemplateState(Model):
    status: str | None
    remaining: int = Field(description="messages the user's accepts still allow")


class SubscriptionsOut(Model):
    templates: dict[str, TemplateState]


@bp.get("/me/subscriptions")
@citizen_required
@spec.validate(
    resp=Response(HTTP_200=SubscriptionsOut, HTTP_401=Error),
    tags=["notifications"],
    security=CITIZEN,
)
def get_subscriptions():
    from core.notices import notifications

    return jsonify(notifications.subscriptions_view(g.user_id))


def _answered(_ref) -> dict:
    from core.notices import notifications

    return notifications.subscriptions_view(g.user_id)


@bp.post("/me/subscriptions")
@citizen_required
@idempotent("me/subscriptions", replay=_answered)  # an accept counted once: the view, not again
@spec.validate(
    json=SubscriptionsIn,
    resp=Response(HTTP_200=SubscriptionsOut, HTTP_401=Error, HTTP_422=Error),
    tags=["notifications"],
    security=CITIZEN,
)
def report_subscriptions(json: SubscriptionsIn):
    from core.notices import notifications

    return jsonify(notifications.record_answers(g.user_id, dict(json.templates), current()))
