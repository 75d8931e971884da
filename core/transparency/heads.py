"""Signed tree heads (RFC 6962 section 3.5, as JSON): Ed25519 over the canonical JSON of
{tree_size, root_hash, date, timestamp, key_id}.

Invariants: the signing key comes from settings (LOG_SIGNING_KEY; local and test stages use the
bundled local-only key, dev and prod refuse to start without one); `key_id` is the first 16 hex
digits of SHA-256 of the raw public key, so a head names the key it needs; `timestamp` is at
+08:00 (heads signed before 2026-12-07 kept the +00:00 they were signed with: a head is served as
signed) and `date` is its Asia/Shanghai day, the day the head was signed on.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core import localday, settings
from core.transparency.leaves import canonical


@dataclass(frozen=True)
class Signer:
    private: Ed25519PrivateKey
    public_raw: bytes

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.public_raw).hexdigest()[:16]

    def key(self) -> dict:
        return {
            "key_id": self.key_id,
            "algorithm": "ed25519",
            "public_key": base64.b64encode(self.public_raw).decode(),
        }


def signer_from_pem(pem: str) -> Signer:
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError("LOG_SIGNING_KEY must be an Ed25519 private key (PEM)")
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return Signer(private, raw)


@functools.lru_cache(maxsize=4)
def _signer(pem: str) -> Signer:
    return signer_from_pem(pem)


def signer() -> Signer:
    return _signer(settings.get().pem("log_signing_key"))


def sign(s: Signer, tree_size: int, root_hash: bytes, timestamp: datetime) -> dict:
    head = {
        "tree_size": int(tree_size),
        "root_hash": root_hash.hex(),
        "date": localday.day_of(timestamp),
        # +08:00 like every time in a response (API.md); signed as shown, so it is never reformatted
        "timestamp": localday.to_local(timestamp).isoformat(timespec="microseconds"),
        "key_id": s.key_id,
    }
    return {**head, "signature": base64.b64encode(s.private.sign(canonical(head))).decode()}
