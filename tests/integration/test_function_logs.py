"""Every function logs exactly one JSON summary line per run, with counts and duration_ms."""

import json

import pytest

from tests.support.events import load_event


def lines(capsys, event):
    out = capsys.readouterr().out
    return [
        p
        for p in (json.loads(x) for x in out.splitlines() if x.startswith("{"))
        if p["event"] == event
    ]


def test_settle_daily__one_line_per_shard_and_one_per_date(aws, capsys):
    from functions import settle_daily

    capsys.readouterr()
    settle_daily.handler({"date": "2026-11-23"}, None)
    out = capsys.readouterr()
    parsed = [json.loads(x) for x in out.out.splitlines() if x.startswith("{")]
    shards = [p for p in parsed if p["event"] == "settle_shard"]
    dates = [p for p in parsed if p["event"] == "settle_date"]
    assert len(shards) == aws.settle_shards and len(dates) == 1
    assert all(s["status"] == "done" and "duration_ms" in s and "noticed" in s for s in shards)
    assert dates[0]["duration_ms"] is not None and dates[0]["shards_done"] == aws.settle_shards


def test_expire_orders__one_summary_line(aws, capsys):
    from functions import expire_orders

    capsys.readouterr()
    result = expire_orders.handler({}, None)
    [line] = lines(capsys, "expire_orders")
    assert line["status"] == "done" and line["duration_ms"] >= 0
    assert {k: line[k] for k in result} == result


def test_send_notices__one_summary_line(aws, capsys):
    from functions import send_notices

    capsys.readouterr()
    result = send_notices.handler({}, None)
    [line] = lines(capsys, "send_notices")
    assert line["status"] == "done" and {k: line[k] for k in result} == result == {
        "sent": 0,
        "delayed": 0,
        "dropped": 0,
        "failed": 0,
        "unknown": 0,
    }


@pytest.mark.usefixtures("wechat_sim")  # the tokens come from WeChat
def test_refresh_wechat_token__one_summary_line_both_tokens(aws, capsys):
    from functions import refresh_wechat_token

    capsys.readouterr()
    result = refresh_wechat_token.handler({}, None)
    [line] = lines(capsys, "refresh_wechat_token")
    assert result["seconds_left"] > 7000 and result["oa_seconds_left"] > 7000
    assert line["status"] == "done" and line["oa_seconds_left"] == result["oa_seconds_left"]


def test_ingest_trips__one_summary_line_per_invocation(aws, capsys):
    from functions import ingest_trips
    from gateways import aws_client

    aws_client("s3", aws).put_object(
        Bucket=aws.trip_bucket,
        Key="yct/trips/2026-11-23/part 1.csv",
        Body=b"trip_id,card_no,mode,boarded_at,line,from_station,to_station,distance_km\n",
    )
    event = load_event("s3_trip_file")
    event["Records"][0]["s3"]["bucket"]["name"] = aws.trip_bucket
    event["Records"].append(
        {"s3": {"bucket": {"name": aws.trip_bucket}, "object": {"key": "other/x.txt"}}}
    )
    capsys.readouterr()
    ingest_trips.handler(event, None)
    [line] = lines(capsys, "ingest_trips")
    assert (line["files"], line["skipped_files"], line["rows"], line["status"]) == (1, 1, 0, "done")


def test_ingest_trips__missing_object__failed_line_and_errors_metric(aws, capsys):
    from functions import ingest_trips

    event = load_event("s3_trip_file")
    event["Records"][0]["s3"]["bucket"]["name"] = aws.trip_bucket
    capsys.readouterr()
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="NoSuchKey"):
        ingest_trips.handler(event, None)
    out = capsys.readouterr().out
    parsed = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    [line] = [p for p in parsed if p["event"] == "ingest_trips"]
    assert line["status"] == "failed" and line["error_type"] and "duration_ms" in line
    assert any(
        p["event"] == "metric" and p.get("Errors") == 1 and p["source"] == "ingest_trips"
        for p in parsed
    )


def test_api_500__errors_metric(app, client, capsys):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    capsys.readouterr()
    assert client.get("/boom").status_code == 500
    parsed = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert any(
        p["event"] == "metric" and p.get("Errors") == 1 and p["source"] == "api" for p in parsed
    )


def test_redemption_failure__logged_with_merchant_and_code_and_errors_metric(client, aws, capsys):
    from tests.support.mall import make_shop

    shop = make_shop()
    capsys.readouterr()
    r = client.post(
        "/merchant/v1/redemptions", json={"code": "ABCD-EFGH-JKLM"}, headers=shop["auth"]
    )
    assert r.status_code == 404
    out = capsys.readouterr().out
    parsed = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    [line] = [p for p in parsed if p["event"] == "redemption_failed"]
    assert line["merchant_id"] == shop["merchant_id"] and line["error_code"] == "code_unknown"
    assert any(
        p["event"] == "metric" and p.get("Errors") == 1 and p["source"] == "redemption"
        for p in parsed
    )
    assert "ABCD" not in out
