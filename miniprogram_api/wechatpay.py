"""WeChat Pay's notification URL (WECHATPAY_NOTIFY_URL): payment results, signed and encrypted.

Not part of the mini-program's OpenAPI document: WeChat Pay, not a client, calls it. A notification
is verified (platform signature, timestamp) and decrypted by the gateway before anything is read;
a bad one gets 401 and WeChat Pay's FAIL answer, a good one 204 however often it comes (WeChat Pay
retries until it sees a 2xx; core.mall.payments makes the transition once).
"""
from flask import Blueprint, Response, jsonify, request

from core.logs import log
from miniprogram_api.deps import gateways

bp = Blueprint("wechatpay", __name__, url_prefix="/wechatpay/v1")


@bp.post("/notify")
def notify():
    from core.mall import payments
    from gateways.wechatpay import InvalidNotification

    pay = gateways().wechatpay
    try:
        note = pay.parse_notification(dict(request.headers), request.get_data())
    except InvalidNotification as e:
        log("wechatpay_notification_refused", level=30, reason=str(e)[:80])
        return jsonify(code="FAIL", message="签名验证失败"), 401
    outcome = "ignored"
    if note["event_type"] == "TRANSACTION.SUCCESS":
        outcome = payments.confirm(pay.payment_of(note["resource"]), pay)
    log("wechatpay_notification", event_type=note["event_type"], outcome=outcome,
        order_id=str(note["resource"].get("out_trade_no", ""))[:40])
    return Response(status=204)
