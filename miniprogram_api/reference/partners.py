"""Partners' (/partner/v1, HMAC-signed) and organisations' (/org/v1, org key) operations."""

from miniprogram_api.reference.entry import Entry

SIGNED = {401: ["unauthorized"]}
ORG_KEY = {401: ["unauthorized"]}
PERIOD = {"from": "开始日期 YYYY-MM-DD（含）", "to": "结束日期 YYYY-MM-DD（含）"}

OPERATIONS = {
    "POST /partner/v1/links": Entry(
        "用授权码建立关联",
        "市民在本平台小程序生成授权码并交给你方 App 后调用：把一次性授权码换成与你方用户标识（partner_user_ref）的关联，"
        "此后用该标识推送此市民的行为。授权码未知、过期、已用或为其他合作方生成：422 `link_code_invalid`；"
        "该标识已关联到另一位市民：409 `partner_ref_taken`（不做任何更改）；同一授权码、同一标识的重复请求返回同一关联。",
        {**SIGNED, 409: ["partner_ref_taken"], 422: ["link_code_invalid", "invalid_request"]},
    ),
    "POST /partner/v1/behaviours": Entry(
        "推送低碳行为记录",
        "定时（或实时）把已关联市民的低碳行为批量推送过来，每批最多 500 条。每条按 record_id 去重：重推同一条计为 "
        "duplicates，不会重复计入；有问题的记录单独列入 rejected 并给出原因（unknown_user、scenario_not_allowed、"
        "invalid_facts、quantity_out_of_range、in_future、too_old、consent_required），不影响同批其他记录。"
        "推送过于频繁：429 `rate_limited`（见 Retry-After）。",
        {**SIGNED, 422: ["invalid_request"], 429: ["rate_limited"]},
        fields={
            "records": "行为记录，1-500 条",
            "records.record_id": "你方记录的唯一 id（去重依据；重推同一 id 计为 duplicates）",
            "records.scenario": "场景代码（GET /api/v1/scenarios），须在你方接入时获准的场景之内",
            "records.quantity": "数量，单位为该场景方法学的单位（如公里、次）",
            "records.occurred_at": "行为发生的时刻，ISO 8601 带时区（如 2026-12-07T08:30:00+08:00）",
            "records.facts": "场景方法学要求的补充事实（如骑行时长 duration_s），可不传",
        },
    ),
    "POST /org/v1/projects": Entry(
        "登记减排项目",
        "机构安装或接管一个项目（光伏、热泵、节能空调、造林、共享单车）时调用。带上业主市民生成的授权码"
        "（owner_link_code），项目的回馈碳币就能到达业主。未获准的项目类型：403 `type_not_allowed`；"
        "project_id 已存在：409 `project_exists`；授权码无效：422 `link_code_invalid`。",
        {
            **ORG_KEY,
            403: ["type_not_allowed"],
            409: ["project_exists"],
            422: ["link_code_invalid", "invalid_request"],
        },
        fields={
            "project_id": "你方的项目 id（字母、数字、- 和 _），机构内唯一",
            "location": "项目地点（如 天河区），可不传",
        },
    ),
    "GET /org/v1/projects": Entry(
        "本机构的项目列表",
        "核对已登记项目时调用：分页列出每个项目的类型、容量、业主是否已关联及已核证的克数。",
        {**ORG_KEY, 422: ["invalid_request"]},
        {"limit": "每页条数，1-100，默认 20", "cursor": "上一页响应中的 next_cursor"},
    ),
    "POST /org/v1/readings": Entry(
        "上报项目计量读数",
        "按计量周期批量上报项目读数（发电 kWh、运行小时、树木数等），每批最多 500 条。按 reading_id 去重；"
        "有问题的读数单独列入 rejected 并给出原因（unknown_project、overlap、in_future、bad_period 等），"
        "不影响同批其他读数。",
        {**ORG_KEY, 422: ["invalid_request"]},
        fields={
            "readings": "读数，1-500 条",
            "readings.reading_id": "你方读数的唯一 id（去重依据）",
            "readings.project_id": "已登记的项目 id",
            "readings.period_start": "计量周期的第一天 YYYY-MM-DD",
        },
    ),
    "GET /org/v1/reductions": Entry(
        "本机构的减排量",
        "对账或准备 PHCER 批次前调用：from 至 to 期间每个项目、每个方法学版本核证的克数。",
        {**ORG_KEY, 422: ["invalid_request"]},
        PERIOD,
    ),
    "GET /org/v1/batches": Entry(
        "本机构的 PHCER 批次",
        "查看批次进度时调用：每个批次的编号、期间、状态（building | sealed | sold | fed_back）、读数与克数、成交确认及回馈碳币。"
        "按批次编号排序，与其他列表一样分页（`limit` 默认 20、至多 100，`next_cursor` 取下一页）。",
        {**ORG_KEY, 422: ["invalid_request"]},
        {"limit": "每页条数，1-100，默认 20", "cursor": "上一页响应中的 next_cursor"},
    ),
    "GET /org/v1/batches/{batch_id}": Entry(
        "一个 PHCER 批次的详情",
        "批次的核证吨数、按方法学版本的合计、成交确认（成交编号、日期、吨数、单价、总额、手续费、净收入），"
        "以及回馈合计：碳币数、市民人数、所用回馈政策、返还市民的金额与机构保留的金额（元）。"
        "其他机构的批次或不存在：404 `not_found`。",
        {**ORG_KEY, 404: ["not_found"]},
        {"batch_id": "批次编号，GET /org/v1/batches 返回"},
    ),
}
