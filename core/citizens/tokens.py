"""Citizen access tokens: signed, expiring, tamper-evident. Pure: no I/O.

Format: v1.<base64url(json payload)>.<base64url(HMAC-SHA256(secret, "v1." + payload))>.
The payload holds only the internal user id, the user's token generation and the expiry,
never WeChat ids. The generation is compared with the one stored on the user on every request:
bumping it (logout everywhere, account deletion) refuses every token issued before.
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


def issue(secret: str, user_id: str, now: int, ttl: int, gen: int = 0) -> str:
    claims = {"sub": user_id, "gen": gen, "exp": now + ttl}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signed_part = f"v1.{payload}"
    return f"{signed_part}.{_sign(secret, signed_part)}"


def verify(secret: str, token: str, now: int) -> tuple[str, int]:
    """Return (user id, generation), or raise TokenInvalid (bad form, bad signature, expired)."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != "v1":
        raise TokenInvalid("malformed")
    signed_part = f"{parts[0]}.{parts[1]}"
    if not signed_part.isascii():
        raise TokenInvalid("malformed")
    # Bytes, not str: compare_digest raises on a non-ASCII str, and a header can carry any Latin-1.
    if not hmac.compare_digest(
        _sign(secret, signed_part).encode(), parts[2].encode("utf-8", "replace")
    ):
        raise TokenInvalid("bad signature")
    try:
        payload = json.loads(_unb64(parts[1]))
        user_id, exp, gen = payload["sub"], payload["exp"], payload.get("gen", 0)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise TokenInvalid("malformed payload") from None
    if not isinstance(user_id, str) or type(exp) is not int or type(gen) is not int:
        raise TokenInvalid("malformed payload")
    if now >= exp:
        raise TokenInvalid("expired")
    return user_id, gen
