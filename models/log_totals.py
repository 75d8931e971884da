from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("log_totals")
class LogTotals(Model):
    """The public day totals, summed from the leaves as they are appended: one item per local day
    and segment of the log (the leaf index a checkpointed stretch starts at), put whole, so a
    re-run after a crash writes the same item again instead of adding twice."""

    class Meta:
        table_name = "log_totals"

    date = UnicodeAttribute(hash_key=True)
    segment = NumberAttribute(range_key=True)
    totals = JSONAttribute()
