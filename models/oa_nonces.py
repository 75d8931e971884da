from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("oa_nonces")
class OaNonce(Model):
    """An official-account push already answered, by its signed timestamp and nonce: a replay of the
    same signed URL is refused. Kept while the timestamp is still fresh, then expired by TTL."""

    class Meta:
        table_name = "oa_nonces"

    key = UnicodeAttribute(hash_key=True)  # "<timestamp>#<nonce>", as WeChat signed them
    ttl = TTLAttribute()
