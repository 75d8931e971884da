"""The mini-program's operations (/api/v1, a citizen's bearer token unless said otherwise)."""

from miniprogram_api.reference.entry import Entry

SIGNED_IN = {401: ["unauthorized"]}
BAD_INPUT = {422: ["invalid_request"]}
PAGE = {
    "limit": "每页条数，1-100，默认 20",
    "cursor": "上一页响应中的 next_cursor；不传则从第一页开始",
}


def _errors(*parts: dict) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for part in parts:
        for status, codes in part.items():
            out.setdefault(status, []).extend(c for c in codes if c not in out.get(status, []))
    return out


OPERATIONS = {
    # auth
    "POST /api/v1/auth/login": Entry(
        "微信登录，换取访问令牌",
        "小程序启动或令牌失效（任何接口返回 401）时调用：先 `wx.login()` 取得 code，再把 code 提交到这里，"
        "换得 `token`（Bearer 令牌，`expires_in` 秒后失效，默认 7 天）和用户信息。之后每个请求带 "
        "`Authorization: Bearer <token>`。首次登录会创建账户（`is_new: true`）。code 只能用一次。",
        {401: ["wechat_code_invalid"], 422: ["invalid_request"], 429: ["rate_limited"]},
    ),
    "POST /api/v1/auth/logout_all": Entry(
        "在所有设备上退出登录",
        "市民怀疑令牌泄露或在“设置”中选择退出所有设备时调用：此前签发给本人的每个令牌立即失效（之后返回 401），"
        "重新登录得到的新令牌可用。",
        SIGNED_IN,
    ),
    "GET /api/v1/me": Entry(
        "当前市民的资料",
        "进入“我的”页面时调用：返回用户 id、注册时间、是否已绑定手机号（脱敏）和绑定的羊城通卡数。",
        SIGNED_IN,
    ),
    "POST /api/v1/me/phone": Entry(
        "绑定手机号",
        '市民点击 `<button open-type="getPhoneNumber">` 并同意后，把回调中的 code 提交到这里。'
        "微信拒绝该 code 时返回 422 `phone_code_invalid`（市民仍保持登录，请重新授权）；"
        "手机号已绑定其他账户返回 409 `phone_taken`。",
        _errors(SIGNED_IN, {409: ["phone_taken"], 422: ["phone_code_invalid", "invalid_request"]}),
    ),
    # cards
    "GET /api/v1/cards": Entry(
        "我绑定的羊城通卡",
        "“我的卡”页面调用：列出已绑定的卡（卡号脱敏）与绑定时间。公交、地铁出行按这些卡的乘车记录计算减排量。",
        SIGNED_IN,
    ),
    "POST /api/v1/cards": Entry(
        "绑定羊城通卡",
        "市民输入卡面 10 位卡号后调用。卡号经羊城通核验；无效卡号 422 `card_invalid`，"
        "已被他人绑定 409 `card_taken`，超出每人可绑数量 409 `card_limit`。",
        _errors(
            SIGNED_IN, {409: ["card_taken", "card_limit"], 422: ["card_invalid", "invalid_request"]}
        ),
    ),
    "DELETE /api/v1/cards/{card_id}": Entry(
        "解绑羊城通卡",
        "市民在“我的卡”中解绑一张卡时调用；解绑后该卡之后的乘车不再计入。卡不存在或不属于本人：404 `not_found`。",
        _errors(SIGNED_IN, {404: ["not_found"]}),
        {"card_id": "GET /api/v1/cards 返回的卡 id"},
    ),
    # coins and reductions
    "GET /api/v1/coins": Entry(
        "我的碳币余额",
        "首页与商城页显示余额时调用：返回当前余额、累计获得与累计使用的碳币。",
        SIGNED_IN,
    ),
    "GET /api/v1/coins/ledger": Entry(
        "碳币明细（分页）",
        "“碳币明细”页面调用，按时间倒序分页列出每一笔收入与支出；翻页时把 `next_cursor` 作为 cursor 传回。",
        _errors(SIGNED_IN, BAD_INPUT),
        PAGE,
    ),
    "GET /api/v1/reductions": Entry(
        "按日的减排量",
        "减排日历、图表调用：返回 from 至 to（含，最长 366 天）每天各场景的减排克数。",
        _errors(SIGNED_IN, BAD_INPUT),
        {"from": "开始日期 YYYY-MM-DD（含）", "to": "结束日期 YYYY-MM-DD（含）"},
    ),
    "GET /api/v1/reductions/{day}/records": Entry(
        "某一天的减排记录",
        "点开日历中的某一天时调用：列出这一天计入的每条行为记录（场景、数量、克数、来源），以便市民核对。",
        _errors(SIGNED_IN, BAD_INPUT),
        {"day": "日期 YYYY-MM-DD（亚洲/上海时区）"},
    ),
    "GET /api/v1/coins/ledger/{entry_id}/proof": Entry(
        "我的账目存在性证明",
        "市民想核验某笔碳币已写入公开透明日志时调用：返回该笔账目的叶子、审计路径与签名树头，"
        "可在任何语言中按 RFC 6962 复算。尚未进入日志：404 `not_logged_yet`（日志每 10 分钟追加一次，稍后再试）；"
        "日志与账目不一致：409 `log_mismatch`。",
        _errors(SIGNED_IN, {404: ["not_found", "not_logged_yet"], 409: ["log_mismatch"]}),
        {"entry_id": "碳币明细中的账目 id"},
    ),
    # steps and scenarios
    "POST /api/v1/steps": Entry(
        "上传微信运动步数",
        "小程序用 `wx.getWeRunData()` 取得加密数据后调用，把 `encryptedData` 与 `iv` 原样提交；"
        "服务端用登录时的会话密钥解密并记入步行减排。数据无法解密（会话已变更等）：422 `werun_data_invalid`，"
        "请重新 `wx.login` 登录后再上传。",
        _errors(SIGNED_IN, {422: ["werun_data_invalid", "invalid_request"]}),
        fields={
            "encrypted_data": "wx.getWeRunData 返回的 encryptedData，原样提交",
            "iv": "wx.getWeRunData 返回的 iv",
        },
    ),
    "GET /api/v1/scenarios": Entry(
        "低碳场景与方法学",
        "无需登录。展示“如何计算”页面时调用：列出本平台的每个低碳场景、是否正在计入及原因、计算公式、参数和版本历史。",
        {},
    ),
    # notifications
    "GET /api/v1/me/subscriptions": Entry(
        "订阅消息授权状态",
        "决定是否再次调用 `wx.requestSubscribeMessage` 时调用：返回每个模板本人接受后还可发送的消息条数。",
        SIGNED_IN,
    ),
    "POST /api/v1/me/subscriptions": Entry(
        "上报订阅消息授权结果",
        "`wx.requestSubscribeMessage` 的 success 回调中调用，把每个模板的用户选择（accept / reject / ban）原样上报；"
        "每个 accept 允许服务端发送一条该模板消息。",
        _errors(SIGNED_IN, BAD_INPUT),
    ),
    # mall
    "GET /api/v1/products": Entry(
        "商城商品列表",
        "无需登录。商城首页调用：按类别分页列出在售商品（碳币价格、现金价格、库存与每人限购）。",
        BAD_INPUT,
        {"category": "商品类别，不传则全部", **PAGE},
    ),
    "GET /api/v1/products/{product_id}": Entry(
        "商品详情",
        "无需登录。进入商品详情页时调用。商品不存在：404 `not_found`。",
        {404: ["not_found"]},
        {"product_id": "商品 id"},
    ),
    "POST /api/v1/orders": Entry(
        "下单兑换商品",
        "市民在商品页点击“兑换”时调用。请带 `Idempotency-Key` 请求头（1-64 个字符，每次点击一个新值）：网络重试时用同一个值，"
        "不会重复扣碳币或重复下单（重放返回第一次的订单）。纯碳币商品返回 201 与已出券（`issued`）的订单；"
        "需要现金的商品返回 `pending_payment` 订单及 `payment`，把它原样传给 `wx.requestPayment` 完成支付。"
        "激活码商品的下单应答（及重放）不含激活码（`activation_code` 为 null），只有本人查看已支付订单的详情"
        "（GET /api/v1/orders/{order_id}）才显示；查看前可取消。"
        "碳币不足 409 `insufficient_coins`，库存不足 409 `out_of_stock`，已下架 409 `product_off_sale`，"
        "超出限购 409 `limit_reached`；同一个幂等键用于不同请求 409 `idempotency_key_reused`。",
        _errors(
            SIGNED_IN,
            {
                400: ["invalid_request"],
                404: ["not_found"],
                409: [
                    "insufficient_coins",
                    "out_of_stock",
                    "product_off_sale",
                    "limit_reached",
                    "idempotency_key_reused",
                    "conflict",
                ],
                422: ["invalid_request"],
            },
        ),
        headers={"Idempotency-Key": "1-64 个字符；每次下单一个新值，重试同一次下单时用同一个值"},
        fields={
            "product_id": "商品 id（GET /api/v1/products 返回）",
            "quantity": "数量，1-10，默认 1",
        },
    ),
    "GET /api/v1/orders": Entry(
        "我的订单（分页）",
        "“我的订单”页面调用，按下单时间倒序分页，可按状态筛选。",
        _errors(SIGNED_IN, BAD_INPUT),
        {"status": "pending_payment | issued | redeemed | cancelled | expired，不传则全部", **PAGE},
    ),
    "GET /api/v1/orders/{order_id}": Entry(
        "订单详情（含核销码）",
        "订单详情页调用；已出券订单带核销码，供商户扫码核销。激活码商品：只对本人、只在订单已支付后显示 `activation_code`，"
        "首次显示即视为已交付（订单变为 `redeemed`，`code_shown` 为 true），此后不可取消退款；待支付订单不含任何码。"
        "订单列表从不显示激活码。订单不存在或不属于本人：404 `not_found`。",
        _errors(SIGNED_IN, {404: ["not_found"]}),
        {"order_id": "下单或订单列表返回的订单 id"},
    ),
    "POST /api/v1/orders/{order_id}/cancel": Entry(
        "取消订单",
        "市民取消未核销的订单时调用：退回碳币（已付现金原路退款），恢复库存；激活码订单在查看激活码前可取消，激活码退回码池。"
        "已核销、已过期或已查看激活码的订单不可取消：409 `order_not_cancellable`。",
        _errors(SIGNED_IN, {404: ["not_found"], 409: ["order_not_cancellable", "conflict"]}),
        {"order_id": "要取消的订单 id"},
    ),
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
