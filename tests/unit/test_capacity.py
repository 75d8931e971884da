"""infra/capacity.py is the one source of the batch's DynamoDB capacity: the template's scaling,
the worker queue's pacing (zappa_settings.json) and the city model's provisioned cost all read it."""

import dataclasses
import json
import os

import pytest

import models
from bench import city_capacity, city_model
from infra import capacity, template, worker_mapping

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
WORKERS = ("dev_worker", "prod_worker")


def _zappa():
    with open(os.path.join(ROOT, "zappa_settings.json")) as f:
        return json.load(f)


def _utc_cron(local: str) -> str:
    """An Asia/Shanghai wall-clock time (UTC+8, no daylight saving) as a daily UTC cron."""
    h, m = (int(x) for x in local.split(":"))
    return f"cron({m} {(h - 8) % 24} * * ? *)"


def _tables(t):
    return {k: v for k, v in t["Resources"].items() if v["Type"] == "AWS::DynamoDB::Table"}


def _scaling_of(t, table_id):
    return {k: v for k, v in t["Resources"].items() if k.startswith(table_id) and k != table_id}


def test_windows__asia_shanghai_batch_hours_in_utc():
    s, i = capacity.SETTLE, capacity.INGEST
    assert (s.cron(s.start_utc), s.cron(s.end_utc())) == (_utc_cron("02:00"), _utc_cron("02:59"))
    assert (i.cron(i.start_utc), i.cron(i.end_utc())) == (_utc_cron("01:00"), _utc_cron("01:59"))
    assert capacity.SETTLE_CRON == _utc_cron(
        "02:00"
    )  # DESIGN.md: settlement at 02:00 Asia/Shanghai
    assert city_capacity.settle_minutes() == 59  # from settle_daily's start to the lowering
    # Each window is one clock hour: billed the same whether hours are billed whole or pro rata.
    assert (city_capacity.clock_hours(s), city_capacity.clock_hours(i)) == (1, 1)


def test_windows__deployed_ingestion_is_paced_to_the_capacity():
    from core import settings

    assert settings._stage_defaults("prod")["ingest_rows_per_second"] == capacity.INGEST_UNIT_RATE
    assert settings._stage_defaults("dev")["ingest_rows_per_second"] == capacity.INGEST_UNIT_RATE
    assert settings.Settings().ingest_rows_per_second == 0  # local and tests: unpaced


def test_windows__settle_cron_is_zappas():
    for stage in WORKERS:
        crons = [
            e["expression"]
            for e in _zappa()[stage]["events"]
            if e["function"] == "functions.settle_daily.handler"
        ]
        assert crons == [capacity.SETTLE_CRON]


def test_template__batch_tables_provisioned_with_the_modules_scaling():
    t = template.generate()
    by_name = {m.Meta.short_name: template._logical_id(m) for m in models.REGISTRY}
    assert set(capacity.PROVISIONED) <= set(by_name)
    assert {
        "ledger",
        "accounts",
        "settled_days",
        "platform_book_slots",
        "footprints",
        "outbox",
        "behaviours",
        "source_claims",
        "card_history",
    } <= set(capacity.PROVISIONED)
    for name in capacity.PROVISIONED:
        tid = by_name[name]
        props = t["Resources"][tid]["Properties"]
        assert props["BillingMode"] == "PROVISIONED"
        assert props["ProvisionedThroughput"] == {
            "ReadCapacityUnits": capacity.FLOOR,
            "WriteCapacityUnits": capacity.FLOOR,
        }
        scaling = _scaling_of(t, tid)
        raised = capacity.raises_of(name)
        for dim, units_name, metric in (
            ("write", "WriteCapacityUnits", "DynamoDBWriteCapacityUtilization"),
            ("read", "ReadCapacityUnits", "DynamoDBReadCapacityUtilization"),
        ):
            target = scaling[f"{tid}{units_name}Target"]["Properties"]
            assert target["ScalableDimension"] == f"dynamodb:table:{units_name}"
            assert target["ResourceId"] == {"Fn::Sub": "table/${" + tid + "}"}
            assert (target["MinCapacity"], target["MaxCapacity"]) == (
                capacity.FLOOR,
                capacity.DAY_MAX,
            )
            assert "RoleARN" not in target  # the service-linked role
            policy = scaling[f"{tid}{units_name}Policy"]["Properties"]
            assert policy["ScalingTargetId"] == {"Ref": f"{tid}{units_name}Target"}
            tracking = policy["TargetTrackingScalingPolicyConfiguration"]
            assert tracking["TargetValue"] == 70.0
            assert tracking["PredefinedMetricSpecification"]["PredefinedMetricType"] == metric
            actions = target.get("ScheduledActions", [])
            if dim not in raised:
                assert actions == []
                continue
            r = raised[dim]
            assert [(a["Schedule"], a["ScalableTargetAction"]) for a in actions] == [
                (
                    r.window.cron(r.window.start_utc),
                    {"MinCapacity": r.units, "MaxCapacity": r.units},
                ),
                (
                    r.window.cron(r.window.end_utc()),
                    {"MinCapacity": capacity.FLOOR, "MaxCapacity": capacity.DAY_MAX},
                ),
            ]


