import json
import os
import threading
import urllib.request
from datetime import UTC, datetime

import pytest

from core import settings as settings_mod
from gateways import aws_client
from infra import snapshot, tables
from tests.support.stack import free_port


@pytest.fixture
def endpoint(settings, tmp_path):
    """The local stack's serialised endpoint, in this process (as `make run` has it), empty."""
    from infra.aws_endpoint import AwsEndpoint

    endpoint = AwsEndpoint(port=free_port()).start()
    urllib.request.urlopen(
        urllib.request.Request(endpoint.url + "/moto-api/reset", method="POST")
    ).read()
    s = settings_mod.use(settings.with_(aws_endpoint=endpoint.url, local_state_dir=str(tmp_path)))
    tables.create_all(s)
    tables.ensure_bucket(s, aws_client("s3", s))
    yield endpoint, s
    endpoint.stop()


def test_snapshot__saved_state__loads_into_a_fresh_endpoint(endpoint):
    from models import User, WechatToken

    endpoint, s = endpoint
    User("u_snap", openid="o-snap", created_at=datetime.now(UTC)).save()
    WechatToken("wx_access_token", value="old", expires_at=0).save()
    aws_client("s3", s).put_object(
        Bucket=s.trip_bucket, Key="yct/trips/2026-11-23/a.csv", Body=b"trip_id\n"
    )
    snapshot.save(s, endpoint)

    # Moto's state is per process: reset it, as a restart of `make run` would start empty.
    urllib.request.urlopen(
        urllib.request.Request(s.aws_endpoint + "/moto-api/reset", method="POST")
    ).read()
    assert not aws_client("dynamodb", s).list_tables()["TableNames"]
    tables.create_all(s)
    assert snapshot.load(s) is True
    assert User.get("u_snap").openid == "o-snap"
    assert WechatToken.count() == 0  # tokens die with the simulator that issued them
    body = aws_client("s3", s).get_object(Bucket=s.trip_bucket, Key="yct/trips/2026-11-23/a.csv")[
        "Body"
    ]
    assert body.read() == b"trip_id\n"


def test_snapshot__none_saved__load_says_so(aws, tmp_path):
    assert snapshot.load(aws.with_(local_state_dir=str(tmp_path))) is False


def test_snapshot__waits_for_the_endpoints_lock(endpoint):
    endpoint, s = endpoint
    asked, saved, real = threading.Event(), threading.Event(), endpoint.lock

    class Watched:
        """The endpoint's own lock, telling when someone asks for it."""

        def __enter__(self):
            asked.set()
            return real.__enter__()

        def __exit__(self, *exc):
            return real.__exit__(*exc)

    endpoint.lock = Watched()
    with real:  # a request being served
        threading.Thread(
            target=lambda: (snapshot.save(s, endpoint), saved.set()), daemon=True
        ).start()
        assert asked.wait(30), "the snapshot never asked for the endpoint's lock"
        assert not saved.is_set()  # it waits: nothing copied while the request holds the lock
    assert saved.wait(30)


def test_snapshot__taken_under_transactional_load__every_table_at_one_moment(endpoint):
    """Two tables moved together by transactions (a += 1, b -= 1): every snapshot taken while the
    transactions run has a + b == 0. Read table by table while serving, it would not."""
    endpoint, s = endpoint
    ddb = aws_client("dynamodb", s)
    names = [s.table_name("snap_a"), s.table_name("snap_b")]
    for name in names:
        ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        ddb.put_item(TableName=name, Item={"id": {"S": "x"}, "n": {"N": "0"}})
    stop = threading.Event()

    def move():
        client = aws_client("dynamodb", s)
        while not stop.is_set():
            client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": name,
                            "Key": {"id": {"S": "x"}},
                            "UpdateExpression": "ADD n :d",
                            "ExpressionAttributeValues": {":d": {"N": d}},
                        }
                    }
                    for name, d in zip(names, ("1", "-1"))
                ]
            )

    movers = [threading.Thread(target=move, daemon=True) for _ in range(3)]
    for t in movers:
        t.start()
    try:
        seen = []
        for _ in range(15):
            with open(snapshot.save(s, endpoint)) as f:
                state = json.load(f)
            a, b = (int(state["tables"][n][0]["n"]["N"]) for n in names)
            seen.append((a, b))
    finally:
        stop.set()
        for t in movers:
            t.join(10)
    assert all(a + b == 0 for a, b in seen), seen
    assert len({a for a, _ in seen}) > 1  # the snapshots really were taken while the data moved


def test_snapshot__write_that_fails_midway__last_good_snapshot_kept(endpoint):
    endpoint, s = endpoint
    aws_client("s3", s).put_object(Bucket=s.trip_bucket, Key="k.csv", Body=b"good")
    path = snapshot.save(s, endpoint)
    with open(path) as f:
        good = f.read()
    # A write dies half way (json cannot encode the object: the file is partly written by then).
    with pytest.raises(TypeError):
        snapshot.write(
            s, {"tables": {"t": [{"id": {"S": "x" * 100_000}}, {"bad": object()}]}, "objects": {}}
        )
    with open(path) as f:
        assert f.read() == good
    assert os.listdir(s.local_state_dir) == ["aws.json"]  # no temporary file left behind
