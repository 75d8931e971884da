"""Operations anyone may call, without a login: health and the public transparency log."""

from miniprogram_api.reference.entry import Entry

DATE = {"date": "日期 YYYY-MM-DD（亚洲/上海）"}

OPERATIONS = {
    "GET /healthz": Entry(
        "健康检查",
        '无需登录。负载均衡、监控或部署后冒烟检查调用：服务可用时返回 200 与 `{"status": "ok"}`。',
        {},
    ),
    "GET /public/v1/log/key": Entry(
        "日志签名公钥",
        "无需登录。核验树头签名前调用一次：返回 Ed25519 公钥（base64）及其 key_id。",
        {},
    ),
    "GET /public/v1/log/heads/latest": Entry(
        "最新签名树头",
        "无需登录。审计者定期调用：最新的树大小、根哈希、时间与签名。日志尚无树头：404 `no_log_head`。",
        {404: ["no_log_head"]},
    ),
    "GET /public/v1/log/heads/{date}": Entry(
        "某日最后签名的树头",
        "无需登录。核对某一天结束时的日志状态时调用。当天尚无树头：404 `no_log_head`；日期格式错误：422 `invalid_request`。",
        {404: ["no_log_head"], 422: ["invalid_request"]},
        DATE,
    ),
    "GET /public/v1/log/consistency": Entry(
        "一致性证明",
        "无需登录。审计者验证新树头是旧树头的延续（日志只追加、未改写）时调用，按 RFC 6962 复算。"
        "需 1 ≤ first ≤ second ≤ 最新树大小，否则 422 `invalid_request`。",
        {404: ["no_log_head"], 422: ["invalid_request"]},
        {"first": "较早的树大小", "second": "较新的树大小（不超过最新树头的大小）"},
    ),
    "GET /public/v1/log/totals/{date}": Entry(
        "某日公开合计",
        "无需登录。公众查看某一天按类别的碳币发放与使用合计、以及日志是否已收齐当天的账目（complete）。",
        {422: ["invalid_request"]},
        DATE,
    ),
}
