"""Partner pushes of behaviour records.

Invariants:
- A push is accepted only with a valid HMAC-SHA256 signature over
  METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY, a timestamp within MAX_SKEW seconds, and a nonce
  never seen before (conditional put; nonces expire by TTL after the skew window).
- Each record is validated alone: bad records are rejected with a reason, good ones kept.
- (partner, record_id) is stored once: a repeated record is a duplicate, never added twice.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone

from pynamodb.exceptions import PutError

from core.errors import Unauthorized
from core.carbon.methodologies import Registry
from core.carbon.settlement_runs import SHANGHAI
from models import User
from models.behaviours import Behaviour, partition, shard_of, sort_key
from models.partners import Partner, PartnerNonce

MAX_SKEW = 300
MAX_AGE_DAYS = 7


def _fernet(settings):
    from cryptography.fernet import Fernet

    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"partner:{settings.hash_key}".encode()).digest()))


def add_partner(settings, name: str, partner_id: str | None = None, secret: str | None = None) -> tuple[str, str]:
    partner_id = partner_id or "p_" + secrets.token_hex(6)
    secret = secret or secrets.token_urlsafe(32)
    Partner(partner_id, name=name, secret_enc=_fernet(settings).encrypt(secret.encode()).decode(),
            created_at=datetime.now(timezone.utc).isoformat()).save(condition=Partner.partner_id.does_not_exist())
    return partner_id, secret


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    msg = f"{method}\n{path}\n{timestamp}\n{nonce}\n".encode() + body
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


def authenticate(settings, headers, method: str, path: str, body: bytes, now: float) -> str:
    pid, ts, nonce, sig = (headers.get(h, "") for h in ("X-Partner-Id", "X-Timestamp", "X-Nonce", "X-Signature"))
    if not (pid and ts.isdigit() and 8 <= len(nonce) <= 64 and sig):
        raise Unauthorized("Missing or malformed partner signature headers.", zh="合作方签名请求头缺失或格式错误。")
    if abs(now - int(ts)) > MAX_SKEW:
        raise Unauthorized("The timestamp is outside the allowed skew.", zh="请求时间戳超出允许的误差范围。")
    try:
        secret = _fernet(settings).decrypt(Partner.get(pid).secret_enc.encode()).decode()
    except Partner.DoesNotExist:
        raise Unauthorized("Unknown partner.", zh="未知的合作方。") from None
    if not hmac.compare_digest(signature(secret, method, path, ts, nonce, body), sig):
        raise Unauthorized("Bad signature.", zh="签名校验失败。")
    try:
        # First sight of this nonce: a replayed request (same nonce) is refused.
        PartnerNonce(f"{pid}#{nonce}", ttl=datetime.fromtimestamp(now + 2 * MAX_SKEW, tz=timezone.utc)).save(
            condition=PartnerNonce.key.does_not_exist())
    except PutError:
        raise Unauthorized("This nonce was already used.", zh="该随机数（nonce）已被使用。") from None
    return pid


def _reason(rec: dict, registry: Registry, now: datetime) -> str | None:
    if registry.in_force(rec["scenario"], now.astimezone(SHANGHAI).date().isoformat()) is None:
        return "unknown_scenario"
    if not 0 < rec["quantity"] <= 100_000:
        return "bad_quantity"
    at = rec["occurred_at"]
    if at.tzinfo is None or at > now + timedelta(minutes=5) or at < now - timedelta(days=MAX_AGE_DAYS):
        return "bad_occurred_at"
    return None


def push(settings, partner_id: str, records: list[dict], registry: Registry, now: datetime) -> dict:
    result = {"accepted": 0, "duplicates": 0, "rejected": []}
    known_users: dict[str, bool] = {}
    stamp = now.isoformat()
    for rec in records:
        reason = _reason(rec, registry, now)
        user_id = rec["user_ref"]
        if reason is None:
            if user_id not in known_users:
                known_users[user_id] = User.count(user_id) > 0
            reason = None if known_users[user_id] else "unknown_user"
        if reason:
            result["rejected"].append({"record_id": rec["record_id"], "reason": reason})
            continue
        day = rec["occurred_at"].astimezone(SHANGHAI).date().isoformat()
        item = Behaviour(partition(day, shard_of(user_id, settings.settle_shards)),
                         sort_key(user_id, f"partner:{partner_id}", rec["record_id"]), user_id=user_id, date=day,
                         scenario=rec["scenario"], quantity=rec["quantity"], occurred_at=rec["occurred_at"].isoformat(),
                         source=f"partner:{partner_id}", source_id=rec["record_id"], facts=rec.get("facts"),
                         ingested_at=stamp)
        try:
            item.save(condition=Behaviour.sk.does_not_exist())  # (partner, record id) stored once
            result["accepted"] += 1
        except PutError:
            result["duplicates"] += 1
    return result
