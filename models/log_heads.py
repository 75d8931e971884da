from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("log_heads")
class LogHead(Model):
    """Signed tree heads of the transparency log, by the local day they were signed on: the
    day's last head is the Query's last item. `cutoff` (not signed) is the append's cut-off: the
    head's leaves are exactly the entries written before it, which is how `log verify` rebuilds."""

    class Meta:
        table_name = "log_heads"

    date = UnicodeAttribute(hash_key=True)
    tree_size = NumberAttribute(range_key=True)
    root_hash = UnicodeAttribute()
    timestamp = UnicodeAttribute()
    key_id = UnicodeAttribute()
    signature = UnicodeAttribute()
    cutoff = UnicodeAttribute()
