"""The /methodologies page (Simplified Chinese): what a city publishes as 公示: every scenario this
deployment lists, whether it credits it today and why not, its formula, parameters, sources,
evidence and version history; then the shared parameters. Rendered here, whole: no script, no
request to any other host, styles from /static/methodologies.css (the pages' CSP)."""

from __future__ import annotations

from html import escape

from flask import Response

from core.carbon.listing_text import EVIDENCE_ZH


def _evidence(level: str) -> str:
    return f'<span class="ev ev-{escape(level)}">{escape(EVIDENCE_ZH.get(level, level))}</span>'


def _parameters(params: list[dict]) -> str:
    if not params:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['value'])} {escape(p['unit'])}</td>"
        f"<td>{_evidence(p['evidence'])}</td><td>{escape(p['source'])}</td></tr>"
        for p in params
    )
    return (
        '<table class="params"><thead><tr><th>参数</th><th>数值</th><th>证据等级</th><th>来源</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _versions(versions: list[dict], unit: str, today: str) -> str:
    rows = []
    for v in versions:
        when = "（尚未生效）" if v["effective_from"] > today else ""
        note = f'<div class="note">更正说明：{escape(v["note"])}</div>' if v.get("note") else ""
        rows.append(
            f"<tr><td>{escape(v['version'])}</td><td>{escape(v['effective_from'])}{when}</td>"
            f"<td>{escape(v['grams_per_unit'])} 克/{escape(unit)}</td><td>{_evidence(v['evidence'])}</td>"
            f"<td>{escape(v['source'])}{note}</td></tr>"
        )
    return (
        '<table class="versions"><thead><tr><th>版本</th><th>生效日期</th><th>系数</th><th>证据等级</th>'
        f"<th>来源</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _scenario(s: dict, today: str) -> str:
    status = (
        '<p class="status credits">本平台现计入该场景的减排量。</p>'
        if s["credits"]
        else f'<p class="status no-credit">本平台现不计入该场景：{escape(s["not_credited_reason"])}</p>'
    )
    return (
        f'<section class="scenario" id="s-{escape(s["code"])}" data-code="{escape(s["code"])}">'
        f"<h3>{escape(s['name'])} <code>{escape(s['code'])}</code></h3>{status}"
        f'<p class="formula">公式：{escape(s["formula"])}</p>'
        f"<p>现行版本 {escape(s['version'])}（{escape(s['effective_from'])} 起）；证据等级：{_evidence(s['evidence'])}"
        f"；来源：{escape(s['source'])}</p>{_parameters(s['parameters'])}"
        f"<details open><summary>版本沿革</summary>{_versions(s['versions'], s['unit'], today)}</details></section>"
    )


def _parameter(p: dict, today: str) -> str:
    rows = "".join(
        f"<tr><td>{escape(v['version'])}</td><td>{escape(v['effective_from'])}"
        f"{'（尚未生效）' if v['effective_from'] > today else ''}</td><td>{escape(v['value'])} "
        f"{escape(v['unit'])}</td><td>{_evidence(v['evidence'])}</td><td>{escape(v['source'])}</td></tr>"
        for v in p["versions"]
    )
    return (
        f'<section class="parameter" id="p-{escape(p["name"])}"><h3>{escape(p["title"])} <code>{escape(p["name"])}'
        f"</code></h3><p>使用该参数的方法学：{escape('、'.join(p['used_by']))}</p><table><thead><tr><th>版本</th>"
        f"<th>生效日期</th><th>数值</th><th>证据等级</th><th>来源</th></tr></thead><tbody>{rows}</tbody></table>"
        "</section>"
    )


# One string: a line break inside Chinese text would render as a space.
INTRO = (
    "每一项低碳行为按其当日生效的方法学版本折算为二氧化碳减排量（克），再按碳币规则发放碳币。每个版本写明数值、来源与"
    "证据等级；新版本只能自发布次日之后的日期起生效，已结算的日期不会改算。多个方法学共用的数值（如电网排放因子）是带"
    "版本的共享参数，发布新版本后，所有引用它的方法学自该日期起一并更新。证据等级为“无（暂定值）”的版本，在正式部署中"
    "不计入减排量。"
)


def render(
    behaviours: list[dict], projects: list[dict], parameters: list[dict], today: str, stage: str
) -> Response:
    credited = sum(s["credits"] for s in behaviours)
    body = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>广州碳普惠 · 方法学公示</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/methodologies.css"><link rel="icon" href="data:,"></head>
<body><main>
<h1>碳普惠方法学公示</h1>
<p>{INTRO}</p>
<p class="summary">截至 {escape(today)}（部署：{escape(stage)}），共公示 {len(behaviours)} 个市民低碳场景，其中 {credited} 个现计入、\
{len(behaviours) - credited} 个暂不计入；另有 {len(projects)} 个机构项目方法学与 {len(parameters)} 个共享参数。</p>
<h2>市民低碳场景</h2>
{"".join(_scenario(s, today) for s in behaviours)}
<h2>机构项目方法学（碳普惠核证减排量）</h2>
{"".join(_scenario(s, today) for s in projects)}
<h2>共享参数</h2>
{"".join(_parameter(p, today) for p in parameters)}
</main></body></html>"""
    return Response(body, mimetype="text/html")
