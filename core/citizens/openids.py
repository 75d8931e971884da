"""Which user an openid signs in as: the login lookup (openid_users) and the shape of user ids.

Invariants:
- The lookup item (openid_users: a keyed hash of the openid -> user id) and the user item are the
  only things that tie a user id to a WeChat user: erasure deletes both, so what is kept for the
  books cannot be joined back to the person (not by signing in again, not with HASH_KEY).
- User ids are random (`new_user_id`). Accounts made before ids were random have id = `u_` +
  keyed hash of the openid (LEGACY, `legacy_user_id`): a login that finds no lookup item but such a
  live user item adopts it (writes the lookup for it).
- The lookup key and the legacy id are keyed hashes for two purposes: they never coincide.
- A lookup naming a user item that is gone leads nowhere and is removed (`forget_stale`).
"""

from __future__ import annotations

import secrets

from pynamodb.exceptions import DeleteError, PutError

from core.hashing import keyed_hash
from models import User
from models.users import OpenidUser


def legacy_user_id(openid: str, hash_key: str) -> str:
    """The id accounts had before ids were random (recomputable from the openid with HASH_KEY)."""
    return "u_" + keyed_hash(hash_key, openid, "openid")[:24]


def openid_key(openid: str, hash_key: str) -> str:
    """The login lookup's key (another purpose than the legacy id: the two never coincide)."""
    return keyed_hash(hash_key, openid, "openid-login")


def new_user_id() -> str:
    return "u_" + secrets.token_hex(12)


def user_for_openid(openid: str, hash_key: str) -> str | None:
    """The live user an openid signs in as, None if it has none (never signed in, or erased)."""
    try:
        return OpenidUser.get(openid_key(openid, hash_key), consistent_read=True).user_id
    except OpenidUser.DoesNotExist:
        return None


def lookup_save_action(settings, tx, user_id: str, openid: str) -> None:
    """A first login's part of its transaction: the lookup item, only if the openid has none."""
    tx.save(
        OpenidUser(openid_key(openid, settings.hash_key), user_id=user_id),
        condition=OpenidUser.openid_hash.does_not_exist(),
    )


def adopt_legacy(settings, openid: str) -> str | None:
    """A live account made before ids were random: its lookup item is written now, so later logins
    and its erasure go the one way. None when there is none (an erased legacy account has no user
    item: the WeChat user starts a new account like anyone new)."""
    legacy = legacy_user_id(openid, settings.hash_key)
    if not User.count(legacy, consistent_read=True):
        return None
    try:
        OpenidUser(openid_key(openid, settings.hash_key), user_id=legacy).save(
            condition=OpenidUser.openid_hash.does_not_exist()
        )
    except PutError:
        pass  # adopted by a login racing this one (or a new account made meanwhile: read it again)
    return user_for_openid(openid, settings.hash_key)


def forget_stale(settings, openid: str, user_id: str) -> None:
    """A lookup naming a user item that is gone (deleted by hand) leads nowhere: it goes, so the
    WeChat user starts a new account like after an erasure."""
    try:
        OpenidUser(openid_key(openid, settings.hash_key)).delete(
            condition=OpenidUser.user_id == user_id
        )
    except DeleteError:
        pass  # replaced meanwhile by a racing login


def lookup_delete_action(settings, tx, user_id: str, openid: str) -> None:
    """Erasure's part of its last transaction: the openid's lookup item goes with the user item
    (none to delete for a legacy account never signed in since ids became random)."""
    if user_for_openid(openid, settings.hash_key) == user_id:
        tx.delete(
            OpenidUser(openid_key(openid, settings.hash_key)),
            condition=OpenidUser.user_id == user_id,
        )
