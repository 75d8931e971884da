from pynamodb.attributes import BinaryAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("log_salts")
class LogSalt(Model):
    """The random salt under which an account appears in the transparency log (an HMAC of its
    user id). Erasure removes the salt and keeps `erased_at`: the account's leaves can no longer be
    tied to it, and leaves appended later carry the commitment "erased"."""

    class Meta:
        table_name = "log_salts"

    user_id = UnicodeAttribute(hash_key=True)
    salt = BinaryAttribute(null=True, legacy_encoding=False)
    erased_at = UnicodeAttribute(null=True)
