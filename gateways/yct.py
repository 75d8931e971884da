"""Yangchengtong partner gateway: signed JSON POSTs (channel code + HMAC-SHA256 with the
channel key). The gateway addresses a card as "510000" + the 10 printed digits."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

from core.errors import UpstreamError


def sign(key: str, body: bytes) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


class YctGateway:
    def __init__(self, api_base: str, channel: str, key: str, timeout: float = 5.0):
        self.api_base = api_base.rstrip("/")
        self.channel, self.key, self.timeout = channel, key, timeout

    def card_exists(self, printed_no: str) -> bool:
        import requests

        body = json.dumps(
            {
                "channel": self.channel,
                "card_no": "510000" + printed_no,
                "timestamp": int(time.time()),
                "nonce": secrets.token_hex(8),
            },
            separators=(",", ":"),
        ).encode()
        try:
            r = requests.post(
                f"{self.api_base}/gateway/card/verify",
                data=body,
                timeout=self.timeout,
                headers={
                    "Content-Type": "application/json",
                    "X-Channel": self.channel,
                    "X-Signature": sign(self.key, body),
                },
            )
            r.raise_for_status()
            return bool(r.json()["exists"])
        except (requests.RequestException, ValueError, KeyError) as e:
            raise UpstreamError(
                "Yangchengtong did not answer. Please try again later.",
                zh="羊城通系统暂时无法响应，请稍后再试。",
            ) from e
