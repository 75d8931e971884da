"""The city ranking (低碳排行榜): opt-in, by nickname; everyone sees their own standing."""

from flask import Blueprint, g, jsonify, request

from core import localday
from miniprogram_api.deps import citizen_required
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("rankings", __name__, url_prefix="/api/v1")


class RankingQuery(Model):
    period: str = Field(
        "week", pattern="^(week|month)$", description="week 本周（周一至周日）| month 本月"
    )


class RankedOut(Model):
    rank: int
    nickname: str
    grams: int


class MeOut(Model):
    rank: int | None = Field(description="全市排名（本期有减排量的市民中；本期无减排量为 null）")
    grams: int
    percentile: int | None = Field(description="本期减排量少于自己的市民占比（0-100）")
    listed: bool


class RankingOut(Model):
    period: str = Field(description="week | month，即所请求的 period（默认 week）")
    from_: str = Field(
        alias="from", description="本期第一天（YYYY-MM-DD，北京时间）：本周的周一或本月 1 日"
    )
    to: str = Field(description="统计截至的日期：今天（本期最后一天之前均为今天）")
    items: list[RankedOut] = Field(
        description="自愿上榜市民的前 100 名，按克数从多到少；同克数同名次；无人上榜时为空列表"
    )
    me: MeOut = Field(description="调用者本人（无论是否上榜），只有本人可见")


class ChoiceIn(Model):
    listed: bool
    nickname: str | None = Field(
        None,
        max_length=64,
        description="2-16 个字符（去掉首尾空格后），不能含禁用词或长串数字；不会使用微信昵称。"
        "不传或 null：沿用已设置的昵称；超过 64 个字符为 422 invalid_request，其余不合规为 422 nickname_invalid",
    )


class ChoiceOut(Model):
    listed: bool = Field(description="是否上榜（刚保存的选择）")
    nickname: str | None = Field(
        description="保存的昵称（已去掉首尾空格）；从未设置过且未上榜时为 null"
    )


@bp.get("/rankings")
@citizen_required
@spec.validate(
    query=RankingQuery,
    resp=Response(HTTP_200=RankingOut, HTTP_401=Error, HTTP_422=Error),
    tags=["coins"],
    security=CITIZEN,
)
def get_rankings(query: RankingQuery):
    """低碳排行榜：本周或本月全市减排量前 100 名，以及我的排名

    `items` 只列出自愿上榜的市民（昵称和减排克数，同克数同名次）；`me` 是调用者本人在全市本期有减排量的
    市民中的排名和百分位，即使未上榜也能看到，且只有本人可见。由每晚结算的汇总维护，不做全表扫描。"""
    from core.carbon import rankings

    return jsonify(rankings.ranking(g.user_id, query.period, localday.today()))


@bp.put("/rankings/me")
@citizen_required
@spec.validate(
    json=ChoiceIn,
    resp=Response(
        HTTP_200=ChoiceOut, HTTP_400=Error, HTTP_401=Error, HTTP_409=Error, HTTP_422=Error
    ),
    tags=["coins"],
    security=CITIZEN,
)
def choose(json: ChoiceIn):
    """设置是否上榜及昵称

    `listed: true` 以自己设置的昵称（2-16 个字符，检查禁用词和长串数字，平台不读取微信昵称）出现在排行榜；
    `false` 立即从榜单隐去。昵称不合规返回 422 `nickname_invalid`。该选择会出现在数据导出中，注销账号时删除。"""
    from core import idempotency
    from core.citizens import ranking_choice

    keyed = idempotency.keyed(
        g.user_id, request.headers.get("Idempotency-Key"), "rankings/me", json.model_dump()
    )
    if idempotency.seen(keyed):  # a retry: the first answer, nothing written again
        return jsonify(ranking_choice.answer(g.user_id, json.listed, json.nickname))
    out = ranking_choice.choose(g.user_id, json.listed, json.nickname)
    idempotency.remember(keyed)
    return jsonify(out)
