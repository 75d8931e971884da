from pynamodb.attributes import (
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from models.base import table


class UsersByUnionid(GlobalSecondaryIndex):
    """unionid -> user: links an official-account follower (a different openid, the same
    unionid) to their mini-program user. Sparse: users without a unionid are not in it."""

    class Meta:
        index_name = "by_unionid"
        projection = KeysOnlyProjection()

    unionid = UnicodeAttribute(hash_key=True)


@table("users")
class User(Model):
    """A citizen. user_id is random (`u_` + 24 hex; accounts made before it was, a keyed hash of the
    openid): an OpenidUser item maps the openid to it, and goes with this item at erasure."""

    class Meta:
        table_name = "users"

    user_id = UnicodeAttribute(hash_key=True)
    openid = UnicodeAttribute()  # needed to send subscribe messages; never returned or logged
    unionid = UnicodeAttribute(null=True)
    session_key = UnicodeAttribute(null=True)  # server-side only (WeRun decryption)
    phone = UnicodeAttribute(null=True)
    card_count = NumberAttribute(default=0)
    # Keyed hashes of every card this user ever bound (added in the bind's transaction): how their
    # export finds the binding periods of cards since unbound (card_history is keyed by card).
    # Never returned; goes with this item at erasure.
    card_hashes = UnicodeSetAttribute(null=True)
    # Tokens name the generation they were issued under; bumping it refuses them all at once.
    token_gen = NumberAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    policy_version = UnicodeAttribute(null=True)  # the privacy policy version last accepted
    consents = ListAttribute(null=True)  # every acceptance: {policy_version, accepted_at (UTC)}
    # Erasure of a LEGACY account (core.citizens.rekey): the random id its kept records move to, and
    # the cards bound when the erasure began (their binding periods move too). Recorded first, so a
    # retry after a crash moves to the same id; gone with this item, the last thing erasure deletes.
    rekey_to = UnicodeAttribute(null=True)
    rekey_cards = ListAttribute(of=UnicodeAttribute, null=True)
    by_unionid = UsersByUnionid()


@table("phone_claims")
class PhoneClaim(Model):
    """Which user a phone number is bound to, keyed by a keyed hash of the number (the number
    itself lives only on the user). attribute_not_exists on the hash makes one number one user."""

    class Meta:
        table_name = "phone_claims"

    phone_hash = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()


@table("openid_users")
class OpenidUser(Model):
    """Which user an openid signs in as, keyed by a keyed hash of the openid. The only thing
    that ties a (random) user id to a WeChat user besides the user item: erasure deletes both,
    so nothing kept afterwards can be joined back to the person, and the same WeChat user
    signing in again gets a new, empty account. attribute_not_exists on the hash makes one
    openid one user, even when two first logins race."""

    class Meta:
        table_name = "openid_users"

    openid_hash = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
