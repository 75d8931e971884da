"""The citizen's inbox (消息中心): every notice the platform wrote for them, 90 days."""

from flask import Blueprint, g, jsonify, request

from miniprogram_api.deps import citizen_required
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("inbox", __name__, url_prefix="/api/v1")


class InboxItemOut(Model):
    id: str
    kind: str = Field(
        description="settlement_credit | order_expiring | order_expired | appeal_result | phcer_feedback"
    )
    title: str
    body: str
    created_at: str
    read: bool


class InboxQuery(Model):
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


class InboxOut(Model):
    items: list[InboxItemOut]
    next_cursor: str | None = Field(description="下一页（更早的消息）的 cursor；没有更多为 null")
    unread: int = Field(description="保留的全部消息中未读的条数（不只是本页）")


class ReadIn(Model):
    ids: list[str] | None = Field(
        None, max_length=100, description="要标记为已读的消息 id（至多 100 个）"
    )
    all: bool = Field(False, description="true：全部标记为已读")


@bp.get("/inbox")
@citizen_required
@spec.validate(
    query=InboxQuery,
    resp=Response(HTTP_200=InboxOut, HTTP_401=Error, HTTP_422=Error),
    tags=["me"],
    security=CITIZEN,
)
def get_inbox(query: InboxQuery):
    """消息中心：平台发给我的全部通知

    碳币到账、兑换券即将过期或已过期、申诉结果、减排量收益返还等通知，无论是否订阅了微信订阅消息，
    都保留 90 天。最新的在前，分页（`limit` 默认 20、至多 100，`cursor`），`unread` 为全部未读条数。"""
    from core.notices import inbox
    from miniprogram_api.errors import language

    return jsonify(inbox.inbox(g.user_id, language() == "en", query.limit, query.cursor))


@bp.post("/inbox/read")
@citizen_required
@spec.validate(
    json=ReadIn,
    resp=Response("HTTP_204", HTTP_400=Error, HTTP_401=Error, HTTP_409=Error, HTTP_422=Error),
    tags=["me"],
    security=CITIZEN,
)
def mark_read(json: ReadIn):
    """标记消息为已读

    传 `{"ids": [...]}` 标记指定消息，或 `{"all": true}` 标记全部；二者必须且只能给一个。
    不存在或不属于自己的 id 被忽略。成功返回 204。"""
    from core import idempotency
    from core.errors import Unprocessable
    from core.notices import inbox

    if json.ids is not None and any(not 1 <= len(i) <= 200 for i in json.ids):
        raise Unprocessable(
            "Each id is 1 to 200 characters.", zh="消息 id 长度应为 1 到 200 个字符。"
        )
    keyed = idempotency.keyed(
        g.user_id, request.headers.get("Idempotency-Key"), "inbox/read", json.model_dump()
    )
    if not idempotency.seen(keyed):  # a retry of the same body changes nothing again
        inbox.mark_read(g.user_id, json.ids, json.all)
        idempotency.remember(keyed)
    return "", 204
