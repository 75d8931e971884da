from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("feedback_policies")
class FeedbackPolicy(Model):
    """A published version of the PHCER feedback policy (core.enterprise.policy): the share of a
    sale's net proceeds returned to citizens and the coins a yuan is worth, from a date on.
    Put once (attribute_not_exists), never changed."""

    class Meta:
        table_name = "feedback_policies"

    name = UnicodeAttribute(hash_key=True)  # "feedback"
    effective_from = UnicodeAttribute(
        range_key=True
    )  # YYYY-MM-DD (Asia/Shanghai), after the day it was published
    share = UnicodeAttribute()  # Decimal as text, 0 < share <= 1
    coins_per_yuan = UnicodeAttribute()  # Decimal as text, > 0
    source = UnicodeAttribute()
    published_at = UnicodeAttribute()
    published_by = UnicodeAttribute()
