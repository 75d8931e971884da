"""WeChat Pay (v3 API, JSAPI for the mini-program) through the `wechatpayv3` client: it signs every
request with the merchant key, verifies every answer and notification against WeChat Pay's platform
certificate (downloaded and AES-GCM-decrypted on first use) and decrypts notifications. Nothing here
signs or verifies by hand; this module turns the client's (status, text) answers and its exceptions
into plain values and UpstreamError.

Only out_trade_no = our order id crosses: the payer's openid goes to WeChat Pay, never to a log.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from core import jsonbounds
from core.errors import UpstreamError

NOTICE_SKEW_S = 300  # a notification older or newer than this is refused (a replayed capture)
MAX_FEN = 10**12  # ten billion yuan: no single payment here comes near


def _text(value) -> str | None:
    """A short identifier or time of WeChat Pay's, or None if it is not one."""
    return (
        value if isinstance(value, str) and len(value) <= 64 and jsonbounds.is_text(value) else None
    )


def _moment(value) -> str | None:
    """WeChat Pay's time (RFC 3339) as we keep times, or None if it is not one (core.jsonbounds)."""
    moment = jsonbounds.moment(value)
    return moment.isoformat() if moment else None


class InvalidNotification(Exception):
    """Unsigned, wrongly signed, stale, undecryptable or not ours: answer WeChat Pay with a 4xx."""


@dataclass(frozen=True)
class Payment:
    """A verified, decrypted TRANSACTION.SUCCESS (or a query's answer)."""

    order_id: str
    state: str  # SUCCESS, NOTPAY, CLOSED, REFUND, ...
    total_fen: int | None  # None: WeChat Pay's amount was not an integer number of fen
    transaction_id: str | None
    paid_at: str | None


