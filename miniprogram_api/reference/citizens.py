"""The mini-program's operations (/api/v1, a citizen's bearer token unless said otherwise): the
account, cards, earning and the mall; the rest in citizens_more.py."""

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
}