def test_template__the_ledger_raised_for_settlement_in_utc():
    t = template.generate()
    actions = t["Resources"]["LedgerTableWriteCapacityUnitsTarget"]["Properties"][
        "ScheduledActions"
    ]
    assert [a["Schedule"] for a in actions] == [_utc_cron("02:00"), _utc_cron("02:59")]
    units = (
        -(-capacity.UNITS_AT_ONCE * capacity.SETTLE_UNIT_RATE * 3 // 100) * 100
    )  # entry 2 + index 1, up to 100s
    assert actions[0]["ScalableTargetAction"] == {"MinCapacity": units, "MaxCapacity": units}


def test_template__every_other_table_on_demand_without_scaling():
    t = template.generate()
    scaled = {
        v["Properties"]["ResourceId"]["Fn::Sub"]
        for v in t["Resources"].values()
        if v["Type"] == "AWS::ApplicationAutoScaling::ScalableTarget"
    }
    on_demand = [m for m in models.REGISTRY if m.Meta.short_name not in capacity.PROVISIONED]
    assert on_demand
    for m in on_demand:
        props = t["Resources"][template._logical_id(m)]["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST" and "ProvisionedThroughput" not in props
        assert "table/${" + template._logical_id(m) + "}" not in scaled


def test_zappa__worker_queue_paced_by_the_module():
    settings = _zappa()
    for stage in WORKERS:
        source = worker_mapping.queue_source(settings[stage])
        assert source["maximum_concurrency"] == capacity.UNITS_AT_ONCE
        assert settings[stage]["callbacks"] == {
            "zip": "infra.package.compile_bytecode",
            "post": "infra.worker_mapping.apply",
        }
    assert (
        settings["prod_worker"]["concurrency"] >= capacity.UNITS_AT_ONCE
    )  # reserved concurrency is not lower
    assert (
        "post" not in settings["dev"]["callbacks"]
        and worker_mapping.queue_source(settings["dev"]) is None
    )


class FakeLambda:
    def __init__(self, mappings):
        self.mappings, self.updates = mappings, []

    def list_event_source_mappings(self, FunctionName, EventSourceArn):
        return {
            "EventSourceMappings": [
                m for m in self.mappings if m["fn"] == FunctionName and m["arn"] == EventSourceArn
            ]
        }

    def update_event_source_mapping(self, **kwargs):
        self.updates.append(kwargs)


def test_worker_mapping__sets_maximum_concurrency_on_the_queues_mapping():
    source = worker_mapping.queue_source(_zappa()["prod_worker"])
    lam = FakeLambda(
        [
            {"fn": "tanpuhui-prod-worker", "arn": "arn:other", "UUID": "u0"},
            {"fn": "tanpuhui-prod-worker", "arn": source["arn"], "UUID": "u1"},
        ]
    )
    assert worker_mapping.apply_to(lam, "tanpuhui-prod-worker", source) == "u1"
    assert lam.updates == [
        {"UUID": "u1", "ScalingConfig": {"MaximumConcurrency": capacity.UNITS_AT_ONCE}}
    ]
    with pytest.raises(SystemExit):
        worker_mapping.apply_to(FakeLambda([]), "tanpuhui-prod-worker", source)


# What bench/city.py measured (bench/RESULTS.md, City day).
MEASURED = {
    "sizes": {"ledger": 620, "account": 173, "settled_day": 122, "platform_book": 85},
    "calls": {"BatchGetItem": 512},
    "credited": 5000,
    "cpu_ms": 5.99,
}
INGEST = {"cpu_ms": 0.13, "requests_per_row": 0.038}


def test_model__provisioned_cost_is_the_modules_capacity(monkeypatch):
    before = city_model.project(MEASURED, INGEST, 64)["provisioned"]
    assert before["units_at_once"] == capacity.UNITS_AT_ONCE and before["yuan"] <= 200
    assert before["whole_hours_yuan"] <= 200  # however the hours are billed
    assert (
        before["max_utilisation"] <= 100
    )  # the measured batch fits what is raised, in its windows
    assert (
        before["settle_min"] <= before["settle_window_min"]
        and before["ingest_min"] <= before["ingest_window_min"]
    )
    # One side changed: the ledger raised by 1,000 more WCU: the template and the model both follow.
    more = tuple(
        dataclasses.replace(r, units=r.units + 1000)
        if (r.table, r.dimension) == ("ledger", "write")
        else r
        for r in capacity.RAISES
    )
    monkeypatch.setattr(capacity, "RAISES", more)
    after = city_model.project(MEASURED, INGEST, 64)["provisioned"]
    hours = capacity.SETTLE.minutes / 60
    assert (
        abs(after["batch_yuan"] - before["batch_yuan"] - 1000 * hours * city_model.WCU_HOUR_YUAN)
        <= 1
    )
    actions = template.generate()["Resources"]["LedgerTableWriteCapacityUnitsTarget"]["Properties"][
        "ScheduledActions"
    ]
    assert actions[0]["ScalableTargetAction"]["MinCapacity"] == more[0].units


def test_model__more_units_than_raised_shows_over_100_percent(monkeypatch):
    monkeypatch.setattr(
        capacity, "UNITS_AT_ONCE", 2 * capacity.UNITS_AT_ONCE
    )  # the queue changed, not the capacity
    pv = city_model.project(MEASURED, INGEST, 64)["provisioned"]
    assert pv["max_utilisation"] > 100
