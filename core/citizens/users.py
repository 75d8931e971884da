"""Citizens: login, authentication, tokens' revocation, profile.

Invariants:
- One openid, one user: the user id is random, and the login lookup item (core.citizens.openids)
  and the user item are created in one transaction, each with attribute_not_exists, so two first
  logins racing each other end with one user, never two.
- Nothing but the lookup item and the user item (openid, unionid, session key, phone) ties a user
  id to a WeChat user: erasure deletes both, and the same WeChat user signing in again gets a new
  random id: a new, empty account.
- A token is honoured only while its user item exists with the token's generation: deletion and
  revocation refuse it at once, on every container.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactGet, TransactWrite

import models
from core.citizens import openids, tokens
from core.errors import Unauthorized
from core.hashing import mask_phone
from models import Account, User

_CREATE_ATTEMPTS = 3  # a lost race re-reads the winner's lookup item; a third loss is a real fault


def login(settings, wechat, code: str, now: int | None = None) -> dict:
    session = wechat.code_to_session(code)
    user = _get_or_create(settings, session)
    now = int(time.time()) if now is None else now
    token = tokens.issue(
        settings.token_secret,
        user.user_id,
        now,
        settings.token_ttl_seconds,
        gen=int(user.token_gen or 0),
    )
    return {
        "token": token,
        "expires_in": settings.token_ttl_seconds,
        "user": {
            "id": user.user_id,
            "phone_bound": bool(user.phone),
            "cards": user.card_count or 0,
        },
    }


def _get_or_create(settings, session: dict) -> User:
    """A returning user: one read of the lookup item, one UpdateItem. A first login creates both."""
    actions = [User.session_key.set(session.get("session_key"))]  # the newest, server-side only
    if session.get("unionid"):
        actions.append(User.unionid.set(session["unionid"]))
    for _ in range(_CREATE_ATTEMPTS):
        user_id = openids.user_for_openid(
            session["openid"], settings.hash_key
        ) or openids.adopt_legacy(settings, session["openid"])
        if user_id is not None:
            user = User(user_id)
            try:
                # exists(): update only a user that is there (an erasure half-way has deleted it).
                user.update(actions=actions, condition=User.user_id.exists())
                return user
            except UpdateError as e:
                if e.cause_response_code != "ConditionalCheckFailedException":
                    raise
                openids.forget_stale(settings, session["openid"], user_id)
        user = create(settings, session)
        if user is not None:
            return user
    raise RuntimeError("login: the openid's user changed three times during one login")


def create(settings, session: dict) -> User | None:
    """A new account under a new random id, with its lookup item, in one transaction; None when
    another login created this openid's user meanwhile (the caller reads it again)."""
    created = datetime.now(UTC)
    user = User(
        openids.new_user_id(),
        openid=session["openid"],
        unionid=session.get("unionid"),
        session_key=session.get("session_key"),
        created_at=created,
        token_gen=int(created.timestamp() * 1_000_000),
    )
    try:
        with TransactWrite(connection=models.connection()) as tx:
            openids.lookup_save_action(settings, tx, user.user_id, session["openid"])
            tx.save(user, condition=User.user_id.does_not_exist())
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        return None
    return user


def ensure_user(settings, openid: str) -> tuple[str, bool]:
    """The openid's user, made if it has none (seeding a demo citizen): (user id, made now)."""
    for _ in range(_CREATE_ATTEMPTS):
        user_id = openids.user_for_openid(openid, settings.hash_key) or openids.adopt_legacy(
            settings, openid
        )
        if user_id is not None:
            return user_id, False
        user = create(settings, {"openid": openid})
        if user is not None:
            return user.user_id, True
    raise RuntimeError("ensure_user: the openid's user changed three times")


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
        return tokens.verify(
            settings.token_secret, header[7:].strip(), int(time.time()) if now is None else now
        )
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
