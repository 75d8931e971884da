"""Alarms that page ops: the one source of the template's CloudWatch alarms (infra/template.py)
and of the names the README's runbook has a section for (tests/unit/test_alarms.py checks both,
and that every metric of ours an alarm watches is emitted somewhere in the code).

Every alarm sends to one SNS topic, whose email subscription is the template's OpsEmail
parameter (the subscriber confirms it once). Names are `${Prefix}-${Stage}-<name>`; `runbook`
is the README section that says what to do (alarms of one family share it).

Times: the nightly settlement starts at 02:00 Asia/Shanghai (infra/capacity.py). The
settle-date-missing alarm counts `YesterdaySettled` (written once a run finds every unit of
yesterday done) over one day aligned to the wall clock, not a sliding window: a 1-day
WallClockWindow in time zone +04:00 runs from midnight there to midnight, i.e. 04:00 to 04:00
Asia/Shanghai (UTC+8), and is evaluated when it completes, at 04:00. No datapoint in that day
is missing data treated as breaching: the alarm fires at 04:00 unless yesterday was settled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.carbon.settlement_runs import RESERVE_MS
from functions.refresh_wechat_token import LIFETIME_S
from infra import capacity, lambdas

NAMESPACE = "Tanpuhui"  # core.metrics.NAMESPACE
TOPIC = "AlarmTopic"
SETTLED_BY_LOCAL_H = 4  # yesterday settled by 04:00 Asia/Shanghai
# Function runs whose failure pages: the `run_summary` events of the deployed functions (each
# failure is one `Errors` metric with source=<event>); the CLI-only day_index_backfill is not paged.
FUNCTION_RUNS = (
    "settle_shard",
    "ingest_trips",
    "ingest_range",
    "send_notices",
    "expire_orders",
    "cancel_unpaid",
    "refresh_wechat_token",
    "log_append",
)
NEAR_TIMEOUT = 0.8  # of the API's timeout
# The worker's settlement units checkpoint and stop on purpose with RESERVE_MS left (a long night
# runs into that every time): near its timeout is half that margin left.
WORKER_MARGIN_S = RESERVE_MS / 2000


@dataclass(frozen=True)
class Alarm:
    name: str
    runbook: str  # README heading under "Runbook" (`### <runbook>`)
    description: str
    props: dict = field(default_factory=dict)  # metric or metric math, threshold, periods


def ours(metric: str, stat: str, period: int, **dims) -> dict:
    """A MetricStat of one of our EMF metrics (core.metrics: dimension stage plus `dims`)."""
    dimensions = [
        {"Name": k, "Value": v} for k, v in sorted({**dims, "stage": {"Ref": "Stage"}}.items())
    ]
    return {
        "Metric": {"Namespace": NAMESPACE, "MetricName": metric, "Dimensions": dimensions},
        "Period": period,
        "Stat": stat,
    }


def aws(namespace: str, metric: str, stat: str, period: int, **dims) -> dict:
    return {
        "Metric": {
            "Namespace": namespace,
            "MetricName": metric,
            "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
        },
        "Period": period,
        "Stat": stat,
    }


def _single(
    stat: dict, op: str, threshold: float, missing: str = "notBreaching", periods: int = 1
) -> dict:
    m = stat["Metric"]
    return {
        "Namespace": m["Namespace"],
        "MetricName": m["MetricName"],
        "Dimensions": m["Dimensions"],
        "Statistic": stat["Stat"],
        "Period": stat["Period"],
        "EvaluationPeriods": periods,
        "DatapointsToAlarm": periods,
        "ComparisonOperator": op,
        "Threshold": threshold,
        "TreatMissingData": missing,
    }


def _math(expression: str, label: str, stats: dict[str, dict], threshold: float = 0) -> dict:
    queries = [{"Id": i, "MetricStat": s, "ReturnData": False} for i, s in stats.items()]
    queries.append({"Id": "total", "Expression": expression, "Label": label, "ReturnData": True})
    return {
        "Metrics": queries,
        "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1,
        "ComparisonOperator": "GreaterThanThreshold",
        "Threshold": threshold,
        "TreatMissingData": "notBreaching",
    }


def table_id(short_name: str) -> str:
    """The template's logical id of a table (infra/template.py names them so): ledger -> LedgerTable."""
    return "".join(p.capitalize() for p in short_name.split("_")) + "Table"


def _fn(role: str) -> lambdas.Function:
    return next(f for f in lambdas.functions() if f.role == role)


def _throttle_alarms() -> list[Alarm]:
    out = []
    for table in capacity.PROVISIONED:
        hours = sorted({r.window.start_utc[0] for r in capacity.raises_of(table).values()})
        inside = " OR ".join(f"HOUR(t) == {h}" for h in hours)
        ref = {"Ref": table_id(table)}
        stats = {
            "r": aws("AWS/DynamoDB", "ReadThrottleEvents", "Sum", 300, TableName=ref),
            "w": aws("AWS/DynamoDB", "WriteThrottleEvents", "Sum", 300, TableName=ref),
        }
        props = _math(f"IF({inside}, 0, t)", f"{table} throttled outside its batch window", stats)
        props["Metrics"].insert(
            2, {"Id": "t", "Expression": "FILL(r, 0) + FILL(w, 0)", "ReturnData": False}
        )
        windows = ", ".join(
            sorted(
                {
                    f"{w.local(w.start_utc)}-{w.local(w.end_utc())}"
                    for w in (r.window for r in capacity.raises_of(table).values())
                }
            )
        )
        out.append(
            Alarm(
                f"throttled-{table.replace('_', '-')}",
                "throttled-<table>",
                f"DynamoDB throttled {table} outside its batch window ({windows} Asia/Shanghai)",
                props,
            )
        )
    return out


