from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
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
    """A citizen. user_id is derived from a keyed hash of the openid, so the
    conditional create on user_id is what makes an openid map to one user."""

    class Meta:
        table_name = "users"

    user_id = UnicodeAttribute(hash_key=True)
    openid = UnicodeAttribute()  # needed to send subscribe messages; never returned or logged
    unionid = UnicodeAttribute(null=True)
    session_key = UnicodeAttribute(null=True)  # server-side only (WeRun decryption)
    phone = UnicodeAttribute(null=True)
    card_count = NumberAttribute(default=0)
    # Tokens name the generation they were issued under; bumping it refuses them all at once.
    token_gen = NumberAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    policy_version = UnicodeAttribute(null=True)  # the privacy policy version last accepted
    consents = ListAttribute(null=True)  # every acceptance: {policy_version, accepted_at (UTC)}
    by_unionid = UsersByUnionid()


@table("phone_claims")
class PhoneClaim(Model):
    """Which user a phone number is bound to, keyed by a keyed hash of the number (the number
    itself lives only on the user). attribute_not_exists on the hash makes one number one user."""

    class Meta:
        table_name = "phone_claims"

    phone_hash = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
