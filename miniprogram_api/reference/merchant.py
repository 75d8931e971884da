"""The merchant scanner app's operations (/merchant/v1, a merchant key as bearer token)."""

from miniprogram_api.reference.entry import Entry

OPERATIONS = {
    "POST /merchant/v1/redemptions": Entry(
        "核销兑换码",
        "收银员扫描市民出示的订单核销码后调用：核销成功返回商品与数量，可交付商品。同一码重复提交："
        "409 `code_redeemed`（不会核销两次）；码不存在 404 `code_unknown`；已过期 410 `code_expired`；"
        "属于其他商户的码 403 `code_not_yours`；扫码过于频繁 429 `rate_limited`（见 Retry-After）。",
        {
            401: ["unauthorized"],
            403: ["code_not_yours"],
            404: ["code_unknown"],
            409: ["code_redeemed"],
            410: ["code_expired"],
            422: ["invalid_request"],
            429: ["rate_limited"],
        },
        fields={
            "code": "市民出示的核销码（扫描订单二维码得到，或手工输入，如 YCCV-92CB-168C-MBTJ）"
        },
    ),
    "GET /merchant/v1/redemptions": Entry(
        "某日的核销记录与合计",
        "收银台日结对账时调用：某一天（亚洲/上海，不传 date 则为今天）本商户的每笔核销及件数、碳币、现金合计。",
        {401: ["unauthorized"], 422: ["invalid_request"]},
        {"date": "日期 YYYY-MM-DD（亚洲/上海）；不传则为今天"},
    ),
}
