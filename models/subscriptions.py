from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("subscriptions")
class Subscription(Model):
    """What one user allowed for one subscribe-message template. WeChat's one-time
    subscriptions allow one message per "accept", so `remaining` counts unused accepts
    and a send consumes one (conditionally, so two senders never spend the same one)."""

    class Meta:
        table_name = "subscriptions"

    user_id = UnicodeAttribute(hash_key=True)
    template = UnicodeAttribute(range_key=True)  # our name: settlement_credit, order_expiring
    status = UnicodeAttribute()  # the user's last answer: accept | reject | ban | filter
    remaining = NumberAttribute(default=0)
    updated_at = UnicodeAttribute()
