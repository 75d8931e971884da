import json
import os
from datetime import UTC

import models
from infra import capacity, tables, template

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


def test_tables_create__idempotent(aws):
    assert tables.create_all(aws) == []  # the fixture created them already
    names = {m.Meta.table_name for m in models.REGISTRY}
    assert all(n.startswith(f"{aws.table_prefix}-test-") for n in names)


def test_template__checked_in_copy_matches_models():
    with open(os.path.join(ROOT, "infra", "tables.template.json")) as f:
        assert json.load(f) == template.generate(), (
            "run: tanpuhui template > infra/tables.template.json"
        )


def test_template__every_table_billed_with_pitr_and_partition_arns():
    t = template.generate()
    tables_ = {k: v for k, v in t["Resources"].items() if v["Type"] == "AWS::DynamoDB::Table"}
    assert len(tables_) == len(models.REGISTRY)
    for res in tables_.values():
        p = res["Properties"]
        # the batch's tables are provisioned and scaled (tests/unit/test_capacity.py), the rest on-demand
        expected = (
            "PROVISIONED"
            if p["TableName"]["Fn::Sub"].split("-")[-1] in capacity.PROVISIONED
            else "PAY_PER_REQUEST"
        )
        assert p["BillingMode"] == expected
        assert p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    text = json.dumps(t)
    assert "arn:aws:" not in text and "${AWS::Partition}" in text
    assert (
        tables_["WechatTokensTable"]["Properties"]["TimeToLiveSpecification"]["AttributeName"]
        == "ttl"
    )


def test_users__openid_unique__second_create_fails(aws):
    from datetime import datetime

    import pytest
    from pynamodb.exceptions import PutError

    from models import User

    User("u_x", openid="o1", created_at=datetime.now(UTC)).save(
        condition=User.user_id.does_not_exist()
    )
    with pytest.raises(PutError):
        User("u_x", openid="o1", created_at=datetime.now(UTC)).save(
            condition=User.user_id.does_not_exist()
        )
