"""Behaviour items expire (DynamoDB TTL) settings.behaviour_retention_days after their day;
the tables are created, and the template declares them, with TTL on that attribute."""

import json
import os
from datetime import datetime, timedelta, timezone

from gateways import aws_client
from infra import template
from models.behaviours import Behaviour, partition, shard_of
from tests.support.behaviours import add_behaviour

SHANGHAI = timezone(timedelta(hours=8))


def test_behaviour__expires_retention_days_after_the_end_of_its_day(aws):
    s = aws.with_(behaviour_retention_days=45)
    from core import settings as settings_mod

    settings_mod.use(s)
    add_behaviour(s, "u1", "2026-11-23", "metro", 1, "t1", at="23:59")
    [b] = Behaviour.query(partition("2026-11-23", shard_of("u1", s.settle_shards)))
    assert b.expires_at == datetime(2026, 11, 24, tzinfo=SHANGHAI) + timedelta(days=45)


def test_behaviours_table__ttl_enabled_here_and_in_the_template(aws):
    ddb = aws_client("dynamodb", aws)
    ttl = ddb.describe_time_to_live(TableName=aws.table_name("behaviours"))["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "infra", "tables.template.json")) as f:
        checked_in = json.load(f)
    tables = [
        r["Properties"]
        for r in checked_in["Resources"].values()
        if r["Type"] == "AWS::DynamoDB::Table"
    ]
    [behaviours] = [t for t in tables if "behaviours" in str(t["TableName"])]
    assert behaviours["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert checked_in == template.generate()
