"""The endpoint's Query shortcut (infra/moto_speedups.py) answers exactly as moto does:
one partition, sorted by range key, range conditions, reverse order, pages, and GSIs untouched."""
from models import LedgerEntry


def _entries(user, n):
    for i in range(n):
        LedgerEntry(user, f"e#{i:03d}", seq=f"2026-11-24T00:00:{i:02d}#{i}", kind="adjustment", amount=1,
                    balance_after=i + 1, created_at="2026-11-24T00:00:00+00:00").save()


def test_query_on_endpoint__one_partition_sorted_with_conditions_and_pages(endpoint_aws):
    _entries("u_a", 12)
    _entries("u_b", 5)
    ids = [e.entry_id for e in LedgerEntry.query("u_a")]
    assert ids == [f"e#{i:03d}" for i in range(12)]
    assert [e.entry_id for e in LedgerEntry.query("u_b", scan_index_forward=False)] == [f"e#{i:03d}" for i in
                                                                                        range(4, -1, -1)]
    assert [e.entry_id for e in LedgerEntry.query("u_a", LedgerEntry.entry_id > "e#009")] == ["e#010", "e#011"]
    page = LedgerEntry.query("u_a", limit=5)
    first = [e.entry_id for e in page]
    assert len(first) == 5 and page.last_evaluated_key is not None
    assert [e.entry_id for e in LedgerEntry.query("u_nobody")] == []
    # A local secondary index still goes through moto's own path.
    assert [e.entry_id for e in LedgerEntry.by_time.query("u_b")] == [f"e#{i:03d}" for i in range(5)]


def test_failed_transaction_on_endpoint__restores_what_it_touched_and_nothing_else(endpoint_aws):
    import pytest
    from botocore.exceptions import ClientError

    from gateways import aws_client

    ddb = aws_client("dynamodb", endpoint_aws)
    ledger, accounts = endpoint_aws.table_name("ledger"), endpoint_aws.table_name("accounts")
    _entries("u_a", 3)
    ddb.put_item(TableName=accounts, Item={"user_id": {"S": "u_a"}, "balance": {"N": "7"}})
    ddb.put_item(TableName=accounts, Item={"user_id": {"S": "u_other"}, "balance": {"N": "1"}})
    with pytest.raises(ClientError) as e:
        ddb.transact_write_items(TransactItems=[
            {"Update": {"TableName": accounts, "Key": {"user_id": {"S": "u_a"}}, "UpdateExpression": "SET balance = :b",
                        "ExpressionAttributeValues": {":b": {"N": "99"}}}},
            {"Put": {"TableName": ledger, "Item": {"user_id": {"S": "u_a"}, "entry_id": {"S": "e#new"},
                                                   "seq": {"S": "x"}}}},
            {"Delete": {"TableName": ledger, "Key": {"user_id": {"S": "u_a"}, "entry_id": {"S": "e#001"}}}},
            {"Put": {"TableName": ledger, "Item": {"user_id": {"S": "u_a"}, "entry_id": {"S": "e#000"}, "seq": {"S": "y"}},
                     "ConditionExpression": "attribute_not_exists(entry_id)"}},
        ])
    assert e.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert [x.entry_id for x in LedgerEntry.query("u_a")] == ["e#000", "e#001", "e#002"]
    assert LedgerEntry.get("u_a", "e#000").seq.startswith("2026-11-24")
    balance = ddb.get_item(TableName=accounts, Key={"user_id": {"S": "u_a"}})["Item"]["balance"]["N"]
    assert balance == "7"
    # A brand-new partition that a failed transaction created is gone again.
    with pytest.raises(ClientError):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": ledger, "Item": {"user_id": {"S": "u_new"}, "entry_id": {"S": "e#1"}, "seq": {"S": "z"}}}},
            {"ConditionCheck": {"TableName": accounts, "Key": {"user_id": {"S": "u_other"}},
                                "ConditionExpression": "balance > :n", "ExpressionAttributeValues": {":n": {"N": "5"}}}},
        ])
    assert list(LedgerEntry.query("u_new")) == []
    # And a transaction that succeeds writes everything.
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": ledger, "Item": {"user_id": {"S": "u_new"}, "entry_id": {"S": "e#1"}, "seq": {"S": "z"}}}},
        {"Update": {"TableName": accounts, "Key": {"user_id": {"S": "u_other"}}, "UpdateExpression": "SET balance = :b",
                    "ExpressionAttributeValues": {":b": {"N": "2"}}}},
    ])
    assert [x.entry_id for x in LedgerEntry.query("u_new")] == ["e#1"]


def test_projection_on_endpoint__top_level_names_answer_as_moto_does(endpoint_aws):
    from gateways import aws_client

    ddb = aws_client("dynamodb", endpoint_aws)
    table = endpoint_aws.table_name("accounts")
    item = {"user_id": {"S": "u_p"}, "n": {"N": "1.50"}, "s": {"S": "文字"}, "b": {"B": b"\x00\xff"},
            "m": {"M": {"a": {"N": "1"}, "b": {"L": [{"S": "x"}, {"M": {"c": {"BOOL": True}}}]}}},
            "l": {"L": [{"N": "2"}, {"NULL": True}]}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["3"]},
            "other": {"S": "not asked for"}}
    ddb.put_item(TableName=table, Item=item)

    def projected(expression, names=None):
        kw = {"ExpressionAttributeNames": names} if names else {}
        one = ddb.get_item(TableName=table, Key={"user_id": {"S": "u_p"}}, ProjectionExpression=expression, **kw)
        many = ddb.batch_get_item(RequestItems={table: {"Keys": [{"user_id": {"S": "u_p"}}],
                                                        "ProjectionExpression": expression, **kw}})
        assert many["Responses"][table] == [one["Item"]]
        return {k: {"SS": sorted(v["SS"])} if "SS" in v else v for k, v in one["Item"].items()}  # a set has no order

    names = ["n", "s", "b", "m", "l", "ss", "ns"]
    assert projected(", ".join(names + ["absent"])) == {k: item[k] for k in names}
    assert projected("#u, #n", {"#u": "user_id", "#n": "n"}) == {"user_id": item["user_id"], "n": item["n"]}
    assert projected("absent") == {}
    # moto's own path: a nested name and a list element
    assert projected("m.a, l[0]") == {"m": {"M": {"a": {"N": "1"}}}, "l": {"L": [{"N": "2"}]}}
    assert ddb.get_item(TableName=table, Key={"user_id": {"S": "u_p"}})["Item"] == item  # the item is unchanged
