"""The /transparency page (Simplified Chinese): the latest signed heads, the last 30 days' coins
issued by scenario as an inline SVG chart, and how to check a proof. Rendered here, whole: no
script, no request to any other host, styles from /static/transparency.css (the pages' CSP)."""

from __future__ import annotations

from html import escape

from flask import Response

PALETTE = (
    "#2e7d32",
    "#1565c0",
    "#ef6c00",
    "#6a1b9a",
    "#00838f",
    "#c62828",
    "#9e9d24",
    "#4e342e",
    "#ad1457",
    "#37474f",
)
W, H, LEFT, BOTTOM, TOP = 760, 260, 56, 40, 16


def _name(registry, scenario: str, today: str) -> str:
    m = registry.in_force(scenario, today)
    return m.name if m is not None else scenario


def chart(days: list[dict], names: dict[str, str]) -> str:
    """Stacked bars: one per day, one colour per scenario, with a legend and a y axis in coins."""
    scenarios = sorted({s for d in days for s in d["issued"]})
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(scenarios)}
    top = max([sum(d["issued"].values()) for d in days] + [1])
    plot_h, step = H - BOTTOM - TOP, (W - LEFT - 8) / max(len(days), 1)
    out = [
        f'<svg class="chart" viewBox="0 0 {W} {H + 20 * ((len(scenarios) + 3) // 4)}" role="img" '
        f'aria-label="近 {len(days)} 日按场景发放的碳币" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{H - BOTTOM}" stroke="#999"/>',
        f'<line x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - 8}" y2="{H - BOTTOM}" stroke="#999"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{LEFT - 6}" y="{H - BOTTOM}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, d in enumerate(days):
        x, y = LEFT + 2 + i * step, H - BOTTOM
        for s in scenarios:
            h = plot_h * d["issued"].get(s, 0) / top
            if h > 0:
                y -= h
                out.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
                    f'fill="{colour[s]}"><title>{escape(d["date"])} {escape(names[s])}: '
                    f"{d['issued'][s]} 碳币</title></rect>"
                )
        if i % 5 == 0 or i == len(days) - 1:
            out.append(
                f'<text x="{x:.1f}" y="{H - BOTTOM + 14}" font-size="10">{escape(d["date"][5:])}</text>'
            )
    for i, s in enumerate(scenarios):
        x, y = LEFT + (i % 4) * 175, H + 4 + (i // 4) * 20
        out.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour[s]}"/>'
            f'<text x="{x + 16}" y="{y + 11}" font-size="12">{escape(names[s])}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _beijing(timestamp: str) -> str:
    """A head's signing time on Beijing's clock, whatever offset it was signed with (older heads
    carry +00:00: they are served as signed, shown here as the same instant)."""
    from core.localday import local_iso

    return f"{local_iso(timestamp)[:19].replace('T', ' ')} 北京时间"


def _heads(heads: list[dict]) -> str:
    if not heads:
        return "<p>尚无签名树头（日志还未追加过）。</p>"
    rows = "".join(
        f'<tr><td>{escape(h["date"])}</td><td>{h["tree_size"]}</td><td class="hash">{escape(h["root_hash"])}'
        f"</td><td>{escape(_beijing(h['timestamp']))}</td></tr>"
        for h in heads
    )
    return (
        "<table><thead><tr><th>签名日</th><th>树大小（条）</th><th>根哈希（SHA-256）</th><th>签名时间</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


HOW = """<ol>
<li>在小程序“碳币明细”中选一笔账目，获取它的存在性证明（<code>GET /api/v1/coins/ledger/{账目编号}/proof</code>），保存为 proof.json。</li>
<li>下载日志公钥 <a href="/public/v1/log/key">/public/v1/log/key</a>，保存为 key.json。</li>
<li>运行独立核验程序（只用 Python 标准库与 cryptography）：<code>python verify_proof.py proof.json --key key.json</code>，
输出 <code>ok</code> 即说明：树头签名有效，这笔账目（金额、日期、方法学版本、记录摘要）确在该树中，且账户承诺
HMAC-SHA256(盐, 用户编号) 与您一致。任何一项被改动都会核验失败。</li>
<li>日后可用 <a href="/public/v1/log/heads/latest">最新树头</a> 与
<code>/public/v1/log/consistency?first=旧树大小&amp;second=新树大小</code> 核对日志只追加、从未改写。</li>
</ol>"""


def render(overview: dict, registry, today: str) -> Response:
    names = {s: _name(registry, s, today) for d in overview["days"] for s in d["issued"]}
    latest = overview["latest"]
    summary = (
        f'<p class="latest">最新树头：共 <strong>{latest["tree_size"]}</strong> 条账目，根哈希 '
        f'<span class="hash">{escape(latest["root_hash"])}</span>，签名于 {escape(latest["date"])}。</p>'
        if latest
        else '<p class="latest">日志尚未开始。</p>'
    )
    total = sum(sum(d["issued"].values()) for d in overview["days"])
    body = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>广州碳普惠 · 公开透明账本</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/transparency.css"><link rel="icon" href="data:,"></head>
<body><main>
<h1>公开透明账本</h1>
<p>每一笔碳币记账（结算发放、兑换消费、退款、注销没收、调整、反哺）都按写入顺序追加为一棵只增不改的
Merkle 树（RFC 6962）中的一个叶子，树头由平台以 Ed25519 签名公开。叶子不含个人信息：账户仅以
加盐哈希出现，注销账户后盐即删除，无人能再把叶子与个人关联。</p>
{summary}
<h2>近期签名树头</h2>
{_heads(overview["heads"])}
<h2>近 {len(overview["days"])} 日按场景发放的碳币</h2>
<p>合计 {total} 碳币；数据来自日志叶子，与平台账本当日试算平衡一致（<code>/public/v1/log/totals/日期</code>）。</p>
{chart(overview["days"], names)}
<h2>如何核验</h2>
{HOW}
</main></body></html>"""
    return Response(body, mimetype="text/html")
