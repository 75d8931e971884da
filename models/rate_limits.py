from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("rate_limits")
class RateWindow(Model):
    """One counter per (limited thing, fixed time window), shared by every container.
    Items expire through TTL soon after their window ends."""

    class Meta:
        table_name = "rate_limits"

    key = UnicodeAttribute(hash_key=True)  # "<scope>#<subject hash>#<window start>"
    hits = NumberAttribute(default=0)
    ttl = TTLAttribute()
