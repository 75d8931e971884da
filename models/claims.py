from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from models.base import table


def claim_key(source: str, source_id: str) -> str:
    return f"{source}#{source_id}"


@table("source_claims")
class SourceClaim(Model):
    """A source record (a trip id, a partner's record id) taken by one user's behaviour item.
    Written with attribute_not_exists(key) beside the behaviour, and the key holds no user, so
    a record counts once whoever holds the card (or the partner link) when it arrives again."""

    class Meta:
        table_name = "source_claims"

    key = UnicodeAttribute(hash_key=True)  # "<source>#<source_id>": yct#T1, partner:p_x#r1
    user_id = UnicodeAttribute()
    date = UnicodeAttribute()
    claimed_at = UnicodeAttribute()
