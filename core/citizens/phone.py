"""A citizen's phone number, from WeChat's getPhoneNumber code.

Invariant: one number, one account. The number is claimed in phone_claims (keyed hash, never
the number) in the same transaction that sets it on the user, and the user's previous number
is released in it too, so two accounts racing for one number end with one holder.
"""

from __future__ import annotations

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core.errors import Conflict, PhoneCodeInvalid, PhoneTaken, Unauthorized  # noqa: F401 (re-exported)
from core.hashing import keyed_hash, mask_phone
from models import User
from models.users import PhoneClaim


def phone_hash(settings, phone: str) -> str:
    return keyed_hash(settings.hash_key, phone, "phone")


def bound_answer(user_id: str) -> dict:
    """What binding answered (an Idempotency-Key's retry, whose WeChat code is spent): the number
    bound now, masked."""
    try:
        user = User.get(user_id, consistent_read=True, attributes_to_get=["user_id", "phone"])
    except User.DoesNotExist:
        raise Unauthorized() from None
    return {"phone": mask_phone(user.phone)}


def bind(settings, wechat, user_id: str, code: str) -> dict:
    phone = wechat.phone_number(code)  # raises PhoneCodeInvalid for a code WeChat refuses
    try:
        user = User.get(user_id, consistent_read=True, attributes_to_get=["user_id", "phone"])
    except User.DoesNotExist:
        raise Unauthorized() from None
    if user.phone == phone:
        return {"phone": mask_phone(phone)}
    h = phone_hash(settings, phone)
    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.save(
                PhoneClaim(h, user_id=user_id),
                condition=PhoneClaim.phone_hash.does_not_exist() | (PhoneClaim.user_id == user_id),
            )
            # The number seen above is still the user's: a concurrent bind makes this one retry-free fail.
            same = (User.phone == user.phone) if user.phone else User.phone.does_not_exist()
            tx.update(
                User(user_id),
                actions=[User.phone.set(phone)],
                condition=User.user_id.exists() & same,
            )
            if user.phone:
                tx.delete(
                    PhoneClaim(phone_hash(settings, user.phone)),
                    condition=PhoneClaim.user_id == user_id,
                )
    except TransactWriteError:
        # PynamoDB reorders a transaction's actions, so ask the table rather than the reasons' order.
        try:
            if PhoneClaim.get(h, consistent_read=True).user_id != user_id:
                raise PhoneTaken() from None
        except PhoneClaim.DoesNotExist:
            pass
        raise Conflict(
            "The phone number changed meanwhile. Please try again.",
            zh="手机号刚刚发生了变化，请重试。",
        ) from None
    return {"phone": mask_phone(phone)}


def release_action(settings, tx: TransactWrite, user_id: str, phone: str | None) -> None:
    """Add to `tx` the release of the user's number, so another account can bind it
    (account deletion puts this in the transaction that erases the phone)."""
    if phone:
        tx.delete(PhoneClaim(phone_hash(settings, phone)), condition=PhoneClaim.user_id == user_id)
