"""Citizen-authorised links between a platform account and a partner's (or organisation's) own id.

Invariants:
- A partner names a citizen only by a `partner_user_ref` the citizen linked by consent: the
  citizen makes a one-time code for that one partner (10 minutes, stored hashed), the partner
  exchanges it. A ref with no link resolves to nobody, so its records count for nobody.
- A code is used once: the exchange marks it used in the same transaction that writes the link
  (condition: unused, unexpired, made for this partner). A retried exchange of the same code
  for the same ref answers the first result again and writes nothing.
- One link per citizen and partner: linking again replaces the citizen's earlier ref there.
- One citizen per ref: the link is written on condition that the ref is free or already the same
  citizen's, in the code's transaction, so a ref held by another citizen is never moved (409
  `partner_ref_taken`, the code stays unused), even when two exchanges race for one ref.
- Removing a link stops that partner's later records from counting for the citizen.
- A code made under an Idempotency-Key is drawn from a seed (a keyed hash of a random nonce the
  key's record keeps, core.idempotency), so its retry answers the same code (`code_answer`)
  although only the code's hash is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import localday
from core.errors import Conflict, NotFound, Unprocessable
from core.logs import log, user_ref
from models.links import LinkCode, PartnerLink

CODE_TTL = timedelta(minutes=10)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from a screen


class LinkCodeInvalid(Unprocessable):
    code, message = (
        "link_code_invalid",
        "The link code is unknown, expired, used or made for another partner.",
    )
    message_zh = "授权码无效、已过期、已使用，或不是给这个合作方的。请让市民重新生成。"


class PartnerRefTaken(Conflict):
    code = "partner_ref_taken"
    message = "This partner_user_ref is already linked to another citizen; nothing was changed."
    message_zh = "这个合作方用户标识已关联到另一位市民，未做任何更改。"


class PartnerUnknown(NotFound):
    code, message = "not_found", "No such partner."
    message_zh = "找不到这个合作方。"


def _hash(code: str) -> str:
    return hashlib.sha256(f"link:{code.strip().upper()}".encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _local(iso_utc: str) -> str:
    return localday.to_local(datetime.fromisoformat(iso_utc)).isoformat(timespec="seconds")


def counterpart_name(partner_id: str) -> str | None:
    """The name of a partner or organisation, None if neither exists."""
    from models.orgs import Org
    from models.partners import Partner

    model = Org if partner_id.startswith("o_") else Partner
    try:
        return model.get(partner_id).name
    except model.DoesNotExist:
        return None


def _code(seed: str | None) -> str:
    """Ten characters: random, or drawn from a hex seed of 256 bits (50 of them used)."""
    if seed is None:
        return "".join(secrets.choice(_ALPHABET) for _ in range(10))
    n = int(seed, 16)
    return "".join(_ALPHABET[(n >> (5 * i)) & 31] for i in range(10))


def code_answer(user_id: str, seed: str) -> dict:
    """What making the code from `seed` answered (an Idempotency-Key's retry): the same code and
    its expiry, from its stored hash."""
    code = _code(seed)
    item = LinkCode.get(_hash(code), consistent_read=True)
    if item.user_id != user_id:
        raise LinkCode.DoesNotExist()  # never another's: the seed's nonce is this caller's record
    return {"link_code": code, "expires_at": _local(item.expires_at)}


def make_code(user_id: str, partner_id: str, seed: str | None = None) -> dict:
    if counterpart_name(partner_id) is None:
        raise PartnerUnknown()
    code = _code(seed)
    expires = _now() + CODE_TTL
    LinkCode(
        _hash(code),
        user_id=user_id,
        partner_id=partner_id,
        expires_at=expires.isoformat(),
        ttl=expires + timedelta(days=1),
    ).save(condition=LinkCode.code_hash.does_not_exist())
    return {"link_code": code, "expires_at": _local(expires.isoformat())}


def exchange(partner_id: str, code: str, ref: str) -> dict:
    """The partner turns a citizen's code into a link to its own `ref`. Raises LinkCodeInvalid."""
    h, now = _hash(code), _now().isoformat()
    try:
        item = LinkCode.get(h, consistent_read=True)
    except LinkCode.DoesNotExist:
        raise LinkCodeInvalid() from None
    link = PartnerLink(partner_id, ref, user_id=item.user_id, linked_at=now)
    try:
        with TransactWrite(connection=models.connection()) as tx:
            # Unused, unexpired and made for this partner: a code links once, to the partner it was made for.
            tx.update(
                LinkCode(h),
                actions=[LinkCode.used_at.set(now), LinkCode.used_ref.set(ref)],
                condition=LinkCode.used_at.does_not_exist()
                & (LinkCode.partner_id == partner_id)
                & (LinkCode.expires_at > now),
            )
            # The ref is free or already this citizen's: a ref never moves to another citizen.
            tx.save(
                link,
                condition=PartnerLink.user_id.does_not_exist()
                | (PartnerLink.user_id == item.user_id),
            )
    except TransactWriteError:
        # Which condition failed, read back (PynamoDB reorders a transaction's actions, so the
        # cancellation reasons' order says nothing reliable).
        again, existing = LinkCode.get(h, consistent_read=True), find(partner_id, ref)
        if again.used_ref == ref and again.partner_id == partner_id:
            if existing is not None and existing.user_id == again.user_id:
                return {"partner_user_ref": ref, "linked_at": _local(existing.linked_at)}  # a retry
        elif (
            again.used_at is None
            and again.partner_id == partner_id
            and again.expires_at > now
            and existing is not None
            and existing.user_id != again.user_id
        ):
            log("partner_ref_taken", partner_id=partner_id, user=user_ref(again.user_id))
            raise PartnerRefTaken() from None
        raise LinkCodeInvalid() from None
    for old in PartnerLink.by_user.query(item.user_id, PartnerLink.partner_id == partner_id):
        if old.partner_user_ref != ref:
            _delete(old, item.user_id)  # the citizen's earlier ref at this partner
    log("partner_link_created", partner_id=partner_id, user=user_ref(item.user_id))
    return {"partner_user_ref": ref, "linked_at": _local(now)}


def find(partner_id: str, ref: str) -> PartnerLink | None:
    try:
        return PartnerLink.get(partner_id, ref, consistent_read=True)
    except PartnerLink.DoesNotExist:
        return None


def resolve(partner_id: str, ref: str) -> str | None:
    """The citizen a partner's ref names, or None (unlinked: counts for nobody)."""
    link = find(partner_id, ref)
    return link.user_id if link else None


def list_links(user_id: str) -> list[dict]:
    items = []
    for link in PartnerLink.by_user.query(user_id):
        items.append(
            {
                "partner_id": link.partner_id,
                "partner_name": counterpart_name(link.partner_id) or "",
                "linked_at": _local(link.linked_at),
            }
        )
    return items


def remove(user_id: str, partner_id: str) -> int:
    """Remove the citizen's links with one partner; NotFound if there were none."""
    removed = 0
    if not (
        0 < len(partner_id) <= 40 and partner_id.isascii()
    ):  # no such id is ever issued: never a key query
        partner_id = ""
    for link in (
        PartnerLink.by_user.query(user_id, PartnerLink.partner_id == partner_id)
        if partner_id
        else ()
    ):
        removed += _delete(link, user_id)
    if not removed:
        raise NotFound("You have no link with this partner.", zh="你与该合作方没有授权关联。")
    log("partner_link_removed", partner_id=partner_id, user=user_ref(user_id))
    return removed


def remove_all(user_id: str) -> int:
    """Every link of a citizen (account deletion)."""
    return sum(_delete(link, user_id) for link in PartnerLink.by_user.query(user_id))


def _delete(link: PartnerLink, user_id: str) -> int:
    from pynamodb.exceptions import DeleteError

    try:
        link.delete(
            condition=PartnerLink.user_id == user_id
        )  # a ref re-linked to someone else meanwhile stays
        return 1
    except DeleteError:
        return 0
