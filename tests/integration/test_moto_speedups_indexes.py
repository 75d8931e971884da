"""infra/moto_speedups.py on the endpoint: Queries of an index page as DynamoDB pages them
(LastEvaluatedKey carries the index's key and the table's, the next page starts right after it),
and a transaction that fails after or at a Delete leaves every item, and every index, as before."""

import pytest
from botocore.exceptions import ClientError

from tests.support import dynamodb_wire as wire

# An order's condition: still waiting for its payment.
PENDING_PAYMENT = {
    "ConditionExpression": "#s = :s",
    "ExpressionAttributeNames": {"#s": "status"},
    "ExpressionAttributeValues": {":s": {"S": "pending_payment"}},
}


def _pages(ddb, **query) -> list[list[dict]]:
    """Every page of a Query, following LastEvaluatedKey, checked against the page's last item."""
    pages, start = [], None
    while True:
        r = ddb.query(**query, **({"ExclusiveStartKey": start} if start else {}))
        pages.append(r["Items"])
        start = r.get("LastEvaluatedKey")
        if start is None:
            return pages
        last = r["Items"][-1]
        assert start == {k: last[k] for k in start}, "the key names the page's last item"
        assert len(pages) < 50, "pages never end"


def _ids(pages, attr):
    return [[i[attr]["S"] for i in page] for page in pages]


def test_gsi_query__pages_in_index_order_across_last_evaluated_keys(endpoint_aws, endpoint_ddb):
    ddb = endpoint_ddb
    orders = endpoint_aws.table_name("orders")
    for i in range(
        11
    ):  # created_at runs backwards against the order id: index order is not key order
        for user in ("u_a", "u_b"):
            ddb.put_item(
                TableName=orders,
                Item={
                    "order_id": {"S": f"o_{user}_{i:02d}"},
                    "user_id": {"S": user},
                    "created_at": {"S": f"2026-11-24T00:00:{59 - i:02d}"},
                },
            )
    query = wire.of_user(orders, "u_a", IndexName="by_user", Limit=4)
    pages = _pages(ddb, **query)
    newest_last = [f"o_u_a_{i:02d}" for i in range(10, -1, -1)]
    assert _ids(pages, "order_id") == [newest_last[0:4], newest_last[4:8], newest_last[8:]]
    assert set(ddb.query(**query)["LastEvaluatedKey"]) == {"order_id", "user_id", "created_at"}
    backwards = _pages(ddb, **query, ScanIndexForward=False)
    assert sum(_ids(backwards, "order_id"), []) == newest_last[::-1]
    after = _pages(
        ddb,
        **{
            **query,
            "KeyConditionExpression": "user_id = :u AND created_at > :t",
            "ExpressionAttributeValues": {":u": {"S": "u_a"}, ":t": {"S": "2026-11-24T00:00:52"}},
        },
    )
    assert _ids(after, "order_id") == [
        ["o_u_a_06", "o_u_a_05", "o_u_a_04", "o_u_a_03"],
        ["o_u_a_02", "o_u_a_01", "o_u_a_00"],
    ]


def test_lsi_query__pages_in_index_order_across_last_evaluated_keys(endpoint_aws, endpoint_ddb):
    ddb = endpoint_ddb
    ledger = endpoint_aws.table_name("ledger")
    for user in ("u_a", "u_b", "u_c"):
        for i in range(10):  # seq runs backwards against entry_id
            ddb.put_item(
                TableName=ledger,
                Item=wire.entry(user, f"e#{i:02d}", f"2026-11-24T00:00:{59 - i:02d}#{i}"),
            )
    query = wire.of_user(ledger, "u_b", IndexName="by_time", Limit=4)
    pages = _pages(ddb, **query)
    by_seq = [f"e#{i:02d}" for i in range(9, -1, -1)]
    assert _ids(pages, "entry_id") == [by_seq[:4], by_seq[4:8], by_seq[8:]]
    assert set(ddb.query(**query)["LastEvaluatedKey"]) == {"user_id", "entry_id", "seq"}
    # The base table's own Query (the partition shortcut) pages the same items in key order.
    base = _pages(ddb, **wire.of_user(ledger, "u_b", Limit=3))
    assert sum(_ids(base, "entry_id"), []) == sorted(by_seq) and [len(p) for p in base] == [
        3,
        3,
        3,
        1,
    ]


def test_transaction_failing_at_its_delete__everything_as_before(endpoint_aws, endpoint_ddb):
    ddb = endpoint_ddb
    ledger, orders = endpoint_aws.table_name("ledger"), endpoint_aws.table_name("orders")
    ddb.put_item(TableName=ledger, Item=wire.entry("u_a", "e#1", "s1"))
    ddb.put_item(
        TableName=orders,
        Item={
            "order_id": {"S": "o_1"},
            "user_id": {"S": "u_a"},
            "created_at": {"S": "t1"},
            "status": {"S": "issued"},
        },
    )
    before = ddb.scan(TableName=ledger)["Items"], ddb.scan(TableName=orders)["Items"]
    with pytest.raises(ClientError) as e:
        ddb.transact_write_items(
            TransactItems=[
                # The only item of its partition, deleted first: the partition must come back whole.
                wire.delete(ledger, wire.entry_key("u_a", "e#1")),
                wire.put(ledger, wire.entry("u_new", "e#9", "s9")),
                # The failing Delete: its condition does not hold.
                wire.delete(orders, {"order_id": {"S": "o_1"}}, **PENDING_PAYMENT),
            ]
        )
    reasons = [r["Code"] for r in e.value.response["CancellationReasons"]]
    assert reasons == ["None", "None", "ConditionalCheckFailed"]
    assert (ddb.scan(TableName=ledger)["Items"], ddb.scan(TableName=orders)["Items"]) == before
    one = wire.of_user(ledger, "u_a")
    assert [i["entry_id"]["S"] for i in ddb.query(**one)["Items"]] == ["e#1"]
    assert [i["entry_id"]["S"] for i in ddb.query(**one, IndexName="by_time")["Items"]] == ["e#1"]
    assert ddb.query(**wire.of_user(ledger, "u_new"))["Items"] == []
    by_user = ddb.query(**wire.of_user(orders, "u_a", IndexName="by_user"))["Items"]
    assert [i["order_id"]["S"] for i in by_user] == ["o_1"]
    # The same Delete with its condition holding goes through, with the rest of the transaction.
    ddb.update_item(
        TableName=orders,
        Key={"order_id": {"S": "o_1"}},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "pending_payment"}},
    )
    ddb.transact_write_items(
        TransactItems=[
            wire.delete(ledger, wire.entry_key("u_a", "e#1")),
            wire.delete(orders, {"order_id": {"S": "o_1"}}, **PENDING_PAYMENT),
        ]
    )
    assert ddb.scan(TableName=ledger)["Items"] == [] and ddb.scan(TableName=orders)["Items"] == []
