"""What the WeChat Pay simulator plays the platform with: its RSA key and a self-signed certificate
(infra/wechatpay_platform_local_key.pem, whose public half is the local stages' WECHATPAY_PUBLIC_KEY),
answers and notifications signed with that key, AES-256-GCM resources under the APIv3 key, and the
check of a merchant's WECHATPAY2-SHA256-RSA2048 Authorization: the same signatures as WeChat Pay."""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta

from flask import Response

PLATFORM_KEY = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "wechatpay_platform_local_key.pem"
)
SCHEME = "WECHATPAY2-SHA256-RSA2048"


def platform_identity():
    """The platform key and a self-signed certificate for it (valid a year from now)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    with open(PLATFORM_KEY, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA (simulator)")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return key, cert


class Platform:
    def __init__(self, apiv3_key: str, serial: str):
        self.key, self.cert = platform_identity()
        self.apiv3_key = apiv3_key
        self.serial = serial  # answers name the platform public key they were signed with

    def sign(self, message: str) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

        return base64.b64encode(
            self.key.sign(message.encode(), PKCS1v15(), hashes.SHA256())
        ).decode()

    def headers(self, text: str) -> dict:
        """The signature headers of a body WeChat Pay sends (an answer or a notification)."""
        ts, nonce = str(int(time.time())), secrets.token_hex(16)
        return {
            "Wechatpay-Timestamp": ts,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Serial": self.serial,
            "Wechatpay-Signature": self.sign(f"{ts}\n{nonce}\n{text}\n"),
            "Wechatpay-Signature-Type": SCHEME,
        }

    def signed(self, body, status=200) -> Response:
        text = (
            "" if body is None else json.dumps(body)
        )  # ASCII: the client decodes without a charset
        return Response(
            text,
            status=status,
            headers=self.headers(text) | {"Request-ID": uuid.uuid4().hex},
            content_type="application/json" if text else None,
        )

    def fail(self, status, code, message) -> Response:
        return self.signed({"code": code, "message": message}, status)

    def paid_notification(self, trade: str, create_time: str) -> dict:
        """The TRANSACTION.SUCCESS notification WeChat Pay posts to the notify_url: the trade (its
        JSON text, as the merchant will decrypt it) encrypted in `resource`."""
        resource = self.encrypt(trade, "transaction") | {"original_type": "transaction"}
        return {
            "id": str(uuid.uuid4()),
            "create_time": create_time,
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "summary": "支付成功",
            "resource": resource,
        }

    def encrypt(self, plain: str, associated: str) -> dict:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_hex(6)  # 12 characters, used as bytes, as WeChat Pay does
        ct = AESGCM(self.apiv3_key.encode()).encrypt(
            nonce.encode(), plain.encode(), associated.encode()
        )
        return {
            "algorithm": "AEAD_AES_256_GCM",
            "nonce": nonce,
            "associated_data": associated,
            "ciphertext": base64.b64encode(ct).decode(),
        }


def merchant_signed(request, mchid: str, merchant_pub) -> bool:
    """Whether a request carries the merchant's valid, fresh WECHATPAY2-SHA256-RSA2048 Authorization."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

    scheme, _, rest = request.headers.get("Authorization", "").partition(" ")
    fields = dict(p.split("=", 1) for p in rest.split(",") if "=" in p)
    fields = {k.strip(): v.strip().strip('"') for k, v in fields.items()}
    message = (
        f"{request.method}\n{request.full_path.rstrip('?')}\n{fields.get('timestamp')}\n"
        f"{fields.get('nonce_str')}\n{request.get_data(as_text=True)}\n"
    )
    try:
        if scheme != SCHEME or fields.get("mchid") != mchid:
            return False
        if abs(time.time() - int(fields.get("timestamp", "0"))) > 300:
            return False
        merchant_pub.verify(
            base64.b64decode(fields.get("signature", "")),
            message.encode(),
            PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError):
        return False
    return True
