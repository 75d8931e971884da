"""The walking skeleton over real HTTP: app ↔ serialised moto ↔ WeChat simulator."""

import json

import pytest

from tests.support.concurrency import http, run_clients

pytestmark = pytest.mark.e2e


def test_e2e__healthz_openapi_docs(stack):
    assert http("GET", stack.api + "/healthz").body == {"status": "ok"}
    spec = http("GET", stack.api + "/openapi.json").body
    assert "/api/v1/auth/login" in spec["paths"]
    assert "openapi.json" in http("GET", stack.api + "/docs").body


def test_e2e__login_then_me(stack):
    r = http("POST", stack.api + "/api/v1/auth/login", {"code": "test-e2e-alice"})
    assert r.status == 200, r.body
    me = http(
        "GET", stack.api + "/api/v1/me", headers={"Authorization": f"Bearer {r.body['token']}"}
    )
    assert me.status == 200 and me.body["id"] == r.body["user"]["id"] and me.headers["X-Request-Id"]


def test_e2e__concurrent_first_logins_of_one_person__one_user(stack):
    replies = run_clients(
        12,
        lambda i: ("POST", stack.api + "/api/v1/auth/login", {"code": f"test-e2e-crowd.{i}"}, None),
    )
    assert [r.status for r in replies] == [200] * 12
    assert len({r.body["user"]["id"] for r in replies}) == 1


def test_e2e__endpoint_serialised__no_lost_conditional_updates(stack):
    """16 clients each do read-then-conditional-write of a counter; none may be lost."""
    from gateways import aws_client

    ddb = aws_client("dynamodb", stack.settings())
    table = stack.settings().table_name("wechat_tokens")
    ddb.put_item(
        TableName=table,
        Item={"name": {"S": "counter"}, "value": {"S": "0"}, "expires_at": {"N": "0"}},
    )

    def bump(_):
        while True:
            cur = ddb.get_item(
                TableName=table, Key={"name": {"S": "counter"}}, ConsistentRead=True
            )["Item"]
            n = int(cur["value"]["S"])
            try:
                ddb.put_item(
                    TableName=table,
                    Item={**cur, "value": {"S": str(n + 1)}},
                    ConditionExpression="#v = :old",
                    ExpressionAttributeNames={"#v": "value"},
                    ExpressionAttributeValues={":old": {"S": str(n)}},
                )
                return
            except ddb.exceptions.ConditionalCheckFailedException:
                continue

    import threading

    threads = [threading.Thread(target=bump, args=(i,)) for i in range(16)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    item = ddb.get_item(TableName=table, Key={"name": {"S": "counter"}}, ConsistentRead=True)[
        "Item"
    ]
    assert item["value"]["S"] == "16"


def test_e2e__every_log_line_is_json_and_private(stack):
    from infra.sim_wechat import openid_for, session_key_for

    http("POST", stack.api + "/api/v1/auth/login", {"code": "test-e2e-privacy"})
    lines = stack.log_lines()
    parsed = [json.loads(line) for line in lines]
    assert any(p["event"] == "request" for p in parsed)
    text = "\n".join(lines)
    assert openid_for("e2e-privacy") not in text and session_key_for("e2e-privacy") not in text
    assert "Bearer" not in text and "v1.ey" not in text
