"""Merchants and their staff keys: administration (ops CLI) and authenticating a key at the counter.

Invariants:
- A merchant id and a key are created once (attribute_not_exists); a key is shown once, when
  issued, and stored only as its SHA-256, so a leaked table holds no usable key.
- A revoked key authenticates nothing, at once: every request reads its key (strongly
  consistent), no container caches one.
"""

from __future__ import annotations

import hashlib
import secrets

from core.errors import Unauthorized
from core.localday import local_iso
from core.localday import stamp as _now  # UTC storage time, one home
from models.orders import Merchant, MerchantKey


def new_id() -> str:
    """m_ and 10 hex digits, never all decimal (1 in 110 would be): the id survives a log field
    (core.logs.AS_IS) either way, but free text masks a run of 10 digits as a phone number."""
    while (hex_part := secrets.token_hex(5)).isdigit():
        pass
    return "m_" + hex_part


def add_merchant(name: str, merchant_id: str | None = None) -> str:
    merchant_id = merchant_id or new_id()
    Merchant(merchant_id, name=name, created_at=_now()).save(
        condition=Merchant.merchant_id.does_not_exist()
    )
    return merchant_id


def issue_key(merchant_id: str, key: str | None = None, name: str | None = None) -> tuple[str, str]:
    Merchant.get(merchant_id)  # DoesNotExist for an unknown merchant
    key = key or "mk_" + secrets.token_urlsafe(24)
    key_id = "k_" + secrets.token_hex(4)
    MerchantKey(
        hashlib.sha256(key.encode()).hexdigest(),
        key_id=key_id,
        merchant_id=merchant_id,
        name=name,
        created_at=_now(),
    ).save(condition=MerchantKey.key_hash.does_not_exist())
    return key_id, key


def list_keys(merchant_id: str) -> list[dict]:
    """A merchant's staff keys (never the keys themselves: only their ids and names)."""
    return [
        {
            "key_id": k.key_id,
            "name": k.name,
            "created_at": local_iso(k.created_at),
            "revoked_at": local_iso(k.revoked_at),
        }
        for k in MerchantKey.by_merchant.query(merchant_id)
    ]


def revoke_key(key_id: str) -> int:
    revoked = 0
    for k in MerchantKey.scan(MerchantKey.key_id == key_id):  # ops only
        k.update(actions=[MerchantKey.revoked_at.set(_now())])
        revoked += 1
    return revoked


def authenticate(header: str | None) -> MerchantKey:
    """Bearer merchant key -> its record: one strongly consistent read per request, never a
    per-container cache, so a revoked key is refused at once on every container."""
    if not header or not header.startswith("Bearer "):
        raise Unauthorized()
    key = header[7:].strip()
    if not key or len(key) > 256:
        raise Unauthorized()
    h = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
    try:
        found = MerchantKey.get(h, consistent_read=True)
    except MerchantKey.DoesNotExist:
        raise Unauthorized() from None
    if found.revoked_at:
        raise Unauthorized("This staff key was revoked.", zh="该店员密钥已停用，请联系商户管理员。")
    return found
