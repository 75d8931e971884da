"""The local endpoint's fault switch over real HTTP: a refused write is DynamoDB's own 500
InternalServerError and changes nothing; an 'after applying' fault keeps the write."""

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support.faults import fail_write, faults


def _client(settings):  # one attempt: see each answer the endpoint gives, no SDK retries
    return boto3.client(
        "dynamodb",
        region_name=settings.region,
        endpoint_url=settings.aws_endpoint,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"total_max_attempts": 1}),
    )


def _put(ddb, settings, user_id):
    ddb.put_item(
        TableName=settings.table_name("accounts"),
        Item={"user_id": {"S": user_id}, "balance": {"N": "1"}},
    )


def _exists(ddb, settings, user_id) -> bool:
    got = ddb.get_item(
        TableName=settings.table_name("accounts"),
        Key={"user_id": {"S": user_id}},
        ConsistentRead=True,
    )
    return "Item" in got


def test_fail_write__second_write_refused_with_500_and_not_applied(endpoint_aws):
    ddb = _client(endpoint_aws)
    fail_write(endpoint_aws, 2)
    _put(ddb, endpoint_aws, "u1")
    with pytest.raises(ClientError) as e:
        _put(ddb, endpoint_aws, "u2")
    assert e.value.response["Error"]["Code"] == "InternalServerError"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    _put(ddb, endpoint_aws, "u3")  # the fault was for one write
    assert [_exists(ddb, endpoint_aws, u) for u in ("u1", "u2", "u3")] == [True, False, True]
    assert faults(endpoint_aws)["failed"] == 1


def test_fail_write_after_applying__answer_lost_but_write_kept(endpoint_aws):
    ddb = _client(endpoint_aws)
    fail_write(endpoint_aws, 1, after_applying=True)
    with pytest.raises(ClientError) as e:
        _put(ddb, endpoint_aws, "u1")
    assert e.value.response["Error"]["Code"] == "InternalServerError"
    assert _exists(ddb, endpoint_aws, "u1")
