"""Partner pushes of behaviour records.

Invariants:
- A push is accepted only with a valid HMAC-SHA256 signature (under the partner's current
  secret or, while it rotates, its previous one) over METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY,
  a timestamp within MAX_SKEW seconds, and a nonce never seen before (conditional put;
  nonces expire by TTL after the skew window).
- Each record is validated alone: bad records are rejected with a reason, good ones kept.
- A record counts only for the citizen who linked the partner's `user_ref` (core.carbon.links),
  only in a scenario the partner was onboarded for, and only within the partner's daily cap
  (core.carbon.partner_admin), and only for a citizen who accepted the privacy policy in force
  (accepted in core.citizens.consent, checked here at the push): anything else is rejected, never stored.
- Each record is validated (core.carbon.validation): unknown_scenario, invalid_facts (types and
  ranges the scenario declares), in_future, too_old (before the late-data window).
- (partner, record_id) is stored once whoever it names (core.carbon.intake): only a record
  already stored is a duplicate; a write that fails otherwise is retried, then answered 503.
- A record for a day already settled marks that day for the next run (core.carbon.late).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from pynamodb.exceptions import PutError

from core import jsonbounds, localday, secretbox
from core.carbon import intake, late, links, validation
from core.carbon.methodologies import Registry
from core.carbon.partner_admin import add_partner, release, reserve  # noqa: F401 (add_partner: one import path)
from core.errors import Unauthorized
from core.logs import log
from models import User
from models.behaviours import Behaviour
from models.partners import Partner, PartnerNonce

MAX_SKEW = 300


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    msg = f"{method}\n{path}\n{timestamp}\n{nonce}\n".encode() + body
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


def authenticate(settings, headers, method: str, path: str, body: bytes, now: float) -> Partner:
    pid, ts, nonce, sig = (
        headers.get(h, "") for h in ("X-Partner-Id", "X-Timestamp", "X-Nonce", "X-Signature")
    )
    seconds = jsonbounds.unix_seconds(ts)
    if not (0 < len(pid) <= 64 and seconds is not None and 8 <= len(nonce) <= 64 and sig):
        raise Unauthorized(
            "Missing or malformed partner signature headers.", zh="合作方签名请求头缺失或格式错误。"
        )
    if abs(now - seconds) > MAX_SKEW:
        raise Unauthorized(
            "The timestamp is outside the allowed skew.", zh="请求时间戳超出允许的误差范围。"
        )
    try:
        partner = Partner.get(pid)
    except Partner.DoesNotExist:
        raise Unauthorized("Unknown partner.", zh="未知的合作方。") from None
    sealed = [s for s in (partner.secret_enc, partner.previous_secret_enc) if s]
    # Bytes: compare_digest raises TypeError on a non-ASCII str, and headers carry any Latin-1.
    if not any(
        hmac.compare_digest(
            signature(
                secretbox.open_(settings, "partner", s), method, path, ts, nonce, body
            ).encode(),
            sig.encode("utf-8", "replace"),
        )
        for s in sealed
    ):
        raise Unauthorized("Bad signature.", zh="签名校验失败。")
    try:
        # First sight of this nonce: a replayed request (same nonce) is refused.
        PartnerNonce(f"{pid}#{nonce}", ttl=datetime.fromtimestamp(now + 2 * MAX_SKEW, tz=UTC)).save(
            condition=PartnerNonce.key.does_not_exist()
        )
    except PutError:
        raise Unauthorized(
            "This nonce was already used.", zh="该随机数（nonce）已被使用。"
        ) from None
    return partner


def reject_reason(rec: dict, allowed: set, registry: Registry, now: datetime) -> str | None:
    """Why a pushed record cannot be kept (a stable reason code), or None. `allowed` is the
    partner's onboarded scenarios. Pure."""
    if rec["scenario"] not in allowed:
        return "scenario_not_allowed"
    at = rec["occurred_at"]
    # The time first: a record outside the late-data window is too_old or in_future whatever its
    # day's methodologies (a time in 1970 had no version in force and was called unknown_scenario).
    late = validation.check_time(at, now, localday.SHANGHAI)
    if late:
        return late
    m = registry.in_force(rec["scenario"], localday.day_of(at))
    if m is None:
        return validation.UNKNOWN_SCENARIO
    if validation.number(rec["quantity"]) == 0:  # a push of nothing is a mistake, not a record
        return validation.INVALID_FACTS
    return validation.check_record(m, rec["quantity"], rec.get("facts"), now)