def alarms() -> tuple[Alarm, ...]:
    api, worker = _fn("api"), _fn("worker")
    failures = {f"e{i}": ours("Errors", "Sum", 300, source=s) for i, s in enumerate(FUNCTION_RUNS)}
    failures["lworker"] = aws(
        "AWS/Lambda", "Errors", "Sum", 300, FunctionName={"Fn::Sub": worker.name}
    )
    zone = (
        capacity.SHANGHAI_UTC_OFFSET_H - SETTLED_BY_LOCAL_H
    )  # UTC+4: its midnight is 04:00 in Shanghai
    settled = _single(
        ours("YesterdaySettled", "Sum", 86400), "LessThanThreshold", 1, missing="breaching"
    )
    settled["EvaluationWindow"] = {"WallClockWindow": {"Timezone": f"+{zone:02d}:00"}}
    out = [
        Alarm(
            "work-dlq-not-empty",
            "work-dlq-not-empty",
            "A work unit failed every receive and sits in the dead-letter queue",
            _single(
                aws(
                    "AWS/SQS",
                    "ApproximateNumberOfMessagesVisible",
                    "Maximum",
                    300,
                    QueueName={"Fn::GetAtt": ["WorkDeadLetterQueue", "QueueName"]},
                ),
                "GreaterThanThreshold",
                0,
            ),
        ),
        Alarm(
            "api-5xx",
            "api-5xx",
            "The API answered 5xx (Errors, source=api)",
            _single(ours("Errors", "Sum", 300, source="api"), "GreaterThanThreshold", 0),
        ),
        Alarm(
            "function-failed",
            "function-failed",
            "A scheduled, S3 or queue function run failed (Errors by run, "
            "or the worker Lambda's own Errors: a crash or timeout before its summary line)",
            _math("SUM(METRICS())", "failed runs", failures),
        ),
        Alarm(
            "settle-date-missing",
            "settle-date-missing",
            f"Yesterday was not settled (every unit done) by {SETTLED_BY_LOCAL_H:02d}:00 Asia/Shanghai",
            settled,
        ),
        Alarm(
            "notices-unknown",
            "notices-unknown",
            "A notice's outcome is unknown: ops decide whether to resend",
            _single(ours("NoticesUnknown", "Sum", 300), "GreaterThanThreshold", 0),
        ),
    ]
    for token in ("mini_program", "official_account"):
        # The refresher runs every 30 minutes: an hour with no age reported is a stopped refresher.
        out.append(
            Alarm(
                f"wechat-token-stale-{token.replace('_', '-')}",
                "wechat-token-stale-<token>",
                f"The {token} access token is older than its {LIFETIME_S} s lifetime, or no refresh reported it",
                _single(
                    ours("WechatTokenAge", "Maximum", 3600, app=token),
                    "GreaterThanThreshold",
                    LIFETIME_S,
                    missing="breaching",
                ),
            )
        )
    for fn, limit_s in (
        (api, api.timeout_s * NEAR_TIMEOUT),
        (worker, worker.timeout_s - WORKER_MARGIN_S),
    ):
        out.append(
            Alarm(
                f"near-timeout-{fn.role}",
                "near-timeout-<function>",
                f"{fn.role} Lambda ran over {limit_s:.0f} s of its {fn.timeout_s} s timeout",
                _single(
                    aws(
                        "AWS/Lambda", "Duration", "Maximum", 300, FunctionName={"Fn::Sub": fn.name}
                    ),
                    "GreaterThanThreshold",
                    limit_s * 1000,
                ),
            )
        )
    return tuple(out + _throttle_alarms())


def resources() -> dict:
    """The topic, its subscription and every alarm, for the template."""
    out = {
        TOPIC: {
            "Type": "AWS::SNS::Topic",
            "Properties": {
                "TopicName": {"Fn::Sub": "${Prefix}-${Stage}-alarms"},
                "Subscription": [{"Protocol": "email", "Endpoint": {"Ref": "OpsEmail"}}],
            },
        }
    }
    for a in alarms():
        logical = "Alarm" + "".join(p.capitalize() for p in a.name.split("-"))
        props = {
            "AlarmName": {"Fn::Sub": "${Prefix}-${Stage}-" + a.name},
            "AlarmDescription": f"{a.description}. Runbook: README, {a.runbook}",
            "AlarmActions": [{"Ref": TOPIC}],
            "OKActions": [{"Ref": TOPIC}],
            **a.props,
        }
        out[logical] = {"Type": "AWS::CloudWatch::Alarm", "Properties": props}
    return out
