"""Keyed hashes for identifiers we must look up but never store or log in clear."""

import hashlib
import hmac


def keyed_hash(key: str, value: str, purpose: str) -> str:
    # The purpose keeps hashes of different kinds of identifier from ever colliding.
    return hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"
