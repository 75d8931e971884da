"""The report as one self-contained HTML page: inline CSS, charts drawn as inline SVG, no script,
no font, image or style from anywhere else (Content-Security-Policy `default-src 'none'` says so
to the browser too). Labels in Simplified Chinese. Pure: a DayReport in, text out."""

from __future__ import annotations

from html import escape

from core.carbon.defaults import DEFAULTS
from infra.report_day.data import DayReport

SCENARIOS = {m.code: m.name for m in DEFAULTS}
CATEGORIES = {
    "transit": "交通出行",
    "travel": "旅游出行",
    "membership": "会员权益",
    "food": "餐饮美食",
    "daily": "生活日用",
    "other": "其他",
}
ACCOUNTS = {
    "refunds": "退还（取消、过期）",
    "forfeits": "没收（注销账户）",
    "adjustments": "人工调整",
    "feedback:phcer": "碳普惠核证减排量收益分享",
    "opening:before_double_entry": "复式记账之前的分录",
}
TEMPLATES = {
    "settlement_credit": "结算到账通知",
    "order_expiring": "订单即将过期提醒",
    "appeal_result": "申诉结果通知",
}
WIDTH, ROW_H = 960, 26

CSS = """
*{box-sizing:border-box}body{margin:0;background:#f3f6f4;color:#1f2d27;
font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;font-size:14px}
main{width:960px;margin:0 auto;padding:24px}h1{font-size:24px;margin:0 0 4px}h2{font-size:16px;margin:0 0 10px}
.sub{color:#5b6b63;margin-bottom:18px}.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:16px}
.card{background:#fff;border-radius:8px;padding:12px 14px;border-left:4px solid #2e8b57}
.card b{display:block;font-size:24px;margin-top:4px}.card.warn{border-left-color:#d9822b}.card.bad{border-left-color:#c0392b}
.row{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin-bottom:16px}
section{background:#fff;border-radius:8px;padding:14px 16px;margin-bottom:16px}
table{border-collapse:collapse;width:100%}td,th{padding:5px 8px;border-bottom:1px solid #e3e9e6;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}th{color:#5b6b63;font-weight:normal}
.ok{color:#2e8b57}.badge{display:inline-block;padding:1px 8px;border-radius:10px;background:#e3f2e9;color:#2e8b57}
b.bad{color:#c0392b}.badge.bad{background:#fbe3e0;color:#c0392b}.none{color:#8a9891}svg text{font-size:12px;fill:#1f2d27}
"""


def n(v) -> str:
    return f"{int(v):,}"


def bars(items: list[tuple[str, int]], color: str, width: int = 420) -> str:
    """A horizontal bar chart as inline SVG: one row a label, its bar and its value."""
    if not items:
        return '<p class="none">当日无数据</p>'
    label_w, value_w = 130, 70
    top = max(v for _, v in items) or 1
    rows = []
    for i, (label, v) in enumerate(items):
        y = i * ROW_H
        w = max(1, round((width - label_w - value_w) * max(v, 0) / top))
        rows.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{w}" height="{ROW_H - 10}" rx="3" fill="{color}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 17}">{n(v)}</text>'
        )
    h = len(items) * ROW_H
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" viewBox="0 0 {width} {h}" '
        f'style="max-width:100%;height:auto" role="img">{"".join(rows)}</svg>'
    )


def _card(title: str, value, cls: str = "") -> str:
    return f'<div class="card {cls}">{escape(title)}<b>{escape(str(value))}</b></div>'


def _account_name(account: str, merchants: dict[str, str]) -> str:
    kind, _, rest = account.partition(":")
    if kind == "issuance":
        return f"发放 · {SCENARIOS.get(rest, rest)}"
    if kind == "spending":
        return f"消费 · {merchants.get(rest, '商户 ' + rest)}"
    return ACCOUNTS.get(account, account)


def _books(r: DayReport) -> str:
    b = r.books
    rows = [
        f'<tr><td>citizens</td><td>市民账户合计</td><td class="n" data-account="citizens">{n(b["citizens"])}</td></tr>'
    ]
    rows += [
        f"<tr><td>{escape(a)}</td><td>{escape(_account_name(a, r.merchants))}</td>"
        f'<td class="n" data-account="{escape(a)}">{n(v)}</td></tr>'
        for a, v in b["platform"].items()
    ]
    badge = (
        '<span class="badge">借贷平衡</span>'
        if b["total"] == 0
        else '<span class="badge bad">不平衡</span>'
    )
    rows.append(
        f'<tr><th>total</th><th>合计 {badge}</th><th class="n" data-account="total">{n(b["total"])}</th></tr>'
    )
    return (
        "<section><h2>当日账本（与 <code>tanpuhui books --from {d} --to {d}</code> 一致）</h2>"
        '<table id="books"><tr><th>账户</th><th>说明</th><th class="n">碳币</th></tr>{rows}</table></section>'
    ).format(d=r.day, rows="".join(rows))


