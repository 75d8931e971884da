"""Subscribe messages: what the mini-program reports, and the expiry notices sent through the simulator."""

import json
import urllib.request

from infra.sim_wechat import openid_for


def sim(wechat_sim, path, body=None, method=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        wechat_sim.url + path,
        data=data,
        method=method or ("POST" if data else "GET"),
        headers={"Content-Type": "application/json"},
    )
    return json.loads(urllib.request.urlopen(req).read())


def report(client, citizen, templates):
    return client.post(
        "/api/v1/me/subscriptions",
        json={"templates": templates},
        headers={"Authorization": citizen["Authorization"]},
    )


def test_subscriptions__report_then_get__counts_accepts(client, citizen):
    report(client, citizen, {"settlement_credit": "accept"})
    r = report(client, citizen, {"settlement_credit": "accept", "order_expiring": "reject"})
    assert r.status_code == 200
    got = client.get(
        "/api/v1/me/subscriptions", headers={"Authorization": citizen["Authorization"]}
    ).json
    assert (
        got
        == r.json
        == {
            "templates": {
                "settlement_credit": {"status": "accept", "remaining": 2},
                "order_expiring": {"status": "reject", "remaining": 0},
                "appeal_result": {"status": None, "remaining": 0},
            }
        }
    )


def test_subscriptions__unknown_template_or_answer__422(client, citizen):
    assert report(client, citizen, {"lottery": "accept"}).status_code == 422
    assert report(client, citizen, {"settlement_credit": "maybe"}).status_code == 422
    assert report(client, citizen, {}).status_code == 422


def test_subscriptions__no_token__401(client):
    assert client.get("/api/v1/me/subscriptions").status_code == 401


# Settlement's notices go through the outbox: tests/integration/test_outbox.py.


def _expiring_order(client, login, name, accept=True):
    from tests.support.mall import give_coins, make_shop

    token, user = login(name)
    headers = {"Authorization": f"Bearer {token}"}
    report(client, headers, {"order_expiring": "accept" if accept else "reject"})
    shop = make_shop(valid_days=1)
    give_coins(user["id"], 100)
    r = client.post("/api/v1/orders", json={"product_id": shop["product_id"]}, headers=headers)
    assert r.status_code == 201, r.json
    return r.json


def _hourly(services, order, hours_left=23):
    """The hourly run, `hours_left` hours before the order expires (a voucher lasts to 23:59:59
    Asia/Shanghai of its last day, so its distance from now depends on the time of day)."""
    from datetime import datetime, timedelta

    from core.mall import expiry

    return expiry.hourly(
        services.notifier(),
        now=datetime.fromisoformat(order["expires_at"]) - timedelta(hours=hours_left),
    )


def test_expiry__order_expiring_within_24h__one_notice_even_when_rerun(
    client, login, aws, services, wechat_sim
):
    order = _expiring_order(client, login, "expiring-yes")
    first = _hourly(services, order)
    second = _hourly(services, order, hours_left=22)
    sent = sim(wechat_sim, "/_sim/sent")["items"]
    assert (first["expiring"], first["notified"], second["expiring"], second["notified"]) == (
        1,
        1,
        0,
        0,
    )
    assert [m["touser"] for m in sent] == [openid_for("expiring-yes")]
    assert sent[0]["template_id"] == aws.template_order_expiring and order["id"] in sent[0]["page"]
    assert sent[0]["data"]["thing1"]["value"] == "美式咖啡"


def test_expiry__not_accepted__no_notice_and_not_asked_again(
    client, login, aws, services, wechat_sim
):
    order = _expiring_order(client, login, "expiring-no", accept=False)
    first = _hourly(services, order)
    assert (first["expiring"], first["notified"]) == (1, 0) and _hourly(services, order)[
        "expiring"
    ] == 0
    assert sim(wechat_sim, "/_sim/sent")["items"] == []


def test_expiry__wechat_down__orders_still_expire(client, login, aws, services, wechat_sim):
    order = _expiring_order(client, login, "expiring-down")
    sim(wechat_sim, "/_sim/outage", {"on": True})
    assert _hourly(services, order)["notify_failed"] == 1
    later = _hourly(
        services, order, hours_left=-1
    )  # past expiry now: expired and refunded whatever WeChat does
    assert later["expired"] == 1 and later["notified"] == 0
