"""The WeChat Pay gateway (wechatpayv3) against the simulator over real HTTP: signed requests,
verified answers, signed and encrypted notifications, close and refund."""

import json
import threading

import pytest
from flask import Flask, request

from core import settings as settings_mod
from gateways.wechatpay import InvalidNotification, WechatPayGateway
from infra.servers import ThreadedServer
from infra.sim_wechatpay import create
from tests.support.concurrency import http
from tests.support.stack import free_port


@pytest.fixture(scope="module")
def pay():
    received, arrived = [], threading.Event()
    receiver = Flask("receiver")

    @receiver.post("/notify")
    def notify():
        received.append((dict(request.headers), request.get_data()))
        arrived.set()
        return "", 204

    hook = ThreadedServer(receiver, port=free_port()).start()
    s = settings_mod.Settings(stage="test", wechatpay_notify_url=hook.url + "/notify")
    sim = ThreadedServer(create(s), port=free_port()).start()
    s = s.with_(wechatpay_api_base=sim.url + "/")
    yield WechatPayGateway(s), sim, received
    sim.stop()
    hook.stop()


def test_jsapi_order__gives_signed_request_payment_parameters(pay):
    gw, sim, _ = pay
    params = gw.jsapi_order("o_gw_0001", "地铁乘车券", 990, "oOPENID", "2030-01-01T00:00:00+08:00")
    assert (
        params["package"].startswith("prepay_id=wx")
        and params["signType"] == "RSA"
        and params["paySign"]
    )
    again = gw.jsapi_order("o_gw_0001", "地铁乘车券", 990, "oOPENID", "2030-01-01T00:00:00+08:00")
    assert again["package"] == params["package"]  # the same out_trade_no is the same prepay order
    assert gw.query("o_gw_0001").state == "NOTPAY"
    assert http("GET", sim.url + "/_sim/stats").body["bad_signatures"] == 0


def test_paid_order__notification_verifies_and_decrypts(pay):
    gw, sim, received = pay
    gw.jsapi_order("o_gw_0002", "电影券", 1500, "oOPENID", "2030-01-01T00:00:00+08:00")
    assert http("POST", sim.url + "/_sim/pay", {"out_trade_no": "o_gw_0002"}).status == 200
    headers, body = received[-1]
    note = gw.parse_notification(headers, body)
    assert note["event_type"] == "TRANSACTION.SUCCESS"
    payment = gw.payment_of(note["resource"])
    assert (payment.order_id, payment.state, payment.total_fen) == ("o_gw_0002", "SUCCESS", 1500)
    assert not gw.close("o_gw_0002")  # paid: cannot be closed
    assert gw.refund("o_gw_0002", 1500, 1500) == "SUCCESS"
    assert (
        gw.refund("o_gw_0002", 1500, 1500) == "SUCCESS"
    )  # the same refund again, not a second one
    assert len(http("GET", sim.url + "/_sim/trades/o_gw_0002").body["refunds"]) == 1


def test_notification__tampered_or_stale__is_refused(pay):
    gw, sim, received = pay
    gw.jsapi_order("o_gw_0003", "会员", 100, "oOPENID", "2030-01-01T00:00:00+08:00")
    http("POST", sim.url + "/_sim/pay", {"out_trade_no": "o_gw_0003"})
    headers, body = received[-1]
    forged = json.loads(body)
    forged["event_type"] = "TRANSACTION.SUCCESS "
    with pytest.raises(InvalidNotification):
        gw.parse_notification(headers, json.dumps(forged).encode())
    with pytest.raises(InvalidNotification):
        gw.parse_notification(headers, body, now=int(headers["Wechatpay-Timestamp"]) + 301)
    with pytest.raises(InvalidNotification):
        gw.parse_notification(
            {k: v for k, v in headers.items() if k != "Wechatpay-Signature"}, body
        )


def test_unpaid_order__closes(pay):
    gw, _, _ = pay
    gw.jsapi_order("o_gw_0004", "会员", 100, "oOPENID", "2030-01-01T00:00:00+08:00")
    assert gw.close("o_gw_0004")
    assert gw.query("o_gw_0004").state == "CLOSED"
    assert gw.query("o_gw_none") is None
