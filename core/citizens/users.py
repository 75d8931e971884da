"""Citizens: login, profile, phone.

Invariant: one openid, one user. user_id is a keyed hash of the openid, and the
user item is created with attribute_not_exists(user_id), so two first logins
racing each other end with one user, never two.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from pynamodb.exceptions import PutError, UpdateError
from pynamodb.transactions import TransactGet

import models

from core.citizens import tokens
from core.errors import Unauthorized
from core.hashing import keyed_hash, mask_phone
from models import Account, User


def user_id_for(openid: str, hash_key: str) -> str:
    return "u_" + keyed_hash(hash_key, openid, "openid")[:24]


def login(settings, wechat, code: str, now: int | None = None) -> dict:
    session = wechat.code_to_session(code)
    user = _get_or_create(settings, session)
    now = int(time.time()) if now is None else now
    token = tokens.issue(settings.token_secret, user.user_id, now, settings.token_ttl_seconds,
                         gen=int(user.token_gen or 0))
    return {
        "token": token,
        "expires_in": settings.token_ttl_seconds,
        "user": {"id": user.user_id, "phone_bound": bool(user.phone), "cards": user.card_count or 0},
    }


def _get_or_create(settings, session: dict) -> User:
    """One UpdateItem for a returning user (the common case); a first login adds a conditional put."""
    user_id = user_id_for(session["openid"], settings.hash_key)
    user = User(user_id)
    # The session key changes at every wx.login; keep the newest, server-side only.
    actions = [User.session_key.set(session.get("session_key"))]
    if session.get("unionid"):
        actions.append(User.unionid.set(session["unionid"]))
    try:
        # exists(): update only a user that is there; a first login falls through to the create.
        user.update(actions=actions, condition=User.user_id.exists())
        return user
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
    created = datetime.now(timezone.utc)
    # A user re-created after deletion has the same user_id (a hash of the openid): starting the
    # generation at the creation time in microseconds keeps the deleted account's tokens refused.
    user = User(user_id, openid=session["openid"], unionid=session.get("unionid"),
                session_key=session.get("session_key"), created_at=created,
                token_gen=int(created.timestamp() * 1_000_000))
    try:
        # Only the first login creates the user: one openid, one user, even when two logins race.
        user.save(condition=User.user_id.does_not_exist())
    except PutError:
        return User.get(user_id, consistent_read=True)
    _reopen(user_id)
    return user


def _reopen(user_id: str) -> None:
    """A citizen back after deleting their account has the same pseudonymous id (a hash of the
    openid): its account, closed and emptied at deletion (core.citizens.erasure), may earn again."""
    try:
        Account(user_id).update(actions=[Account.closed_at.remove()], condition=Account.closed_at.exists())
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise


def authenticate(settings, header: str | None, now: int | None = None) -> str:
    """Bearer token -> user id, or Unauthorized.

    One strongly consistent read of the user's token generation: a deleted user (no item) or a
    token issued before the last revocation is refused at once, on every container."""
    user_id, gen = verify_token(settings, header, now)
    try:
        user = User.get(user_id, consistent_read=True, attributes_to_get=["user_id", "token_gen"])
    except User.DoesNotExist:
        raise Unauthorized() from None
    if int(user.token_gen or 0) != gen:
        raise Unauthorized()
    return user_id


def verify_token(settings, header: str | None, now: int | None = None) -> tuple[str, int]:
    """The token's signature and expiry only: (user id, generation), or Unauthorized. The caller
    must still check the generation against the stored user (check_generation) before answering."""
    if not header or not header.startswith("Bearer "):
        raise Unauthorized()
    try:
        return tokens.verify(settings.token_secret, header[7:].strip(), int(time.time()) if now is None else now)
    except tokens.TokenInvalid:
        raise Unauthorized() from None


def check_generation(item: dict | None, gen: int) -> None:
    """authenticate's check on a user item the caller read itself (consistently, with the low-level
    client: typed attributes): no user, or another generation, is Unauthorized."""
    if item is None or int(item.get("token_gen", {}).get("N", "0")) != gen:
        raise Unauthorized()


def revoke_tokens(user_id: str) -> None:
    """Refuse every token issued to the user so far (logout everywhere, account deletion).
    A user that does not exist has no tokens to refuse: nothing is written."""
    try:
        User(user_id).update(actions=[User.token_gen.add(1)], condition=User.user_id.exists())
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise


def get_user(user_id: str) -> User:
    try:
        return User.get(user_id)
    except User.DoesNotExist:
        # A valid token for a user that no longer exists is as good as no token.
        raise Unauthorized() from None


def profile(user_id: str) -> dict:
    # One TransactGetItems for the user and the account: one request, not two.
    with TransactGet(connection=models.connection()) as tx:
        user_f, account_f = tx.get(User, user_id), tx.get(Account, user_id)
    try:
        user = user_f.get()
    except User.DoesNotExist:
        raise Unauthorized() from None  # a valid token for a user that no longer exists
    try:
        balance = int(account_f.get().balance)
    except Account.DoesNotExist:
        balance = 0
    return {
        "id": user.user_id,
        "phone": mask_phone(user.phone),
        "cards": user.card_count or 0,
        "balance": balance,
        "created_at": user.created_at.isoformat(),
    }
