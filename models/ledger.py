from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, LocalSecondaryIndex
from pynamodb.models import Model

from models.base import table


class LedgerByTime(LocalSecondaryIndex):
    """Newest-first pages of one user's entries."""

    class Meta:
        index_name = "by_time"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)
    seq = UnicodeAttribute(range_key=True)


@table("ledger")
class LedgerEntry(Model):
    """Append-only. entry_id is deterministic where the cause is (settle#DATE#N,
    order#ID, refund#ID), so a replay hits attribute_not_exists and writes nothing."""

    class Meta:
        table_name = "ledger"

    user_id = UnicodeAttribute(hash_key=True)
    entry_id = UnicodeAttribute(range_key=True)
    seq = UnicodeAttribute()  # "<created_at iso>#<entry_id>": sortable by time
    kind = UnicodeAttribute()  # settlement | order | refund | adjustment | expiry
    amount = NumberAttribute()  # signed coins
    balance_after = NumberAttribute()
    ref = UnicodeAttribute(null=True)
    detail = JSONAttribute(null=True)
    created_at = UnicodeAttribute()
    legs = JSONAttribute(null=True)  # platform account -> coins (core.books.legs); sums to -amount
    by_time = LedgerByTime()
