"""The Idempotency-Key header on each mutation that reads it, an order's aside
(miniprogram_api/idempotent.py; the estimate, ranking choice and inbox read use core.idempotency
themselves): what the header is, and what a retry under it answers, per operation. `with_keys` adds both, and the
key's error codes (400 invalid_request, 409 idempotency_key_reused), to the operations' entries."""

from dataclasses import replace

from miniprogram_api.reference.entry import Entry

HEADER = (
    "1-64 个字符，每次操作一个新值；网络重试时用同一个值：重放不会再次生效，返回与第一次相同的状态码和内容；"
    "同一个值用于不同的请求（路径或内容不同）：409 `idempotency_key_reused`，不做任何更改。失败的请求不占用该值。"
    "一天后失效。"
)
ERRORS = {400: ["invalid_request"], 409: ["idempotency_key_reused"]}

# What a retry answers, and how (nothing that holds personal data is kept to answer it).
RETRIES = {
    "POST /api/v1/cards": "重放返回第一次绑定的卡（其间已解绑也不会再次绑定）",
    "DELETE /api/v1/cards/{card_id}": "重放返回 204（其间重新绑定的卡不会被再次解绑）",
    "POST /api/v1/appeals": "重放返回第一次提交的申诉（状态为 open），不会再次提交",
    "POST /api/v1/me/phone": "重放不再向微信兑换 code，返回当前绑定的手机号（脱敏）",
    "POST /api/v1/me/consents": "重放不会再记录一次同意",
    "POST /api/v1/partner-links": "重放返回同一个授权码，不会生成新码",
    "DELETE /api/v1/partner-links/{partner_id}": "重放返回 204（其间重新建立的关联不会被解除）",
    "POST /api/v1/steps": "重放返回第一次的结果，不再写入",
    "POST /api/v1/me/subscriptions": "重放不再累加 accept，返回当前的授权状态",
    "POST /api/v1/orders/{order_id}/cancel": "重放返回已取消的订单，不会再次退款",
    "POST /merchant/v1/redemptions": (
        "收银员重试时务必使用同一个值：第一次的响应丢失后重放返回 200 与相同内容，而不是 409 `code_redeemed`"
        "（每个商户密钥各自一套值）"
    ),
    "POST /partner/v1/links": "重放返回同一关联（每个合作方各自一套值）",
    "POST /partner/v1/behaviours": "重放返回第一次的计数与拒绝原因，不再计入（每个合作方各自一套值）",
    "POST /org/v1/projects": "重放返回第一次登记的项目，而不是 409 `project_exists`（每个机构各自一套值）",
    "POST /org/v1/readings": "重放返回第一次的结果，不再写入（每个机构各自一套值）",
    "POST /api/v1/footprint/estimate": "重放不再保存，答复中的 `saved_at` 为第一次保存的时间",
    "POST /api/v1/inbox/read": "重放返回 204，不再标记",
    "PUT /api/v1/rankings/me": "重放返回第一次保存的选择，不再写入",
}


def _merged(errors: dict[int, list[str]]) -> dict[int, list[str]]:
    out = {status: list(codes) for status, codes in errors.items()}
    for status, codes in ERRORS.items():
        out.setdefault(status, []).extend(c for c in codes if c not in out[status])
    return out


def with_keys(operations: dict[str, Entry]) -> dict[str, Entry]:
    """The entries, each operation of RETRIES with the header and the key's errors."""
    out = dict(operations)
    for key, how in RETRIES.items():
        entry = out[key]
        header = {"Idempotency-Key": f"{HEADER}{how}。"}
        out[key] = replace(entry, headers={**entry.headers, **header}, errors=_merged(entry.errors))
    return out