def push(
    settings,
    partner: Partner,
    records: list[dict],
    registry: Registry,
    now: datetime,
    refused: tuple = (),
) -> dict:
    """Keep the good records of a push; each bad one is rejected alone with its reason. `refused`
    are the rejections of records the request shape could not read, answered with the rest."""
    result = {"accepted": 0, "duplicates": 0, "rejected": list(refused)}
    pid = partner.partner_id
    citizens: dict[str, str | None] = {}
    kept: list[tuple[dict, str, str]] = []
    for rec in records:
        reason = reject_reason(rec, partner.scenarios or set(), registry, now)
        if reason is None:
            ref = rec["user_ref"]
            if ref not in citizens:
                citizens[ref] = links.resolve(pid, ref)
            reason = None if citizens[ref] else "unknown_user"
        if reason:
            result["rejected"].append({"record_id": rec["record_id"], "reason": reason})
            continue
        kept.append((rec, citizens[rec["user_ref"]], localday.day_of(rec["occurred_at"])))
    kept = _with_consent(settings, kept, result)
    stamp = now.isoformat()
    days = set()
    for day in sorted({d for _, _, d in kept}):
        pending = [(rec, uid) for rec, uid, d in kept if d == day]
        while pending:
            room = reserve(
                partner, day, len(pending)
            )  # the partner's daily cap, shared by all its citizens
            if room == 0:
                result["rejected"] += [
                    {"record_id": rec["record_id"], "reason": "daily_cap_reached"}
                    for rec, _ in pending
                ]
                break
            stored = []
            try:
                for rec, uid in pending[:room]:
                    stored.append(_store(settings, pid, rec, uid, day, stamp))
            finally:
                # A duplicate, or a record not stored (the write failed: the partner sends it again),
                # took no room: the next records may use it.
                duplicates = stored.count(False)
                release(partner, day, room - stored.count(True))
            days.add(day)
            result["accepted"] += room - duplicates
            result["duplicates"] += duplicates
            pending = pending[room:]
    # Stored first, then marked: a day already settled is settled again by the next run.
    late.mark_settled_days(days, stamp)
    # Who pushed what: the partner is the one accountable for these reductions.
    log(
        "partner_push",
        partner_id=pid,
        records=len(records) + len(refused),
        accepted=result["accepted"],
        duplicates=result["duplicates"],
        rejected=len(result["rejected"]),
    )
    return result


def _with_consent(settings, kept: list, result: dict) -> list:
    """PIPL: a citizen who has not accepted the privacy policy in force (a new version asks again)
    earns nothing from partners, and their records are not even kept: `consent_required`, so the
    partner knows. Decided here, at the push, not at settlement: what is not consented to is never
    collected. One BatchGetItem per 100 citizens."""
    current = _accepted_policy(settings, [uid for _, uid, _ in kept])
    result["rejected"] += [
        {"record_id": rec["record_id"], "reason": "consent_required"}
        for rec, uid, _ in kept
        if uid not in current
    ]
    return [k for k in kept if k[1] in current]


def _accepted_policy(settings, user_ids: list[str]) -> set[str]:
    """Of these users, those who accepted the policy in force (one BatchGetItem per 100). Read
    here, not from core.citizens.consent: carbon sits below citizens (core/__init__.py)."""
    if not user_ids:
        return set()
    return {
        u.user_id
        for u in User.batch_get(
            sorted(set(user_ids)), attributes_to_get=["user_id", "policy_version"]
        )
        if u.policy_version == settings.privacy_policy_version
    }


def _store(settings, pid: str, rec: dict, user_id: str, day: str, stamp: str) -> bool:
    """Store one record; False if (partner, record id) was stored before."""
    item = Behaviour.of(
        user_id,
        day,
        rec["scenario"],
        rec["quantity"],
        rec["occurred_at"].isoformat(),
        f"partner:{pid}",
        rec["record_id"],
        settings.settle_shards,
        stamp,
        rec.get("facts"),
        keep_days=settings.behaviour_retention_days,
    )
    return intake.store_once(item, stamp)  # stored once whoever it names; other failures: 503
