from datetime import datetime, timezone

from core import settings as settings_mod
from gateways import aws_client
from infra import snapshot, tables
import urllib.request


def test_snapshot__saved_state__loads_into_a_fresh_endpoint(endpoint_aws, tmp_path):
    from models import User, WechatToken

    s = settings_mod.use(endpoint_aws.with_(local_state_dir=str(tmp_path)))
    User("u_snap", openid="o-snap", created_at=datetime.now(timezone.utc)).save()
    WechatToken("wx_access_token", value="old", expires_at=0).save()
    aws_client("s3", s).put_object(Bucket=s.trip_bucket, Key="yct/trips/2026-11-23/a.csv", Body=b"trip_id\n")
    snapshot.save(s)

    # Moto's state is per process: reset it, as a restart of `make run` would start empty.
    urllib.request.urlopen(urllib.request.Request(s.aws_endpoint + "/moto-api/reset", method="POST")).read()
    assert not aws_client("dynamodb", s).list_tables()["TableNames"]
    tables.create_all(s)
    assert snapshot.load(s) is True
    assert User.get("u_snap").openid == "o-snap"
    assert WechatToken.count() == 0  # tokens die with the simulator that issued them
    body = aws_client("s3", s).get_object(Bucket=s.trip_bucket, Key="yct/trips/2026-11-23/a.csv")["Body"]
    assert body.read() == b"trip_id\n"


def test_snapshot__none_saved__load_says_so(aws, tmp_path):
    assert snapshot.load(aws.with_(local_state_dir=str(tmp_path))) is False
