"""Citizen access tokens: signed, expiring, tamper-evident. Pure: no I/O.

Format: v1.<base64url(json payload)>.<base64url(HMAC-SHA256(secret, "v1." + payload))>.
The payload holds only the internal user id and the expiry, never WeChat ids.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json


class TokenInvalid(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, signed_part: str) -> str:
    return _b64(hmac.new(secret.encode(), signed_part.encode(), hashlib.sha256).digest())


def issue(secret: str, user_id: str, now: int, ttl: int) -> str:
    payload = _b64(json.dumps({"sub": user_id, "exp": now + ttl}, separators=(",", ":")).encode())
    signed_part = f"v1.{payload}"
    return f"{signed_part}.{_sign(secret, signed_part)}"


def verify(secret: str, token: str, now: int) -> str:
    """Return the user id, or raise TokenInvalid (bad form, bad signature, expired)."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != "v1":
        raise TokenInvalid("malformed")
    signed_part = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_sign(secret, signed_part), parts[2]):
        raise TokenInvalid("bad signature")
    try:
        payload = json.loads(_unb64(parts[1]))
        user_id, exp = payload["sub"], int(payload["exp"])
    except (ValueError, KeyError, TypeError):
        raise TokenInvalid("malformed payload") from None
    if now >= exp:
        raise TokenInvalid("expired")
    return user_id
