"""The CloudWatch dashboard `${Prefix}-${Stage}`, in the same template as the tables and alarms
(infra/template.py). Every metric of ours on it is one the code emits (tests/unit/test_alarms.py
reads the emitting call sites); the rest are AWS's own (SQS, DynamoDB, Lambda).

The body is JSON inside an Fn::Sub: ${Stage}, ${AWS::Region} and the tables' logical ids
(${LedgerTable}: the table's name) are filled in at deploy time.
"""

from __future__ import annotations

import json

from infra import alarms, capacity
from miniprogram_api.requestlog import ROUTE_CLASSES

NS = alarms.NAMESPACE
CLASSES = (*ROUTE_CLASSES, "other", "unmatched")
DAY = 86400


def _ours(metric: str, label: str, stat: str | None = None, **dims) -> list:
    row = [NS, metric, *[x for k, v in sorted(dims.items()) for x in (k, v)], "stage", "${Stage}"]
    return row + [{"label": label, **({"stat": stat} if stat else {})}]


def _widget(
    title: str,
    metrics: list,
    stat: str = "Sum",
    period: int = 300,
    view: str = "timeSeries",
    **extra,
) -> dict:
    return {
        "type": "metric",
        "width": 12,
        "height": 6,
        "properties": {
            "title": title,
            "region": "${AWS::Region}",
            "metrics": metrics,
            "stat": stat,
            "period": period,
            "view": view,
            **extra,
        },
    }


def widgets() -> list[dict]:
    queue = [
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "QueueName",
        "${Prefix}-${Stage}-work",
    ]
    dlq = [
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "QueueName",
        "${Prefix}-${Stage}-work-dlq",
    ]
    throttles = []
    for t in capacity.PROVISIONED:
        throttles.append(
            [
                "AWS/DynamoDB",
                "WriteThrottleEvents",
                "TableName",
                "${" + alarms.table_id(t) + "}",
                {"label": f"{t} writes"},
            ]
        )
        throttles.append(
            [
                "AWS/DynamoDB",
                "ReadThrottleEvents",
                "TableName",
                "${" + alarms.table_id(t) + "}",
                {"label": f"{t} reads"},
            ]
        )
    return [
        _widget(
            "Requests by route class (请求数)",
            [_ours("Latency", c, "SampleCount", route_class=c) for c in CLASSES],
        ),
        _widget(
            "5xx by route class (服务端错误)",
            [_ours("ServerErrors", c, route_class=c) for c in CLASSES],
        ),
        _widget(
            "Latency p50 / p99, ms (延迟)",
            [
                _ours("Latency", f"{c} {p}", p, route_class=c)
                for c in ("api", "merchant", "partner")
                for p in ("p50", "p99")
            ],
        ),
        _widget(
            "Coins credited and spent per day (碳币发放与消费)",
            [_ours("CoinsCredited", "credited"), _ours("CoinsSpent", "spent")],
            period=DAY,
            view="bar",
        ),
        _widget(
            "Settlement units (结算单元)",
            [
                _ours("SettlementUnits", "done", unit_status="done"),
                _ours("SettlementUnits", "cut off (resumes)", unit_status="cut_off"),
                _ours("Errors", "failed", source="settle_shard"),
                _ours("YesterdaySettled", "yesterday settled"),
            ],
            period=3600,
        ),
        _widget(
            "Work queue and dead-letter queue (队列)",
            [queue + [{"label": "work queue"}], dlq + [{"label": "dead-letter queue"}]],
            stat="Maximum",
        ),
        _widget("DynamoDB throttles, batch tables (限流)", throttles),
        _widget(
            "Notices (通知)",
            [
                _ours("NotificationsSent", "sent"),
                _ours("NotificationsFailed", "failed"),
                _ours("NoticesUnknown", "unknown"),
            ],
        ),
        _widget(
            "Function runs failed (任务失败)",
            [_ours("Errors", s, source=s) for s in alarms.FUNCTION_RUNS],
        ),
        _widget(
            "WeChat token age, s (微信令牌)",
            [_ours("WechatTokenAge", t, app=t) for t in ("mini_program", "official_account")],
            stat="Maximum",
            period=1800,
        ),
    ]


def body() -> dict:
    placed = []
    for i, w in enumerate(widgets()):
        placed.append({**w, "x": (i % 2) * 12, "y": (i // 2) * 6})
    return {"start": "-PT24H", "periodOverride": "inherit", "widgets": placed}


def resources() -> dict:
    return {
        "Dashboard": {
            "Type": "AWS::CloudWatch::Dashboard",
            "Properties": {
                "DashboardName": {"Fn::Sub": "${Prefix}-${Stage}"},
                "DashboardBody": {
                    "Fn::Sub": json.dumps(body(), ensure_ascii=False, sort_keys=True)
                },
            },
        }
    }
