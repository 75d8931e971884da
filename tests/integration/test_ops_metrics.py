"""The metrics the alarms and the dashboard read are written when their event happens
(infra/alarms.py, infra/dashboard.py; tests/unit/test_alarms.py checks the call sites exist)."""

import json

import pytest

from core import localday


def metrics(capsys, name):
    out = capsys.readouterr().out
    return [
        p
        for p in (json.loads(x) for x in out.splitlines() if x.startswith("{"))
        if p["event"] == "metric" and name in p
    ]


def test_yesterday_settled__written_when_yesterday_completes_not_for_another_day(aws, capsys):
    from core.carbon import settlement_runs

    capsys.readouterr()
    settlement_runs.run_date(aws, localday.add_days(localday.today(), -2))
    assert metrics(capsys, "YesterdaySettled") == []
    settlement_runs.run_date(aws, localday.yesterday())
    out = capsys.readouterr().out
    settled = [json.loads(x) for x in out.splitlines() if '"YesterdaySettled"' in x]
    units = [json.loads(x) for x in out.splitlines() if '"SettlementUnits"' in x]
    assert (
        len(settled) == 1 and settled[0]["YesterdaySettled"] == 1 and settled[0]["stage"] == "test"
    )
    assert len(units) == aws.settle_shards and {u["unit_status"] for u in units} == {"done"}


@pytest.mark.usefixtures("wechat_sim")
def test_refresh__token_age_per_token(aws, capsys):
    from functions import refresh_wechat_token

    capsys.readouterr()
    left = refresh_wechat_token.handler({}, None)
    ages = {m["app"]: m["WechatTokenAge"] for m in metrics(capsys, "WechatTokenAge")}
    assert ages == {
        "mini_program": refresh_wechat_token.LIFETIME_S - left["seconds_left"],
        "official_account": refresh_wechat_token.LIFETIME_S - left["oa_seconds_left"],
    }
    assert all(0 <= a < 200 for a in ages.values())  # just fetched


def test_request__latency_per_route_class(client, capsys):
    capsys.readouterr()
    client.get("/healthz")
    client.get("/api/v1/products")
    client.get("/no/such/route")
    classes = [m["route_class"] for m in metrics(capsys, "Latency")]
    assert classes == ["other", "api", "unmatched"]


def test_route_classes__every_route_of_the_app_is_a_class_or_a_page(app):
    from miniprogram_api.requestlog import PAGES, ROUTE_CLASSES

    firsts = {r.rule.lstrip("/").split("/", 1)[0] for r in app.url_map.iter_rules()}
    assert firsts - set(ROUTE_CLASSES) - set(PAGES) == set(), (
        "a new blueprint: give it a route class (dashboard)"
    )
