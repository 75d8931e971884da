"""The mini-program's operations, continued (/api/v1, a citizen's bearer token unless said
otherwise): partner links, the footprint and its estimate, appeals, the citizen's rights, PHCER,
the inbox, rankings and the directories. Account, cards, earning and the mall: citizens.py."""

from miniprogram_api.reference.citizens import BAD_INPUT, PAGE, SIGNED_IN, _errors
from miniprogram_api.reference.entry import Entry

OPERATIONS = {
    # partner links
    "POST /api/v1/partner-links": Entry(
        "生成合作方授权码",
        "市民同意把某个合作方（或机构）App 中的行为计入本平台时调用：返回 10 分钟内有效的一次性授权码，"
        "由市民交给合作方，合作方用它调用 POST /partner/v1/links 完成关联。合作方不存在：404 `not_found`。",
        _errors(SIGNED_IN, {404: ["not_found"], 422: ["invalid_request"]}),
    ),
    "GET /api/v1/partner-links": Entry(
        "我已关联的合作方", "“授权管理”页面调用：列出已关联的合作方及关联时间。", SIGNED_IN
    ),
    "DELETE /api/v1/partner-links/{partner_id}": Entry(
        "解除与合作方的关联",
        "市民撤回授权时调用：此后该合作方推送的本人行为不再计入（已计入的不变）。未关联：404 `not_found`。",
        _errors(SIGNED_IN, {404: ["not_found"]}),
        {"partner_id": "合作方 id"},
    ),
    # footprint
    "GET /api/v1/footprint": Entry(
        "我的年度碳账本（个人碳足迹）",
        "“碳账本”页面调用：某一年每月的减排克数、合计、折合树木数，以及在全市活跃市民中的位置。",
        _errors(SIGNED_IN, BAD_INPUT),
        {"year": "年份 YYYY，不传则为今年（亚洲/上海）"},
    ),
    "POST /api/v1/footprint/estimate": Entry(
        "个人碳足迹测算",
        "市民填写碳足迹问卷后调用：按用电、出行、饮食、消费与航班估算一年的排放（kg CO2e），给出分项与减排建议；"
        "`save: true` 时保存本次结果（可再次查看，注销账号时删除）。每个字段都可不传（不传即取默认值，不要传 null）："
        "数值须 ≥ 0 且不超过各字段的上限，`household_size` 为 1–20、默认 1；`diet` 默认 average；"
        "`car_fuel` 未填而有里程时按汽油计。不符合：422 `invalid_request`，什么也不保存。"
        "可带 `Idempotency-Key`：重放不再保存，答复中的 `saved_at` 为第一次保存的时间。",
        _errors(SIGNED_IN, BAD_INPUT),
        fields={"flights": "一年的单程航班数，按航程分三档；不坐飞机可不传"},
    ),
    "GET /api/v1/footprint/estimate": Entry(
        "最近保存的碳足迹测算",
        "再次打开测算结果页时调用：字段与测算时的回答相同，另加 `answers`（保存时的答案）。"
        "从未保存过测算：404 `not_found`。",
        _errors(SIGNED_IN, {404: ["not_found"]}),
    ),
    # appeals
    "POST /api/v1/appeals": Entry(
        "提交申诉（某天的减排没有计入）",
        "市民认为近 30 天内某天的出行没有计入时调用，附说明。同一天已有处理中的申诉：409 `appeal_open`；"
        "日期超出 30 天或在未来：422 `invalid_request`。",
        _errors(SIGNED_IN, {409: ["appeal_open"], 422: ["invalid_request"]}),
        fields={"note": "申诉说明：哪天、怎么出行、为什么认为没有计入"},
    ),
    "GET /api/v1/appeals": Entry(
        "我的申诉（分页）",
        "“我的申诉”页面调用：按时间倒序列出申诉及处理结果（open | resolved | rejected）。",
        _errors(SIGNED_IN, BAD_INPUT),
        PAGE,
    ),
    # privacy
    "GET /api/v1/me/export": Entry(
        "导出我的个人信息",
        "市民行使查阅、复制权（《个人信息保护法》第 45 条）时调用：返回平台保存的本人全部个人信息（卡号脱敏）："
        "资料、同意记录、绑定的卡及每一段绑卡记录（含已解绑的卡）、碳币流水、订单、申诉、足迹，"
        "以及仍保存的行为记录：羊城通出行（`trips`）、微信运动步数（`steps`）、合作方推送的记录（`partner_records`）。"
        "不含 openid、session_key、完整卡号或其哈希；所有时间为北京时间（+08:00）。",
        SIGNED_IN,
    ),
    "DELETE /api/v1/me": Entry(
        "注销账户",
        "市民确认注销后调用（《个人信息保护法》第 47 条）：返回 204，本人的每个令牌随即失效，个人信息被删除；"
        "账目以匿名形式保留以保证账本平衡。早期账户（账户标识由微信标识计算得出）的保留记录会迁移到新的随机标识下；"
        "若公开日志正在追加或迁移未能在本次请求内完成，返回 503 `service_unavailable`，已完成的部分完整保留，"
        "请稍后用同一令牌再次调用以继续完成注销。",
        _errors(SIGNED_IN, {503: ["service_unavailable"]}),
    ),
    "GET /api/v1/me/consents": Entry(
        "隐私政策同意状态",
        "小程序启动时调用：当前生效的隐私政策版本、本人已同意的版本；两者不同时应弹出隐私政策请市民同意。",
        SIGNED_IN,
    ),
    "POST /api/v1/me/consents": Entry(
        "同意隐私政策",
        "市民在隐私政策弹窗中点击“同意”后调用，提交其看到的版本号。不是当前生效的版本：422 `policy_version_unknown`。",
        _errors(SIGNED_IN, {422: ["policy_version_unknown", "invalid_request"]}),
        fields={
            "policy_version": "市民看到并同意的隐私政策版本（GET /api/v1/me/consents 的 current_version）"
        },
    ),
    # PHCER
    "GET /api/v1/phcer": Entry(
        "我参与的 PHCER 批次",
        "“碳普惠核证减排量”页面调用：本人减排进入的每个 PHCER 批次、本人克数、批次出售情况与返还的碳币。",
        _errors(SIGNED_IN, BAD_INPUT),
        PAGE,
    ),
    "GET /api/v1/phcer/projects": Entry(
        "我拥有的减排项目及其读数",
        "拥有光伏、热泵等项目的市民查看项目与机构上报的读数时调用。",
        SIGNED_IN,
    ),
    # inbox and rankings
    "GET /api/v1/inbox": Entry(
        "消息中心：平台发给我的全部通知",
        "“消息”页面调用：碳币到账、兑换券即将过期或已过期、申诉结果、减排量收益返还等通知，无论是否订阅了微信订阅消息，"
        "都保留 90 天；最新的在前，分页（`limit` 默认 20、至多 100，`next_cursor` 取更早的一页），"
        "`unread` 为全部未读条数，可用于角标。",
        _errors(SIGNED_IN, BAD_INPUT),
        PAGE,
    ),
    "POST /api/v1/inbox/read": Entry(
        "标记消息为已读",
        '市民打开消息或点击“全部已读”时调用：`{"ids": [...]}` 标记指定消息，或 `{"all": true}` 标记全部，二者必须且只能给一个；'
        "不存在或不属于自己的 id 被忽略。`ids` 至多 100 个，每个 1–200 个字符；空的 `ids`、两者都给或都不给："
        "422 `invalid_request`。成功返回 204。可带 `Idempotency-Key`（见请求头说明）。",
        _errors(SIGNED_IN, BAD_INPUT),
    ),
    "GET /api/v1/rankings": Entry(
        "低碳排行榜",
        "“排行榜”页面调用：本周或本月全市减排量前 100 名（只列自愿上榜的市民的昵称与克数，同克数同名次），"
        "以及调用者本人的排名和百分位（未上榜也可见，只有本人可见）。`from` 为本期第一天（周一或本月 1 日），"
        "`to` 为今天；本人本期没有减排量时 `me.rank` 与 `me.percentile` 为 null。",
        _errors(SIGNED_IN, BAD_INPUT),
        {"period": "week 本周（周一至周日）| month 本月，默认 week"},
    ),
    "PUT /api/v1/rankings/me": Entry(
        "设置是否上榜及昵称",
        "市民在排行榜页打开或关闭“上榜”时调用：`listed: true` 以自己设置的昵称出现在榜单（平台不读取微信昵称），"
        "`false` 立即从榜单隐去。返回保存的选择 `{listed, nickname}`；不传 `nickname` 则沿用已设置的昵称。"
        "昵称不合规（长度、禁用词、长串数字）或从未设置昵称就上榜：422 `nickname_invalid`；"
        "昵称超过 64 个字符：422 `invalid_request`。可带 `Idempotency-Key`（见请求头说明）。",
        _errors(SIGNED_IN, {422: ["nickname_invalid", "invalid_request"]}),
        fields={"listed": "true：以昵称上榜；false：立即从榜单隐去"},
    ),
    # directory
    "GET /api/v1/merchants": Entry(
        "商户目录",
        "无需登录。“在哪里用碳币”页面调用：按类别、行政区分页浏览参与碳普惠的商户。"
        "行政区不是广州市的 11 个区之一：422 `invalid_request`。",
        BAD_INPUT,
        {
            "category": "retail | services | tourism，不传或为空则全部",
            "district": "广州市的区，如 天河区；不传或为空则全部",
            **PAGE,
        },
    ),
    "GET /api/v1/partners": Entry(
        "可关联的合作方",
        "无需登录。“授权管理”页面列出可关联的合作方及每个合作方上报的场景，市民据此选择生成授权码。"
        "按合作方 id 排序，与其他列表一样分页（`limit` 默认 20、至多 100，`next_cursor` 取下一页）。",
        BAD_INPUT,
        PAGE,
    ),
}
