from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("quarantine")
class QuarantinedRecord(Model):
    """A stored behaviour that broke a rule at settlement: kept out of the credit, listed for ops
    (`tanpuhui quarantine list`). Re-settling puts the same key again, so it is listed once."""

    class Meta:
        table_name = "quarantine"

    date = UnicodeAttribute(hash_key=True)
    record = UnicodeAttribute(range_key=True)  # the behaviour's "<pk>|<sk>"
    user_id = UnicodeAttribute()
    scenario = UnicodeAttribute()
    source = UnicodeAttribute()
    source_id = UnicodeAttribute()
    reason = UnicodeAttribute()
    quarantined_at = UnicodeAttribute()
