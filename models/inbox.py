from pynamodb.attributes import BooleanAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("inbox")
class InboxItem(Model):
    """A notice to a citizen as their inbox shows it (core.notices.inbox): written in the
    transaction of what it tells about, whether or not a subscribe message goes out; expires
    (DynamoDB TTL) 90 days after it was written. at = "<UTC time>#<notice id>": a Query
    backwards is newest first, and the notice id makes it one item per cause."""

    class Meta:
        table_name = "inbox"

    user_id = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)
    kind = (
        UnicodeAttribute()
    )  # settlement_credit | order_expiring | order_expired | appeal_result | phcer_feedback
    title = UnicodeAttribute()
    body = UnicodeAttribute()
    title_en = UnicodeAttribute(null=True)
    body_en = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    read = BooleanAttribute(default=False)
    expires_at = TTLAttribute()
