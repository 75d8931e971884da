"""The endpoint's Query shortcut (infra/moto_speedups.py) answers exactly as moto does:
one partition, sorted by range key, range conditions, reverse order, pages, and GSIs untouched."""

from models import LedgerEntry
from tests.support import dynamodb_wire as wire


def _entries(user, n):
    for i in range(n):
        LedgerEntry(
            user,
            f"e#{i:03d}",
            seq=f"2026-11-24T00:00:{i:02d}#{i}",
            kind="adjustment",
            amount=1,
            balance_after=i + 1,
            created_at="2026-11-24T00:00:00+00:00",
        ).save()


def test_query_on_endpoint__one_partition_sorted_with_conditions_and_pages(endpoint_aws):
    _entries("u_a", 12)
    _entries("u_b", 5)
    ids = [e.entry_id for e in LedgerEntry.query("u_a")]
    assert ids == [f"e#{i:03d}" for i in range(12)]
    assert [e.entry_id for e in LedgerEntry.query("u_b", scan_index_forward=False)] == [
        f"e#{i:03d}" for i in range(4, -1, -1)
    ]
    assert [e.entry_id for e in LedgerEntry.query("u_a", LedgerEntry.entry_id > "e#009")] == [
        "e#010",
        "e#011",
    ]
    page = LedgerEntry.query("u_a", limit=5)
    first = [e.entry_id for e in page]
    assert len(first) == 5 and page.last_evaluated_key is not None
    assert [e.entry_id for e in LedgerEntry.query("u_nobody")] == []
    # A local secondary index still goes through moto's own path.
    assert [e.entry_id for e in LedgerEntry.by_time.query("u_b")] == [
        f"e#{i:03d}" for i in range(5)
    ]


def test_failed_transaction_on_endpoint__restores_what_it_touched_and_nothing_else(
    endpoint_aws, endpoint_ddb
):
    import pytest
    from botocore.exceptions import ClientError

    ddb = endpoint_ddb
    ledger, accounts = endpoint_aws.table_name("ledger"), endpoint_aws.table_name("accounts")
    _entries("u_a", 3)
    ddb.put_item(TableName=accounts, Item={"user_id": {"S": "u_a"}, "balance": {"N": "7"}})
    ddb.put_item(TableName=accounts, Item={"user_id": {"S": "u_other"}, "balance": {"N": "1"}})
    with pytest.raises(ClientError) as e:
        ddb.transact_write_items(
            TransactItems=[
                wire.set_balance(accounts, "u_a", "99"),
                wire.put(ledger, wire.entry("u_a", "e#new", "x")),
                wire.delete(ledger, wire.entry_key("u_a", "e#001")),
                wire.put(
                    ledger,
                    wire.entry("u_a", "e#000", "y"),
                    ConditionExpression="attribute_not_exists(entry_id)",
                ),
            ]
        )
    assert e.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert [x.entry_id for x in LedgerEntry.query("u_a")] == ["e#000", "e#001", "e#002"]
    assert LedgerEntry.get("u_a", "e#000").seq.startswith("2026-11-24")
    balance = ddb.get_item(TableName=accounts, Key={"user_id": {"S": "u_a"}})["Item"]["balance"][
        "N"
    ]
    assert balance == "7"
    # A brand-new partition that a failed transaction created is gone again.
    with pytest.raises(ClientError):
        ddb.transact_write_items(
            TransactItems=[
                wire.put(ledger, wire.entry("u_new", "e#1", "z")),
                {
                    "ConditionCheck": {
                        "TableName": accounts,
                        "Key": {"user_id": {"S": "u_other"}},
                        "ConditionExpression": "balance > :n",
                        "ExpressionAttributeValues": {":n": {"N": "5"}},
                    }
                },
            ]
        )
    assert list(LedgerEntry.query("u_new")) == []
    # And a transaction that succeeds writes everything.
    ddb.transact_write_items(
        TransactItems=[
            wire.put(ledger, wire.entry("u_new", "e#1", "z")),
            wire.set_balance(accounts, "u_other", "2"),
        ]
    )
    assert [x.entry_id for x in LedgerEntry.query("u_new")] == ["e#1"]