def _failed(k: int) -> str:
    return f'<b class="bad">{n(k)}</b>' if k else "0"


def _settlement(r: DayReport) -> str:
    if not r.settled:
        return '<section><h2>当日运行的结算</h2><p class="none">当日没有结算运行</p></section>'
    head = (
        "<tr><th>结算日期</th><th class='n'>单元 完成/总数</th><th class='n'>未完成</th><th class='n'>参与市民</th>"
        "<th class='n'>入账市民</th><th class='n'>碳币</th><th class='n'>减排（千克）</th>"
        "<th class='n'>隔离记录</th><th class='n'>用时（秒）</th></tr>"
    )
    rows = "".join(
        f"<tr><td>{s.date}</td><td class='n'>{s.done}/{s.units}</td>"
        f"<td class='n'>{_failed(s.failed)}</td>"
        f"<td class='n'>{n(s.users)}</td><td class='n'>{n(s.credited)}</td><td class='n'>{n(s.coins)}</td>"
        f"<td class='n'>{s.grams / 1000:,.1f}</td><td class='n'>{n(s.quarantined)}</td>"
        f"<td class='n'>{s.duration_s:,.1f}</td></tr>"
        for s in r.settled
    )
    return f'<section><h2>当日运行的结算</h2><table id="settlement">{head}{rows}</table></section>'


def _lists(r: DayReport) -> str:
    reasons = {}
    for s in r.settled:
        for reason, k in s.reasons.items():
            reasons[reason] = reasons.get(reason, 0) + k
    q = "".join(
        f"<tr><td>{escape(k)}</td><td class='n'>{n(v)}</td></tr>"
        for k, v in sorted(reasons.items())
    )
    f = "".join(
        f"<tr><td>{escape(TEMPLATES.get(k.split()[0], k.split()[0]))}（错误码 {escape(k.split()[1])}）</td>"
        f"<td class='n'>{n(v)}</td></tr>"
        for k, v in sorted(r.failed_notices.items())
    )
    return (
        '<div class="row"><section><h2>隔离记录（按原因）</h2>'
        + (f"<table>{q}</table>" if q else '<p class="none">无</p>')
        + "</section><section><h2>发送失败的通知</h2>"
        + (f"<table>{f}</table>" if f else '<p class="none">无</p>')
        + "</section></div>"
    )


def render(r: DayReport, generated_at: str) -> str:
    issued = sorted(
        ((SCENARIOS.get(k, k), v) for k, v in r.issued_by_scenario().items()), key=lambda kv: -kv[1]
    )
    spent = [(CATEGORIES.get(k, k), v) for k, v in r.spent_by_category.items()]
    units = sum(s.units for s in r.settled)
    done = sum(s.done for s in r.settled)
    quarantined = sum(s.quarantined for s in r.settled)
    failed_notices = sum(r.failed_notices.values())
    cards = "".join(
        [
            _card("发放碳币", n(r.issued())),
            _card("消费碳币", n(r.spent())),
            _card("退还碳币", n(-r.account("refunds"))),
            _card("没收碳币", n(r.account("forfeits"))),
            _card("活跃市民（有碳币变动）", n(r.active_citizens)),
            _card("结算单元 完成/总数", f"{done}/{units}", "" if done == units else "bad"),
            _card("隔离记录", n(quarantined), "warn" if quarantined else ""),
            _card("发送失败的通知", n(failed_notices), "warn" if failed_notices else ""),
        ]
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>碳普惠每日报告 {r.day}</title><style>{CSS}</style></head>
<body><main>
<h1>广州市碳普惠 · 每日运营报告</h1>
<div class="sub">记账日 {r.day}（北京时间） · 碳币变动 {n(r.movements)} 笔 · 生成于 {escape(generated_at[:19].replace("T", " "))}</div>
<div class="cards">{cards}</div>
<div class="row"><section><h2>按场景发放的碳币</h2>{bars(issued, "#2e8b57")}</section>
<section><h2>按品类消费的碳币</h2>{bars(spent, "#3b7dd8")}</section></div>
{_settlement(r)}
{_books(r)}
{_lists(r)}
</main></body></html>
"""


def height(r: DayReport) -> int:
    """The page's height in pixels at WIDTH (for the PNG's window): the layout's rows are fixed."""
    charts = max(len(r.issued_by_scenario()), len(r.spent_by_category), 1) * ROW_H
    lists = max(sum(len(s.reasons) for s in r.settled), len(r.failed_notices), 1) * 32
    return (
        300
        + charts
        + 80
        + 90
        + max(len(r.settled), 1) * 32
        + 110
        + (len(r.books["platform"]) + 2) * 32
        + lists
        + 80
    )