class WechatPayGateway:
    def __init__(self, settings):
        self.s = settings
        self._client = None

    @property
    def client(self):
        if self._client is None:
            from wechatpayv3 import WeChatPay, WeChatPayType

            s = self.s
            pay = WeChatPay(
                wechatpay_type=WeChatPayType.MINIPROG,
                mchid=s.wechatpay_mchid,
                private_key=s.pem("wechatpay_private_key"),
                cert_serial_no=s.wechatpay_serial_no,
                appid=s.wechat_appid,
                apiv3_key=s.wechatpay_apiv3_key,
                notify_url=s.wechatpay_notify_url,
                timeout=(3, 8),
                public_key=s.pem("wechatpay_public_key"),
                public_key_id=s.wechatpay_public_key_id,
            )
            # The client has no base-URL option: its one gateway attribute is pointed at the configured
            # base (WeChat Pay itself in AWS, the simulator locally). With WeChat Pay's public key
            # configured, building the client calls nothing.
            pay._core._gate_way = s.wechatpay_api_base.rstrip("/")
            self._client = pay
        return self._client

    def _call(self, what: str, fn, *args, **kwargs) -> tuple[int, dict]:
        try:
            code, text = fn(*args, **kwargs)
        except Exception as e:  # network errors and the client's verification failures alike
            raise UpstreamError(
                f"WeChat Pay {what} failed", zh="微信支付暂时无法完成请求，请稍后再试。"
            ) from e
        try:
            body = json.loads(text) if text else {}
        except (TypeError, ValueError):
            body = {}
        return code, body

    def jsapi_order(
        self, order_id: str, description: str, total_fen: int, openid: str, expires_at: str
    ) -> dict:
        """Create (or, with the same out_trade_no, find again) the prepay order; returns the
        parameters `wx.requestPayment` takes, signed by the client with the merchant key."""
        code, body = self._call(
            "order",
            self.client.pay,
            description=description[:127],
            out_trade_no=order_id,
            amount={"total": int(total_fen), "currency": "CNY"},
            payer={"openid": openid},
            time_expire=expires_at,
        )
        if code != 200 or not body.get("prepay_id"):
            raise UpstreamError(
                "WeChat Pay refused the order",
                zh="微信支付拒绝了该订单，请稍后再试。",
                upstream_code=body.get("code"),
            )
        return self.payment_params(body["prepay_id"])

    def payment_params(self, prepay_id: str) -> dict:
        import secrets

        ts, nonce, package = str(int(time.time())), secrets.token_hex(16), f"prepay_id={prepay_id}"
        sign = self.client.sign([self.s.wechat_appid, ts, nonce, package])
        return {
            "timeStamp": ts,
            "nonceStr": nonce,
            "package": package,
            "signType": "RSA",
            "paySign": sign,
        }

    def parse_notification(
        self, headers: dict, body: bytes | str, now: float | None = None
    ) -> dict:
        """A notification as WeChat Pay posted it -> {"event_type", "resource"} (verified and decrypted)."""
        ts = jsonbounds.unix_seconds(headers.get("Wechatpay-Timestamp"))
        if ts is None or abs((now or time.time()) - ts) > NOTICE_SKEW_S:
            raise InvalidNotification("missing or stale timestamp")
        try:  # the envelope is outside text too: its event_type reaches a log line
            jsonbounds.loads(body)
        except ValueError as e:
            raise InvalidNotification("not JSON text") from e
        try:
            data = self.client.callback(headers, body)
        except Exception as e:  # unsupported algorithm, unknown certificate serial, bad JSON
            raise InvalidNotification(type(e).__name__) from e
        if not data or not isinstance(data.get("resource"), dict):
            raise InvalidNotification("signature or decryption failed")
        resource = data["resource"]
        if resource.get("mchid") not in (None, self.s.wechatpay_mchid):
            raise InvalidNotification("another merchant's notification")
        return {"event_type": _text(data.get("event_type")), "resource": resource}

    @staticmethod
    def payment_of(resource: dict) -> Payment:
        """A decrypted resource read as outside values (core.jsonbounds): an amount that is not a
        JSON integer (1000.4, "1000", a list, true, 10**30) is None, never rounded into agreement,
        and a field of the wrong type is missing, never a 5xx later."""
        amount = resource.get("amount")
        total = amount.get("total") if isinstance(amount, dict) else None
        return Payment(
            order_id=_text(resource.get("out_trade_no")) or "",
            state=_text(resource.get("trade_state")) or "",
            total_fen=jsonbounds.exact_int(total, 0, MAX_FEN),
            transaction_id=_text(resource.get("transaction_id")),
            paid_at=_moment(resource.get("success_time")),
        )

    def query(self, order_id: str) -> Payment | None:
        code, body = self._call("query", self.client.query, out_trade_no=order_id)
        if code == 404:
            return None
        if code != 200:
            raise UpstreamError(
                "WeChat Pay query failed",
                zh="微信支付查询失败，请稍后再试。",
                upstream_code=body.get("code"),
            )
        return self.payment_of(body)

    def close(self, order_id: str) -> bool:
        """Close an unpaid order so it can no longer be paid; False if it was paid meanwhile."""
        code, body = self._call("close", self.client.close, out_trade_no=order_id)
        if code in (200, 204):
            return True
        if body.get("code") == "ORDERPAID":
            return False
        raise UpstreamError(
            "WeChat Pay close failed",
            zh="微信支付关单失败，请稍后再试。",
            upstream_code=body.get("code"),
        )

    def refund(self, order_id: str, refund_fen: int, total_fen: int) -> str:
        """Refund a paid order in full; out_refund_no is derived from the order, so a retried refund
        is the same refund at WeChat Pay. Returns WeChat Pay's refund status."""
        code, body = self._call(
            "refund",
            self.client.refund,
            out_refund_no=f"r{order_id}",
            out_trade_no=order_id,
            amount={"refund": int(refund_fen), "total": int(total_fen), "currency": "CNY"},
            reason="订单取消",
        )
        if code != 200:
            raise UpstreamError(
                "WeChat Pay refused the refund",
                zh="微信支付拒绝了退款，请稍后再试。",
                upstream_code=body.get("code"),
            )
        return str(body.get("status") or "PROCESSING")