def test_projection_on_endpoint__top_level_names_answer_as_moto_does(endpoint_aws, endpoint_ddb):
    ddb = endpoint_ddb
    table = endpoint_aws.table_name("accounts")
    item = {
        "user_id": {"S": "u_p"},
        "n": {"N": "1.50"},
        "s": {"S": "文字"},
        "b": {"B": b"\x00\xff"},
        "m": {"M": {"a": {"N": "1"}, "b": {"L": [{"S": "x"}, {"M": {"c": {"BOOL": True}}}]}}},
        "l": {"L": [{"N": "2"}, {"NULL": True}]},
        "ss": {"SS": ["a", "b"]},
        "ns": {"NS": ["3"]},
        "other": {"S": "not asked for"},
    }
    ddb.put_item(TableName=table, Item=item)

    def projected(expression, names=None):
        kw = {"ExpressionAttributeNames": names} if names else {}
        one = ddb.get_item(
            TableName=table, Key={"user_id": {"S": "u_p"}}, ProjectionExpression=expression, **kw
        )
        many = ddb.batch_get_item(
            RequestItems={
                table: {
                    "Keys": [{"user_id": {"S": "u_p"}}],
                    "ProjectionExpression": expression,
                    **kw,
                }
            }
        )
        assert many["Responses"][table] == [one["Item"]]
        return {
            k: {"SS": sorted(v["SS"])} if "SS" in v else v for k, v in one["Item"].items()
        }  # a set has no order

    names = ["n", "s", "b", "m", "l", "ss", "ns"]
    assert projected(", ".join(names + ["absent"])) == {k: item[k] for k in names}
    assert projected("#u, #n", {"#u": "user_id", "#n": "n"}) == {
        "user_id": item["user_id"],
        "n": item["n"],
    }
    assert projected("absent") == {}
    # moto's own path: a nested name and a list element
    assert projected("m.a, l[0]") == {"m": {"M": {"a": {"N": "1"}}}, "l": {"L": [{"N": "2"}]}}
    assert (
        ddb.get_item(TableName=table, Key={"user_id": {"S": "u_p"}})["Item"] == item
    )  # the item is unchanged


def test_installed_moto__is_the_one_the_patches_were_written_for():
    # A moto upgrade fails here first: re-read the patches against it, then move WRITTEN_FOR.
    from importlib import metadata

    from infra import moto_speedups

    assert metadata.version("moto") == moto_speedups.WRITTEN_FOR
    assert moto_speedups.apply() is True


REFUSED = """
import warnings
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.dynamo_type import Item
plain = (Table.query, Table.all_items, Item.project)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from infra.aws_endpoint import AwsEndpoint
    endpoint = AwsEndpoint(port=0).start()
print([str(w.message) for w in caught if w.category is RuntimeWarning])
assert (Table.query, Table.all_items, Item.project) == plain, "patched anyway"
import boto3
ddb = boto3.client("dynamodb", endpoint_url=endpoint.url, region_name="ap-east-1",
                   aws_access_key_id="x", aws_secret_access_key="x")
ddb.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                 KeySchema=[{"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}],
                 AttributeDefinitions=[{"AttributeName": "h", "AttributeType": "S"},
                                       {"AttributeName": "r", "AttributeType": "S"}])
for r in "bac":
    ddb.put_item(TableName="t", Item={"h": {"S": "x"}, "r": {"S": r}})
got = ddb.query(TableName="t", KeyConditionExpression="h = :h", ExpressionAttributeValues={":h": {"S": "x"}})
print([i["r"]["S"] for i in got["Items"]])
endpoint.stop()
"""


def test_other_moto_version__warns_and_endpoint_runs_plain_moto(tmp_path):
    """A process whose installed moto says another version (a dist-info found first on its path;
    the code imported is the same) gets a warning naming both versions, moto's own methods, and
    an endpoint that answers."""
    import os
    import pathlib
    import subprocess
    import sys

    info = tmp_path / "moto-9.9.9.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: moto\nVersion: 9.9.9\n")
    root = pathlib.Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)])}
    run = subprocess.run(
        [sys.executable, "-c", REFUSED],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    warned, answered = run.stdout.splitlines()[-2:]
    assert "written for moto 5.2.5, this is moto 9.9.9" in warned and "unpatched" in warned
    assert answered == "['a', 'b', 'c']"
