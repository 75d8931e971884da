"""Symmetric encryption of small secrets we must show again (an owner's redemption code,
a partner's HMAC secret), keyed from settings: the table alone never reveals them."""

import base64
import hashlib


def _fernet(settings, purpose: str):
    from cryptography.fernet import Fernet

    return Fernet(
        base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{settings.hash_key}".encode()).digest())
    )


def seal(settings, purpose: str, text: str) -> str:
    return _fernet(settings, purpose).encrypt(text.encode()).decode()


def open_(settings, purpose: str, token: str) -> str:
    return _fernet(settings, purpose).decrypt(token.encode()).decode()
