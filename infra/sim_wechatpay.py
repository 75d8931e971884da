"""WeChat Pay v3 simulator: speaks WeChat Pay's HTTP so the `wechatpayv3` client talks to it unchanged.

It plays the platform with infra/wechatpay_platform.py: a real RSA platform key (whose public half is the
local stages' WECHATPAY_PUBLIC_KEY) and a self-signed X.509 certificate for it (made at start), checks
every request's WECHATPAY2-SHA256-RSA2048 Authorization against the merchant's public key, and
signs every answer and notification with the platform key, as WeChat Pay does.
- GET  /v3/certificates                              the platform certificate, AES-256-GCM-encrypted
- POST /v3/pay/transactions/jsapi                    prepay order (same out_trade_no and body: same prepay_id)
- GET  /v3/pay/transactions/out-trade-no/{no}        trade state (NOTPAY, SUCCESS, CLOSED, REFUND)
- POST /v3/pay/transactions/out-trade-no/{no}/close  204; a paid order: 400 ORDERPAID
- POST /v3/refund/domestic/refunds                   refund of a paid order (out_refund_no once), SUCCESS
Test helpers (what a payer and WeChat Pay's retries do):
POST /_sim/pay {"out_trade_no"} marks it paid and posts the signed, encrypted TRANSACTION.SUCCESS
notification to the order's notify_url; POST /_sim/notify {"out_trade_no"} posts that same
notification again; GET /_sim/trades/{no}; GET /_sim/stats.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime

from flask import Flask, jsonify, request

from core.localday import SHANGHAI
from infra.wechatpay_platform import Platform, merchant_signed

SIMULATOR = ("wechatpay", "wechatpay_port", "wechatpay_api_base")


def create(settings) -> Flask:
    return create_sim(
        settings.wechatpay_mchid,
        settings.wechat_appid,
        settings.wechatpay_apiv3_key,
        settings.pem("wechatpay_private_key"),
        settings.wechatpay_public_key_id,
    )


def create_sim(
    mchid: str, appid: str, apiv3_key: str, merchant_key_pem: str, public_key_id: str
) -> Flask:
    from cryptography.hazmat.primitives import serialization

    app = Flask("wechatpay_sim")
    platform = Platform(apiv3_key, public_key_id)
    cert = platform.cert
    cert_serial = format(cert.serial_number, "X")
    merchant_pub = serialization.load_pem_private_key(merchant_key_pem.encode(), None).public_key()
    trades: dict[str, dict] = {}
    refunds: dict[str, dict] = {}
    stats = {"requests": 0, "bad_signatures": 0, "notifications": 0}
    lock = threading.Lock()
    signed, fail, encrypt = platform.signed, platform.fail, platform.encrypt

    @app.before_request
    def authenticate():
        if request.path.startswith("/_sim/"):
            return None
        stats["requests"] += 1
        if not merchant_signed(request, mchid, merchant_pub):
            stats["bad_signatures"] += 1
            return fail(401, "SIGN_ERROR", "签名错误")
        return None

    @app.get("/v3/certificates")
    def certificates():
        from cryptography.hazmat.primitives import serialization

        pem = cert.public_bytes(serialization.Encoding.PEM).decode()
        return signed(
            {
                "data": [
                    {
                        "serial_no": cert_serial,
                        "effective_time": cert.not_valid_before_utc.isoformat(),
                        "expire_time": cert.not_valid_after_utc.isoformat(),
                        "encrypt_certificate": encrypt(pem, "certificate"),
                    }
                ]
            }
        )

    @app.post("/v3/pay/transactions/jsapi")
    def jsapi():
        body = request.get_json(silent=True) or {}
        no, total = body.get("out_trade_no"), (body.get("amount") or {}).get("total")
        if body.get("appid") != appid or body.get("mchid") != mchid:
            return fail(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")
        if (
            not no
            or not isinstance(total, int)
            or total <= 0
            or not (body.get("payer") or {}).get("openid")
            or not body.get("notify_url")
            or not body.get("description")
        ):
            return fail(400, "PARAM_ERROR", "参数错误")
        with lock:
            t = trades.get(no)
            if t is None:
                t = trades[no] = {
                    "request": body,
                    "state": "NOTPAY",
                    "prepay_id": "wx" + uuid.uuid4().hex,
                    "transaction_id": None,
                    "notification": None,
                }
            elif t["request"] != body:
                return fail(400, "OUT_TRADE_NO_USED", "商户订单号重复")
        return signed({"prepay_id": t["prepay_id"]})

    def trade_view(no, t):
        req = t["request"]
        view = {
            "appid": appid,
            "mchid": mchid,
            "out_trade_no": no,
            "trade_state": t["state"],
            "trade_state_desc": t["state"],
            "trade_type": "JSAPI",
            "transaction_id": t["transaction_id"],
            "amount": {"total": req["amount"]["total"], "currency": "CNY"},
            "payer": req["payer"],
        }
        if t.get("success_time"):
            view.update(success_time=t["success_time"], bank_type="OTHERS")
            view["amount"].update(payer_total=req["amount"]["total"], payer_currency="CNY")
        return view

    @app.get("/v3/pay/transactions/out-trade-no/<no>")
    def query(no):
        t = trades.get(no)
        if t is None or request.args.get("mchid") != mchid:
            return fail(404, "ORDER_NOT_EXIST", "订单不存在")
        return signed(trade_view(no, t))

    @app.post("/v3/pay/transactions/out-trade-no/<no>/close")
    def close(no):
        with lock:
            t = trades.get(no)
            if t is None:
                return fail(404, "ORDER_NOT_EXIST", "订单不存在")
            if t["state"] in ("SUCCESS", "REFUND"):
                return fail(400, "ORDERPAID", "订单已支付")
            t["state"] = "CLOSED"
        return signed(None, 204)

    @app.post("/v3/refund/domestic/refunds")
    def refund():
        body = request.get_json(silent=True) or {}
        no, rno, amount = (
            body.get("out_trade_no"),
            body.get("out_refund_no"),
            body.get("amount") or {},
        )
        with lock:
            t = trades.get(no)
            if t is None or t["state"] not in ("SUCCESS", "REFUND"):
                return fail(400, "INVALID_REQUEST", "订单未支付，不能退款")
            if amount.get("total") != t["request"]["amount"]["total"] or not 0 < amount.get(
                "refund", 0
            ) <= amount.get("total"):
                return fail(400, "PARAM_ERROR", "退款金额错误")
            r = refunds.get(rno)
            if r is None:
                r = refunds[rno] = {
                    "refund_id": "50" + uuid.uuid4().hex[:28],
                    "out_refund_no": rno,
                    "out_trade_no": no,
                    "transaction_id": t["transaction_id"],
                    "channel": "ORIGINAL",
                    "status": "SUCCESS",
                    "create_time": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
                    "amount": {
                        "refund": amount["refund"],
                        "total": amount["total"],
                        "payer_refund": amount["refund"],
                        "currency": "CNY",
                    },
                }
                t["state"] = "REFUND"
                t.setdefault("refunds", []).append(rno)
        return signed(r)

    def deliver(no, t):
        import requests

        if t["notification"] is None:
            t["notification"] = platform.paid_notification(
                json.dumps(trade_view(no, t)), t["success_time"]
            )
        text = json.dumps(t["notification"])
        headers = {"Content-Type": "application/json"} | platform.headers(text)
        stats["notifications"] += 1
        r = requests.post(
            t["request"]["notify_url"], data=text.encode(), headers=headers, timeout=30
        )
        return {"status": r.status_code, "body": r.text}

    @app.post("/_sim/pay")
    def pay():
        no = (request.get_json(silent=True) or {}).get("out_trade_no")
        with lock:
            t = trades.get(no)
            if t is None or t["state"] not in ("NOTPAY", "SUCCESS"):
                return jsonify(error="no such unpaid order"), 404
            if t["state"] == "NOTPAY":
                t.update(
                    state="SUCCESS",
                    transaction_id="42" + uuid.uuid4().hex[:26],
                    success_time=datetime.now(SHANGHAI).isoformat(timespec="seconds"),
                )
        return jsonify(deliver(no, t))

    @app.post("/_sim/notify")
    def renotify():
        no = (request.get_json(silent=True) or {}).get("out_trade_no")
        t = trades.get(no)
        if t is None or t["notification"] is None:
            return jsonify(error="nothing was notified for this order"), 404
        return jsonify(deliver(no, t))

    @app.get("/_sim/trades/<no>")
    def trade(no):
        t = trades.get(no)
        if t is None:
            return jsonify(error="no such order"), 404
        return jsonify(trade_view(no, t) | {"refunds": [refunds[r] for r in t.get("refunds", [])]})

    @app.get("/_sim/stats")
    def sim_stats():
        return jsonify(stats | {"trades": len(trades), "refunds": len(refunds)})

    return app
