"""WeChat Pay's notification URL (WECHATPAY_NOTIFY_URL): payment results, signed and encrypted.

Not part of the mini-program's OpenAPI document: WeChat Pay, not a client, calls it. A notification
is verified (platform signature, timestamp) and decrypted by the gateway before anything is read;
a bad one gets 401 and WeChat Pay's FAIL answer, a good one 204 however often it comes (WeChat Pay
retries until it sees a 2xx; core.mall.payments makes the transition once). A verified notification
whose amount is not exactly the order's (1000.4, text, a list for a 1000-fen order) is refused by
core.mall.payments, the order untouched, and still acknowledged with 204 so WeChat Pay stops retrying.
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
    outcome, payment = "ignored", pay.payment_of(note["resource"])
    if note["event_type"] == "TRANSACTION.SUCCESS":
        outcome = payments.confirm(payment, pay)
    # Acknowledged (WeChat Pay v3: a 200 or 204 without a body) whatever the outcome, a refused
    # amount included: WeChat Pay retries until it sees one, and a retry would say the same.
    log(
        "wechatpay_notification",
        event_type=str(note["event_type"])[:40],
        outcome=outcome,
        order_id=payment.order_id[:40],
    )
    return Response(status=204)
